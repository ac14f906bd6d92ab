"""CSAT after a resolved case: a personal link emailed to the customer, answered once."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from caredesk import events
from caredesk.care.models import Case
from caredesk.core.i18n import supported
from caredesk.feedback.evaluation import base_url
from caredesk.feedback.models import Invitation, Survey, SurveyKind, SurveyTranslation
from caredesk.feedback.public import known_languages, translation_for
from caredesk.mail.services import outbound_queue


def on_case_resolved(event: events.CaseResolved) -> Invitation | None:
    """Listener of case.resolved, in the transaction that resolves the case (FeedbackConfig):
    invite the customer to the workspace's CSAT survey, once per case. The invitation and its
    email (caredesk.mail's outbox) commit with the resolution, so a process that dies after
    the commit loses neither: the worker sends the email, and retries it."""
    case = event.subject or Case.objects.get(pk=event.case)
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
            _queue_email(invitation)
    except IntegrityError:
        return None  # already invited for this case (resolved, reopened, resolved again)
    return invitation


def invitation_link(invitation: Invitation) -> str:
    return f"{base_url()}/s/{invitation.survey.token}/?i={invitation.token}"


def email_language(invitation: Invitation) -> str:
    """The language the customer is written to in (docs/i18n.md): what we know of them (their
    customer record's), else the workspace's. No browser and no ?lang= outside a request."""
    survey = invitation.survey
    known = [supported(code) for code in known_languages(survey, invitation)]
    return next((c for c in known if c), None) or supported(survey.workspace.language) or "en"


def _queue_email(invitation: Invitation) -> None:
    """Queue the invitation's email in the current transaction, in the customer's language;
    sent_at is when it was."""
    survey = invitation.survey
    language = email_language(invitation)
    translations = {t.language.lower(): t for t in SurveyTranslation.objects.filter(survey=survey)}
    tr = translation_for(survey, translations, language)
    with translation.override(language):
        if invitation.case:
            ask = _(
                "We would like to know how we did with your ticket #%(number)s. It takes one click:"
            ) % {"number": invitation.case.number}
        else:
            ask = _("We would like to know how we did. It takes one click:")
        body = "\n\n".join([_("Hello,"), ask, invitation_link(invitation), _("Thank you.")])
    outbound_queue(
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[invitation.email],
        subject=(tr.title if tr and tr.title else survey.name),
        body=body,
        case=invitation.case,
    )
    invitation.sent_at = timezone.now()
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=invitation.sent_at)


def invitation_send(invitation_id: int) -> None:
    """For send_invitation tasks queued before invitations went through the mail outbox."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("survey", "case")
            .filter(pk=invitation_id, sent_at=None)
            .first()
        )
        if invitation is not None:
            _queue_email(invitation)


def invitation_for(survey: Survey, token: str) -> Invitation | None:
    if not token:
        return None
    return (
        Invitation.objects.select_related("case__contact", "response")
        .filter(survey=survey, token=token)
        .first()
    )
