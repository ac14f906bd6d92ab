"""The measures behind the response and resolution metrics, computed from the real data and
stored (ResponseEpisode, CaseMeasure), so a figure is one indexed range scan.

Every function here is idempotent: measuring a case, a chat or an email again computes the
same rows from the tickets, activities, messages and audit entries, and replaces what was
stored. They work on batches (a few queries per batch, none per row), which `rebuild` uses
for the whole history and the tasks for the one case or chat an event was about.

Definitions (docs/business_hours.md):
- A ticket waits for a first response from its creation (`reported_at`, kind ticket) and
  again from each reopen (a status change from resolved/closed back to new/open/escalated in
  the audit log, kind reopen). The response is the first, from the episode's start until
  the next reopen, of: an outbound email or a call on the ticket, an agent's chat message
  with an author (a person) in a chat on the ticket. Internal comments, notes, system and
  bot messages never count.
- A chat waits from the customer's first message to the first agent message by a person.
- An inbound email on no ticket waits until the next outbound email to the same customer.
- Times are business seconds (caredesk.insights.hours). `sla_met`: answered within the
  first-response target; null while unanswered and not yet late, False once late.
- A ticket's resolution: the last move into resolved/closed; business time from
  `reported_at`; its SLA against the resolution target; first contact resolution when
  resolved, never reopened, with at most one inbound contact (chat, call, email, web form).
"""

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from caredesk.audit.models import AuditEntry
from caredesk.care.models import DONE_STATUSES, OPEN_STATUSES, Case, Origin
from caredesk.insights.hours import Calendar
from caredesk.insights.models import CaseMeasure, EpisodeKind, ResponseEpisode
from caredesk.journey.models import Activity, Direction, MediaType
from caredesk.routing.models import Conversation, Message, Sender
from caredesk.workspaces.models import Workspace

log = logging.getLogger(__name__)

BATCH = 1000
# The inbound activities that are a customer's contact (first contact resolution).
CONTACT_MEDIA = (MediaType.CHAT, MediaType.CALL, MediaType.EMAIL, MediaType.WEB_FORM)
# A ticket's channel: where it came from, when its origin says so.
ORIGIN_CHANNEL = {
    Origin.CHAT: MediaType.CHAT,
    Origin.EMAIL: MediaType.EMAIL,
    Origin.CALL: MediaType.CALL,
    Origin.SURVEY_RESPONSE: MediaType.SURVEY_RESPONSE,
}
_DONE = {str(s) for s in DONE_STATUSES}
_OPEN = {str(s) for s in OPEN_STATUSES}


class Calendars(dict):
    """Workspace id → Calendar, loaded on first use: one pair of queries per workspace per
    batch run, however many rows it measures."""

    def __missing__(self, workspace_id: int) -> Calendar:
        cal = Calendar.for_workspace(Workspace.objects.get(pk=workspace_id))
        self[workspace_id] = cal
        return cal


def _first_response_sla(cal: Calendar, start, responded, seconds, waited_until) -> bool | None:
    target = cal.first_response_target_minutes * 60
    if responded is not None:
        return seconds <= target
    return False if cal.seconds(start, waited_until) > target else None


def _episode(cal: Calendar, **values) -> ResponseEpisode:
    start, responded = values["started_at"], values.get("responded_at")
    waited_until = values.pop("waited_until")
    seconds = cal.seconds(start, responded) if responded is not None else None
    return ResponseEpisode(
        workspace_id=cal.workspace_id,
        business_seconds=seconds,
        sla_met=_first_response_sla(cal, start, responded, seconds, waited_until),
        **values,
    )


# --------------------------------------------------------------------------- tickets


def _is_reopen(old: str, new: str) -> bool:
    return old in _DONE and new in _OPEN


