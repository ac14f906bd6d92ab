"""Call events from a telephony system. Each call is ONE journey Activity (media type call,
external_id = the telephony system's call id) on the contact found by the caller's number.

Events may arrive twice (retries) and in any order (an `ended` before its `answered`): each
(call, event) is stored once (a unique row per event), and the activity's times, wait,
duration and state are recomputed from every event stored so far, so the result does not
depend on the order of arrival. Each new event is emitted (call.event) for the desks of the
agent it concerns, which get it after the transaction commits."""

from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from caredesk import events
from caredesk.care.services import case_touch
from caredesk.core.errors import FieldErrors, choice_errors
from caredesk.core.limits import NUL, check_datetime, check_text, text_errors
from caredesk.customers.models import ContactPhone
from caredesk.customers.services import normalize_phone
from caredesk.journey.models import Activity, Direction, MediaType
from caredesk.journey.services import activity_create
from caredesk.routing.models import Skill
from caredesk.routing.services import agent_profile_for
from caredesk.voice.models import CallEvent, CallEventKind
from caredesk.workspaces.access import workspace_permissions
from caredesk.workspaces.models import User, Workspace
from caredesk.workspaces.permissions import Perm

MAX_CALL_ID = 200
MAX_QUEUE = 100
MAX_TRANSCRIPT = 100_000
MAX_SEGMENTS = 5_000
MAX_SEGMENT_TEXT = 10_000
SPEAKERS = ("agent", "customer")
UNKNOWN_CALLER = "Unknown caller"


@dataclass
class CallEventResult:
    activity: Activity
    event: CallEvent
    duplicate: bool  # this (call, event) had been received before; nothing changed


def _parse_at(value, field: str = "at") -> datetime | None:
    if value is None or value == "":
        return None
    try:
        parsed = parse_datetime(value) if isinstance(value, str) else None
    except ValueError:  # well formed, but no such date (month 13)
        parsed = None
    if parsed is None:
        raise FieldErrors.one(field, _("An ISO 8601 date and time, e.g. 2026-11-23T15:01:00Z."))
    return check_datetime(
        parsed if timezone.is_aware(parsed) else parsed.replace(tzinfo=UTC), field
    )


def _call_id(value) -> str:
    if not isinstance(value, str) or not value.strip() or len(value.strip()) > MAX_CALL_ID:
        raise FieldErrors.one(
            "call_id", _("call_id is text of 1 to %(max)s characters.") % {"max": MAX_CALL_ID}
        )
    check_text(value, "call_id")
    return value.strip()


def _agent_user(workspace: Workspace, agent) -> User | None:
    """The workspace member named by username or email (case-insensitive)."""
    if agent is None or agent == "":
        return None
    if not isinstance(agent, str) or len(agent) > 254:
        raise FieldErrors.one("agent", _("agent is a username or an email address."))
    check_text(agent, "agent")
    agent = agent.strip()
    users = User.objects.filter(organization_id=workspace.organization_id, is_active=True)
    user = users.filter(username__iexact=agent).first()
    if user is None:
        matches = list(users.filter(email__iexact=agent)[:2])
        user = matches[0] if len(matches) == 1 else None
    if user is None or Perm.USE_CARE not in workspace_permissions(user, workspace)[0]:
        raise FieldErrors.one(
            "agent", _("No agent of this workspace is called “%(agent)s”.") % {"agent": agent}
        )
    return user


def _clean_event(workspace, call_id, event, caller, queue, agent, at) -> dict:
    """Every field checked before anything is written; all errors at once."""
    errors: dict[str, str] = {}
    cleaned: dict = {}
    for name, check in (
        ("call_id", lambda: _call_id(call_id)),
        ("caller", lambda: normalize_phone(caller if isinstance(caller, str) else "", "caller")),
        ("agent", lambda: _agent_user(workspace, agent)),
        ("at", lambda: _parse_at(at)),
    ):
        try:
            cleaned[name] = check()
        except FieldErrors as exc:
            errors.update(exc.errors)
    errors.update(choice_errors((event, "event", CallEventKind)))
    if queue is None:
        queue = ""
    if not isinstance(queue, str) or len(queue.strip()) > MAX_QUEUE:
        errors["queue"] = _("queue is the name of a queue, at most %(max)s characters.") % {
            "max": MAX_QUEUE
        }
    else:
        errors.update(text_errors((queue, "queue", None)))
    if errors:
        raise FieldErrors(errors)
    cleaned["queue"] = queue.strip()
    cleaned["event"] = event
    return cleaned


