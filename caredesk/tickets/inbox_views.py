"""Closing the loop from the ticket dialog (email to the customer, to-dos, sharing; comments
are written with an update, see tickets.views.ticket_detail) and the case-management inbox page.

The dialog's extra forms post here; an htmx request gets the dialog back (with the errors and
the values typed when something was refused, status 400), a plain one a redirect to the list
with the dialog open."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET, require_POST

from caredesk.care import selectors, services
from caredesk.care.models import OPEN_STATUSES
from caredesk.core import htmx
from caredesk.core.errors import FieldErrors
from caredesk.core.htmx import INVALID, is_htmx
from caredesk.mail.services import case_email_send
from caredesk.tickets import inbox
from caredesk.tickets.views import REFRESH_EVENT, dialog_context
from caredesk.workspaces.permissions import Perm
from caredesk.workspaces.web import render_ws, workspace_view


def _dialog(request, access, number, *, saved: str = "", forms=None, panel="", status=200):
    case = selectors.case_get(access, number)
    if not is_htmx(request):
        if saved:
            messages.success(request, saved)
            return redirect(
                reverse("ticket_list", args=[access.workspace.slug]) + f"?open={case.number}"
            )
        context = dialog_context(access, case, forms=forms, panel=panel)
        context.update(open_case=case, dialog_only=True)
        return render_ws(request, access, "care/ticket_dialog_page.html", context, status=status)
    context = dialog_context(access, case, forms=forms, panel=panel)
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
    def send(case, v):
        case_email_send(access=access, case=case, subject=v["subject"], body=v["body"])
        return _("Email to %(email)s queued for sending.") % {"email": case.customer_email}

    return _act(request, access, number, "email", "email", ("subject", "body"), send)


@require_POST
@workspace_view(Perm.INBOX_ACCESS)
def ticket_todo_add(request, access, number):
    def add(case, v):
        services.case_todo_add(access=access, case=case, text=v["text"], due_date=v["due_date"])
        return _("To-do added.")

    return _act(request, access, number, "todos", "todo", ("text", "due_date"), add)


@require_POST
@workspace_view(Perm.INBOX_ACCESS)
def ticket_todo_done(request, access, number, todo_id):
    def toggle(case, v):
        done = v["done"] == "1"
        services.case_todo_set_done(access=access, case=case, todo_id=todo_id, done=done)
        return _("To-do done.") if done else _("To-do open again.")

    return _act(request, access, number, "todos", "todo", ("done",), toggle)


@require_POST
@workspace_view(Perm.INBOX_ACCESS)
def ticket_share(request, access, number):
    def share(case, v):
        s = services.case_share_add(access=access, case=case, user_id=v["user"])
        return _("Shared with %(name)s.") % {"name": s.user}

    return _act(request, access, number, "sharing", "share", ("user",), share)


@require_POST
@workspace_view(Perm.INBOX_ACCESS)
def ticket_unshare(request, access, number):
    def unshare(case, v):
        services.case_share_remove(access=access, case=case, user_id=v["user"])
        return _("No longer shared.")

    return _act(request, access, number, "sharing", "share", ("user",), unshare)


# --------------------------------------------------------------------------- inbox page

VIEW_LABELS = [
    ("open", pgettext_lazy("tickets", "Open")),
    ("overdue", gettext_lazy("Overdue")),
    ("mine", gettext_lazy("Mine & shared with me")),
    ("shared", gettext_lazy("Shared with me")),
    ("done", gettext_lazy("Resolved & closed")),
    ("all", pgettext_lazy("tickets", "All")),
]


@require_GET
@workspace_view(Perm.INBOX_ACCESS)
def inbox_page(request, access):
    view = request.GET.get("view", "open")
    errors = {}
    if view not in inbox.VIEWS:
        errors["view"] = _("There is no inbox view “%(view)s”; the open tickets are shown.") % {
            "view": view
        }
        view = "open"
    origins = request.GET.get("origins", "")
    # The coaching cases: a view of their own for those who coach (evaluate).
    coaching = origins == "coaching" and access.has(Perm.EVALUATE)
    all_origins = origins == "all"
    listing = inbox.inbox_list(access, view=view, all_origins=all_origins, coaching=coaching)
    summary = inbox.inbox_summary(access, all_origins=all_origins, coaching=coaching)
    context = {
        "coaching": coaching,
        "origins_param": "coaching" if coaching else "all" if all_origins else "",
        "listing": listing,
        "view": view,
        "views": VIEW_LABELS,
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
