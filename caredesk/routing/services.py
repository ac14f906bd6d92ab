"""Writes of the routing app: queues, skills, agents, chat conversations, messages and offers.

Concurrency: every routing decision runs in one transaction that first locks the
conversation row (SELECT ... FOR UPDATE), then the chosen agent's row with SKIP LOCKED, so two
app processes can never offer one conversation twice nor push one agent past capacity. A
partial unique index (one open offer per conversation) backs this up in the database. On
SQLite there is no row locking; the IMMEDIATE write transaction serializes writers instead.
"""

import json
from datetime import UTC, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from caredesk import events
from caredesk.core.errors import FieldErrors
from caredesk.core.i18n import supported
from caredesk.core.limits import NUL, check_datetime, check_text, has_nul
from caredesk.routing import pick
from caredesk.routing.models import (
    AgentProfile,
    AgentSkill,
    Conversation,
    ConversationStatus,
    DeskConnection,
    Message,
    NavigationEvent,
    NavigationKind,
    Offer,
    OfferStatus,
    Presence,
    Queue,
    Sender,
    Skill,
)
from caredesk.workspaces.models import Segment, User, Workspace

MAX_BODY = 10_000
MAX_CLIENT_ID = 100
MAX_CONTEXT_BYTES = 16_000
WAITING_SCAN_LIMIT = 100
# A desk that has sent nothing (not even a ping) for this long is treated as closed: its app
# process died without running `disconnect`. desk.js pings every 30 s.
DESK_STALE_SECONDS = 600
DESK_TOUCH_EVERY_SECONDS = 60


def offer_timeout_seconds() -> float:
    """How long an offer waits for an answer before it goes to the next agent."""
    return float(getattr(settings, "CAREDESK_OFFER_TIMEOUT_SECONDS", 30))


# --- configuration -------------------------------------------------------------------------


def skill_get_or_create(*, workspace: Workspace, name: str) -> Skill:
    check_text(name, "name", MAX_NAME)
    name = (name or "").strip()
    if not name:
        raise FieldErrors.one("name", _("A skill needs a name."))
    skill, _created = Skill.objects.get_or_create(workspace=workspace, name=name)
    return skill


_UNSET = object()


def _queue_segment(workspace: Workspace, segment_id) -> Segment | None:
    if segment_id in (None, ""):
        return None
    try:
        pk = int(segment_id)
    except (TypeError, ValueError):
        pk = 0
    seg = Segment.objects.filter(organization_id=workspace.organization_id, pk=pk).first()
    if seg is None:
        raise FieldErrors.one("segment", gettext("No such segment."))
    return seg


@transaction.atomic
def queue_create(
    *,
    workspace: Workspace,
    name: str,
    priority: int = 0,
    required_skills: list[str] = (),
    is_default: bool = False,
    segment=None,
) -> Queue:
    """`segment`: the id of the segment a ticket opened on this queue's work takes when it
    names none (Workspace.case_segment_order)."""
    check_text(name, "name", MAX_NAME)
    seg = _queue_segment(workspace, segment)
    name = (name or "").strip()
    if not name:
        raise FieldErrors.one("name", _("A queue needs a name."))
    if Queue.objects.filter(workspace=workspace, name__iexact=name).exists():
        raise FieldErrors.one("name", _("A queue with this name already exists."))
    if is_default:
        Queue.objects.filter(workspace=workspace, is_default=True).update(is_default=False)
    queue = Queue.objects.create(
        workspace=workspace, name=name, priority=int(priority), is_default=is_default, segment=seg
    )
    queue.required_skills.set(
        [skill_get_or_create(workspace=workspace, name=s) for s in required_skills]
    )
    return queue


def default_queue(workspace: Workspace) -> Queue:
    """The workspace's default queue, created ("General") the first time one is needed."""
    queue = Queue.objects.filter(workspace=workspace, is_default=True).first()
    if queue is None:
        try:
            with transaction.atomic():
                queue = Queue.objects.create(workspace=workspace, name="General", is_default=True)
        except IntegrityError:
            queue = Queue.objects.get(workspace=workspace, is_default=True)
    return queue