def measure_cases(
    case_ids: Iterable[int], *, now: dt.datetime | None = None, calendars: Calendars | None = None
) -> int:
    """Measure these tickets (their episodes of kind ticket/reopen and their CaseMeasure).
    A ticket that no longer exists loses its rows. Returns how many tickets were measured."""
    ids = sorted(set(case_ids))
    if not ids:
        return 0
    now = now or timezone.now()
    calendars = calendars if calendars is not None else Calendars()
    cases = list(
        Case.objects.filter(pk__in=ids).values(
            "id",
            "workspace_id",
            "reported_at",
            "status",
            "segment_path",
            "owner_id",
            "origin",
            "closed_at",
            "updated_at",
        )
    )
    moves = defaultdict(list)  # case → [(at, old, new)] status changes, in order
    for case_id, at, old, new in (
        AuditEntry.objects.filter(object_type="case", object_id__in=ids, field="status")
        .order_by("created_at", "id")
        .values_list("object_id", "created_at", "old_value", "new_value")
    ):
        moves[case_id].append((at, old, new))
    responses = defaultdict(list)  # case → [(at, responder)]
    inbound = defaultdict(int)  # case → inbound contact activities
    first_media: dict[int, str] = {}
    queue_of: dict[int, str] = {}
    chats: dict[int, int] = {}  # conversation → case
    for _id, case_id, media, direction, at, agent, creator, queue, conv in (
        Activity.objects.filter(case_id__in=ids)
        .order_by("occurred_at", "id")
        .values_list(
            "id",
            "case_id",
            "media_type",
            "direction",
            "occurred_at",
            "agent_id",
            "created_by_id",
            "queue_name",
            "conversation_id",
        )
    ):
        if queue and case_id not in queue_of:
            queue_of[case_id] = queue
        if direction == Direction.INBOUND and media in CONTACT_MEDIA:
            inbound[case_id] += 1
            first_media.setdefault(case_id, media)
        if conv is not None:
            chats[conv] = case_id
        elif (media == MediaType.EMAIL and direction == Direction.OUTBOUND) or (
            media == MediaType.CALL and direction != Direction.INTERNAL
        ):
            responses[case_id].append((at, agent or creator))
    if chats:
        for conv, at, author in (
            Message.objects.filter(
                conversation_id__in=list(chats), sender=Sender.AGENT, author__isnull=False
            )
            .order_by()
            .values_list("conversation_id", "created_at", "author_id")
        ):
            responses[chats[conv]].append((at, author))
    for found in responses.values():
        found.sort(key=lambda r: r[0])

    episodes, measures = [], []
    for c in cases:
        cal = calendars[c["workspace_id"]]
        cid = c["id"]
        history = moves.get(cid, [])
        done = c["status"] in _DONE
        resolved_at = None
        if done:
            last_done = [at for at, old, new in history if new in _DONE and old not in _DONE]
            resolved_at = last_done[-1] if last_done else (c["closed_at"] or c["updated_at"])
            resolved_at = max(resolved_at, c["reported_at"])
        starts = [(EpisodeKind.TICKET, c["reported_at"])] + [
            (EpisodeKind.REOPEN, at) for at, old, new in history if _is_reopen(old, new)
        ]
        channel = ORIGIN_CHANNEL.get(c["origin"]) or first_media.get(cid, "")
        found = responses.get(cid, [])
        for i, (kind, start) in enumerate(starts):
            end = starts[i + 1][1] if i + 1 < len(starts) else None
            answer = next((r for r in found if r[0] >= start and (end is None or r[0] < end)), None)
            if end is not None:
                # Resolved (or not) before the reopen: the wait ended there at the latest.
                ends = [at for at, old, new in history if start <= at <= end and new in _DONE]
                waited_until = ends[0] if ends else end
            else:
                waited_until = resolved_at if done else now
            episodes.append(
                _episode(
                    cal,
                    kind=kind,
                    case_id=cid,
                    activity_id=None,
                    started_at=start,
                    responded_at=answer[0] if answer else None,
                    responder_id=answer[1] if answer else None,
                    segment_path=c["segment_path"],
                    queue_name=queue_of.get(cid, "")[:100],
                    channel=channel,
                    agent_id=(answer[1] if answer and answer[1] else c["owner_id"]),
                    waited_until=max(waited_until, start),
                )
            )
        reopens = len(starts) - 1
        target = cal.resolution_target_hours * 3600
        if done:
            seconds = cal.seconds(c["reported_at"], resolved_at)
            sla = seconds <= target
            fcr = reopens == 0 and inbound.get(cid, 0) <= 1
        else:
            seconds = None
            sla = False if cal.seconds(c["reported_at"], now) > target else None
            fcr = None
        measures.append(
            CaseMeasure(
                case_id=cid,
                workspace_id=c["workspace_id"],
                reported_at=c["reported_at"],
                resolved_at=resolved_at,
                resolution_business_seconds=seconds,
                reopen_count=min(reopens, 32767),
                sla_met=sla,
                first_contact_resolution=fcr,
                segment_path=c["segment_path"],
            )
        )
    with transaction.atomic():
        ResponseEpisode.objects.filter(
            case_id__in=ids, kind__in=(EpisodeKind.TICKET, EpisodeKind.REOPEN)
        ).delete()
        CaseMeasure.objects.filter(case_id__in=ids).delete()
        ResponseEpisode.objects.bulk_create(episodes, batch_size=BATCH)
        CaseMeasure.objects.bulk_create(measures, batch_size=BATCH)
    return len(cases)


