"""Reads on the customer journey: the timeline of a contact, an account or a case."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caredesk.audit.models import AuditEntry
from caredesk.care.models import DONE_STATUSES, Case
from caredesk.core.pagination import older_than
from caredesk.journey.models import Activity
from caredesk.routing.models import Conversation, Message, NavigationKind
from caredesk.workspaces.access import Access

TIMELINE_PAGE = 50


def activities_visible(access: Access) -> QuerySet[Activity]:
    return Activity.objects.visible_to(access)


def activity_get(access: Access, activity_id) -> Activity:
    try:
        pk = int(activity_id)
    except (TypeError, ValueError):
        raise Http404("No such activity") from None
    activity = (
        activities_visible(access)
        .filter(pk=pk)
        .select_related("contact", "account", "case", "agent", "created_by")
        .prefetch_related("tags", "comments__author")
        .first()
    )
    if activity is None:
        raise Http404("No such activity")
    return activity


def timeline(
    access: Access, *, contact=None, account=None, case=None, before_id=None, limit=TIMELINE_PAGE
) -> list[Activity]:
    """Newest first. A contact's journey includes activities on its cases; an account's
    includes its contacts'. Pass `before_id` (the last id shown) for the next page."""
    # The related ids are read first so that each branch of the OR is an indexed lookup
    # (PostgreSQL ORs two index scans); a join inside the OR scans every activity
    # (3 s at a million activities, against milliseconds this way).
    if contact is not None:
        case_ids = list(
            Case.objects.visible_to(access).filter(contact=contact).values_list("id", flat=True)
        )
        cond = Q(contact=contact) | Q(case_id__in=case_ids) if case_ids else Q(contact=contact)
    elif account is not None:
        contact_ids = list(account.contacts.values_list("id", flat=True))
        cond = (
            Q(account=account) | Q(contact_id__in=contact_ids)
            if contact_ids
            else Q(account=account)
        )
    elif case is not None:
        cond = Q(case=case)
    else:
        return []
    qs = activities_visible(access).filter(cond)
    if before_id is not None:
        # Keyset on (occurred_at, id), the order shown: activities are not stored in the
        # order they happened (a call posted late, an imported email).
        at = activities_visible(access).filter(pk=before_id).values_list("occurred_at").first()
        if at is None:
            qs = qs.filter(id__lt=before_id)
        else:
            qs = qs.filter(older_than("occurred_at", at[0], before_id))
    return list(
        qs.select_related("case", "agent", "contact")
        .prefetch_related("tags", "contact__emails")
        .order_by("-occurred_at", "-id")[:limit]
    )


# --- the other interactions on a timeline: tickets and survey responses -------------------


@dataclass
class TimelineEvent:
    """Something of the customer's journey that is not an activity: a ticket opened or
    resolved, a survey response. Shown among the activities by its time; `url` opens it
    ("" when the user may not open it)."""

    kind: str  # "ticket_opened", "ticket_resolved", "survey_response"
    at: dt.datetime
    label: str
    text: str
    url: str = ""
    ref: str = ""  # e.g. the ticket's number, "#12"
    is_event: bool = True


# (access, contact ids, newer_or_at, older_than) -> events: the apps above journey (feedback's
# survey responses) register theirs in their AppConfig.ready; journey imports none of them.
TimelineSource = Callable[[Access, list[int], dt.datetime | None, dt.datetime | None], list]
TIMELINE_SOURCES: list[TimelineSource] = []


def timeline_source(source: TimelineSource) -> TimelineSource:
    TIMELINE_SOURCES.append(source)
    return source


@dataclass(frozen=True)
class ActivityMark:
    """A badge an app above journey puts on an activity (quality: "Evaluated: 87.5"): words,
    where it leads, and a CSS class."""

    text: str
    url: str
    css: str = ""


# (access, activity ids) -> {activity id: [marks]}, one query per source for a whole timeline;
# registered in the AppConfig.ready of the apps above journey, as the timeline sources are.
MarkSource = Callable[[Access, list[int]], dict[int, list[ActivityMark]]]
MARK_SOURCES: list[MarkSource] = []


def activity_mark_source(source: MarkSource) -> MarkSource:
    MARK_SOURCES.append(source)
    return source


