"""The Settings area of a workspace: general, members, permissions, user types and segments.

Every page needs manage_care. Forms only parse input; every write goes through
caredesk.workspaces.services, whose FieldErrors are shown next to the fields. A POST that
fails changes nothing and re-renders the page with status 400; one that succeeds redirects
back with a message."""

from types import SimpleNamespace

from django import forms
from django.contrib import messages
from django.contrib.auth import password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from caredesk.core.errors import FieldErrors, show_errors
from caredesk.core.htmx import INVALID, form_status
from caredesk.core.i18n import LANGUAGE_CHOICES, time_zone_choices
from caredesk.workspaces import selectors, services
from caredesk.workspaces.access import Access, workspace_permissions, workspaces_for_user
from caredesk.workspaces.models import Membership, Segment, SegmentSource, Tab, UserType
from caredesk.workspaces.permissions import PERM_SHORT, Perm, UserKind
from caredesk.workspaces.web import TAB_PAGES, render_ws, workspace_view

SECTIONS = [
    ("general", _("General"), "settings_general"),
    ("members", _("Members"), "settings_members"),
    ("permissions", _("Permissions"), "settings_permissions"),
    ("user_types", _("User types"), "settings_user_types"),
    ("segments", _("Segments"), "settings_segments"),
    ("surveys", _("Surveys"), "settings_surveys"),  # caredesk.feedback
    ("chat_widget", _("Chat widget"), "settings_chat_widget"),  # caredesk.webchat
    ("scorecards", _("Scorecards"), "scorecard_settings"),  # caredesk.quality
    ("review_rules", _("Review rules"), "sampling_rules"),  # caredesk.quality (review queue)
    ("appeals", _("Appeals"), "appeal_settings"),  # caredesk.quality.views_appeals
    ("coaches", _("Coaches"), "coach_settings"),  # caredesk.coaching
    ("business_hours", _("Business hours"), "business_hours_settings"),  # caredesk.insights
    ("topics", _("Topics"), "topic_settings"),  # caredesk.conversations (issue 14)
]

# The permission each section needs where it is not manage_care: a manager holding only
# manage_scorecards sees (and may open) just those sections.
SECTION_PERMS = {
    "scorecards": Perm.MANAGE_SCORECARDS,
    "review_rules": Perm.MANAGE_SCORECARDS,
    "appeals": Perm.MANAGE_SCORECARDS,
    "topics": Perm.MANAGE_CARE,
}


def settings_sections(access: Access, current: str) -> list[tuple[str, str, bool]]:
    """(label, url name, current) of the Settings sections `access` may open."""
    return [
        (label, name, key == current)
        for key, label, name in SECTIONS
        if access.has(SECTION_PERMS.get(key, Perm.MANAGE_CARE))
    ]


# --------------------------------------------------------------------------- helpers


def _is_brand_admin(access: Access) -> bool:
    """Brand admins work at the organization level: they alone see Settings → Workspaces."""
    return access.user_kind == UserKind.BRAND_ADMIN


def _page(request, access: Access, section: str, context: dict, *, status: int = 200):
    sections = settings_sections(access, section)
    if _is_brand_admin(access):
        sections.append((_("Workspaces"), "settings_workspaces", section == "workspaces"))
    ctx = {
        "sections": sections,
        # (code, description, short heading) of each permission, in the reader's language.
        "perms": [(value, label, PERM_SHORT[value]) for value, label in Perm.choices],
    }
    ctx.update(context)
    return render_ws(
        request,
        access,
        f"workspaces/settings_{section}.html",
        ctx,
        active="settings",
        status=status,
    )


def _keep_manage_care(access: Access, field: str) -> None:
    """Called inside the transaction of a change: refuse it (and so roll it back) when the
    acting admin would lose manage_care here, which would lock them out of these pages."""
    if access.user.is_superuser:
        return
    perms, _kind = workspace_permissions(access.user, access.workspace)
    if Perm.MANAGE_CARE not in perms:
        raise FieldErrors.one(
            field,
            _("This would remove your own permission to manage this workspace. Ask another admin."),
        )


def _kind_choices(organization_id: int) -> list[tuple[str, str]]:
    return [(t.kind, t.label) for t in selectors.organization_user_types(organization_id)]


# --------------------------------------------------------------------------- forms


def _tab_choices():
    # Only tabs that have a page (workspaces.web.TAB_PAGES): one without would be a dead end.
    return [(value, label) for value, label in Tab.choices if value in TAB_PAGES]