@transaction.atomic
def agent_profile_set(
    *,
    workspace: Workspace,
    user: User,
    capacity: int | None = None,
    presence: str | None = None,
    skills: dict[str, int] | None = None,
) -> AgentProfile:
    """Create or update an agent's routing profile. `skills` maps skill name → level 1..5 and
    replaces the agent's skills."""
    if user.organization_id != workspace.organization_id and not user.is_superuser:
        raise FieldErrors.one("user", _("This user belongs to another organization."))
    agent, _created = AgentProfile.objects.get_or_create(workspace=workspace, user=user)
    if capacity is not None:
        if not isinstance(capacity, int) or not 0 <= capacity <= 100:
            raise FieldErrors.one("capacity", _("Capacity is a whole number from 0 to 100."))
        agent.capacity = capacity
    if skills is not None:
        for name, level in skills.items():
            if not isinstance(level, int) or not 1 <= level <= 5:
                raise FieldErrors.one(
                    "skills", _("The level of %(skill)s must be from 1 to 5.") % {"skill": name}
                )
        AgentSkill.objects.filter(agent=agent).delete()
        for name, level in skills.items():
            AgentSkill.objects.create(
                agent=agent, skill=skill_get_or_create(workspace=workspace, name=name), level=level
            )
    agent.save()
    if presence is not None:
        agent = agent_presence_set(agent=agent, presence=presence)
    return agent


def agent_profile_for(*, workspace: Workspace, user: User) -> AgentProfile:
    agent, _created = AgentProfile.objects.get_or_create(workspace=workspace, user=user)
    return agent


def agent_presence_set(*, agent: AgentProfile, presence: str) -> AgentProfile:
    if presence not in Presence.values:
        raise FieldErrors.one(
            "presence", _("Presence is one of %(values)s.") % {"values": ", ".join(Presence.values)}
        )
    with transaction.atomic():
        agent = AgentProfile.objects.select_for_update().get(pk=agent.pk)
        if presence == Presence.AVAILABLE and agent.presence != Presence.AVAILABLE:
            agent.last_idle_at = timezone.now()
        agent.presence = presence
        agent.save(update_fields=["presence", "last_idle_at"])
    return agent


# --- customer side -------------------------------------------------------------------------


def _context(value, field: str) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise FieldErrors.one(field, _("Must be an object."))
    for k, v in value.items():
        if not isinstance(k, str) or not (v is None or isinstance(v, str | int | float | bool)):
            raise FieldErrors.one(field, _("Must map names to text, numbers or booleans."))
    if has_nul(value):
        raise FieldErrors.one(
            field, _("Contains a NUL character (\\u0000), which cannot be stored.")
        )
    if len(json.dumps(value)) > MAX_CONTEXT_BYTES:
        raise FieldErrors.one(field, _("Is too large."))
    return value


def _queue_for(workspace: Workspace, pre_chat: dict) -> Queue:
    topic = pre_chat.get("topic")
    if isinstance(topic, str) and topic.strip():
        queue = Queue.objects.filter(workspace=workspace, name__iexact=topic.strip()).first()
        if queue is not None:
            return queue
    return default_queue(workspace)


def conversation_start(
    *, workspace: Workspace, pre_chat=None, visitor=None, navigation=(), language: str = ""
) -> Conversation:
    """A new waiting conversation in the queue named by the pre-chat `topic`, else the default
    queue, held in `language` (a code of core.i18n, or "" when unknown). Offering it to an
    agent is a separate step (`offer_next`)."""
    pre_chat = _context(pre_chat, "pre_chat")
    visitor = _context(visitor, "visitor")
    cleaned = [navigation_clean(**n) for n in navigation]
    with transaction.atomic():
        conversation = Conversation.objects.create(
            workspace=workspace,
            queue=_queue_for(workspace, pre_chat),
            pre_chat=pre_chat,
            visitor=visitor,
            language=supported(language) or "",
        )
        NavigationEvent.objects.bulk_create(
            NavigationEvent(conversation=conversation, **n) for n in cleaned
        )
        events.emit(
            events.ConversationStarted(
                workspace=workspace.pk, conversation=conversation.pk, queue=conversation.queue.name
            ).about(conversation)
        )
    return conversation


