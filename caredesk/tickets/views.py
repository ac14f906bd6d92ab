"""The Tickets page: the filtered list, its overview counts, the create and update dialogs.

Every read goes through caredesk.care.selectors and every write through caredesk.care.services;
the views only translate HTTP into those calls and pick a template. Dialog content is served
as fragments for htmx; without htmx the same URLs fall back to full pages and redirects."""

from urllib.parse import urlencode, urlsplit

from django.contrib import messages
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caredesk.audit.selectors import audit_for
from caredesk.care import selectors, services
from caredesk.care.export import cases_xlsx_response
from caredesk.care.filters import parse_case_filters
from caredesk.care.models import Priority, ResolutionReason, Status
from caredesk.core import htmx
from caredesk.core.errors import FieldErrors
from caredesk.core.htmx import INVALID, is_htmx
from caredesk.core.i18n import supported
from caredesk.feedback.selectors import attach_source_responses, case_source_response
from caredesk.quality.coaching_cases import coaching_case_evaluations
from caredesk.tickets import inbox
from caredesk.workspaces.models import Segment, User
from caredesk.workspaces.permissions import Perm
from caredesk.workspaces.selectors import segment_managers, segment_tree
from caredesk.workspaces.web import render_ws, workspace_view

FILTER_PARAMS = (
    "created_from",
    "created_to",
    "segment",
    "owner",
    "status",
    "priority",
    "coaching",
)
# What the tickets list and the inbox listen for to read their rows again after a write.
REFRESH_EVENT = "tickets-changed"


# --------------------------------------------------------------------------- helpers


def _segment_choices(segments: list[Segment]) -> list[tuple[str, str, int]]:
    """(id, name, depth) in tree order. The name stays plain: indenting it with spaces showed
    them in the closed select too; app.js indents the open list of a select[data-tree]."""
    return [(str(s.pk), s.name, s.depth) for s in segments]


def _owner_choices(segments: list[Segment]) -> list[tuple[str, str]]:
    """Everyone who manages at least one segment of the organization, by name."""
    users = {m.pk: m for s in segments for m in s.managers.all() if m.is_active}
    ordered = sorted(users.values(), key=lambda u: (str(u).lower(), u.pk))
    return [(str(u.pk), str(u)) for u in ordered]


def _org_segment(access, segment_id) -> Segment | None:
    segment_id = (segment_id or "").strip()
    if not segment_id.isdigit():
        return None
    return Segment.objects.filter(
        organization_id=access.workspace.organization_id, pk=int(segment_id)
    ).first()


def _owner_options(segment: Segment | None, selected: str = "", keep=None) -> dict:
    """Context for care/_owner_options.html: the managers of `segment` (plus `keep`, the
    ticket's current owner, when they are not among them). `selected` wins when it is one of
    the options; otherwise a segment with exactly one manager preselects that manager."""
    managers = segment_managers(segment) if segment is not None else []
    options = [(str(m.pk), str(m)) for m in managers]
    if keep is not None and str(keep.pk) not in {pk for pk, _ in options}:
        options.append((str(keep.pk), _("%(name)s (not a manager here)") % {"name": keep}))
    ids = {pk for pk, _ in options}
    if selected not in ids:
        selected = str(managers[0].pk) if len(managers) == 1 else ""
    return {"owner_options": options, "owner_selected": selected, "owner_segment": segment}


def _coach_options(access, case, selected: str = "") -> dict:
    """The owner select of a coaching case: the workspace's coaches (members who evaluate),
    never the agent it is about; its current owner stays listed."""
    coaches = [
        u
        for u in inbox.inbox_colleagues(access.workspace, Perm.EVALUATE)
        if u.pk != case.about_agent_id
    ]
    options = [(str(u.pk), str(u)) for u in coaches]
    if case.owner is not None and str(case.owner_id) not in {pk for pk, _ in options}:
        options.append((str(case.owner_id), str(case.owner)))
    return {"owner_options": options, "owner_selected": selected, "owner_segment": case.segment}


def _list_url(access, params: dict | None = None) -> str:
    url = reverse("ticket_list", args=[access.workspace.slug])
    params = {k: v for k, v in (params or {}).items() if v not in (None, "")}
    return f"{url}?{urlencode(params)}" if params else url


