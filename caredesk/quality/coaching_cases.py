"""Coaching cases: tickets about one agent's work (Case.about_agent), opened by a failing
evaluation (origin `evaluation`) or by a coach by hand (origin `coaching`). They live in the
inbox with everything tickets have; the visibility rule keeps them from the agent's
colleagues (care.models.case_visibility_q)."""

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from caredesk.care.models import Case, Origin
from caredesk.care.services import case_create
from caredesk.core.errors import FieldErrors
from caredesk.core.limits import MAX_BODY, check_text
from caredesk.journey.models import Activity
from caredesk.quality.models import Evaluation
from caredesk.quality.people import agent_segment, coach_of, int_or_none, member_of
from caredesk.workspaces.access import Access
from caredesk.workspaces.models import User
from caredesk.workspaces.permissions import Perm


def _open(access: Access, *, agent: User, origin: str, title: str, comment: str) -> Case:
    workspace = access.workspace
    segment = agent_segment(workspace, agent.pk)
    coach = coach_of(workspace, agent.pk)
    return case_create(
        access=access,
        customer_email="",
        customer_email_optional=True,
        comment=comment,
        origin=origin,
        title=title[:200],
        segment_id=segment.pk if segment else None,
        handler_id=coach.pk if coach else None,
        permission=Perm.EVALUATE,
        about_agent_id=agent.pk,
    )


def coaching_case_for_evaluation(access: Access, evaluation: Evaluation) -> Case:
    """The failing evaluation's coaching case, opened once: called inside the evaluation's
    transaction, with the evaluation row written (or locked) by the caller."""
    if evaluation.coaching_case_id:
        return evaluation.coaching_case
    agent = evaluation.agent
    # Stored texts are in the workspace's language: everyone who opens the ticket reads them.
    with translation.override(access.workspace.language):
        title = _("Coaching: %(agent)s, %(scorecard)s %(score)s") % {
            "agent": agent,
            "scorecard": evaluation.scorecard.name,
            "score": f"{evaluation.score:g}",
        }
        if evaluation.auto_failed:
            comment = _(
                "Evaluation %(id)s of %(agent)s failed on an auto-fail criterion (%(score)s)."
            )
        else:
            comment = _(
                "Evaluation %(id)s of %(agent)s scored %(score)s, below the pass mark of %(mark)s."
            )
        comment = comment % {
            "id": evaluation.pk,
            "agent": agent,
            "score": f"{evaluation.score:g}",
            "mark": evaluation.version.pass_mark,
        }
    case = _open(access, agent=agent, origin=Origin.EVALUATION, title=title, comment=comment)
    Evaluation.objects.filter(pk=evaluation.pk).update(coaching_case=case)
    evaluation.coaching_case = case
    return case


def coaching_case_create(
    *,
    access: Access,
    agent_id,
    comment: str,
    title: str = "",
    activity_id=None,
    evaluation_id=None,
    ticket_number=None,
) -> Case:
    """A coach opens a coaching case by hand, about an agent, optionally from an activity, a
    ticket (named in its first comment) or an evaluation (attached when it has no coaching case
    yet). FieldErrors naming the field, and nothing written, for bad input."""
    access.require(Perm.EVALUATE)
    agent = member_of(access, agent_id)
    if agent is None:
        raise FieldErrors.one("agent", _("No such member of this workspace."))
    if not isinstance(comment, str) or not comment.strip():
        raise FieldErrors.one("comment", _("Say what the coaching is about."))
    check_text(comment, "comment", MAX_BODY)
    check_text(title, "title", 200)
    evaluation = None
    if evaluation_id not in (None, ""):
        evaluation = (
            Evaluation.objects.visible_to(access).filter(pk=int_or_none(evaluation_id)).first()
            if int_or_none(evaluation_id)
            else None
        )
        if evaluation is None:
            raise FieldErrors.one("evaluation", _("No such evaluation."))
    activity = None
    if activity_id not in (None, ""):
        activity = (
            Activity.objects.visible_to(access).filter(pk=int_or_none(activity_id)).first()
            if int_or_none(activity_id)
            else None
        )
        if activity is None:
            raise FieldErrors.one("activity", _("No such activity."))
    ticket = None
    if ticket_number not in (None, ""):
        number = int_or_none(str(ticket_number).strip().lstrip("#"))
        ticket = Case.objects.visible_to(access).filter(number=number).first() if number else None
        if ticket is None:
            raise FieldErrors.one("ticket", _("No such ticket."))
    title = title if isinstance(title, str) else ""
    if not title.strip():
        with translation.override(access.workspace.language):
            title = _("Coaching: %(agent)s") % {"agent": agent}
    if activity is not None:
        comment = f"{comment.strip()}\n\n{activity.get_media_type_display()} {activity.pk}"
    if ticket is not None:
        comment = f"{comment.strip()}\n\n#{ticket.number}"
    with transaction.atomic():
        case = _open(access, agent=agent, origin=Origin.COACHING, title=title, comment=comment)
        if evaluation is not None and evaluation.coaching_case_id is None:
            Evaluation.objects.filter(pk=evaluation.pk).update(coaching_case=case)
    return case


def coaching_case_evaluations(access: Access, case: Case) -> list[Evaluation]:
    """The evaluations attached to a coaching case that the reader sees, newest first; none
    for any other ticket."""
    if not case.about_agent_id:
        return []
    return list(
        Evaluation.objects.visible_to(access)
        .filter(coaching_case=case)
        .select_related("scorecard", "evaluator")
        .order_by("-occurred_at", "-id")
    )


def coaching_case_agents(access: Access) -> list[User]:
    """Whom a coaching case can be about: the workspace's active members but the user, by
    name."""
    users = User.objects.filter(
        is_active=True,
        organization_id=access.workspace.organization_id,
        memberships__workspace=access.workspace,
    ).exclude(pk=access.user.pk if access.user else None)
    return sorted(users, key=lambda u: (str(u).lower(), u.pk))