def navigation_clean(kind=None, value=None, at=None, url=None) -> dict:
    """A navigation event as stored; `url` (optional) is where it leads, such as the public
    page of a help article: http(s) only, since the desk shows it as a link."""
    if kind not in NavigationKind.values:
        raise FieldErrors.one(
            "kind", _("kind is one of %(values)s.") % {"values": ", ".join(NavigationKind.values)}
        )
    if not isinstance(value, str) or not value or len(value) > 2000:
        raise FieldErrors.one("value", _("value is text of 1 to 2000 characters."))
    check_text(value, "value")
    when = timezone.now()
    if at is not None:
        try:
            parsed = parse_datetime(at) if isinstance(at, str) else None
        except ValueError:  # well formed, but no such date (month 13)
            parsed = None
        if parsed is None:
            raise FieldErrors.one("at", _("at is an ISO 8601 date and time."))
        when = parsed if timezone.is_aware(parsed) else parsed.replace(tzinfo=UTC)
        check_datetime(when, "at")
    return {"kind": kind, "value": value, "at": when, "url": _navigation_url(url)}


def _navigation_url(url) -> str:
    if url is None or url == "":
        return ""
    problem = _("url is an http or https address of at most 2000 characters.")
    if not isinstance(url, str) or len(url) > 2000:
        raise FieldErrors.one("url", problem)
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise FieldErrors.one("url", problem) from None
    return url


def navigation_payload(event: NavigationEvent) -> dict:
    return {"kind": event.kind, "value": event.value, "at": event.at.isoformat(), "url": event.url}


def navigation_record(
    *, conversation: Conversation, kind, value, at=None, url=None
) -> NavigationEvent:
    """Store a navigation event of a started conversation; its agent's desk is told."""
    with transaction.atomic():
        event = NavigationEvent.objects.create(
            conversation=conversation,
            **navigation_clean(kind=kind, value=value, at=at, url=url),
        )
        events.emit(
            events.ConversationNavigation(
                conversation=conversation.pk, navigation=navigation_payload(event)
            )
        )
    return event


def visitor_clean(value) -> dict:
    if not isinstance(value, dict):
        raise FieldErrors.one("visitor", _("Must be an object."))
    return _context(value, "visitor")


def conversation_visitor_update(*, conversation: Conversation, visitor) -> dict:
    """Merge new visitor details (e.g. the customer logged in, changed page) into the
    conversation's; its agent's desk is told the merged details."""
    visitor = visitor_clean(visitor)
    with transaction.atomic():
        current = Conversation.objects.select_for_update().get(pk=conversation.pk)
        if current.status == ConversationStatus.ENDED:
            raise FieldErrors.one("conversation", _("This conversation has ended."))
        merged = _context({**current.visitor, **visitor}, "visitor")
        current.visitor = merged
        current.save(update_fields=["visitor"])
        events.emit(events.ConversationVisitor(conversation=current.pk, visitor=merged))
    return merged


def message_payload(message: Message) -> dict:
    return {
        "id": message.pk,
        "client_id": message.client_id,
        "sender": message.sender,
        "body": message.body,
        "created_at": message.created_at.isoformat(),
    }


def message_post(
    *,
    conversation: Conversation,
    sender: str,
    client_id,
    body,
    author: User | None = None,
    agent_id: int | None = None,
) -> tuple[Message, bool]:
    """Store a message once per (conversation, client_id). Returns (message, created); a retry
    returns the message stored the first time. The caller acknowledges only after this
    returns, so an acknowledged message is committed. With `agent_id`, only a conversation
    that agent carries is written to.

    Only `conversation.pk` is used: the conversation's state is checked by the INSERT itself,
    which stores the message in one statement (one round trip, its own commit)."""
    if sender not in Sender.values:
        raise FieldErrors.one("sender", _("Unknown sender."))
    if not isinstance(client_id, str) or not client_id or len(client_id) > MAX_CLIENT_ID:
        raise FieldErrors.one(
            "client_id", _("client_id is text of 1 to %(max)s characters.") % {"max": MAX_CLIENT_ID}
        )
    check_text(client_id, "client_id")
    if not isinstance(body, str) or not body.strip() or len(body) > MAX_BODY or NUL in body:
        existing = _message_stored(conversation.pk, client_id)
        if existing is not None:
            return existing, False
        check_text(body, "body")
        raise FieldErrors.one(
            "body", _("body is text of 1 to %(max)s characters.") % {"max": MAX_BODY}
        )
    now = timezone.now()
    sql = _MESSAGE_INSERT.format(
        message=Message._meta.db_table,
        conversation=Conversation._meta.db_table,
        ts="CAST(%s AS timestamptz)" if connection.vendor == "postgresql" else "%s",
        mine="AND c.agent_id = %s" if agent_id is not None else "",
    )
    params = [
        sender,
        author.pk if author else None,
        client_id,
        body,
        connection.ops.adapt_datetimefield_value(now),
        conversation.pk,
        ConversationStatus.ENDED,
    ] + ([agent_id] if agent_id is not None else [])
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is not None:
        message = Message(
            pk=row[0],
            conversation_id=conversation.pk,
            sender=sender,
            author=author,
            client_id=client_id,
            body=body,
            created_at=now,
        )
        events.emit(
            events.ConversationMessage(
                conversation=conversation.pk, message=message_payload(message)
            )
        )
        return message, True
    # Nothing inserted: stored before (a retry, or the same client_id racing in through
    # another connection), or the conversation does not take the message.
    existing = _message_stored(conversation.pk, client_id)
    if existing is not None:
        return existing, False
    state = (
        Conversation.objects.filter(pk=conversation.pk).values_list("status", "agent_id").first()
    )
    if state is None or (agent_id is not None and state[1] != agent_id):
        raise FieldErrors.one("conversation", _("Not one of your conversations."))
    raise FieldErrors.one("conversation", _("This conversation has ended."))