def _locked_call(workspace: Workspace, call_id: str, caller: str, at: datetime) -> Activity:
    """The call's activity, locked for this transaction; created on its first event."""
    qs = Activity.objects.select_for_update().filter(
        workspace=workspace, media_type=MediaType.CALL, external_id=call_id
    )
    activity = qs.first()
    if activity is not None:
        return activity
    phone = ContactPhone.objects.filter(
        organization_id=workspace.organization_id, phone=caller
    ).select_related("contact__account")
    found = phone.order_by("pk").first()
    contact = found.contact if found else None
    try:
        with transaction.atomic():
            activity_create(
                workspace=workspace,
                media_type=MediaType.CALL,
                direction=Direction.INBOUND,
                contact=contact,
                external_id=call_id,
                channel="phone",
                subject=f"Call from {contact}" if contact else UNKNOWN_CALLER,
                occurred_at=at,
                context={"call": {"caller": caller}},
            )
    except IntegrityError:
        pass  # another event of the same new call created it first; take theirs
    return qs.get()


def _seconds(start: datetime | None, end: datetime | None) -> int | None:
    if start is None or end is None:
        return None
    return max(0, round((end - start).total_seconds()))


def _recompute(activity: Activity) -> None:
    """Times, wait, duration and state from every event stored for this call."""
    events = {e.event: e for e in activity.call_events.all()}
    ringing = events.get(CallEventKind.RINGING)
    answered = events.get(CallEventKind.ANSWERED)
    ended = events.get(CallEventKind.ENDED)
    in_order = [e for e in (ringing, answered, ended) if e is not None]

    activity.queued_at = ringing.at if ringing else None
    activity.started_at = answered.at if answered else None
    activity.ended_at = ended.at if ended else None
    # Waiting ends when someone answers, or (a missed call) when the caller hangs up.
    activity.wait_seconds = _seconds(activity.queued_at, activity.started_at or activity.ended_at)
    duration = _seconds(activity.started_at, activity.ended_at)
    activity.occurred_at = min(e.at for e in in_order)
    if ended is not None:
        state = "ended" if answered is not None else "missed"
    elif answered is not None:
        state = "in_progress"
    else:
        state = "ringing"
    queue = next((e.queue_name for e in in_order if e.queue_name), "")
    agent = next(
        (e.agent for e in (answered, ringing, ended) if e is not None and e.agent_id), None
    )
    activity.queue_name = queue
    activity.agent = agent
    activity.skills = sorted(
        Skill.objects.filter(
            queues__workspace_id=activity.workspace_id, queues__name=queue
        ).values_list("name", flat=True)
    )
    call = {
        "caller": in_order[0].caller,
        "queue": queue,
        "state": state,
        "events": {e.event: e.at.isoformat() for e in in_order},
        "wait_seconds": activity.wait_seconds,
        "duration_seconds": duration,
    }
    activity.context = {**(activity.context or {}), "call": call}
    activity.save()
    # A call on a ticket is activity on that ticket (its inactivity clock restarts).
    case_touch(activity.case_id)


def call_event(activity: Activity, event: str, agent_id: int) -> events.CallEvent:
    """call.event, for the desks of agent `agent_id` (the desk's `call` message)."""
    call = (activity.context or {}).get("call", {})
    return events.CallEvent(
        agent=agent_id,
        event=event,
        activity=activity.pk,
        caller=call.get("caller", ""),
        queue=activity.queue_name,
        contact=activity.contact_id,
        state=call.get("state", ""),
    )


