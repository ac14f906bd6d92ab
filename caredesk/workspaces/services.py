"""Writes for organizations, workspaces, members, permissions and segments."""

import hashlib
import re
import secrets
import zoneinfo

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from caredesk.core.errors import FieldErrors
from caredesk.core.i18n import LANGUAGE_CODES
from caredesk.workspaces.models import (
    ApiToken,
    Membership,
    Organization,
    PermissionGrant,
    Segment,
    SegmentSource,
    Tab,
    User,
    UserType,
    Workspace,
)
from caredesk.workspaces.permissions import DEFAULT_PERMS, Perm, UserKind
from caredesk.workspaces.web import TAB_PAGES


def _english(text) -> str:
    with translation.override("en"):
        return str(text)


@transaction.atomic
def organization_create(*, name: str, slug: str) -> Organization:
    org = Organization.objects.create(name=name, slug=slug)
    for kind in UserKind:
        UserType.objects.create(
            organization=org,
            kind=kind,
            # Stored in English; UserType.label shows it in the reader's language.
            name=_english(kind.label),
            permissions=sorted(DEFAULT_PERMS[kind]),
        )
    return org


_UNSET = object()


def _int_or_zero(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def workspace_create(*, organization: Organization, slug: str, name: str, tabs=None) -> Workspace:
    return Workspace.objects.create(
        organization=organization,
        slug=slug,
        name=name,
        enabled_tabs=list(tabs or [Tab.HOME, Tab.TICKETS]),
    )


def workspace_create_by(
    *, creator: User, name: str, slug: str, language: str, time_zone: str
) -> Workspace:
    """A new workspace of the creator's organization (Settings → Workspaces); the creator
    becomes a member as a brand admin, so the new workspace is not locked to everyone."""
    errors = {}
    name, slug = (name or "").strip(), (slug or "").strip().lower()
    if not name:
        errors["name"] = _("The name cannot be empty.")
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,49}", slug):
        errors["slug"] = _(
            "Use lowercase letters, digits, hyphens and underscores (at most 50 characters)."
        )
    elif Workspace.objects.filter(organization_id=creator.organization_id, slug=slug).exists():
        errors["slug"] = _("Another workspace of the organization has this address.")
    if language not in LANGUAGE_CODES:
        errors["language"] = _("Choose one of the languages offered.")
    if time_zone not in zoneinfo.available_timezones():
        errors["time_zone"] = _("Unknown time zone: %(zone)s.") % {"zone": time_zone}
    if errors:
        raise FieldErrors(errors)
    with transaction.atomic():
        workspace = workspace_create(organization=creator.organization, slug=slug, name=name)
        workspace.language, workspace.time_zone = language, time_zone
        workspace.save(update_fields=["language", "time_zone"])
        membership_set(workspace=workspace, user=creator, kind=UserKind.BRAND_ADMIN)
    return workspace


def workspace_update_settings(
    *,
    workspace: Workspace,
    tabs=None,
    auto_close_days=None,
    name=None,
    case_segment_order=None,
    default_segment=_UNSET,
    language=None,
    time_zone=None,
) -> Workspace:
    """`case_segment_order`: the SegmentSource values a new ticket that names no segment
    takes one from, in order (each once; none: only `default_segment`). `default_segment`:
    a segment id of the organization, or None."""
    errors = {}
    if case_segment_order is not None:
        if not isinstance(case_segment_order, list) or not all(
            isinstance(s, str) for s in case_segment_order
        ):
            errors["case_segment_order"] = _("A list of sources.")
        elif unknown := [s for s in case_segment_order if s not in SegmentSource.values]:
            errors["case_segment_order"] = _("Unknown source: %(source)s") % {
                "source": ", ".join(unknown)
            }
        elif len(set(case_segment_order)) != len(case_segment_order):
            errors["case_segment_order"] = _("Each source can be chosen once.")
    segment = None
    if default_segment not in (_UNSET, None, ""):
        segment = Segment.objects.filter(
            organization_id=workspace.organization_id, pk=_int_or_zero(default_segment)
        ).first()
        if segment is None:
            errors["default_segment"] = _("No such segment.")
    if language is not None and language not in LANGUAGE_CODES:
        errors["language"] = _("Choose one of the languages offered.")
    if time_zone is not None and time_zone not in zoneinfo.available_timezones():
        errors["time_zone"] = _("Unknown time zone: %(zone)s.") % {"zone": time_zone}
    if tabs is not None:
        # A tab without a page would be a dead end in everyone's navigation.
        unknown = [t for t in tabs if t not in TAB_PAGES]
        if unknown:
            errors["tabs"] = _("These tabs have no page yet: %(tabs)s.") % {
                "tabs": ", ".join(unknown)
            }
    if auto_close_days is not None and not (1 <= int(auto_close_days) <= 365):
        errors["auto_close_days"] = _("Must be between 1 and 365 days.")
    if name is not None and not name.strip():
        errors["name"] = _("The name cannot be empty.")
    if errors:
        raise FieldErrors(errors)
    if tabs is not None:
        # Keep the canonical tab order whatever order the form sent.
        workspace.enabled_tabs = [t for t in Tab.values if t in tabs]
    if auto_close_days is not None:
        workspace.auto_close_days = int(auto_close_days)
    if name is not None:
        workspace.name = name.strip()
    if case_segment_order is not None:
        workspace.case_segment_order = list(case_segment_order)
    if default_segment is not _UNSET:
        workspace.default_segment = segment
    if language is not None:
        workspace.language = language
    if time_zone is not None:
        workspace.time_zone = time_zone
    workspace.save()
    return workspace