# Outside a transaction this is one round trip and its own commit. The casts give the
# parameters of the SELECT list their column types on PostgreSQL.
_MESSAGE_INSERT = (
    "INSERT INTO {message} (conversation_id, sender, author_id, client_id, body, created_at)"
    " SELECT c.id, CAST(%s AS varchar(10)), CAST(%s AS bigint), CAST(%s AS varchar(100)),"
    " CAST(%s AS text), {ts} FROM {conversation} c"
    " WHERE c.id = %s AND c.status <> %s {mine}"
    " ON CONFLICT (conversation_id, client_id) DO NOTHING RETURNING id"
)


def _message_stored(conversation_id: int, client_id: str) -> Message | None:
    return Message.objects.filter(conversation_id=conversation_id, client_id=client_id).first()


def conversation_history(conversation: Conversation) -> list[dict]:
    return [message_payload(m) for m in conversation.messages.order_by("id")]


READ_FIELDS = {Sender.CUSTOMER: "customer_read_up_to", Sender.AGENT: "agent_read_up_to"}


def conversation_read(*, conversation: Conversation, reader: str, up_to, origin: str = "") -> int:
    """`reader` has seen every message of the conversation up to id `up_to`. The mark only
    moves forward (a late, smaller `up_to` changes nothing). Returns the stored mark; the
    conversation's group is told after commit (`origin`: the channel that sent it, which
    does not need the echo)."""
    field = READ_FIELDS.get(reader)
    if field is None:
        raise FieldErrors.one("reader", _("Unknown reader."))
    if not isinstance(up_to, int) or isinstance(up_to, bool) or up_to <= 0:
        raise FieldErrors.one("up_to", _("up_to is the id of a message (a positive whole number)."))
    if not Message.objects.filter(conversation=conversation, pk=up_to).exists():
        raise FieldErrors.one("up_to", _("up_to is not a message of this conversation."))
    with transaction.atomic():
        Conversation.objects.filter(pk=conversation.pk).filter(
            Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__lt": up_to})
        ).update(**{field: up_to})
        stored = Conversation.objects.filter(pk=conversation.pk).values_list(field, flat=True)[0]
        events.emit(
            events.ConversationRead(
                conversation=conversation.pk, reader=reader, up_to=stored, origin=origin
            )
        )
    setattr(conversation, field, stored)
    return stored


def unread_count(conversation: Conversation) -> int:
    """Customer messages the agent has not read yet."""
    return conversation.messages.filter(
        sender=Sender.CUSTOMER, pk__gt=conversation.agent_read_up_to or 0
    ).count()


# --- routing -------------------------------------------------------------------------------


def offer_payload(offer: Offer) -> dict:
    conversation = offer.conversation
    return {
        "offer": offer.pk,
        "conversation": conversation.public_token,
        "queue": conversation.queue.name,
        "pre_chat": conversation.pre_chat,
        "visitor": conversation.visitor,
        "waiting_since": conversation.created_at.isoformat(),
        "offered_at": offer.offered_at.isoformat(),
    }