def activity_marks(access: Access, activity_ids: list[int]) -> dict[int, list[ActivityMark]]:
    """Every registered source's marks on these activities, by activity id."""
    ids = [i for i in activity_ids if i]
    out: dict[int, list[ActivityMark]] = {}
    if not ids:
        return out
    for source in MARK_SOURCES:
        for activity_id, marks in source(access, ids).items():
            out.setdefault(activity_id, []).extend(marks)
    return out


def _window(field: str, lower: dt.datetime | None, upper: dt.datetime | None) -> Q:
    """lower <= field < upper; None: no bound."""
    cond = Q()
    if lower is not None:
        cond &= Q(**{f"{field}__gte": lower})
    if upper is not None:
        cond &= Q(**{f"{field}__lt": upper})
    return cond


def ticket_events(
    access: Access,
    cases: QuerySet[Case],
    lower: dt.datetime | None = None,
    upper: dt.datetime | None = None,
) -> list[TimelineEvent]:
    """Each visible ticket's opening, and each time it was resolved or closed (its audit)."""
    slug = access.workspace.slug
    rows = list(
        cases.visible_to(access).only("pk", "number", "title", "reported_at", "customer_comment")
    )
    events = []
    for case in rows:
        if lower is not None and case.reported_at < lower:
            continue
        if upper is not None and case.reported_at >= upper:
            continue
        events.append(
            TimelineEvent(
                kind="ticket_opened",
                at=case.reported_at,
                label=_("Ticket opened"),
                text=case.title or case.customer_comment,
                url=reverse("ticket_detail", args=[slug, case.number]),
                ref=f"#{case.number}",
            )
        )
    by_id = {case.pk: case for case in rows}
    if by_id:
        done = AuditEntry.objects.filter(
            _window("created_at", lower, upper),
            workspace=access.workspace,
            object_type=Case._meta.model_name,
            object_id__in=list(by_id),
            field="status",
            new_value__in=list(DONE_STATUSES),
        ).values_list("object_id", "new_value", "created_at")
        for case_id, status, at in done:
            case = by_id[case_id]
            events.append(
                TimelineEvent(
                    kind="ticket_resolved",
                    at=at,
                    label=_("Ticket closed") if status == "closed" else _("Ticket resolved"),
                    text=case.title or case.customer_comment,
                    url=reverse("ticket_detail", args=[slug, case.number]),
                    ref=f"#{case.number}",
                )
            )
    return events


def timeline_events(
    access: Access,
    *,
    contact=None,
    account=None,
    case=None,
    lower: dt.datetime | None = None,
    upper: dt.datetime | None = None,
) -> list[TimelineEvent]:
    """The tickets and survey responses of the record between `lower` (included) and `upper`
    (excluded), newest first, for the timeline of its activities (`timeline`)."""
    if case is not None:
        events = ticket_events(access, Case.objects.filter(pk=case.pk), lower, upper)
        contact_ids = []
    else:
        if contact is not None:
            contact_ids = [contact.pk]
        elif account is not None:
            contact_ids = list(account.contacts.values_list("id", flat=True))
        else:
            return []
        cases = Case.objects.filter(workspace=access.workspace, contact_id__in=contact_ids)
        events = ticket_events(access, cases, lower, upper)
    if contact_ids:
        for source in TIMELINE_SOURCES:
            events.extend(source(access, contact_ids, lower, upper))
    events.sort(key=lambda e: e.at, reverse=True)
    return events


# --- the desk's customer summary -----------------------------------------------------------

RECENT_CASES = 5
CASE_SEARCH_LIMIT = 10

# Visitor details shown on their own tab, in this order; any other key the widget or the page
# sent is an "additional context variable".
VISITOR_FIELDS = (
    ("authenticated", gettext_lazy("Authenticated")),
    ("customer_id", gettext_lazy("Customer id")),
    ("name", gettext_lazy("Name")),
    ("email", gettext_lazy("Email")),
    ("browser", gettext_lazy("Browser")),
    ("os", gettext_lazy("Operating system")),
    ("device", gettext_lazy("Device")),
    ("language", gettext_lazy("Language")),
    ("accept_language", gettext_lazy("Accepted languages")),
    ("location", gettext_lazy("Location")),
    ("ip", gettext_lazy("IP address")),
    ("page_url", gettext_lazy("Page URL")),
    ("url", gettext_lazy("Page URL")),
    ("page_title", gettext_lazy("Page title")),
    ("referrer", gettext_lazy("Referrer")),
)


