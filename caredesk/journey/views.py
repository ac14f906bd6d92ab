"""The customer summary panel of the Desk and the customer journey pages.

Everything is an htmx fragment: the summary panel (`desk_summary`, loaded by the Desk when a
chat is accepted), its sections re-rendered after each action, the timeline and the activity
details dialog. Reads go through journey.selectors (and customers/care selectors), writes
through journey.services and customers.services. A form with errors comes back with status
400 (app.js swaps it in) and nothing written."""

from urllib.parse import urlencode

from django.db import transaction
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from caredesk.care.models import Case, Priority
from caredesk.care.selectors import case_get_or_worked
from caredesk.core import htmx
from caredesk.core.errors import FieldErrors
from caredesk.core.htmx import INVALID
from caredesk.core.templatetags.fmt import when as format_when
from caredesk.customers import selectors as customers
from caredesk.customers import services as customer_services
from caredesk.customers.models import Account, ContactEmail
from caredesk.journey import customer_list, selectors, services
from caredesk.journey.models import Activity, MediaType
from caredesk.journey.templatetags.journey_tags import duration
from caredesk.workspaces.permissions import Perm
from caredesk.workspaces.web import render_ws, workspace_view

ACTIVITY_CHANGED = "journey-activity-changed"


# --------------------------------------------------------------------------- helpers


def _split(raw: str) -> list[str]:
    """Emails or phones typed one per line or separated by commas."""
    return [p.strip() for p in (raw or "").replace("\n", ",").split(",") if p.strip()]


def _int(value):
    try:
        return int(str(value).strip().lstrip("#"))
    except (TypeError, ValueError):
        return None


def _fragment(request, access, template, context, status=200, *, retarget="", trigger=""):
    ctx = {"access": access, "workspace": access.workspace, **context}
    response = render(request, template, ctx, status=status)
    return htmx.trigger(htmx.retarget(response, retarget), trigger)


class Record:
    """One record a timeline can show: a case, a contact, an account, or (for a chat with no
    customer and no case yet) the chat activity alone."""

    LABELS = {
        "case": gettext_lazy("Ticket"),
        "contact": gettext_lazy("Customer"),
        "account": gettext_lazy("Account"),
    }

    def __init__(self, kind: str, obj):
        self.kind, self.obj = kind, obj

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.obj.number if self.kind == 'case' else self.obj.pk}"

    @property
    def label(self) -> str:
        if self.kind == "activity":
            return gettext("This conversation")
        o = self.obj
        name = {
            "case": lambda: f"#{o.number} {o.title}".strip(),
            "contact": lambda: str(o),
            "account": lambda: o.name,
        }[self.kind]()
        return gettext("%(kind)s: %(name)s") % {"kind": self.LABELS[self.kind], "name": name}

    def timeline_kwargs(self) -> dict:
        return {self.kind: self.obj} if self.kind != "activity" else {}


def linked_records(access, *, conversation=None, record: Record | None = None) -> list[Record]:
    """The records the timeline switch offers, in the order Case, Contact, Account."""
    records: list[Record] = []
    if conversation is not None:
        activity = services.conversation_activity(conversation)
        case, contact = activity.case, conversation.contact or activity.contact
        account = (contact.account if contact else None) or activity.account
        if case is not None and not Case.objects.visible_to(access).filter(pk=case.pk).exists():
            case = None  # the chat is on a ticket this user cannot see: not offered
    elif record.kind == "case":
        case, contact = record.obj, record.obj.contact
        account = contact.account if contact else None
    elif record.kind == "contact":
        case, contact, account = None, record.obj, record.obj.account
    else:
        case, contact, account = None, None, record.obj
    if case is not None:
        records.append(Record("case", case))
    if contact is not None:
        records.append(Record("contact", contact))
    if account is not None:
        records.append(Record("account", account))
    if not records and conversation is not None:
        records.append(Record("activity", activity))
    return records


def _pick(records: list[Record], key: str) -> Record:
    by_key = {r.key: r for r in records}
    if key in by_key:
        return by_key[key]
    for kind in ("contact", "case", "account", "activity"):
        for r in records:
            if r.kind == kind:
                return r
    raise Http404("No such record")