def offer_next(conversation_id: int) -> Offer | None:
    """Offer a waiting conversation to the available agent who has every skill its queue
    requires, has free capacity and has not declined it (nor let it expire): the least loaded,
    then the longest idle. None if nobody fits (it keeps waiting) or it is no longer waiting.
    The statement and its locking are in `pick`."""
    with transaction.atomic():
        offer = pick.offer(conversation_id, timezone.now())
        if offer is not None:
            _offered(offer)
    return offer


def _offered(offer: Offer) -> Offer:
    events.emit(events.ConversationOffered(agent=offer.agent_id, offer=offer_payload(offer)))
    return offer


def offer_waiting(*, workspace: Workspace) -> list[Offer]:
    """Try to offer the workspace's waiting conversations (highest queue priority, then oldest
    first); called when an agent becomes available or frees capacity."""
    waiting = (
        Conversation.objects.filter(workspace=workspace, status=ConversationStatus.WAITING)
        .order_by("-queue__priority", "created_at", "pk")
        .values_list("pk", flat=True)[:WAITING_SCAN_LIMIT]
    )
    offers = []
    for conversation_id in list(waiting):
        offer = offer_next(conversation_id)
        if offer is not None:
            offers.append(offer)
        elif not _anyone_has_room(workspace):
            # Each offer_next is a transaction of ~6 queries: with a backlog and every agent
            # full, trying all WAITING_SCAN_LIMIT conversations took seconds (bench/chat.py).
            break
    return offers


def _anyone_has_room(workspace: Workspace) -> bool:
    """Whether some available agent of the workspace carries less than their capacity."""
    return AgentProfile.objects.filter(
        workspace=workspace, presence=Presence.AVAILABLE, load__lt=F("capacity")
    ).exists()


def _open_offer(offer_id, agent: AgentProfile) -> tuple[Offer, Conversation]:
    """Lock the offer's conversation, then the offer (always in that order)."""
    offer = Offer.objects.filter(pk=offer_id, agent=agent).first() if offer_id else None
    if offer is None:
        raise FieldErrors.one("offer", _("No such offer."))
    conversation = Conversation.objects.select_for_update().get(pk=offer.conversation_id)
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if offer.status != OfferStatus.OFFERED:
        raise FieldErrors.one(
            "offer",
            {
                OfferStatus.ACCEPTED: _("This offer is already accepted."),
                OfferStatus.DECLINED: _("This offer is already declined."),
                OfferStatus.EXPIRED: _("This offer has already expired."),
            }.get(offer.status, _("This offer is no longer open.")),
        )
    return offer, conversation


def offer_accept(*, offer_id, agent: AgentProfile) -> Conversation:
    """The agent takes the conversation; its wait time (start → accept) is recorded."""
    with transaction.atomic():
        offer, conversation = _open_offer(offer_id, agent)
        now = timezone.now()
        offer.status = OfferStatus.ACCEPTED
        offer.answered_at = now
        offer.save(update_fields=["status", "answered_at"])
        conversation.status = ConversationStatus.ACTIVE
        conversation.agent = agent
        conversation.accepted_at = now
        conversation.wait_seconds = max(0, round((now - conversation.created_at).total_seconds()))
        conversation.save(update_fields=["status", "agent", "accepted_at", "wait_seconds"])
        events.emit(
            events.ConversationAccepted(
                conversation=conversation.pk,
                status=conversation.status,
                agent=agent.user.get_full_name() or agent.user.username,
            ).about(conversation)
        )
    return conversation


def offer_decline(*, offer_id, agent: AgentProfile) -> Offer | None:
    """The agent refuses; the conversation goes back to waiting and is offered to the next
    agent who has not refused it. Returns that next offer, if any."""
    with transaction.atomic():
        offer, conversation = _open_offer(offer_id, agent)
        offer.status = OfferStatus.DECLINED
        offer.answered_at = timezone.now()
        offer.save(update_fields=["status", "answered_at"])
        conversation.status = ConversationStatus.WAITING
        conversation.save(update_fields=["status"])
    return offer_next(conversation.pk)


