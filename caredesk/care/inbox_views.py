"""Closing the loop from the ticket dialog (email to the customer, discussion, to-dos,
sharing) and the case-management inbox page.

The dialog's extra forms post here; an htmx request gets the dialog back (with the errors and
the values typed when something was refused, status 400), a plain one a redirect to the list
with the dialog open."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from caredesk.care import inbox, selectors, services
from caredesk.care.models import OPEN_STATUSES
from caredesk.core import htmx
from caredesk.core.errors import FieldErrors
from caredesk.core.htmx import INVALID, is_htmx
from caredesk.core.web import render_ws, workspace_view
from caredesk.feedback.selectors import case_source_response
from caredesk.workspaces.permissions import Perm

# What the tickets list and the inbox listen for to read their rows again after a write.
REFRESH_EVENT = "tickets-changed"


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
    subject = (
        f"About your feedback on {response.survey.name}"
        if response
        else f"About your request #{case.number}"
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
        "discuss_form": forms.get("discuss") or {"values": {"body": ""}, "errors": {}},
        "panel": panel or ("response" if response else "comments"),
        "history_count": len(history["cases"]) + len(history["activities"]),
        "today": timezone.localdate(),
    }


def _dialog(request, access, number, *, saved: str = "", forms=None, panel="", status=200):
    from caredesk.care.views import _dialog_context

    case = selectors.case_get(access, number)
    if not is_htmx(request):
        if saved:
            messages.success(request, saved)
            return redirect(
                reverse("ticket_list", args=[access.workspace.slug]) + f"?open={case.number}"
            )
        context = _dialog_context(access, case, forms=forms, panel=panel)
        context.update(open_case=case, dialog_only=True)
        return render_ws(request, access, "care/ticket_dialog_page.html", context, status=status)
    context = _dialog_context(access, case, forms=forms, panel=panel)
    if saved:
        context["saved"] = saved
    response = render_ws(request, access, "care/_ticket_dialog.html", context, status=status)
    return htmx.trigger(response, REFRESH_EVENT if saved else "")


def _act(request, access, number, panel: str, form: str, fields: tuple[str, ...], action):
    """Run one sub-form's service call and answer with the dialog."""
    case = selectors.case_get(access, number)
    values = {k: request.POST.get(k, "") for k in fields}
    try:
        saved = action(case, values)
    except FieldErrors as e:
        forms = {form: {"values": values, "errors": e.errors}}
        return _dialog(request, access, number, forms=forms, panel=panel, status=INVALID)
    return _dialog(request, access, number, saved=saved, panel=panel)


@require_POST
@workspace_view(Perm.INBOX_ACCESS)
def ticket_email(request, access, number):
    from caredesk.mail.services import case_email_send

    def send(case, v):
        case_email_send(access=access, case=case, subject=v["subject"], body=v["body"])
        return f"Email to {case.customer_email} queued for sending."

    return _act(request, access, number, "email", "email", ("subject", "body"), send)


@require_POST
@workspace_view(Perm.INBOX_ACCESS)
def ticket_discuss(request, access, number):
    def add(case, v):
        services.case_comment_add(access=access, case=case, body=v["body"])
        return "Comment added."

    return _act(request, access, number, "comments", "discuss", ("body",), add)


@require_POST
@workspace_view(Perm.INBOX_ACCESS)
def ticket_todo_add(request, access, number):
    def add(case, v):
        services.case_todo_add(access=access, case=case, text=v["text"], due_date=v["due_date"])
        return "To-do added."

    return _act(request, access, number, "todos", "todo", ("text", "due_date"), add)


@require_POST
@workspace_view(Perm.INBOX_ACCESS)
def ticket_todo_done(request, access, number, todo_id):
    def toggle(case, v):
        done = v["done"] == "1"
        services.case_todo_set_done(access=access, case=case, todo_id=todo_id, done=done)
        return "To-do done." if done else "To-do open again."

    return _act(request, access, number, "todos", "todo", ("done",), toggle)


@require_POST
@workspace_view(Perm.INBOX_ACCESS)
def ticket_share(request, access, number):
    def share(case, v):
        s = services.case_share_add(access=access, case=case, user_id=v["user"])
        return f"Shared with {s.user}."

    return _act(request, access, number, "sharing", "share", ("user",), share)


@require_POST
@workspace_view(Perm.INBOX_ACCESS)
def ticket_unshare(request, access, number):
    def unshare(case, v):
        services.case_share_remove(access=access, case=case, user_id=v["user"])
        return "No longer shared."

    return _act(request, access, number, "sharing", "share", ("user",), unshare)


# --------------------------------------------------------------------------- inbox page


@require_GET
@workspace_view(Perm.INBOX_ACCESS)
def inbox_page(request, access):
    view = request.GET.get("view", "open")
    errors = {}
    if view not in inbox.VIEWS:
        errors["view"] = f"Unknown view {view!r}; one of: {', '.join(inbox.VIEWS)}"
        view = "open"
    all_origins = request.GET.get("origins") == "all"
    listing = inbox.inbox_list(access, view=view, all_origins=all_origins)
    summary = inbox.inbox_summary(access, all_origins=all_origins)
    context = {
        "listing": listing,
        "view": view,
        "views": [
            ("open", "Open"),
            ("overdue", "Overdue"),
            ("mine", "Mine & shared with me"),
            ("shared", "Shared with me"),
            ("done", "Resolved & closed"),
            ("all", "All"),
        ],
        "all_origins": all_origins,
        "summary": summary,
        "owner_total": inbox.summary_totals(summary["owners"]),
        "sla_days": inbox.sla_days(access.workspace),
        "open_statuses": OPEN_STATUSES,
        "errors": errors,
        "self_url": request.get_full_path(),
    }
    return render_ws(
        request,
        access,
        "care/inbox.html",
        context,
        active="tickets",
        status=htmx.form_status(errors),
    )