def timeline_context(access, records, current: Record, *, conversation=None, before=None):
    activities = selectors.timeline(access, before_id=before, **current.timeline_kwargs())
    if current.kind == "activity":
        activities = [] if before else [current.obj]
    more = len(activities) >= selectors.TIMELINE_PAGE
    items: list = list(activities)
    if current.kind != "activity":
        # The tickets and survey responses between this page's activities: from the last
        # activity shown (all older ones on the last page) up to the page before's last one.
        upper = None
        if before is not None:
            at = selectors.activities_visible(access).filter(pk=before)
            upper = at.values_list("occurred_at", flat=True).first()
        lower = activities[-1].occurred_at if more else None
        if before is None or upper is not None:
            items += selectors.timeline_events(
                access, lower=lower, upper=upper, **current.timeline_kwargs()
            )
            items.sort(
                key=lambda i: i.at if getattr(i, "is_event", False) else i.occurred_at,
                reverse=True,
            )
    params = {"record": current.key}
    if conversation is not None:
        params["conv"] = conversation.public_token
    url = reverse("journey_timeline", args=[access.workspace.slug])
    return {
        "records": records,
        "current": current,
        "items": items,
        "timeline_url": f"{url}?{urlencode(params)}",
        # The switch sends its own `record`.
        "switch_url": f"{url}?{urlencode({k: v for k, v in params.items() if k != 'record'})}",
        "before": before,
        "more_url": (
            f"{url}?{urlencode({**params, 'before': activities[-1].pk, 'items': 1})}"
            if more
            else ""
        ),
        "note_url": reverse("journey_note", args=[access.workspace.slug]),
        "conv_token": conversation.public_token if conversation is not None else "",
        "can_note": current.kind != "activity",
    }


def _conversation_context(access, conversation) -> dict:
    activity = services.conversation_activity(conversation)
    contact = conversation.contact
    if contact is not None:
        contact = customers.contact_get(
            organization_id=access.workspace.organization_id, contact_id=contact.pk
        )
    pre = conversation.pre_chat or {}
    visitor = conversation.visitor or {}
    tabs = selectors.conversation_tabs(conversation, activity)
    return {
        "conversation": conversation,
        "activity": activity,
        "contact": contact,
        "tabs": tabs,
        "first_tab": next(
            (k for k in ("pre_chat", "navigation", "visitor", "variables") if tabs[k]), ""
        ),
        "skills": sorted(s.name for s in conversation.queue.required_skills.all()),
        "prefill": {
            "name": pre.get("name") or visitor.get("name") or "",
            "email": pre.get("email") or visitor.get("email") or "",
            "phones": pre.get("phone") or "",
        },
        "suggested": _contact_by_email(access, pre.get("email") or visitor.get("email"))
        if contact is None
        else None,
        "recent_cases": selectors.recent_cases(access, contact),
        "priorities": Priority.choices,
        "accounts": _account_names(access),
        "token": conversation.public_token,
    }


def _contact_by_email(access, email):
    """The contact that already has the email the visitor gave, to offer linking it."""
    if not isinstance(email, str) or not email.strip():
        return None
    row = (
        ContactEmail.objects.filter(
            organization_id=access.workspace.organization_id, email=email.strip().lower()
        )
        .select_related("contact")
        .first()
    )
    return row.contact if row else None


def _account_names(access) -> list[str]:
    return list(
        Account.objects.filter(organization_id=access.workspace.organization_id)
        .order_by("name")
        .values_list("name", flat=True)[:500]
    )


def _summary(request, access, conversation, *, status=200, retarget="", **extra):
    context = _conversation_context(access, conversation)
    records = linked_records(access, conversation=conversation)
    context.update(timeline_context(access, records, _pick(records, ""), conversation=conversation))
    context.update(extra)
    return _fragment(request, access, "desk/_summary.html", context, status, retarget=retarget)


def _section(request, access, conversation, template, *, status=200, **extra):
    context = _conversation_context(access, conversation)
    context.update(extra)
    return _fragment(request, access, template, context, status)


# --------------------------------------------------------------------------- the summary panel


@require_GET
@workspace_view(Perm.USE_CARE)
def desk_summary(request, access, token):
    conversation = selectors.conversation_get(access, token)
    part = request.GET.get("part", "")
    if part == "case":
        return _section(request, access, conversation, "desk/_summary_case.html")
    if part == "customer":
        return _section(request, access, conversation, "desk/_summary_customer.html")
    if part == "conversation":
        return _section(request, access, conversation, "desk/_summary_conversation.html")
    return _summary(request, access, conversation)


