"""The Desk's customer panel for a call: the customer found by the caller's number, their
journey and recent tickets, as the chat's panel (caredesk.journey's `desk_summary`) shows them.
A call has no conversation token, so the chat panel's linking forms are not offered."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from caredesk.customers import selectors as customers
from caredesk.journey import selectors as journey
from caredesk.journey.views import Record, linked_records, timeline_context
from caredesk.voice.selectors import desk_call_get
from caredesk.workspaces.permissions import Perm
from caredesk.workspaces.web import workspace_view


@require_GET
@workspace_view(Perm.USE_CARE)
def desk_call_summary(request, access, activity):
    call = desk_call_get(access, activity)
    contact = None
    if call.contact_id is not None:
        contact = customers.contact_get(
            organization_id=access.workspace.organization_id, contact_id=call.contact_id
        )
    context = {
        "access": access,
        "workspace": access.workspace,
        "call": call,
        "call_info": (call.context or {}).get("call", {}),
        "contact": contact,
        "recent_cases": journey.recent_cases(access, contact),
    }
    if contact is not None:
        # The same timeline the chat's panel shows for a linked customer (journey.views).
        records = linked_records(access, record=Record("contact", contact))
        context.update(timeline_context(access, records, records[0]))
    return render(request, "desk/_summary_call.html", context)