def _back_url(request, access, *, keep_page: bool = False) -> str:
    """Where to go back after a write: the list as the user was looking at it (from the form's
    `next` field or htmx's HX-Current-URL), without `open`, and without paging unless asked."""
    list_path = reverse("ticket_list", args=[access.workspace.slug])
    candidate = request.POST.get("next") or htmx.current_url(request)
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(candidate)
        if parts.path == list_path:
            query = QueryDict(parts.query, mutable=True)
            drop = ["open"] + ([] if keep_page else ["after", "before"])
            for key in drop:
                query.pop(key, None)
            return f"{list_path}?{query.urlencode()}" if query else list_path
    return list_path


# What the log calls each action and field of a ticket's audit entries.
_ACTIONS = {
    "created": gettext_lazy("Created"),
    "updated": gettext_lazy("Updated"),
    "assigned": gettext_lazy("Assigned"),
    "auto_closed": gettext_lazy("Closed automatically"),
    "reopened": gettext_lazy("Reopened"),
    "shared": gettext_lazy("Shared"),
    "unshared": gettext_lazy("Sharing stopped"),
    "to-do added": gettext_lazy("To-do added"),
    "to-do done": gettext_lazy("To-do done"),
    "to-do reopened": gettext_lazy("To-do reopened"),
    "email sent": gettext_lazy("Email sent"),
    "email received": gettext_lazy("Email received"),
    "activity moved": gettext_lazy("Activity moved"),
}
_FIELDS = {
    "status": gettext_lazy("Status"),
    "priority": gettext_lazy("Priority"),
    "segment": gettext_lazy("Segment"),
    "owner": gettext_lazy("Owner"),
    "resolution_reason": gettext_lazy("Resolution reason"),
    "resolution_note": gettext_lazy("Resolution note"),
    "shared with": gettext_lazy("Shared with"),
    "to-do": gettext_lazy("To-do"),
    "email": gettext_lazy("Email"),
    "activity": gettext_lazy("Activity"),
}

# Audit fields whose values are usernames (care.services records the username, which does not
# change): shown as the person's name.
_PERSON_FIELDS = ("owner", "shared with")


def _group_log(entries, organization_id: int | None = None) -> list[dict]:
    """Audit entries grouped into one item per action (same actor, action and moment)."""
    entries = list(entries)
    labels = {
        "status": dict(Status.choices),
        "priority": dict(Priority.choices),
        "resolution_reason": dict(ResolutionReason.choices),
    }
    usernames = {
        v for e in entries if e.field in _PERSON_FIELDS for v in (e.old_value, e.new_value) if v
    }
    if usernames and organization_id is not None:
        people = User.objects.filter(organization_id=organization_id, username__in=usernames)
        names = {u.username: str(u) for u in people}
        for field in _PERSON_FIELDS:
            labels[field] = names
    groups: list[dict] = []
    for e in entries:
        last = groups[-1] if groups else None
        if (
            last is None
            or last["actor"] != e.actor
            or last["code"] != e.action
            or abs((e.created_at - last["at"]).total_seconds()) > 2
        ):
            last = {
                "actor": e.actor,
                "code": e.action,
                "action": _ACTIONS.get(e.action, e.action),
                "at": e.created_at,
                "changes": [],
            }
            groups.append(last)
        if e.field:
            names = labels.get(e.field, {})
            last["changes"].append(
                {
                    "field": _FIELDS.get(e.field, e.field.replace("_", " ").capitalize()),
                    "old": names.get(e.old_value, e.old_value),
                    "new": names.get(e.new_value, e.new_value),
                }
            )
    return groups


# --------------------------------------------------------------------------- list