def measure_case(case_id: int, **kwargs) -> None:
    measure_cases([case_id], **kwargs)


# --------------------------------------------------------------------------- chats


def measure_chats(
    activity_ids: Iterable[int],
    *,
    now: dt.datetime | None = None,
    calendars: Calendars | None = None,
) -> int:
    """Measure the chat episodes of these chat activities (one per chat the customer wrote
    in). Returns how many chats have an episode."""
    ids = sorted(set(activity_ids))
    if not ids:
        return 0
    now = now or timezone.now()
    calendars = calendars if calendars is not None else Calendars()
    chats = list(
        Activity.objects.filter(
            pk__in=ids, media_type=MediaType.CHAT, conversation__isnull=False
        ).values(
            "id",
            "workspace_id",
            "case_id",
            "conversation_id",
            "queue_name",
            "agent_id",
            "case__segment_path",
        )
    )
    convs = [a["conversation_id"] for a in chats]
    first_customer = dict(
        Message.objects.filter(conversation_id__in=convs, sender=Sender.CUSTOMER)
        .values("conversation_id")
        .annotate(first=Min("created_at"))
        .values_list("conversation_id", "first")
    )
    agent_messages = defaultdict(list)
    for conv, at, author in (
        Message.objects.filter(conversation_id__in=convs, sender=Sender.AGENT, author__isnull=False)
        .order_by("created_at", "id")
        .values_list("conversation_id", "created_at", "author_id")
    ):
        agent_messages[conv].append((at, author))
    queues = dict(
        Conversation.objects.filter(pk__in=convs).values_list("pk", "queue__segment__path")
    )
    episodes = []
    for a in chats:
        start = first_customer.get(a["conversation_id"])
        if start is None:
            continue
        cal = calendars[a["workspace_id"]]
        answer = next((m for m in agent_messages[a["conversation_id"]] if m[0] >= start), None)
        episodes.append(
            _episode(
                cal,
                kind=EpisodeKind.CHAT,
                case_id=a["case_id"],
                activity_id=a["id"],
                started_at=start,
                responded_at=answer[0] if answer else None,
                responder_id=answer[1] if answer else None,
                segment_path=a["case__segment_path"] or queues.get(a["conversation_id"]) or "",
                queue_name=a["queue_name"][:100],
                channel=MediaType.CHAT,
                agent_id=answer[1] if answer else a["agent_id"],
                waited_until=now,
            )
        )
    with transaction.atomic():
        ResponseEpisode.objects.filter(activity_id__in=ids, kind=EpisodeKind.CHAT).delete()
        ResponseEpisode.objects.bulk_create(episodes, batch_size=BATCH)
    return len(episodes)


