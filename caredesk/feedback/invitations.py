"""CSAT after a resolved case: a personal link emailed to the customer, answered once."""

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from caredesk.feedback.models import Invitation, Survey, SurveyKind


def on_case_resolved(sender, case, actor=None, **kwargs) -> Invitation | None:
    """Receiver of caredesk.care.signals.case_resolved: invite the customer to the workspace's
    CSAT survey, once per case."""
    if not case.customer_email:
        return None
    survey = Survey.objects.filter(
        workspace_id=case.workspace_id,
        send_on_case_resolve=True,
        is_active=True,
        kind=SurveyKind.CSAT,
    ).first()
    if survey is None:
        return None
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                survey=survey, case=case, email=case.customer_email
            )
    except IntegrityError:
        return None  # already invited for this case (resolved, reopened, resolved again)
    from caredesk.feedback.tasks import send_invitation

    transaction.on_commit(lambda: send_invitation(invitation.pk))
    return invitation


def invitation_link(invitation: Invitation) -> str:
    from caredesk.feedback.evaluation import base_url

    return f"{base_url()}/s/{invitation.survey.token}/?i={invitation.token}"


def invitation_send(invitation_id: int) -> None:
    invitation = (
        Invitation.objects.select_related("survey", "case").filter(pk=invitation_id).first()
    )
    if invitation is None or invitation.sent_at is not None:
        return
    survey = invitation.survey
    case_ref = f" about your request #{invitation.case.number}" if invitation.case else ""
    send_mail(
        subject=survey.name,
        message=(
            f"Hello,\n\nWe would like to know how we did{case_ref}. It takes one click:\n\n"
            f"{invitation_link(invitation)}\n\nThank you."
        ),
        from_email=None,
        recipient_list=[invitation.email],
    )
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now())


def invitation_for(survey: Survey, token: str) -> Invitation | None:
    if not token:
        return None
    return Invitation.objects.select_related("case").filter(survey=survey, token=token).first()
