from caredesk.workspaces.models import Segment, User, Workspace


def segment_tree(organization_id: int) -> list[Segment]:
    """All segments of the organization in tree order (parents before children)."""
    return list(
        Segment.objects.filter(organization_id=organization_id).prefetch_related("managers").order_by("path")
    )


def segment_managers(segment: Segment) -> list[User]:
    return list(segment.managers.filter(is_active=True).order_by("first_name", "last_name", "username"))


def workspace_members(workspace: Workspace):
    return workspace.memberships.select_related("user", "user_type").order_by("user__username")