@require_GET
@workspace_view(Perm.INBOX_ACCESS)
def ticket_list(request, access):
    org_id = access.workspace.organization_id
    segments = segment_tree(org_id)
    context = {
        "segment_choices": _segment_choices(segments),
        "owner_choices": _owner_choices(segments),
        "status_choices": Status.choices,
        "priority_choices": Priority.choices,
        "can_export": access.has(Perm.EXPORT_CASES),
        "raw": {k: request.GET.get(k, "") for k in FILTER_PARAMS},
        "filter_errors": {},
    }
    try:
        filters = parse_case_filters(request.GET, organization_id=org_id)
    except FieldErrors as e:
        context["filter_errors"] = e.errors
        return render_ws(
            request, access, "care/ticket_list.html", context, active="tickets", status=INVALID
        )

    # The Coaching view: the same list, of coaching cases only (coaching=1).
    context["subnav"] = "coaching" if filters.coaching else "list"
    page = selectors.case_page(
        access, filters, after=request.GET.get("after", ""), before=request.GET.get("before", "")
    )
    # The Response ID column: one query for the page instead of one per row.
    attach_source_responses(page.items)
    params = filters.as_params()
    summary = selectors.case_summary(access, filters)
    stat_links = [
        (value, label, summary[value], _list_url(access, {**params, "status": value}))
        for value, label in Status.choices
    ]
    context.update(
        filters=filters,
        # The form shows what is in effect, so the default date range is visible.
        raw={**context["raw"], **params, "owner": params.get("owner", "")},
        page=page,
        summary=summary,
        stat_links=stat_links,
        total_link=_list_url(access, {k: v for k, v in params.items() if k != "status"}),
        newer_link=_list_url(access, {**params, "before": page.prev_cursor})
        if page.prev_cursor
        else "",
        older_link=_list_url(access, {**params, "after": page.next_cursor})
        if page.next_cursor
        else "",
        export_link=reverse("ticket_export", args=[access.workspace.slug])
        + "?"
        + urlencode(params),
        self_url=request.get_full_path(),
    )
    if is_htmx(request) and htmx.target(request) == "results":
        return render_ws(request, access, "care/_results.html", context)

    open_number = request.GET.get("open", "")
    if open_number.isdigit():
        case = selectors.case_get(access, int(open_number))
        context.update(dialog_context(access, case))
        context["open_case"] = case
    return render_ws(request, access, "care/ticket_list.html", context, active="tickets")


@require_GET
@workspace_view(Perm.INBOX_ACCESS)
def ticket_export(request, access):
    access.require(Perm.EXPORT_CASES)
    try:
        filters = parse_case_filters(request.GET, organization_id=access.workspace.organization_id)
    except FieldErrors as e:
        return HttpResponse("; ".join(e.errors.values()), status=INVALID, content_type="text/plain")
    return cases_xlsx_response(access, filters)


@require_GET
@workspace_view(Perm.INBOX_ACCESS)
def owner_options(request, access):
    """The <option>s of the owner select for the segment chosen in a dialog."""
    segment = _org_segment(access, request.GET.get("segment"))
    keep = None
    orig_owner = request.GET.get("orig_owner", "")
    if (
        segment is not None
        and orig_owner
        and str(segment.pk) == request.GET.get("orig_segment", "")
    ):
        keep = _user(orig_owner, access)
    ctx = _owner_options(segment, request.GET.get("owner", ""), keep=keep)
    return render_ws(request, access, "care/_owner_options.html", ctx)


def _user(user_id: str, access):
    if not user_id.isdigit():
        return None
    return User.objects.filter(
        organization_id=access.workspace.organization_id, pk=int(user_id)
    ).first()


# --------------------------------------------------------------------------- create


@require_http_methods(["GET", "POST"])
@workspace_view(Perm.INBOX_ACCESS)
def ticket_new(request, access):
    segments = segment_tree(access.workspace.organization_id)
    values = {
        "customer_email": "",
        "priority": Priority.MEDIUM,
        "status": Status.NEW,
        "segment": "",
        "owner": "",
        "comment": "",
        "customer_comment": "",
    }
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        values.update({k: request.POST.get(k, "") for k in values})
        try:
            case = services.case_create(
                access=access,
                customer_email=values["customer_email"],
                priority=values["priority"],
                status=values["status"],
                segment_id=values["segment"] or None,
                owner_id=values["owner"] or None,
                comment=values["comment"],
                customer_comment=values["customer_comment"].strip(),
            )
        except FieldErrors as e:
            errors = e.errors
            status = INVALID
        else:
            messages.success(request, _("Ticket #%(number)s created.") % {"number": case.number})
            return htmx.redirect(request, _back_url(request, access))
    context = {
        "values": values,
        "errors": errors,
        "segment_choices": _segment_choices(segments),
        "status_choices": Status.choices,
        "priority_choices": Priority.choices,
        "next": request.POST.get("next") or htmx.current_url(request),
        **_owner_options(_org_segment(access, values["segment"]), values["owner"]),
    }
    template = "care/_ticket_new.html" if is_htmx(request) else "care/ticket_new_page.html"
    return render_ws(request, access, template, context, active="tickets", status=status)