def offer_expire(*, offer_id) -> Offer | None:
    """An offer nobody answered (timeout, or the agent's desk went away): it expires, the
    agent is told, and the conversation goes to the next agent who has not declined or let
    it expire. Does nothing if the offer was answered meanwhile. Returns the next offer."""
    with transaction.atomic():
        offer = Offer.objects.filter(pk=offer_id).first()
        if offer is None:
            return None
        conversation = Conversation.objects.select_for_update().get(pk=offer.conversation_id)
        offer = Offer.objects.select_for_update().get(pk=offer.pk)
        if offer.status != OfferStatus.OFFERED:
            return None
        offer.status = OfferStatus.EXPIRED
        offer.answered_at = timezone.now()
        offer.save(update_fields=["status", "answered_at"])
        conversation.status = ConversationStatus.WAITING
        conversation.save(update_fields=["status"])
        events.emit(events.ConversationOfferExpired(agent=offer.agent_id, offer=offer.pk))
    return offer_next(conversation.pk)


def offers_expire_stale(*, timeout_seconds: float | None = None, now=None) -> int:
    """Expire every offer open for longer than the timeout (the periodic backstop for desks
    whose own timer did not run, e.g. their process died). Returns how many expired."""
    timeout = offer_timeout_seconds() if timeout_seconds is None else timeout_seconds
    cutoff = (now or timezone.now()) - timedelta(seconds=timeout)
    stale = list(
        Offer.objects.filter(status=OfferStatus.OFFERED, offered_at__lte=cutoff).values_list(
            "pk", flat=True
        )
    )
    for offer_id in stale:
        offer_expire(offer_id=offer_id)
    return len(stale)


def agent_leave(*, agent: AgentProfile) -> AgentProfile:
    """The agent's last desk went away: offline, and their open offers go to someone else."""
    agent = agent_presence_set(agent=agent, presence=Presence.OFFLINE)
    _expire_open_offers(agent)
    return agent


def _expire_open_offers(agent: AgentProfile) -> None:
    for offer_id in Offer.objects.filter(agent=agent, status=OfferStatus.OFFERED).values_list(
        "pk", flat=True
    ):
        offer_expire(offer_id=offer_id)


# --- desk connections (one per browser tab) --------------------------------------------------


def desk_connect(*, agent: AgentProfile, channel_name: str) -> None:
    """Record one open desk of the agent. Under the agent's row lock, so it cannot interleave
    with another tab's `desk_disconnect` deciding that this agent has no desk left."""
    with transaction.atomic():
        AgentProfile.objects.select_for_update().filter(pk=agent.pk).first()
        DeskConnection.objects.update_or_create(
            channel_name=channel_name, defaults={"agent": agent, "last_seen_at": timezone.now()}
        )


def desk_touch(*, channel_name: str, now=None) -> None:
    """The desk is alive (it sent something). Written at most once a minute per desk."""
    now = now or timezone.now()
    DeskConnection.objects.filter(
        channel_name=channel_name,
        last_seen_at__lt=now - timedelta(seconds=DESK_TOUCH_EVERY_SECONDS),
    ).update(last_seen_at=now)


def desk_disconnect(*, agent: AgentProfile, channel_name: str) -> bool:
    """One desk of the agent closed. Only when it was their last open desk does the agent go
    offline (and their open offers move on). Returns whether they went offline."""
    with transaction.atomic():
        AgentProfile.objects.select_for_update().filter(pk=agent.pk).first()
        DeskConnection.objects.filter(channel_name=channel_name).delete()
        last = not DeskConnection.objects.filter(agent=agent).exists()
        if last:
            agent_presence_set(agent=agent, presence=Presence.OFFLINE)
    if last:
        # Outside the agent's lock: expiring re-offers, which locks conversations then agents.
        _expire_open_offers(agent)
    return last


def desk_connections_sweep(*, stale_seconds: float = DESK_STALE_SECONDS, now=None) -> int:
    """Forget desks not heard from for `stale_seconds` (their process died without closing
    them); agents left without a desk go offline. Returns how many desks were forgotten."""
    cutoff = (now or timezone.now()) - timedelta(seconds=stale_seconds)
    stale = list(
        DeskConnection.objects.filter(last_seen_at__lt=cutoff)
        .select_related("agent")
        .order_by("pk")
    )
    for connection_ in stale:
        desk_disconnect(agent=connection_.agent, channel_name=connection_.channel_name)
    return len(stale)


