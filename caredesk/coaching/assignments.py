"""Who coaches whom (quality.CoachAssignment), set in Settings → Coaches and the API by a user
with manage_care: a coach (a member holding `evaluate`) for one agent, or for every member of
a segment and its children. An agent has one named coach; a segment may have several."""

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils.translation import gettext as _

from caredesk.core.errors import FieldErrors
from caredesk.quality.models import CoachAssignment
from caredesk.quality.people import int_or_none, member_of
from caredesk.workspaces.access import Access, workspace_permissions
from caredesk.workspaces.models import Segment
from caredesk.workspaces.permissions import Perm


def assignments(access: Access):
    return (
        CoachAssignment.objects.visible_to(access)
        .select_related("coach", "agent", "segment")
        .order_by("coach__first_name", "coach__last_name", "coach_id", "id")
    )


def assignment_get(access: Access, pk) -> CoachAssignment:
    pk = int_or_none(pk)
    found = assignments(access).filter(pk=pk).first() if pk else None
    if found is None:
        raise Http404("No such coach assignment")
    return found


def coach_choices(access: Access) -> list:
    """Members who may coach: those holding `evaluate` here."""
    from caredesk.workspaces.models import User

    users = User.objects.filter(is_active=True, memberships__workspace=access.workspace).order_by(
        "first_name", "last_name", "pk"
    )
    return [u for u in users if Perm.EVALUATE in workspace_permissions(u, access.workspace)[0]]


def _id(value):
    return None if isinstance(value, bool) else int_or_none(value)


def coach_assign(*, access: Access, coach_id, agent_id=None, segment_id=None) -> CoachAssignment:
    access.require(Perm.MANAGE_CARE)
    errors: dict[str, str] = {}
    coach = member_of(access, _id(coach_id)) if _id(coach_id) else None
    if coach is None:
        errors["coach"] = _("No such member of this workspace.")
    elif Perm.EVALUATE not in workspace_permissions(coach, access.workspace)[0]:
        errors["coach"] = _("This member may not evaluate agents, so cannot coach.")
    has_agent = agent_id not in (None, "")
    has_segment = segment_id not in (None, "")
    agent = segment = None
    if has_agent == has_segment:
        errors["agent"] = _("Name either one agent or one segment.")
    elif has_agent:
        agent = member_of(access, _id(agent_id)) if _id(agent_id) else None
        if agent is None:
            errors["agent"] = _("No such member of this workspace.")
        elif coach is not None and agent.pk == coach.pk:
            errors["agent"] = _("Nobody coaches themself.")
        elif CoachAssignment.objects.filter(workspace=access.workspace, agent=agent).exists():
            errors["agent"] = _("This agent already has a coach; remove that one first.")
    else:
        sid = _id(segment_id)
        segment = (
            Segment.objects.filter(organization_id=access.workspace.organization_id, pk=sid).first()
            if sid
            else None
        )
        if segment is None:
            errors["segment"] = _("No such segment.")
        elif (
            coach is not None
            and CoachAssignment.objects.filter(
                workspace=access.workspace, coach=coach, segment=segment
            ).exists()
        ):
            errors["segment"] = _("This coach already coaches this segment.")
    if errors:
        raise FieldErrors(errors)
    try:
        with transaction.atomic():
            return CoachAssignment.objects.create(
                workspace=access.workspace, coach=coach, agent=agent, segment=segment
            )
    except IntegrityError:
        field = "agent" if agent is not None else "segment"
        raise FieldErrors.one(field, _("This assignment exists already.")) from None


def coach_unassign(*, access: Access, assignment: CoachAssignment) -> None:
    access.require(Perm.MANAGE_CARE)
    assignment.delete()