def conversation_get(access: Access, token: str):
    """A chat of this workspace by its public token (404 for any other)."""
    conversation = (
        Conversation.objects.visible_to(access)
        .filter(public_token=token)
        .select_related("queue", "agent__user", "contact__account")
        .first()
    )
    if conversation is None:
        raise Http404("No such conversation")
    return conversation


def conversation_tabs(conversation, activity: Activity | None = None) -> dict:
    """The conversation summary tabs, each a list of (label, value) rows; a tab with no rows
    is not shown."""
    # A field we know by its key is named in the reader's language; any other as it was sent.
    known = dict(VISITOR_FIELDS)
    pre_chat = [
        (known.get(k) or str(k).replace("_", " ").capitalize(), v)
        for k, v in conversation.pre_chat.items()
    ]
    kinds = dict(NavigationKind.choices)
    navigation = [
        {
            "kind": n.kind,
            "label": kinds.get(n.kind, n.kind),
            "value": n.value,
            "at": n.at,
            "url": n.url,
        }
        for n in conversation.navigation.all()
    ]
    visitor = dict(conversation.visitor)
    known = {k for k, _ in VISITOR_FIELDS}
    details = []
    for key, label in VISITOR_FIELDS:
        if key in visitor and visitor[key] not in (None, ""):
            value = visitor[key]
            if isinstance(value, bool):
                value = "Yes" if value else "No"
            details.append((label, value))
    if details and not visitor.get("location"):
        # Location comes only from a CDN/proxy header; without one it is unknown.
        at = next((i for i, (label, _) in enumerate(details) if label == "IP address"), None)
        details.insert(len(details) if at is None else at, ("Location", "Unknown"))
    variables = [(k, v) for k, v in visitor.items() if k not in known]
    extra = (activity.context.get("variables") if activity is not None else None) or {}
    if isinstance(extra, dict):
        variables += [(k, v) for k, v in extra.items() if k not in visitor]
    return {
        "pre_chat": pre_chat,
        "navigation": navigation,
        "visitor": details,
        "variables": variables,
    }


def recent_cases(access: Access, contact, limit: int = RECENT_CASES):
    if contact is None:
        return []
    return list(
        Case.objects.visible_to(access)
        .filter(contact=contact)
        .order_by("-reported_at", "-id")[:limit]
    )


def case_search(access: Access, *, q: str = "", contact=None, limit: int = CASE_SEARCH_LIMIT):
    """Tickets the desk user may attach work to, by number ("1042" or "#1042": an indexed
    lookup) or words of the title, newest first; with no words, the `contact`'s. Only tickets
    they see: moving work onto another would write to, and audit on, a ticket hidden from them.
    On PostgreSQL the title search uses a trigram index (care migration 0006): at 1,000,000
    tickets, words no title has took ~1 s before, ~5 ms now (bench/tickets.py). Fewer than
    three characters cannot use it and scan."""
    q = (q or "").strip().lstrip("#").strip()
    qs = Case.objects.visible_to(access)
    if q.isdigit():
        qs = qs.filter(number=int(q))
    elif q:
        qs = qs.filter(title__icontains=q)
    elif contact is not None:
        qs = qs.filter(contact=contact)
    return list(qs.select_related("contact").order_by("-reported_at", "-id")[:limit])


def linkable_case_get(access: Access, number):
    """A ticket the user may attach work to (see case_search), by number; None if not one."""
    try:
        n = int(str(number).strip().lstrip("#"))
    except (TypeError, ValueError):
        return None
    return Case.objects.visible_to(access).filter(number=n).first()


def chat_transcript(activity: Activity):
    if activity.conversation_id is None:
        return []
    return list(
        Message.objects.filter(conversation_id=activity.conversation_id)
        .select_related("author")
        .order_by("id")
    )
