"""Who may do what in which workspace. Every view, API call and consumer goes through here.

Visibility has one rule, written once here and composed by each model's `visible_to(access)`
queryset method (docs/architecture.md, "Visibility"):

- `view_all_cases` (admins) and the system actor see the whole workspace;
- everyone else sees what lies in their **management area** (the segments they manage and
  everything below them, by segment path prefix), plus what is theirs (see each model).
"""

from dataclasses import dataclass
from functools import cached_property

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from caredesk.workspaces.models import Membership, PermissionGrant, Segment, User, Workspace
from caredesk.workspaces.permissions import ALL_PERMS, PERM_NEEDS, Perm


@dataclass(frozen=True)
class Access:
    """A user's standing in one workspace, computed once per request."""

    user: User | None
    workspace: Workspace
    perms: frozenset[str]
    user_kind: str = ""

    @classmethod
    def system(cls, workspace: Workspace) -> "Access":
        """The system actor: work nobody asked for in person (alert rules, the worker, the
        telephony integration, inbound email). It holds every permission and sees the whole
        workspace; audit entries it writes have no actor. Never built from a request."""
        return cls(user=None, workspace=workspace, perms=ALL_PERMS, user_kind=SYSTEM)

    @property
    def is_system(self) -> bool:
        return self.user is None and self.user_kind == SYSTEM

    @property
    def sees_whole_workspace(self) -> bool:
        return self.is_system or self.has(Perm.VIEW_ALL_CASES)

    @cached_property
    def area_paths(self) -> tuple[str, ...]:
        """The segment paths the user manages; read only by callers that need the area
        (admins with view_all_cases never do)."""
        if self.user is None:
            return ()
        return management_area_paths(self.user, self.workspace.organization_id)

    def has(self, perm: str) -> bool:
        return perm in self.perms

    def require(self, perm: str) -> None:
        if perm not in self.perms:
            raise PermissionDenied(refusal(self.workspace, perm))


SYSTEM = "system"

# How many admins a refusal names; more would turn the sentence into a list.
ADMINS_NAMED = 3


def members_holding(workspace: Workspace, perm: str) -> list[User]:
    """Active members holding `perm` here (by their user type or by a grant), by name."""
    granted = set(
        PermissionGrant.objects.filter(workspace=workspace, permission=perm).values_list(
            "user_id", flat=True
        )
    )
    members = Membership.objects.filter(workspace=workspace, user__is_active=True).select_related(
        "user", "user_type"
    )
    found = [m.user for m in members if perm in m.user_type.permissions or m.user_id in granted]
    return sorted(found, key=lambda u: (str(u).lower(), u.pk))


def workspace_admins(workspace: Workspace) -> list[User]:
    """Active members who may manage the workspace (by user type or by a grant), by name."""
    return members_holding(workspace, Perm.MANAGE_CARE)


def refusal(workspace: Workspace, perm: str) -> str:
    """A refusal in words: what is missing and whom to ask (never the permission's code)."""
    need = PERM_NEEDS.get(perm, _("a permission you do not have"))
    names = [str(u) for u in workspace_admins(workspace)[:ADMINS_NAMED]]
    if names:
        return _("You need %(need)s. Ask an admin of this workspace: %(admins)s.") % {
            "need": need,
            "admins": ", ".join(names),
        }
    return _("You need %(need)s. Ask an admin of your organization.") % {"need": need}


def area_q(access: Access, path_field: str = "segment_path") -> Q:
    """The management-area rule: rows whose segment path lies under a segment the user manages.
    Callers first check `access.sees_whole_workspace`; a user who manages nothing matches no
    row. Each branch is an indexed prefix match (`LIKE '/1/4/%'` on a pattern-ops index)."""
    cond = Q(pk__in=[])
    for path in access.area_paths:
        cond |= Q(**{f"{path_field}__startswith": path})
    return cond