# --------------------------------------------------------------------------- update


def response_url(workspace, response) -> str:
    """The feedback app's response page."""
    try:
        return reverse("feedback_response", args=[workspace.slug, response.pk])
    except NoReverseMatch:
        return f"/w/{workspace.slug}/feedback/responses/{response.pk}/"


def loop_context(access, case, *, forms: dict | None = None, panel: str = "") -> dict:
    """What the ticket dialog shows around the case. `forms` carries the values and errors of
    a refused sub-form, `panel` the tab to show first."""
    response = case_source_response(case)
    history = inbox.customer_history(access, case)
    # The customer sees this subject: no internal title or score in it.
    # …and reads it in their language: the survey response's, else the workspace's.
    language = (
        supported(getattr(response, "language", "") or "")
        or supported(access.workspace.language)
        or "en"
    )
    with translation.override(language):
        subject = (
            _("About your feedback on %(survey)s") % {"survey": response.survey.name}
            if response
            else _("About your ticket #%(number)s") % {"number": case.number}
        )
    forms = forms or {}
    email_form = forms.get("email") or {
        "values": {"subject": subject, "body": ""},
        "errors": {},
    }
    return {
        "response": response,
        "response_link": response_url(access.workspace, response) if response else "",
        "response_answers": inbox.response_answers(response) if response else [],
        "history_cases": history["cases"],
        "history_activities": history["activities"],
        "thread": inbox.email_thread(case),
        "todos": inbox.case_todos(case),
        "shares": inbox.case_shares(case),
        "share_choices": [
            u
            for u in inbox.inbox_colleagues(access.workspace)
            if u.pk != case.owner_id and u.pk not in {s.user_id for s in case.shares.all()}
        ],
        "email_form": email_form,
        "todo_form": forms.get("todo") or {"values": {"text": "", "due_date": ""}, "errors": {}},
        "share_form": forms.get("share") or {"values": {"user": ""}, "errors": {}},
        # The update comes first: it is what the dialog is for (and holds its one comment box).
        "panel": panel or "update",
        "history_count": len(history["cases"]) + len(history["activities"]),
        "today": timezone.localdate(),
    }


def dialog_context(
    access, case, values: dict | None = None, errors: dict | None = None, *, forms=None, panel=""
) -> dict:
    segments = segment_tree(access.workspace.organization_id)
    values = values or {
        "priority": case.priority,
        "status": case.status,
        "segment": str(case.segment_id or ""),
        "owner": str(case.owner_id or ""),
        "comment": "",
    }
    segment = case.segment if values["segment"] == str(case.segment_id or "") else None
    if segment is None:
        segment = _org_segment(access, values["segment"])
    keep = case.owner if values["segment"] == str(case.segment_id or "") else None
    values.setdefault("resolution_reason", case.resolution_reason)
    values.setdefault("resolution_note", case.resolution_note)
    # A member who only works the ticket (its owner, creator or the agent of one of its chats,
    # without the inbox or outside their area) reads it; changing it is the inbox's.
    can_edit = (
        access.has(Perm.INBOX_ACCESS)
        and selectors.cases_visible(access).filter(pk=case.pk).exists()
    )
    if not can_edit and panel in ("", "update"):
        panel = "comments"  # the update tab is not shown to a reader
    return {
        "case": case,
        "can_edit": can_edit,
        "values": values,
        "errors": errors or {},
        "segment_choices": _segment_choices(segments),
        "status_choices": Status.choices,
        "priority_choices": Priority.choices,
        "resolution_choices": ResolutionReason.choices,
        "comments": selectors.case_comments(case),
        "log": _group_log(audit_for(case), access.workspace.organization_id),
        # A coaching case's evaluations (those the reader sees).
        "coaching_evaluations": coaching_case_evaluations(access, case),
        **(
            _coach_options(access, case, values["owner"])
            if case.about_agent_id
            else _owner_options(segment, values["owner"], keep=keep)
        ),
        **loop_context(access, case, forms=forms, panel=panel),
    }


