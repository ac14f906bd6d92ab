"""Telephony: call events and transcripts posted by a telephony system (token auth, use_care).
A call becomes one activity on the customer found by the caller's number; each event is
pushed live to the desk of the agent it concerns (docs/realtime.md, `call`)."""

import datetime as dt
from typing import Any

from ninja import Router, Schema, Status
from pydantic import Field

from caredesk.api.access import api_access
from caredesk.api.schemas import ERRORS, In, Text
from caredesk.voice import services
from caredesk.voice.models import CallEventKind
from caredesk.workspaces.permissions import Perm

router = Router(tags=["calls"])

BASE = "/workspaces/{workspace}/calls"


class CallEventIn(In):
    call_id: Text(services.MAX_CALL_ID) = Field(description="The telephony system's id of the call")
    event: str = Field(description=f"One of: {', '.join(CallEventKind.values)}")
    caller: Text(64) = Field(description='The calling number, e.g. "+351 912 345 678"')
    queue: Text(services.MAX_QUEUE) = Field(
        "", description="Name of the queue the call came through"
    )
    agent: Text(254) | None = Field(
        None, description="Username or email of the agent who gets / answered the call"
    )
    at: str | None = Field(
        None, description="ISO 8601 time of the event; default: when it is received"
    )


class CallOut(Schema):
    call_id: str
    event: str
    duplicate: bool = Field(description="This event of this call had been received before")
    activity: int
    state: str = Field(description="ringing, in_progress, ended or missed")
    caller: str
    queue: str
    contact: int | None
    agent: str | None
    queued_at: dt.datetime | None
    started_at: dt.datetime | None
    ended_at: dt.datetime | None
    wait_seconds: int | None
    duration_seconds: int | None


class TranscriptIn(In):
    text: Text(services.MAX_TRANSCRIPT) | None = Field(
        None, description="The whole transcript as text"
    )
    segments: list[Any] | None = Field(
        None,
        json_schema_extra={"maxItems": services.MAX_SEGMENTS},
        description="Or the parts: [{speaker: agent|customer, text, at}]",
    )


class TranscriptOut(Schema):
    call_id: str
    activity: int
    text: str
    segments: list[dict[str, Any]] | None


def _calls(request, workspace: str):
    return api_access(request, workspace, require=Perm.USE_CARE)


def call_out(result: services.CallEventResult) -> dict:
    activity = result.activity
    call = (activity.context or {}).get("call", {})
    return {
        "call_id": activity.external_id,
        "event": result.event.event,
        "duplicate": result.duplicate,
        "activity": activity.pk,
        "state": call.get("state", ""),
        "caller": call.get("caller", ""),
        "queue": activity.queue_name,
        "contact": activity.contact_id,
        "agent": activity.agent.get_username() if activity.agent_id else None,
        "queued_at": activity.queued_at,
        "started_at": activity.started_at,
        "ended_at": activity.ended_at,
        "wait_seconds": activity.wait_seconds,
        "duration_seconds": call.get("duration_seconds"),
    }


@router.post(
    f"{BASE}/events",
    response={200: CallOut, 201: CallOut, **ERRORS},
    summary="Post a call event (ringing, answered, ended)",
    description=(
        "Idempotent per (call_id, event): a retried event answers 200 with duplicate=true and "
        "changes nothing; a new one answers 201. Events may arrive in any order. The caller's "
        "number finds the contact (unknown number: no contact, subject 'Unknown caller')."
    ),
)
def call_event(request, workspace: str, payload: CallEventIn):
    access = _calls(request, workspace)
    result = services.call_event_record(
        workspace=access.workspace,
        call_id=payload.call_id,
        event=payload.event,
        caller=payload.caller,
        queue=payload.queue,
        agent=payload.agent,
        at=payload.at,
    )
    return Status(200 if result.duplicate else 201, call_out(result))


@router.post(
    f"{BASE}/{{call_id}}/transcript",
    response={200: TranscriptOut, **ERRORS},
    summary="Store a call's transcript (replaces an earlier one)",
    description="Send `text`, or `segments`: [{speaker: agent|customer, text, at}].",
)
def call_transcript(request, workspace: str, call_id: str, payload: TranscriptIn):
    access = _calls(request, workspace)
    activity = services.call_transcript_set(
        workspace=access.workspace,
        call_id=call_id,
        text=payload.text,
        segments=payload.segments,
    )
    return {
        "call_id": activity.external_id,
        "activity": activity.pk,
        "text": activity.body,
        "segments": activity.context.get("transcript"),
    }