def visibility_queryset(rule, path: str = "") -> type[models.QuerySet]:
    """A queryset class whose `visible_to(access)` keeps the rows of the caller's workspace
    (reached through `path`, e.g. "case__" from a comment) that `rule(access, path)` allows.
    A rule returns a condition, or None for the whole workspace. Every model's visibility is
    one of these, so the workspace filter and the rule are applied the same way everywhere."""

    class VisibleQuerySet(models.QuerySet):
        def visible_to(self, access: Access) -> "VisibleQuerySet":
            qs = self.filter(**{f"{path}workspace": access.workspace})
            cond = rule(access, path)
            return qs if cond is None else qs.filter(cond)

    return VisibleQuerySet


def area_rule(access: Access, path: str = "") -> Q | None:
    """For rows with their own segment (survey responses): the management area."""
    return None if access.sees_whole_workspace else area_q(access, f"{path}segment_path")


# What every member of a workspace may read (surveys, alert rules, queues, skills, tags).
WorkspaceQuerySet = visibility_queryset(lambda access, path: None)


def workspace_permissions(user: User, workspace: Workspace) -> tuple[frozenset[str], str]:
    if not user.is_authenticated or not user.is_active:
        return frozenset(), ""
    if user.is_superuser:
        return ALL_PERMS, "superuser"
    if user.organization_id != workspace.organization_id:
        return frozenset(), ""
    membership = (
        Membership.objects.filter(workspace=workspace, user=user)
        .select_related("user_type")
        .first()
    )
    perms = set(membership.user_type.permissions) if membership else set()
    perms |= set(
        PermissionGrant.objects.filter(workspace=workspace, user=user).values_list(
            "permission", flat=True
        )
    )
    return frozenset(perms), membership.user_type.kind if membership else ""


def management_area_paths(user: User, organization_id: int) -> tuple[str, ...]:
    paths = sorted(
        Segment.objects.filter(organization_id=organization_id, managers=user).values_list(
            "path", flat=True
        )
    )
    # Drop paths already covered by an ancestor, so the area query has no redundant branches.
    kept: list[str] = []
    for p in paths:
        if not any(p.startswith(k) for k in kept):
            kept.append(p)
    return tuple(kept)


def get_access(user: User, workspace_slug: str, *, require: str = Perm.USE_CARE) -> Access:
    """The caller's access to the workspace, or 404 if it is outside their organization,
    or 403 if they lack `require`."""
    qs = Workspace.objects.select_related("organization")
    if not user.is_superuser:
        qs = qs.filter(organization_id=user.organization_id)
    workspace = qs.filter(slug=workspace_slug).first()
    if workspace is None:
        raise Http404("No such workspace")
    perms, kind = workspace_permissions(user, workspace)
    access = Access(
        user=user,
        workspace=workspace,
        perms=perms,
        user_kind=kind,
    )
    access.require(Perm.USE_CARE)
    if require != Perm.USE_CARE:
        access.require(require)
    return access


def workspaces_for_user(user: User) -> list[Workspace]:
    """The workspaces where the user has use_care, by name. Two queries whatever their number
    (every page's workspace switcher lists them): the memberships with their user types, and
    the individual use_care grants."""
    if user.is_superuser:
        return list(Workspace.objects.select_related("organization").order_by("name"))
    if not user.is_authenticated or not user.is_active:
        return []
    mine = {"workspace__organization_id": user.organization_id, "user": user}
    found = {
        m.workspace_id: m.workspace
        for m in Membership.objects.filter(**mine).select_related(
            "workspace__organization", "user_type"
        )
        if Perm.USE_CARE in m.user_type.permissions
    }
    for grant in PermissionGrant.objects.filter(permission=Perm.USE_CARE, **mine).select_related(
        "workspace__organization"
    ):
        found.setdefault(grant.workspace_id, grant.workspace)
    return sorted(found.values(), key=lambda ws: (ws.name, ws.pk))
