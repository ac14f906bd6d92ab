"""Who is who for quality: a workspace member by id, an agent's segment, an agent's coach."""

from caredesk.quality.models import CoachAssignment
from caredesk.workspaces.access import Access, workspace_permissions
from caredesk.workspaces.models import Membership, Segment, User
from caredesk.workspaces.permissions import Perm


def int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def member_of(access: Access, user_id) -> User | None:
    """An active member of the workspace by id, else None."""
    uid = int_or_none(user_id)
    if uid is None:
        return None
    return User.objects.filter(
        pk=uid,
        is_active=True,
        organization_id=access.workspace.organization_id,
        memberships__workspace=access.workspace,
    ).first()


def agent_segment_path(workspace, user_id) -> str:
    """The agent's default segment's path in the workspace, "" when they have none."""
    row = (
        Membership.objects.filter(workspace=workspace, user_id=user_id)
        .values_list("default_segment__path", flat=True)
        .first()
    )
    return row or ""


def agent_segment(workspace, agent_id) -> Segment | None:
    membership = (
        Membership.objects.filter(workspace=workspace, user_id=agent_id)
        .select_related("default_segment")
        .first()
    )
    return membership.default_segment if membership else None


def coach_of(workspace, agent_id) -> User | None:
    """The agent's coach: the one named for them, else the coach of the nearest segment above
    their default segment, else the first manager of that segment (by name) who evaluates;
    None if none."""
    rows = CoachAssignment.objects.filter(workspace=workspace, coach__is_active=True)
    named = rows.filter(agent_id=agent_id).select_related("coach").first()
    if named is not None:
        return named.coach
    segment = agent_segment(workspace, agent_id)
    if segment is None:
        return None
    above = [
        (len(a.segment.path), a.coach.get_full_name().lower(), a.coach_id, a.coach)
        for a in rows.filter(segment__isnull=False).select_related("segment", "coach")
        if segment.path.startswith(a.segment.path) and a.coach_id != agent_id
    ]
    if above:
        return max(above, key=lambda t: (t[0], -t[2]))[3]
    # Only a manager who evaluates: a coaching case's owner sees it, and it must stay hidden
    # from the agent's colleagues (care.models.case_visibility_q).
    managers = [
        u
        for u in segment.managers.filter(is_active=True).order_by("first_name", "last_name", "pk")
        if u.pk != agent_id and Perm.EVALUATE in workspace_permissions(u, workspace)[0]
    ]
    return managers[0] if managers else None