# --------------------------------------------------------------------------- emails


def measure_emails(
    activity_ids: Iterable[int],
    *,
    now: dt.datetime | None = None,
    calendars: Calendars | None = None,
) -> int:
    """Measure the email episodes of these activities: an inbound email on no ticket waits
    for the next outbound email to the same customer. An email that is on a ticket now (the
    ticket's episodes measure it) or is gone loses its episode."""
    ids = sorted(set(activity_ids))
    if not ids:
        return 0
    now = now or timezone.now()
    calendars = calendars if calendars is not None else Calendars()
    emails = list(
        Activity.objects.filter(
            pk__in=ids,
            media_type=MediaType.EMAIL,
            direction=Direction.INBOUND,
            case__isnull=True,
        ).values("id", "workspace_id", "contact_id", "occurred_at", "queue_name", "agent_id")
    )
    contacts = {e["contact_id"] for e in emails if e["contact_id"] is not None}
    replies = defaultdict(list)
    if contacts:
        for contact, at, agent, creator in (
            Activity.objects.filter(
                contact_id__in=contacts,
                media_type=MediaType.EMAIL,
                direction=Direction.OUTBOUND,
                occurred_at__gte=min(e["occurred_at"] for e in emails),
            )
            .order_by("occurred_at", "id")
            .values_list("contact_id", "occurred_at", "agent_id", "created_by_id")
        ):
            replies[contact].append((at, agent or creator))
    episodes = []
    for e in emails:
        cal = calendars[e["workspace_id"]]
        start = e["occurred_at"]
        answer = next((r for r in replies.get(e["contact_id"], []) if r[0] >= start), None)
        episodes.append(
            _episode(
                cal,
                kind=EpisodeKind.EMAIL,
                case_id=None,
                activity_id=e["id"],
                started_at=start,
                responded_at=answer[0] if answer else None,
                responder_id=answer[1] if answer else None,
                segment_path="",
                queue_name=e["queue_name"][:100],
                channel=MediaType.EMAIL,
                agent_id=answer[1] if answer and answer[1] else e["agent_id"],
                waited_until=now,
            )
        )
    with transaction.atomic():
        ResponseEpisode.objects.filter(activity_id__in=ids, kind=EpisodeKind.EMAIL).delete()
        ResponseEpisode.objects.bulk_create(episodes, batch_size=BATCH)
    return len(episodes)


# --------------------------------------------------------------------------- what changed


def measure_activity(activity_id: int) -> None:
    """An activity was recorded: measure what it can change (its ticket, its chat, its
    email's wait, the waits an outbound email answers)."""
    row = (
        Activity.objects.filter(pk=activity_id)
        .values("case_id", "media_type", "direction", "contact_id", "occurred_at")
        .first()
    )
    if row is None:
        return
    if row["case_id"] is not None:
        measure_cases([row["case_id"]])
    if row["media_type"] == MediaType.CHAT:
        measure_chats([activity_id])
    elif row["media_type"] == MediaType.EMAIL:
        waiting = []
        if row["direction"] == Direction.OUTBOUND and row["contact_id"] is not None:
            # The unanswered inbound emails of this customer before it: this may answer them.
            waiting = list(
                ResponseEpisode.objects.filter(
                    kind=EpisodeKind.EMAIL,
                    responded_at__isnull=True,
                    activity_id__in=Activity.objects.filter(
                        contact_id=row["contact_id"],
                        media_type=MediaType.EMAIL,
                        direction=Direction.INBOUND,
                        case__isnull=True,
                        occurred_at__lte=row["occurred_at"],
                    ).values("pk"),
                ).values_list("activity_id", flat=True)
            )
        measure_emails([activity_id, *waiting])