def conversation_end(*, conversation_id: int, by: str) -> Conversation:
    """End a conversation (by the customer or its agent). Its agent's capacity frees up; if it
    was their last conversation they count as idle from now. The caller then offers waiting
    work (`offer_waiting`). Ending twice is harmless."""
    if by not in Sender.values:
        raise FieldErrors.one("by", _("Unknown side."))
    with transaction.atomic():
        conversation = Conversation.objects.select_for_update().get(pk=conversation_id)
        if conversation.status == ConversationStatus.ENDED:
            return conversation
        now = timezone.now()
        open_offers = Offer.objects.filter(conversation=conversation, status=OfferStatus.OFFERED)
        events.emit(
            *(
                events.ConversationOfferExpired(agent=offer.agent_id, offer=offer.pk)
                for offer in open_offers
            )
        )
        open_offers.update(status=OfferStatus.EXPIRED, answered_at=now)
        conversation.status = ConversationStatus.ENDED
        conversation.ended_at = now
        conversation.save(update_fields=["status", "ended_at"])
        if conversation.agent_id is not None:
            still_busy = Conversation.objects.filter(
                agent_id=conversation.agent_id, status=ConversationStatus.ACTIVE
            ).exists()
            if not still_busy:
                AgentProfile.objects.filter(pk=conversation.agent_id).update(last_idle_at=now)
        events.emit(
            events.ConversationEnded(
                conversation=conversation.pk, status=conversation.status, agent=None, by=by
            ).about(conversation)
        )
    return conversation


# --- queue and skill settings (Settings → Queues & skills, and the REST API) ----------------

MAX_NAME = 100
MAX_PRIORITY = 1000


def skill_create(*, workspace: Workspace, name: str) -> Skill:
    """A new skill; unlike skill_get_or_create, a name already taken is an error."""
    check_text(name, "name")
    name = (name or "").strip() if isinstance(name, str) else ""
    if not name or len(name) > MAX_NAME:
        raise FieldErrors.one(
            "name", _("A skill name is 1 to %(max)s characters.") % {"max": MAX_NAME}
        )
    if Skill.objects.filter(workspace=workspace, name__iexact=name).exists():
        raise FieldErrors.one("name", _("A skill with this name already exists."))
    return Skill.objects.create(workspace=workspace, name=name)


@transaction.atomic
def queue_update(
    *,
    queue: Queue,
    name: str | None = None,
    priority: int | None = None,
    required_skills: list[str] | None = None,
    is_default: bool | None = None,
    segment=_UNSET,
) -> Queue:
    """Change only the given fields; every one is checked before anything is written.
    Making a queue the default takes that from the previous default. `segment`: a segment
    id, or None for none."""
    errors = {}
    seg = None
    if segment is not _UNSET:
        try:
            seg = _queue_segment(queue.workspace, segment)
        except FieldErrors as e:
            errors.update(e.errors)
    if name is not None:
        name = name.strip() if isinstance(name, str) else ""
        if not name or len(name) > MAX_NAME:
            errors["name"] = _("A queue name is 1 to %(max)s characters.") % {"max": MAX_NAME}
        elif NUL in name:
            errors["name"] = _("Contains a NUL character (\\u0000), which cannot be stored.")
        elif (
            Queue.objects.filter(workspace_id=queue.workspace_id, name__iexact=name)
            .exclude(pk=queue.pk)
            .exists()
        ):
            errors["name"] = _("A queue with this name already exists.")
    if priority is not None and (
        not isinstance(priority, int) or isinstance(priority, bool) or abs(priority) > MAX_PRIORITY
    ):
        errors["priority"] = _("Priority is a whole number from %(min)s to %(max)s.") % {
            "min": -MAX_PRIORITY,
            "max": MAX_PRIORITY,
        }
    if errors:
        raise FieldErrors(errors)
    if name is not None:
        queue.name = name
    if priority is not None:
        queue.priority = priority
    if is_default is True and not queue.is_default:
        Queue.objects.filter(workspace_id=queue.workspace_id, is_default=True).update(
            is_default=False
        )
    if is_default is not None:
        queue.is_default = is_default
    if segment is not _UNSET:
        queue.segment = seg
    queue.save()
    if required_skills is not None:
        queue.required_skills.set(
            [skill_get_or_create(workspace=queue.workspace, name=s) for s in required_skills]
        )
    return queue