def _case_to_open(access, number):
    """The ticket the dialog shows: one the user sees with the inbox, or one they work
    themselves (care.selectors.case_worked_by). Someone with neither is refused as before:
    the inbox permission is missing (403), or the ticket is outside their sight (404)."""
    if access.has(Perm.INBOX_ACCESS):
        return selectors.case_get_or_worked(access, number)
    case = selectors.case_worked_by(access, number)
    if case is None:
        access.require(Perm.INBOX_ACCESS)
    return case


@require_http_methods(["GET", "POST"])
@workspace_view(Perm.USE_CARE)
def ticket_detail(request, access, number):
    if request.method == "GET":
        case = _case_to_open(access, number)
        context = dialog_context(access, case)
        if not is_htmx(request):
            if context["can_edit"]:
                return redirect(_list_url(access, {"open": case.number}))
            context.update(open_case=case, dialog_only=True)
            return render_ws(request, access, "care/ticket_dialog_page.html", context)
        return render_ws(request, access, "care/_ticket_dialog.html", context)
    access.require(Perm.INBOX_ACCESS)
    case = selectors.case_get(access, number)

    posted = {
        k: request.POST.get(k, "")
        for k in (
            "priority",
            "status",
            "segment",
            "owner",
            "comment",
            "resolution_reason",
            "resolution_note",
        )
    }
    # Only what changed is sent to the service, so nothing unchanged is audited.
    changed = {}
    if posted["priority"] and posted["priority"] != case.priority:
        changed["priority"] = posted["priority"]
    if posted["status"] and posted["status"] != case.status:
        changed["status"] = posted["status"]
    segment_changed = posted["segment"] != str(case.segment_id or "")
    if segment_changed:
        changed["segment_id"] = posted["segment"] or None
    if segment_changed or posted["owner"] != str(case.owner_id or ""):
        changed["owner_id"] = posted["owner"] or None
    for field in ("resolution_reason", "resolution_note"):
        if posted[field].strip() != getattr(case, field):
            changed[field] = posted[field]
    try:
        case = services.case_update(access=access, case=case, comment=posted["comment"], **changed)
    except FieldErrors as e:
        # Nothing was saved; show the dialog again with the values entered and the errors.
        case = selectors.case_get(access, number)
        context = dialog_context(access, case, values=posted, errors=e.errors)
        if not is_htmx(request):
            context.update(open_case=case, dialog_only=True)
            return render_ws(
                request, access, "care/ticket_dialog_page.html", context, status=INVALID
            )
        return render_ws(request, access, "care/_ticket_dialog.html", context, status=INVALID)

    if not selectors.cases_visible(access).filter(pk=case.pk).exists():
        # Moved out of the user's area: the update committed, so say so, and close the dialog
        # on a ticket they can no longer open.
        messages.success(
            request,
            _("Ticket #%(number)s updated. It is now outside your area and list.")
            % {"number": case.number},
        )
        return htmx.redirect(request, _list_url(access))
    if not is_htmx(request):
        messages.success(request, _("Ticket #%(number)s updated.") % {"number": case.number})
        return redirect(_list_url(access, {"open": case.number}))
    case = selectors.case_get(access, number)
    context = dialog_context(access, case)
    context["saved"] = _("Ticket #%(number)s updated.") % {"number": case.number}
    response = render_ws(request, access, "care/_ticket_dialog.html", context)
    return htmx.trigger(response, REFRESH_EVENT)


@require_POST
@workspace_view(Perm.INBOX_ACCESS)
def ticket_assign_to_me(request, access, number):
    access.require(Perm.MANAGE_CARE)
    case = selectors.case_get(access, number)
    try:
        case = services.case_assign_to_me(access=access, case=case)
    except FieldErrors as e:
        messages.error(request, next(iter(e.errors.values())))
    else:
        messages.success(
            request, _("Ticket #%(number)s assigned to you.") % {"number": case.number}
        )
    return htmx.redirect(request, _back_url(request, access, keep_page=True))