@require_GET
@workspace_view(Perm.USE_CARE)
def contact_search(request, access, token):
    conversation = selectors.conversation_get(access, token)
    q = request.GET.get("q", "").strip()
    found = (
        customers.contact_search(organization_id=access.workspace.organization_id, q=q, limit=10)
        if q
        else []
    )
    return _fragment(
        request,
        access,
        "desk/_summary_contacts.html",
        {"found": found, "q": q, "token": conversation.public_token},
    )


@require_POST
@workspace_view(Perm.USE_CARE)
def contact_link(request, access, token):
    conversation = selectors.conversation_get(access, token)
    contact = customers.contact_get(
        organization_id=access.workspace.organization_id,
        contact_id=_int(request.POST.get("contact")) or 0,
    )
    if contact is None:
        return _section(
            request,
            access,
            conversation,
            "desk/_summary_customer.html",
            status=INVALID,
            link_error=gettext("No such contact."),
        )
    services.conversation_set_contact(access=access, conversation=conversation, contact=contact)
    return _summary(request, access, conversation, retarget="#j-summary", saved="Contact linked.")


def _account_id(access, name: str):
    """The account named `name` (created if new), or None for an empty name."""
    name = (name or "").strip()
    if not name:
        return None
    found = Account.objects.filter(
        organization_id=access.workspace.organization_id, name__iexact=name
    ).first()
    if found is None:
        found = customer_services.account_create(
            organization=access.workspace.organization, name=name
        )
    return found.pk


def _contact_values(request) -> dict:
    return {
        "name": request.POST.get("name", ""),
        "emails": request.POST.get("emails", ""),
        "phones": request.POST.get("phones", ""),
        "account": request.POST.get("account", ""),
    }


@require_POST
@workspace_view(Perm.USE_CARE)
def contact_new(request, access, token):
    """Create a contact (prefilled from the pre-chat answers) and link the chat to it."""
    conversation = selectors.conversation_get(access, token)
    values = _contact_values(request)
    try:
        with transaction.atomic():
            contact = customer_services.contact_create(
                organization=access.workspace.organization,
                name=values["name"],
                emails=_split(values["emails"]),
                phones=_split(values["phones"]),
                account_id=_account_id(access, values["account"]),
            )
            services.conversation_set_contact(
                access=access, conversation=conversation, contact=contact
            )
    except FieldErrors as e:
        return _section(
            request,
            access,
            conversation,
            "desk/_summary_customer.html",
            status=INVALID,
            new_errors=e.errors,
            new_values=values,
        )
    return _summary(
        request, access, conversation, retarget="#j-summary", saved="Contact created and linked."
    )


@require_POST
@workspace_view(Perm.USE_CARE)
def contact_edit(request, access, token):
    conversation = selectors.conversation_get(access, token)
    if conversation.contact_id is None:
        raise Http404("This chat has no contact")
    contact = customers.contact_get(
        organization_id=access.workspace.organization_id, contact_id=conversation.contact_id
    )
    values = _contact_values(request)
    try:
        with transaction.atomic():
            customer_services.contact_update(
                contact=contact,
                name=values["name"],
                emails=_split(values["emails"]),
                phones=_split(values["phones"]),
                account_id=_account_id(access, values["account"]),
            )
    except FieldErrors as e:
        return _section(
            request,
            access,
            conversation,
            "desk/_summary_customer.html",
            status=INVALID,
            edit_errors=e.errors,
            edit_values=values,
        )
    return _summary(request, access, conversation, retarget="#j-summary", saved="Contact saved.")


@require_GET
@workspace_view(Perm.USE_CARE)
def case_search(request, access, token):
    conversation = selectors.conversation_get(access, token)
    q = request.GET.get("q", "").strip()
    found = selectors.case_search(access, q=q) if q else []
    return _fragment(
        request,
        access,
        "desk/_summary_cases.html",
        {"found": found, "q": q, "token": conversation.public_token},
    )


@require_POST
@workspace_view(Perm.USE_CARE)
def case_link(request, access, token):
    conversation = selectors.conversation_get(access, token)
    case = selectors.linkable_case_get(access, request.POST.get("number"))
    if case is None:
        return _section(
            request,
            access,
            conversation,
            "desk/_summary_case.html",
            status=INVALID,
            link_error=gettext("No such ticket."),
        )
    services.activity_move(
        access=access, activity=services.conversation_activity(conversation), case=case
    )
    return _summary(
        request,
        access,
        conversation,
        retarget="#j-summary",
        saved=f"Linked to ticket #{case.number}.",
    )