def measure_conversation(conversation_id: int) -> None:
    """A chat message was stored: measure the chat (and its ticket, if it is on one)."""
    row = Activity.objects.filter(conversation_id=conversation_id).values("pk", "case_id").first()
    if row is None:
        return
    measure_chats([row["pk"]])
    if row["case_id"] is not None:
        measure_cases([row["case_id"]])


# --------------------------------------------------------------------------- late


def mark_late(*, now: dt.datetime | None = None) -> int:
    """The periodic check: episodes still unanswered and tickets still open whose target
    has passed get sla_met False. Returns how many rows changed."""
    now = now or timezone.now()
    calendars = Calendars()
    changed = 0
    waiting = ResponseEpisode.objects.filter(responded_at__isnull=True, sla_met__isnull=True)
    last = 0
    while page := list(
        waiting.filter(pk__gt=last)
        .order_by("pk")
        .values_list("pk", "workspace_id", "started_at")[:BATCH]
    ):
        last = page[-1][0]
        late = [
            pk
            for pk, ws, start in page
            if calendars[ws].seconds(start, now) > calendars[ws].first_response_target_minutes * 60
        ]
        if late:
            changed += ResponseEpisode.objects.filter(pk__in=late).update(sla_met=False)
    open_cases = CaseMeasure.objects.filter(resolved_at__isnull=True, sla_met__isnull=True)
    last = 0
    while page := list(
        open_cases.filter(pk__gt=last)
        .order_by("pk")
        .values_list("pk", "workspace_id", "reported_at")[:BATCH]
    ):
        last = page[-1][0]
        late = [
            pk
            for pk, ws, start in page
            if calendars[ws].seconds(start, now) > calendars[ws].resolution_target_hours * 3600
        ]
        if late:
            changed += CaseMeasure.objects.filter(pk__in=late).update(sla_met=False)
    return changed


# --------------------------------------------------------------------------- rebuild


def _pages(qs, size: int):
    """Primary keys of `qs` in pages, each read to its end before the caller writes (a
    cursor left open on SQLite would keep its snapshot: see care.services)."""
    last = 0
    while page := list(qs.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:size]):
        last = page[-1]
        yield page


def rebuild(
    *,
    workspace: Workspace | None = None,
    since: dt.datetime | None = None,
    batch: int = BATCH,
    progress: Callable[[str, int, int], None] | None = None,
) -> dict[str, int]:
    """Measure everything again (of one workspace, of tickets reported and activities
    recorded since a time): tickets, chats, emails, in batches. `progress(kind, done,
    total)` after each batch. Returns the counts per kind."""
    now = timezone.now()
    calendars = Calendars()
    cases = Case.objects.all()
    chats = Activity.objects.filter(media_type=MediaType.CHAT, conversation__isnull=False)
    emails = Activity.objects.filter(
        media_type=MediaType.EMAIL, direction=Direction.INBOUND, case__isnull=True
    )
    if workspace is not None:
        cases = cases.filter(workspace=workspace)
        chats = chats.filter(workspace=workspace)
        emails = emails.filter(workspace=workspace)
    if since is not None:
        # A ticket reported earlier but changed since (reopened, resolved) counts too.
        cases = cases.filter(reported_at__gte=since) | cases.filter(updated_at__gte=since)
        chats = chats.filter(occurred_at__gte=since)
        emails = emails.filter(occurred_at__gte=since)
    counts = {}
    for kind, qs, measure in (
        ("tickets", cases, measure_cases),
        ("chats", chats, measure_chats),
        ("emails", emails, measure_emails),
    ):
        total = qs.count()
        done = 0
        for page in _pages(qs, batch):
            measure(page, now=now, calendars=calendars)
            done += len(page)
            if progress:
                progress(kind, done, total)
        counts[kind] = done
    return counts