def call_event_record(
    *, workspace: Workspace, call_id, event, caller, queue="", agent=None, at=None
) -> CallEventResult:
    """Store one telephony event of a call. A retried (call_id, event) changes nothing and
    returns the stored event with duplicate=True."""
    data = _clean_event(workspace, call_id, event, caller, queue, agent, at)
    when = data["at"] or timezone.now()
    with transaction.atomic():
        activity = _locked_call(workspace, data["call_id"], data["caller"], when)
        existing = CallEvent.objects.filter(
            workspace=workspace, call_id=data["call_id"], event=data["event"]
        ).first()
        if existing is not None:
            return CallEventResult(activity=activity, event=existing, duplicate=True)
        try:
            # The activity's row lock already serializes events of one call; the unique
            # constraint is the backstop.
            with transaction.atomic():
                stored = CallEvent.objects.create(
                    workspace=workspace,
                    call_id=data["call_id"],
                    event=data["event"],
                    activity=activity,
                    caller=data["caller"],
                    queue_name=data["queue"],
                    agent=data["agent"],
                    at=when,
                )
        except IntegrityError:
            existing = CallEvent.objects.get(
                workspace=workspace, call_id=data["call_id"], event=data["event"]
            )
            return CallEventResult(activity=activity, event=existing, duplicate=True)
        _recompute(activity)
        # The agent this event names, else the one who answered (e.g. an `ended` event that
        # does not repeat the agent). Nobody to tell when neither is known.
        user = data["agent"] or activity.agent
        if user is not None:
            profile = agent_profile_for(workspace=workspace, user=user)
            events.emit(call_event(activity, stored.event, profile.pk))
    return CallEventResult(activity=activity, event=stored, duplicate=False)


def call_get(*, workspace: Workspace, call_id) -> Activity:
    activity = (
        Activity.objects.filter(
            workspace=workspace, media_type=MediaType.CALL, external_id=call_id
        ).first()
        if isinstance(call_id, str) and NUL not in call_id
        else None
    )
    if activity is None:
        raise Http404(_("No such call"))
    return activity


def _clean_segments(segments) -> list[dict]:
    if not isinstance(segments, list) or not 1 <= len(segments) <= MAX_SEGMENTS:
        raise FieldErrors.one(
            "segments", _("segments is a list of 1 to %(max)s parts.") % {"max": MAX_SEGMENTS}
        )
    cleaned = []
    for i, seg in enumerate(segments, start=1):
        where = _("Part %(n)s") % {"n": i}
        if not isinstance(seg, dict):
            raise FieldErrors.one("segments", _("%(part)s is not an object.") % {"part": where})
        speaker, text = seg.get("speaker"), seg.get("text")
        if speaker not in SPEAKERS:
            raise FieldErrors.one(
                "segments", _("%(part)s: speaker is agent or customer.") % {"part": where}
            )
        if not isinstance(text, str) or not text.strip() or len(text) > MAX_SEGMENT_TEXT:
            raise FieldErrors.one(
                "segments",
                _("%(part)s: text is 1 to %(max)s characters.")
                % {"part": where, "max": MAX_SEGMENT_TEXT},
            )
        if NUL in text:
            raise FieldErrors.one(
                "segments", _("%(part)s: text contains a NUL character.") % {"part": where}
            )
        try:
            at = _parse_at(seg.get("at"), "segments")
        except FieldErrors:
            raise FieldErrors.one(
                "segments", _("%(part)s: at is an ISO 8601 date and time.") % {"part": where}
            ) from None
        cleaned.append({"speaker": speaker, "text": text, "at": at.isoformat() if at else None})
    return cleaned


def call_transcript_set(*, workspace: Workspace, call_id, text=None, segments=None) -> Activity:
    """The call's transcript, sent after the call: plain `text`, or `segments` (who said
    what, when). Sending it again replaces it. Stored verbatim; escaped wherever shown."""
    activity = call_get(workspace=workspace, call_id=call_id)
    if (text is None) == (segments is None):
        raise FieldErrors.one("text", _("Send either text or segments."))
    if segments is not None:
        parts = _clean_segments(segments)
        body = "\n".join(f"{p['speaker'].title()}: {p['text']}" for p in parts)
    else:
        if not isinstance(text, str) or not text.strip():
            raise FieldErrors.one("text", _("The transcript cannot be empty."))
        check_text(text, "text")
        parts = None
        body = text
    if len(body) > MAX_TRANSCRIPT:
        raise FieldErrors.one(
            "segments" if parts is not None else "text",
            _("The transcript is longer than %(max)s characters.") % {"max": MAX_TRANSCRIPT},
        )
    with transaction.atomic():
        activity = Activity.objects.select_for_update().get(pk=activity.pk)
        context = dict(activity.context or {})
        context["transcript"] = parts
        activity.context = context
        activity.body = body
        activity.save(update_fields=["context", "body", "updated_at"])
        events.emit(events.CallTranscriptSet(workspace=activity.workspace_id, activity=activity.pk))
    return activity