@require_POST
@workspace_view(Perm.USE_CARE)
def case_new(request, access, token):
    conversation = selectors.conversation_get(access, token)
    values = {k: request.POST.get(k, "") for k in ("title", "priority", "description")}
    try:
        case = services.case_from_activity(
            access=access, activity=services.conversation_activity(conversation), **values
        )
    except FieldErrors as e:
        return _section(
            request,
            access,
            conversation,
            "desk/_summary_case.html",
            status=INVALID,
            case_errors=e.errors,
            case_values=values,
        )
    return _summary(
        request, access, conversation, retarget="#j-summary", saved=f"Ticket #{case.number} added."
    )


# --------------------------------------------------------------------------- the timeline


def _records_from_request(access, params):
    """(records, current, conversation) for ?record=kind:id[&conv=token]."""
    conversation = None
    token = params.get("conv", "")
    if token:
        conversation = selectors.conversation_get(access, token)
        records = linked_records(access, conversation=conversation)
        return records, _pick(records, params.get("record", "")), conversation
    kind, _, ident = params.get("record", "").partition(":")
    record = _record(access, kind, ident)
    records = linked_records(access, record=record)
    return records, record, None


def _record(access, kind, ident) -> Record:
    org = access.workspace.organization_id
    pk = _int(ident)
    obj = None
    if pk is not None:
        if kind == "contact":
            obj = customers.contact_get(organization_id=org, contact_id=pk)
        elif kind == "account":
            obj = customers.account_get(organization_id=org, account_id=pk)
        elif kind == "case":
            obj = case_get_or_worked(access, pk)
    if obj is None:
        raise Http404("No such record")
    return Record(kind, obj)


@require_GET
@workspace_view(Perm.USE_CARE)
def timeline(request, access):
    records, current, conversation = _records_from_request(access, request.GET)
    before = _int(request.GET.get("before"))
    context = timeline_context(access, records, current, conversation=conversation, before=before)
    template = "desk/_journey_items.html" if request.GET.get("items") else "desk/_journey.html"
    return _fragment(request, access, template, context)


@require_POST
@workspace_view(Perm.USE_CARE)
def note(request, access):
    """A quick note: in a chat, on its customer and its case; elsewhere on the record shown."""
    records, current, conversation = _records_from_request(access, request.POST)
    body = request.POST.get("body", "")
    if conversation is not None:
        activity = services.conversation_activity(conversation)
        target = {
            "contact": conversation.contact,
            "case": activity.case,
            "account": None if conversation.contact else activity.account,
        }
    else:
        target = {current.kind: current.obj}
    try:
        if not any(target.values()):
            raise FieldErrors.one("body", gettext("Link a customer or a ticket to keep notes."))
        services.note_add(access=access, body=body, **target)
    except FieldErrors as e:
        context = timeline_context(access, records, current, conversation=conversation)
        context.update(note_error=e.errors.get("body") or next(iter(e.errors.values())))
        context.update(note_value=body)
        return _fragment(request, access, "desk/_journey.html", context, INVALID)
    context = timeline_context(access, records, current, conversation=conversation)
    return _fragment(request, access, "desk/_journey.html", context)


# --------------------------------------------------------------------------- activity details


def _call_rows(activity: Activity) -> list[tuple[str, str]]:
    """The call information the telephony events left in context["call"] (voice app)."""
    ctx = activity.context if isinstance(activity.context, dict) else {}
    call = ctx.get("call") if isinstance(ctx.get("call"), dict) else {}
    rows = [
        (gettext("Caller"), call.get("caller") or gettext("Unknown caller")),
        (gettext("State"), str(call.get("state") or "—").replace("_", " ").capitalize()),
        (gettext("Queue"), call.get("queue") or activity.queue_name or "—"),
        (gettext("Wait"), duration(call.get("wait_seconds", activity.wait_seconds))),
        (gettext("Duration"), duration(call.get("duration_seconds"))),
    ]
    events = call.get("events") if isinstance(call.get("events"), dict) else {}
    for event, at in events.items():
        when = parse_datetime(at) if isinstance(at, str) else None
        # In the viewer's zone and language, like every time on the page (not the UTC the
        # telephony system sent).
        rows.append((str(event).capitalize(), format_when(when) if when else at))
    return rows