def user_create(
    *,
    organization: Organization,
    username: str,
    password: str,
    first_name="",
    last_name="",
    email="",
) -> User:
    if User.objects.filter(username=username).exists():
        raise FieldErrors.one("username", _("This username is taken."))
    return User.objects.create_user(
        username=username,
        password=password,
        organization=organization,
        first_name=first_name,
        last_name=last_name,
        email=email,
    )


def user_update_profile(
    *, user: User, first_name: str, last_name: str, language: str, time_zone: str
) -> User:
    """The user's own settings. Blank language: the browser's; blank zone: the workspace's."""
    errors = {}
    if language and language not in LANGUAGE_CODES:
        errors["language"] = _("Choose one of the languages offered.")
    if time_zone and time_zone not in zoneinfo.available_timezones():
        errors["time_zone"] = _("Unknown time zone: %(zone)s.") % {"zone": time_zone}
    if len(first_name) > 150:
        errors["first_name"] = _("At most 150 characters.")
    if len(last_name) > 150:
        errors["last_name"] = _("At most 150 characters.")
    if errors:
        raise FieldErrors(errors)
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.language = language
    user.time_zone = time_zone
    user.save(update_fields=["first_name", "last_name", "language", "time_zone"])
    return user


def membership_set(*, workspace: Workspace, user: User, kind: str) -> Membership:
    if user.organization_id != workspace.organization_id:
        raise FieldErrors.one("user", _("This user belongs to another organization."))
    user_type = UserType.objects.filter(
        organization_id=workspace.organization_id, kind=kind
    ).first()
    if user_type is None:
        raise FieldErrors.one("user_type", _("Unknown user type: %(kind)s") % {"kind": kind})
    membership, _created = Membership.objects.update_or_create(
        workspace=workspace, user=user, defaults={"user_type": user_type}
    )
    return membership


def membership_set_segment(*, membership: Membership, segment_id) -> Membership:
    """The member's default segment (None: none): a ticket they create or handle that names
    no segment may take it (Workspace.case_segment_order)."""
    segment = None
    if segment_id not in (None, ""):
        segment = Segment.objects.filter(
            organization_id=membership.workspace.organization_id, pk=_int_or_zero(segment_id)
        ).first()
        if segment is None:
            raise FieldErrors.one("default_segment", _("No such segment."))
    membership.default_segment = segment
    membership.save(update_fields=["default_segment"])
    return membership


def membership_remove(*, workspace: Workspace, user: User) -> None:
    Membership.objects.filter(workspace=workspace, user=user).delete()
    PermissionGrant.objects.filter(workspace=workspace, user=user).delete()


def permission_set(*, workspace: Workspace, user: User, permission: str, granted: bool) -> None:
    if permission not in Perm.values:
        raise FieldErrors.one(
            "permission", _("Unknown permission: %(perm)s") % {"perm": permission}
        )
    if user.organization_id != workspace.organization_id:
        raise FieldErrors.one("user", _("This user belongs to another organization."))
    if granted:
        PermissionGrant.objects.get_or_create(workspace=workspace, user=user, permission=permission)
    else:
        PermissionGrant.objects.filter(
            workspace=workspace, user=user, permission=permission
        ).delete()


def user_type_set_permissions(*, user_type: UserType, permissions: list[str]) -> UserType:
    unknown = [p for p in permissions if p not in Perm.values]
    if unknown:
        raise FieldErrors.one(
            "permissions", _("Unknown permission: %(perm)s") % {"perm": ", ".join(unknown)}
        )
    user_type.permissions = sorted(set(permissions))
    user_type.save(update_fields=["permissions"])
    return user_type


@transaction.atomic
def segment_create(
    *, organization: Organization, name: str, parent: Segment | None = None
) -> Segment:
    if not name.strip():
        raise FieldErrors.one("name", _("The name cannot be empty."))
    if parent is not None and parent.organization_id != organization.id:
        raise FieldErrors.one("parent", _("No such segment."))
    segment = Segment.objects.create(organization=organization, parent=parent, name=name.strip())
    segment.path = f"{parent.path if parent else '/'}{segment.pk}/"
    segment.save(update_fields=["path"])
    return segment


def segment_rename(*, segment: Segment, name: str) -> Segment:
    if not name.strip():
        raise FieldErrors.one("name", _("The name cannot be empty."))
    segment.name = name.strip()
    segment.save(update_fields=["name"])
    return segment


def segment_set_managers(*, segment: Segment, managers: list[User]) -> Segment:
    foreign = [u.username for u in managers if u.organization_id != segment.organization_id]
    if foreign:
        raise FieldErrors.one(
            "managers", _("Not in this organization: %(users)s") % {"users": ", ".join(foreign)}
        )
    segment.managers.set(managers)
    return segment


def api_token_create(*, user: User) -> str:
    token = "cd_" + secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user, digest=hashlib.sha256(token.encode()).hexdigest(), prefix=token[:10]
    )
    return token


def api_token_user(token: str) -> User | None:
    digest = hashlib.sha256(token.encode()).hexdigest()
    row = ApiToken.objects.select_related("user").filter(digest=digest).first()
    if row is None or not row.user.is_active:
        return None
    return row.user
