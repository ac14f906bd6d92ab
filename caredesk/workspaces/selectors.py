from django.db.models import Count

from caredesk.workspaces.models import PermissionGrant, Segment, User, UserType, Workspace
from caredesk.workspaces.permissions import UserKind


def segment_tree(organization_id: int) -> list[Segment]:
    """All segments of the organization in tree order (parents before children)."""
    return list(
        Segment.objects.filter(organization_id=organization_id)
        .prefetch_related("managers")
        .order_by("path")
    )


def segment_managers(segment: Segment) -> list[User]:
    return list(
        segment.managers.filter(is_active=True).order_by("first_name", "last_name", "username")
    )


def workspace_members(workspace: Workspace):
    return workspace.memberships.select_related("user", "user_type").order_by("user__username")


def organization_users(organization_id: int):
    """Active people of the organization, by name."""
    return User.objects.filter(organization_id=organization_id, is_active=True).order_by(
        "first_name", "last_name", "username"
    )


def workspace_non_members(workspace: Workspace):
    """Active people of the workspace's organization who are not members of it yet."""
    return organization_users(workspace.organization_id).exclude(memberships__workspace=workspace)


def organization_user_types(organization_id: int) -> list[UserType]:
    """The organization's user types, most powerful first (the UserKind order)."""
    order = {kind: i for i, kind in enumerate(UserKind.values)}
    types = UserType.objects.filter(organization_id=organization_id)
    return sorted(types, key=lambda t: (order.get(t.kind, 99), t.pk))


def workspace_grants(workspace: Workspace) -> dict[int, set[str]]:
    """Individual permission grants in the workspace, by user id."""
    grants: dict[int, set[str]] = {}
    for user_id, perm in PermissionGrant.objects.filter(workspace=workspace).values_list(
        "user_id", "permission"
    ):
        grants.setdefault(user_id, set()).add(perm)
    return grants


def organization_workspaces(organization_id: int) -> list[Workspace]:
    """The organization's workspaces by name, with their number of members."""
    return list(
        Workspace.objects.filter(organization_id=organization_id)
        .annotate(member_count=Count("memberships"))
        .order_by("name", "pk")
    )