class _OrderedValues(forms.Widget):
    """Every value posted under the name, in the order sent."""

    def value_from_datadict(self, data, files, name):
        return data.getlist(name) if hasattr(data, "getlist") else data.get(name)


class GeneralForm(forms.Form):
    name = forms.CharField(max_length=200, label=_("Workspace name"))
    tabs = forms.MultipleChoiceField(
        choices=_tab_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Enabled tabs"),
    )
    # The 1–365 range is the service's rule; the attributes only help the browser.
    auto_close_days = forms.IntegerField(
        label=_("Close inactive tickets after (days)"),
        widget=forms.NumberInput(attrs={"min": 1, "max": 365}),
    )
    # Left out of a POST (an older form, a script): kept as they are.
    language = forms.ChoiceField(choices=LANGUAGE_CHOICES, label=_("Language"), required=False)
    time_zone = forms.ChoiceField(choices=time_zone_choices, label=_("Time zone"), required=False)
    # One <select> per position, all named case_segment_order (the template draws them);
    # the service checks the values.
    case_segment_order = forms.Field(
        required=False, widget=_OrderedValues, label=_("Segment of a new ticket")
    )
    default_segment = forms.ChoiceField(required=False, label=_("Default segment"))

    SOURCE_POSITIONS = len(SegmentSource.values)

    def __init__(self, *args, organization_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["default_segment"].choices = [("", _("None"))] + [
            (str(s.pk), "\u00a0\u00a0" * s.depth + s.name)
            for s in selectors.segment_tree(organization_id)
        ]

    def source_selects(self) -> list[dict]:
        """The positions of the order, each with its chosen source ("" for none)."""
        chosen = list(self["case_segment_order"].value() or [])
        chosen += [""] * (self.SOURCE_POSITIONS - len(chosen))
        return [
            {"position": n + 1, "value": value, "id": f"id_case_segment_order_{n + 1}"}
            for n, value in enumerate(chosen[: self.SOURCE_POSITIONS])
        ]

    def source_choices(self):
        return SegmentSource.choices


class AddMemberForm(forms.Form):
    user = forms.ModelChoiceField(
        queryset=None, empty_label=_("Choose a person…"), label=_("Person")
    )
    kind = forms.ChoiceField(label=_("User type"))

    def __init__(self, *args, workspace, **kwargs):
        kwargs.setdefault("initial", {"kind": UserKind.AGENT})
        super().__init__(*args, prefix="add", **kwargs)
        self.fields["user"].queryset = selectors.workspace_non_members(workspace)
        self.fields["kind"].choices = _kind_choices(workspace.organization_id)


class CreateUserForm(forms.Form):
    username = forms.CharField(
        max_length=150, validators=[UnicodeUsernameValidator()], label=_("Username")
    )
    first_name = forms.CharField(max_length=150, required=False, label=_("First name"))
    last_name = forms.CharField(max_length=150, required=False, label=_("Last name"))
    email = forms.EmailField(required=False, label=_("Email"))
    password = forms.CharField(widget=forms.PasswordInput, strip=False, label=_("Password"))
    kind = forms.ChoiceField(label=_("User type"))

    def __init__(self, *args, workspace, **kwargs):
        kwargs.setdefault("initial", {"kind": UserKind.AGENT})
        super().__init__(*args, prefix="new", **kwargs)
        self.fields["kind"].choices = _kind_choices(workspace.organization_id)

    def clean_password(self):
        password = self.cleaned_data["password"]
        password_validation.validate_password(password)
        return password


class MemberTypeForm(forms.Form):
    kind = forms.ChoiceField(label=_("User type"))

    def __init__(self, *args, workspace, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        # A page of many rows passes the choices it read once.
        self.fields["kind"].choices = choices or _kind_choices(workspace.organization_id)


class PermissionsForm(forms.Form):
    perm = forms.MultipleChoiceField(choices=Perm.choices, required=False)


class SegmentNameForm(forms.Form):
    name = forms.CharField(max_length=200, label=_("Name"))


class SegmentManagersForm(forms.Form):
    managers = forms.ModelMultipleChoiceField(queryset=None, required=False, label=_("Managers"))

    def __init__(self, *args, organization_id, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["managers"].queryset = selectors.organization_users(organization_id)
        if choices is not None:
            # Rendering only: a page of many segments reads the people once, not per row.
            self.fields["managers"].choices = choices


# --------------------------------------------------------------------------- General


def _segment_rule(posted, data) -> dict:
    """The new tickets' segment settings the form sent (a post without them keeps them)."""
    rule = {}
    if "case_segment_order" in posted:
        # Positions left empty are not used.
        rule["case_segment_order"] = [s for s in data["case_segment_order"] or [] if s]
    if "default_segment" in posted:
        rule["default_segment"] = data["default_segment"] or None
    return rule


@workspace_view(Perm.MANAGE_CARE)
def settings_general(request, access):
    workspace = access.workspace
    org_id = workspace.organization_id
    if request.method == "POST":
        form = GeneralForm(request.POST, organization_id=org_id)
        if form.is_valid():
            try:
                services.workspace_update_settings(
                    workspace=workspace,
                    name=form.cleaned_data["name"],
                    tabs=form.cleaned_data["tabs"],
                    auto_close_days=form.cleaned_data["auto_close_days"],
                    **_segment_rule(request.POST, form.cleaned_data),
                    language=form.cleaned_data["language"] or None,
                    time_zone=form.cleaned_data["time_zone"] or None,
                )
            except FieldErrors as exc:
                show_errors(form, exc)
            else:
                messages.success(request, _("Settings saved."))
                return redirect("settings_general", workspace.slug)
        return _page(request, access, "general", {"form": form}, status=INVALID)
    form = GeneralForm(
        organization_id=org_id,
        initial={
            "name": workspace.name,
            "tabs": workspace.enabled_tabs,
            "auto_close_days": workspace.auto_close_days,
            "case_segment_order": workspace.case_segment_order,
            "default_segment": str(workspace.default_segment_id or ""),
            "language": workspace.language,
            "time_zone": workspace.time_zone,
        },
    )
    return _page(request, access, "general", {"form": form})


# --------------------------------------------------------------------------- Members


def _members_page(
    request,
    access,
    *,
    add_form=None,
    new_form=None,
    row_form=None,
    row_user_id=None,
    row_error="",
    segment_error="",
):
    workspace = access.workspace
    kinds = _kind_choices(workspace.organization_id)
    rows = []
    for m in selectors.workspace_members(workspace):
        if m.user_id == row_user_id and row_form is not None:
            type_form = row_form
        else:
            type_form = MemberTypeForm(
                workspace=workspace,
                choices=kinds,
                initial={"kind": m.user_type.kind},
                auto_id=f"id_m{m.user_id}_%s",
            )
        error = row_error if m.user_id == row_user_id else ""
        rows.append(SimpleNamespace(membership=m, user=m.user, type_form=type_form, error=error))
    segments = [
        (str(s.pk), "\u00a0\u00a0" * s.depth + s.name)
        for s in selectors.segment_tree(workspace.organization_id)
    ]
    forms_sent = (add_form, new_form, row_form)
    bad = bool(row_error or segment_error) or any(f is not None and f.errors for f in forms_sent)
    return _page(
        request,
        access,
        "members",
        {
            "rows": rows,
            "segment_choices": segments,
            "segment_error_user": row_user_id if segment_error else None,
            "segment_error": segment_error,
            "add_form": add_form or AddMemberForm(workspace=workspace),
            "new_form": new_form or CreateUserForm(workspace=workspace),
        },
        status=form_status(bad),
    )


@workspace_view(Perm.MANAGE_CARE)
def settings_members(request, access):
    return _members_page(request, access)


@workspace_view(Perm.MANAGE_CARE)
@require_POST
def settings_member_add(request, access):
    form = AddMemberForm(request.POST, workspace=access.workspace)
    if form.is_valid():
        user = form.cleaned_data["user"]
        try:
            services.membership_set(
                workspace=access.workspace, user=user, kind=form.cleaned_data["kind"]
            )
        except FieldErrors as exc:
            show_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(user)s is now a member of %(workspace)s.")
                % {"user": user, "workspace": access.workspace.name},
            )
            return redirect("settings_members", access.workspace.slug)
    return _members_page(request, access, add_form=form)


@workspace_view(Perm.MANAGE_CARE)
@require_POST
def settings_member_create_user(request, access):
    workspace = access.workspace
    form = CreateUserForm(request.POST, workspace=workspace)
    if form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                user = services.user_create(
                    organization=workspace.organization,
                    username=data["username"],
                    password=data["password"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    email=data["email"],
                )
                services.membership_set(workspace=workspace, user=user, kind=data["kind"])
        except FieldErrors as exc:
            show_errors(form, exc)
        else:
            messages.success(
                request,
                _("Created %(user)s and added them to %(workspace)s.")
                % {"user": user.username, "workspace": workspace.name},
            )
            return redirect("settings_members", workspace.slug)
    return _members_page(request, access, new_form=form)


@workspace_view(Perm.MANAGE_CARE)
@require_POST
def settings_member_type(request, access, user_id):
    membership = get_object_or_404(Membership, workspace=access.workspace, user_id=user_id)
    form = MemberTypeForm(request.POST, workspace=access.workspace, auto_id=f"id_m{user_id}_%s")
    if form.is_valid():
        try:
            with transaction.atomic():
                services.membership_set(
                    workspace=access.workspace, user=membership.user, kind=form.cleaned_data["kind"]
                )
                _keep_manage_care(access, "kind")
        except FieldErrors as exc:
            show_errors(form, exc)
        else:
            label = dict(form.fields["kind"].choices)[form.cleaned_data["kind"]]
            messages.success(
                request,
                _("%(user)s is now %(type)s.") % {"user": membership.user, "type": label},
            )
            return redirect("settings_members", access.workspace.slug)
    return _members_page(request, access, row_form=form, row_user_id=membership.user_id)


@workspace_view(Perm.MANAGE_CARE)
@require_POST
def settings_member_segment(request, access, user_id):
    membership = get_object_or_404(Membership, workspace=access.workspace, user_id=user_id)
    try:
        services.membership_set_segment(
            membership=membership, segment_id=request.POST.get("default_segment", "")
        )
    except FieldErrors as exc:
        return _members_page(
            request, access, row_user_id=user_id, segment_error=exc.errors["default_segment"]
        )
    segment = membership.default_segment
    messages.success(
        request,
        gettext("%(name)s's default segment is now %(segment)s.")
        % {"name": membership.user, "segment": segment}
        if segment
        else gettext("%(name)s has no default segment now.") % {"name": membership.user},
    )
    return redirect("settings_members", access.workspace.slug)


@workspace_view(Perm.MANAGE_CARE)
@require_POST
def settings_member_remove(request, access, user_id):
    membership = get_object_or_404(Membership, workspace=access.workspace, user_id=user_id)
    try:
        with transaction.atomic():
            services.membership_remove(workspace=access.workspace, user=membership.user)
            _keep_manage_care(access, "user")
    except FieldErrors as exc:
        return _members_page(
            request,
            access,
            row_user_id=membership.user_id,
            row_error=" ".join(str(e) for e in exc.errors.values()),
        )
    messages.success(
        request,
        _("%(user)s was removed from %(workspace)s.")
        % {"user": membership.user, "workspace": access.workspace.name},
    )
    return redirect("settings_members", access.workspace.slug)


# --------------------------------------------------------------------------- Permissions


def _permissions_page(request, access, *, bad_user_id=None, bad_form=None):
    workspace = access.workspace
    grants = selectors.workspace_grants(workspace)
    rows = []
    for m in selectors.workspace_members(workspace):
        from_type = set(m.user_type.permissions)
        granted = grants.get(m.user_id, set())
        cells = [
            SimpleNamespace(
                perm=value,
                label=label,
                short=PERM_SHORT[value],
                from_type=value in from_type,
                granted=value in granted,
                effective=value in from_type or value in granted,
            )
            for value, label in Perm.choices
        ]
        rows.append(
            SimpleNamespace(
                membership=m,
                user=m.user,
                cells=cells,
                errors=bad_form.non_field_errors() + bad_form["perm"].errors
                if bad_form is not None and m.user_id == bad_user_id
                else [],
            )
        )
    return _page(
        request, access, "permissions", {"rows": rows}, status=form_status(bad_form is not None)
    )


@workspace_view(Perm.MANAGE_CARE)
def settings_permissions(request, access):
    return _permissions_page(request, access)


@workspace_view(Perm.MANAGE_CARE)
@require_POST
def settings_permission_save(request, access, user_id):
    """Set the individual grants of one member to exactly the ticked permissions."""
    workspace = access.workspace
    membership = get_object_or_404(Membership, workspace=workspace, user_id=user_id)
    form = PermissionsForm(request.POST)
    if form.is_valid():
        wanted = set(form.cleaned_data["perm"])
        current = selectors.workspace_grants(workspace).get(membership.user_id, set())
        try:
            with transaction.atomic():
                for perm in Perm.values:
                    if (perm in wanted) != (perm in current):
                        services.permission_set(
                            workspace=workspace,
                            user=membership.user,
                            permission=perm,
                            granted=perm in wanted,
                        )
                _keep_manage_care(access, "perm")
        except FieldErrors as exc:
            show_errors(form, exc)
        else:
            messages.success(
                request, _("Saved the permissions of %(user)s.") % {"user": membership.user}
            )
            return redirect("settings_permissions", workspace.slug)
    return _permissions_page(request, access, bad_user_id=membership.user_id, bad_form=form)


# --------------------------------------------------------------------------- User types


def _user_types_page(request, access, *, bad_type_id=None, bad_form=None):
    workspace = access.workspace
    counts = {}
    for m in Membership.objects.filter(
        workspace__organization_id=workspace.organization_id
    ).values_list("user_type_id", flat=True):
        counts[m] = counts.get(m, 0) + 1
    rows = []
    for t in selectors.organization_user_types(workspace.organization_id):
        bad = bad_form is not None and t.pk == bad_type_id
        checked = set(bad_form.data.getlist("permissions")) if bad else set(t.permissions)
        rows.append(
            SimpleNamespace(
                type=t,
                members=counts.get(t.pk, 0),
                cells=[
                    (value, label, PERM_SHORT[value], value in checked)
                    for value, label in Perm.choices
                ],
                errors=bad_form.non_field_errors() + bad_form["permissions"].errors if bad else [],
            )
        )
    return _page(
        request, access, "user_types", {"rows": rows}, status=form_status(bad_form is not None)
    )


class UserTypeForm(forms.Form):
    permissions = forms.MultipleChoiceField(choices=Perm.choices, required=False)


@workspace_view(Perm.MANAGE_CARE)
def settings_user_types(request, access):
    return _user_types_page(request, access)


@workspace_view(Perm.MANAGE_CARE)
@require_POST
def settings_user_type_save(request, access, type_id):
    user_type = get_object_or_404(
        UserType, pk=type_id, organization_id=access.workspace.organization_id
    )
    form = UserTypeForm(request.POST)
    if form.is_valid():
        try:
            with transaction.atomic():
                services.user_type_set_permissions(
                    user_type=user_type, permissions=form.cleaned_data["permissions"]
                )
                _keep_manage_care(access, "permissions")
        except FieldErrors as exc:
            show_errors(form, exc)
        else:
            messages.success(
                request,
                _("Saved the permissions of the %(type)s user type.") % {"type": user_type.label},
            )
            return redirect("settings_user_types", access.workspace.slug)
    return _user_types_page(request, access, bad_type_id=user_type.pk, bad_form=form)


# --------------------------------------------------------------------------- Segments


def _segments_page(
    request, access, *, bad_segment_id=None, bad_action="", bad_form=None, top_form=None
):
    """`bad_*` name the one form that failed, shown open with its errors."""
    org_id = access.workspace.organization_id
    people = [(u.pk, str(u)) for u in selectors.organization_users(org_id)]
    rows = []
    for seg in selectors.segment_tree(org_id):
        forms_ = {
            "rename": SegmentNameForm(
                initial={"name": seg.name}, auto_id=f"id_s{seg.pk}_rename_%s"
            ),
            "managers": SegmentManagersForm(
                organization_id=org_id,
                choices=people,
                initial={"managers": [u.pk for u in seg.managers.all()]},
                auto_id=f"id_s{seg.pk}_managers_%s",
            ),
            "child": SegmentNameForm(auto_id=f"id_s{seg.pk}_child_%s"),
        }
        is_bad = bad_form is not None and seg.pk == bad_segment_id
        if is_bad:
            forms_[bad_action] = bad_form
        rows.append(
            SimpleNamespace(
                segment=seg,
                indent=seg.depth,
                manager_list=sorted(seg.managers.all(), key=lambda u: (str(u).lower(), u.pk)),
                open=is_bad,
                **forms_,
            )
        )
    bad = bad_form is not None or (top_form is not None and top_form.errors)
    return _page(
        request,
        access,
        "segments",
        {"rows": rows, "top_form": top_form or SegmentNameForm(auto_id="id_top_%s")},
        status=form_status(bad),
    )


def _org_segment(access, segment_id) -> Segment:
    return get_object_or_404(
        Segment, pk=segment_id, organization_id=access.workspace.organization_id
    )


@workspace_view(Perm.MANAGE_CARE)
def settings_segments(request, access):
    return _segments_page(request, access)


@workspace_view(Perm.MANAGE_CARE)
@require_POST
def settings_segment_add(request, access, segment_id=None):
    parent = _org_segment(access, segment_id) if segment_id is not None else None
    auto_id = f"id_s{parent.pk}_child_%s" if parent else "id_top_%s"
    form = SegmentNameForm(request.POST, auto_id=auto_id)
    if form.is_valid():
        try:
            segment = services.segment_create(
                organization=access.workspace.organization,
                name=form.cleaned_data["name"],
                parent=parent,
            )
        except FieldErrors as exc:
            show_errors(form, exc)
        else:
            if parent:
                added = _("Added the segment %(name)s under %(parent)s.") % {
                    "name": segment.name,
                    "parent": parent.name,
                }
            else:
                added = _("Added the segment %(name)s.") % {"name": segment.name}
            messages.success(request, added)
            return redirect("settings_segments", access.workspace.slug)
    if parent is None:
        return _segments_page(request, access, top_form=form)
    return _segments_page(
        request, access, bad_segment_id=parent.pk, bad_action="child", bad_form=form
    )


@workspace_view(Perm.MANAGE_CARE)
@require_POST
def settings_segment_rename(request, access, segment_id):
    segment = _org_segment(access, segment_id)
    form = SegmentNameForm(request.POST, auto_id=f"id_s{segment.pk}_rename_%s")
    if form.is_valid():
        try:
            services.segment_rename(segment=segment, name=form.cleaned_data["name"])
        except FieldErrors as exc:
            show_errors(form, exc)
        else:
            messages.success(
                request, _("Renamed the segment to %(name)s.") % {"name": segment.name}
            )
            return redirect("settings_segments", access.workspace.slug)
    return _segments_page(
        request, access, bad_segment_id=segment.pk, bad_action="rename", bad_form=form
    )


@workspace_view(Perm.MANAGE_CARE)
@require_POST
def settings_segment_managers(request, access, segment_id):
    segment = _org_segment(access, segment_id)
    form = SegmentManagersForm(
        request.POST,
        organization_id=segment.organization_id,
        auto_id=f"id_s{segment.pk}_managers_%s",
    )
    if form.is_valid():
        try:
            services.segment_set_managers(
                segment=segment, managers=list(form.cleaned_data["managers"])
            )
        except FieldErrors as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("Saved the managers of %(name)s.") % {"name": segment.name})
            return redirect("settings_segments", access.workspace.slug)
    return _segments_page(
        request, access, bad_segment_id=segment.pk, bad_action="managers", bad_form=form
    )


# --------------------------------------------------------------------------- Workspaces


class WorkspaceForm(forms.Form):
    name = forms.CharField(max_length=200, required=False, label=_("Name"))
    slug = forms.CharField(
        max_length=50,
        required=False,
        label=_("Address"),
        help_text=_("Part of the workspace's address: /w/<address>/"),
    )
    language = forms.ChoiceField(choices=LANGUAGE_CHOICES, label=_("Language"))
    time_zone = forms.ChoiceField(choices=time_zone_choices, label=_("Time zone"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="ws", **kwargs)


def _workspaces_page(request, access, form=None):
    if not _is_brand_admin(access):
        raise PermissionDenied(
            _("Only a brand admin can create workspaces. Ask a brand admin of your organization.")
        )
    workspace = access.workspace
    form = form or WorkspaceForm(
        initial={"language": workspace.language, "time_zone": workspace.time_zone}
    )
    context = {
        "workspaces": selectors.organization_workspaces(workspace.organization_id),
        # Only those the brand admin is a member of link to their Home (the others answer 403).
        "openable": {ws.pk for ws in workspaces_for_user(access.user)},
        "form": form,
    }
    return _page(request, access, "workspaces", context, status=form_status(form.errors))


@workspace_view(Perm.MANAGE_CARE)
def settings_workspaces(request, access):
    if request.method != "POST":
        return _workspaces_page(request, access)
    if not _is_brand_admin(access):
        return _workspaces_page(request, access)  # refuses
    form = WorkspaceForm(request.POST)
    if form.is_valid():
        try:
            created = services.workspace_create_by(creator=access.user, **form.cleaned_data)
        except FieldErrors as exc:
            show_errors(form, exc)
        else:
            messages.success(
                request,
                _("Created the workspace %(name)s; you are a member of it.")
                % {"name": created.name},
            )
            return redirect("settings_workspaces", access.workspace.slug)
    return _workspaces_page(request, access, form)