def _activity_context(access, activity: Activity) -> dict:
    context = {
        "a": activity,
        "transcript": selectors.chat_transcript(activity)
        if activity.media_type == MediaType.CHAT
        else [],
        "move_choices": selectors.case_search(access, contact=activity.contact, limit=20),
        "call_rows": _call_rows(activity) if activity.media_type == MediaType.CALL else [],
        "segments": activity.context.get("transcript")
        if isinstance(activity.context, dict)
        else None,
    }
    return context


def _activity_response(request, access, activity_id, *, status=200, trigger="", **extra):
    activity = selectors.activity_get(access, activity_id)
    context = _activity_context(access, activity)
    context.update(extra)
    return _fragment(request, access, "desk/_activity.html", context, status, trigger=trigger)


@require_GET
@workspace_view(Perm.USE_CARE)
def activity_detail(request, access, pk):
    return _activity_response(request, access, pk)


@require_POST
@workspace_view(Perm.USE_CARE)
def activity_tags(request, access, pk):
    activity = selectors.activity_get(access, pk)
    name = request.POST.get("tag", "")
    try:
        if request.POST.get("remove"):
            services.activity_tag_remove(
                access=access, activity=activity, name=request.POST["remove"]
            )
        else:
            services.activity_tag_add(access=access, activity=activity, name=name)
    except FieldErrors as e:
        return _activity_response(
            request, access, pk, status=INVALID, tag_error=e.errors["tag"], tag_value=name
        )
    return _activity_response(request, access, pk, trigger=ACTIVITY_CHANGED)


@require_POST
@workspace_view(Perm.USE_CARE)
def activity_comment(request, access, pk):
    activity = selectors.activity_get(access, pk)
    body = request.POST.get("body", "")
    try:
        services.activity_comment_add(access=access, activity=activity, body=body)
    except FieldErrors as e:
        return _activity_response(
            request, access, pk, status=INVALID, comment_error=e.errors["body"], comment_value=body
        )
    return _activity_response(request, access, pk, trigger=ACTIVITY_CHANGED)


@require_POST
@workspace_view(Perm.USE_CARE)
def activity_move(request, access, pk):
    activity = selectors.activity_get(access, pk)
    case = selectors.linkable_case_get(access, request.POST.get("number"))
    if case is None:
        return _activity_response(
            request,
            access,
            pk,
            status=INVALID,
            move_error=gettext("No such ticket."),
            move_value=request.POST.get("number", ""),
        )
    services.activity_move(access=access, activity=activity, case=case)
    return _activity_response(
        request, access, pk, trigger=ACTIVITY_CHANGED, saved=f"Moved to ticket #{case.number}."
    )


# --------------------------------------------------------------------------- journey pages


def _record_page(request, access, record: Record):
    records = linked_records(access, record=record)
    context = timeline_context(access, records, record)
    context["record"] = record
    if record.kind == "account":
        context["account_contacts"] = list(record.obj.contacts.order_by("name", "id")[:50])
    if record.kind == "case":
        context["recent_cases"] = []
    elif record.kind == "contact":
        context["recent_cases"] = selectors.recent_cases(access, record.obj)
    return render_ws(request, access, "journey/record_page.html", context)


@require_GET
@workspace_view(Perm.USE_CARE)
def contact_page(request, access, pk):
    return _record_page(request, access, _record(access, "contact", pk))


@require_GET
@workspace_view(Perm.USE_CARE)
def account_page(request, access, pk):
    return _record_page(request, access, _record(access, "account", pk))


@require_GET
@workspace_view(Perm.USE_CARE)
def case_page(request, access, number):
    return _record_page(request, access, _record(access, "case", number))


# --------------------------------------------------------------------------- Customers page


@require_GET
@workspace_view(Perm.USE_CARE)
def customers_list(request, access):
    """Customers (contacts) and accounts of the organization, searched and paged; each opens
    its journey page."""
    show = "accounts" if request.GET.get("show") == "accounts" else "customers"
    q = request.GET.get("q", "").strip()
    after = request.GET.get("after", "")
    org = access.workspace.organization_id
    if show == "accounts":
        page = customer_list.accounts_page(organization_id=org, q=q, after=after)
    else:
        page = customer_list.customers_page(organization_id=org, q=q, after=after)
    context = {
        "show": show,
        "q": q,
        "page": page,
        "next_query": urlencode({"show": show, "q": q, "after": page.next_cursor})
        if page.next_cursor
        else "",
        "first_query": urlencode({"show": show, "q": q}) if after else "",
    }
    return render_ws(request, access, "journey/customers.html", context, active="customers")
