"""Telephony call events and transcripts through the API: one activity per call on the
contact found by number, idempotent per (call, event), any order of arrival, field errors
that store nothing, and permissions."""

import json

import pytest

from caredesk.customers.services import contact_create
from caredesk.journey.models import Activity
from caredesk.voice.models import CallEvent
from caredesk.workspaces import services as ws

from .conftest import BASE

EVENTS = f"{BASE}/calls/events"


def post(client, body, url=EVENTS):
    return client.post(url, json.dumps(body), content_type="application/json")


def event(kind, at, **extra):
    body = {"call_id": "call-1", "event": kind, "caller": "+351 912-345-678", "queue": "Billing"}
    body["at"] = at
    body.update(extra)
    return body


RING = "2026-11-23T15:00:00Z"
ANSWER = "2026-11-23T15:00:12Z"
END = "2026-11-23T15:01:12Z"


@pytest.fixture
def rita(world):
    return contact_create(organization=world.org, name="Rita", phones=["+351912345678"])


def stored():
    """Everything a call event could write, to prove a refused one wrote nothing."""
    return (
        list(Activity.objects.values_list("pk", "updated_at", "body")),
        CallEvent.objects.count(),
    )


def test_a_call_is_one_activity_on_the_contact_found_by_number(world, admin_api, rita):
    r = post(admin_api, event("ringing", RING))
    assert r.status_code == 201, r.content
    first = r.json()
    assert first["event"] == "ringing"
    assert first["duplicate"] is False
    assert first["state"] == "ringing"
    assert first["caller"] == "+351912345678"
    assert first["contact"] == rita.pk
    assert first["queue"] == "Billing"
    assert first["queued_at"] == "2026-11-23T15:00:00Z"
    assert first["started_at"] is None

    r = post(admin_api, event("answered", ANSWER, agent="agent"))
    assert r.status_code == 201
    assert r.json()["state"] == "in_progress"
    assert r.json()["agent"] == "agent"
    assert r.json()["wait_seconds"] == 12

    r = post(admin_api, event("ended", END))
    assert r.status_code == 201
    body = r.json()
    assert body["activity"] == first["activity"]
    assert body["state"] == "ended"
    assert body["wait_seconds"] == 12
    assert body["duration_seconds"] == 60
    assert body["agent"] == "agent"

    activity = Activity.objects.get()
    assert activity.media_type == "call"
    assert activity.external_id == "call-1"
    assert activity.contact_id == rita.pk
    assert activity.subject == "Call from Rita"
    assert activity.channel == "phone"
    assert activity.agent_id == world.agent.pk
    assert activity.queued_at.isoformat() == "2026-11-23T15:00:00+00:00"
    assert activity.started_at.isoformat() == "2026-11-23T15:00:12+00:00"
    assert activity.ended_at.isoformat() == "2026-11-23T15:01:12+00:00"
    assert activity.occurred_at == activity.queued_at
    assert activity.wait_seconds == 12
    assert activity.context == {
        "call": {
            "caller": "+351912345678",
            "queue": "Billing",
            "state": "ended",
            "events": {
                "ringing": "2026-11-23T15:00:00+00:00",
                "answered": "2026-11-23T15:00:12+00:00",
                "ended": "2026-11-23T15:01:12+00:00",
            },
            "wait_seconds": 12,
            "duration_seconds": 60,
        }
    }
    assert CallEvent.objects.count() == 3


def test_a_retried_event_changes_nothing(world, admin_api, rita):
    assert post(admin_api, event("ringing", RING)).status_code == 201
    before = stored()
    r = post(admin_api, event("ringing", "2026-11-23T16:00:00Z", queue="Other"))
    assert r.status_code == 200
    assert r.json()["duplicate"] is True
    assert r.json()["queued_at"] == "2026-11-23T15:00:00Z"
    assert r.json()["queue"] == "Billing"
    assert stored() == before


def test_events_out_of_order_give_the_same_call(world, admin_api, rita):
    assert post(admin_api, event("ended", END)).json()["state"] == "missed"
    assert post(admin_api, event("answered", ANSWER, agent="agent")).json()["state"] == "ended"
    body = post(admin_api, event("ringing", RING)).json()
    assert body["state"] == "ended"
    assert body["wait_seconds"] == 12
    assert body["duration_seconds"] == 60
    assert body["queued_at"] == "2026-11-23T15:00:00Z"
    activity = Activity.objects.get()
    assert activity.occurred_at.isoformat() == "2026-11-23T15:00:00+00:00"
    assert activity.context["call"]["events"] == {
        "ringing": "2026-11-23T15:00:00+00:00",
        "answered": "2026-11-23T15:00:12+00:00",
        "ended": "2026-11-23T15:01:12+00:00",
    }


def test_a_call_nobody_answered_is_missed_with_its_wait(world, admin_api, rita):
    post(admin_api, event("ringing", RING))
    body = post(admin_api, event("ended", "2026-11-23T15:00:40Z")).json()
    assert body["state"] == "missed"
    assert body["wait_seconds"] == 40
    assert body["duration_seconds"] is None
    assert body["agent"] is None


def test_unknown_number_is_an_activity_without_contact(world, admin_api, rita):
    body = post(admin_api, event("ringing", RING, caller="+44 20 7946 0000")).json()
    assert body["contact"] is None
    activity = Activity.objects.get()
    assert activity.contact_id is None
    assert activity.subject == "Unknown caller"


def test_two_calls_are_two_activities_and_workspaces_are_separate(world, admin_api, rita):
    post(admin_api, event("ringing", RING))
    post(admin_api, event("ringing", RING, call_id="call-2"))
    sales = admin_api.post(
        "/api/v1/workspaces/sales/calls/events",
        json.dumps(event("ringing", RING)),
        content_type="application/json",
    )
    assert sales.status_code == 201
    assert Activity.objects.filter(workspace=world.support).count() == 2
    assert Activity.objects.filter(workspace=world.sales).count() == 1


def test_the_queue_skills_are_recorded(world, admin_api, rita):
    from caredesk.routing.services import queue_create

    queue_create(workspace=world.support, name="Billing", required_skills=["billing", "pt"])
    post(admin_api, event("ringing", RING))
    assert Activity.objects.get().skills == ["billing", "pt"]


@pytest.mark.parametrize(
    "change, field",
    [
        ({"call_id": ""}, "call_id"),
        ({"call_id": "x" * 201}, "call_id"),
        ({"event": "hold"}, "event"),
        ({"caller": "not a number"}, "caller"),
        ({"caller": ""}, "caller"),
        ({"agent": "nobody"}, "agent"),
        ({"agent": "outsider"}, "agent"),
        ({"at": "yesterday"}, "at"),
        ({"queue": "q" * 101}, "queue"),
    ],
)
def test_bad_event_names_the_field_and_stores_nothing(world, admin_api, rita, change, field):
    post(admin_api, event("ringing", RING, call_id="existing"))
    before = stored()
    r = post(admin_api, {**event("answered", ANSWER), **change})
    assert r.status_code == 400, r.content
    assert field in r.json()["errors"]
    assert stored() == before


def test_missing_or_mistyped_fields_are_named(world, admin_api):
    r = post(admin_api, {"event": "ringing", "caller": "+351912345678"})
    assert r.status_code == 422
    assert r.json()["errors"] == {"call_id": "Field required"}
    r = post(admin_api, {"call_id": "c", "event": "ringing", "caller": 351912345678})
    assert r.status_code == 422
    assert list(r.json()["errors"]) == ["caller"]
    assert stored() == ([], 0)


def test_the_agent_must_be_a_member_of_the_workspace(world, admin_api, rita):
    only_sales = ws.user_create(organization=world.org, username="salesy", password="pw-12345678")
    ws.membership_set(workspace=world.sales, user=only_sales, kind="agent")
    r = post(admin_api, event("ringing", RING, agent="salesy"))
    assert r.status_code == 400
    assert r.json()["errors"] == {"agent": "No agent of this workspace is called “salesy”."}
    # By email, case-insensitive.
    world.agent.email = "Ana@Example.com"
    world.agent.save()
    r = post(admin_api, event("ringing", RING, agent="ana@example.COM"))
    assert r.status_code == 201
    assert r.json()["agent"] == "agent"


def test_permissions(world, api_client, rita):
    from django.test import Client

    r = Client().post(EVENTS, json.dumps(event("ringing", RING)), content_type="application/json")
    assert r.status_code == 401
    # "sales" exists only in Acme: 404 for the other organization's user.
    sales = EVENTS.replace("/support/", "/sales/")
    outsider = post(api_client(world.outsider), event("ringing", RING), sales)
    assert outsider.status_code == 404
    nobody = ws.user_create(organization=world.org, username="nobody", password="pw-12345678")
    r = post(api_client(nobody), event("ringing", RING))
    assert r.status_code == 403
    assert stored() == ([], 0)
    # An agent's token (use_care) may post events.
    assert post(api_client(world.agent), event("ringing", RING)).status_code == 201


# -- transcripts ------------------------------------------------------------------------------


def transcript_url(call_id="call-1"):
    return f"{BASE}/calls/{call_id}/transcript"


def test_transcript_as_segments_then_as_text(world, admin_api, rita):
    post(admin_api, event("ringing", RING))
    segments = [
        {"speaker": "customer", "text": "My <b>order</b> is late", "at": "2026-11-23T15:00:15Z"},
        {"speaker": "agent", "text": "Let me check."},
    ]
    r = post(admin_api, {"segments": segments}, transcript_url())
    assert r.status_code == 200, r.content
    assert r.json() == {
        "call_id": "call-1",
        "activity": Activity.objects.get().pk,
        "text": "Customer: My <b>order</b> is late\nAgent: Let me check.",
        "segments": [
            {
                "speaker": "customer",
                "text": "My <b>order</b> is late",
                "at": "2026-11-23T15:00:15+00:00",
            },
            {"speaker": "agent", "text": "Let me check.", "at": None},
        ],
    }
    activity = Activity.objects.get()
    assert activity.body == "Customer: My <b>order</b> is late\nAgent: Let me check."
    assert activity.context["transcript"][1] == {
        "speaker": "agent",
        "text": "Let me check.",
        "at": None,
    }
    assert activity.context["call"]["caller"] == "+351912345678"  # the call details stay

    r = post(admin_api, {"text": "Plain transcript"}, transcript_url())
    assert r.status_code == 200
    activity.refresh_from_db()
    assert activity.body == "Plain transcript"
    assert activity.context["transcript"] is None
    # The next call event keeps the transcript.
    post(admin_api, event("ended", END))
    activity.refresh_from_db()
    assert activity.body == "Plain transcript"


def test_transcript_of_an_unknown_call_is_404(world, admin_api, rita):
    r = post(admin_api, {"text": "hello"}, transcript_url("nope"))
    assert r.status_code == 404
    assert r.json() == {"detail": "No such call"}


@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "text"),
        ({"text": "a", "segments": [{"speaker": "agent", "text": "b"}]}, "text"),
        ({"text": "   "}, "text"),
        ({"segments": []}, "segments"),
        ({"segments": ["hello"]}, "segments"),
        ({"segments": [{"speaker": "bot", "text": "hi"}]}, "segments"),
        ({"segments": [{"speaker": "agent", "text": ""}]}, "segments"),
        ({"segments": [{"speaker": "agent", "text": "hi", "at": "noon"}]}, "segments"),
        ({"text": "x" * 100_001}, "text"),
    ],
)
def test_bad_transcript_names_the_field_and_changes_nothing(world, admin_api, rita, body, field):
    post(admin_api, event("ringing", RING))
    post(admin_api, {"text": "the first one"}, transcript_url())
    before = stored()
    r = post(admin_api, body, transcript_url())
    assert r.status_code == 400, r.content
    assert list(r.json()["errors"]) == [field]
    assert stored() == before


def test_transcript_permissions(world, api_client, rita, admin_api):
    post(admin_api, event("ringing", RING))
    before = stored()
    # The other organization's own "support" workspace has no such call.
    assert post(api_client(world.outsider), {"text": "x"}, transcript_url()).status_code == 404
    nobody = ws.user_create(organization=world.org, username="nobody", password="pw-12345678")
    assert post(api_client(nobody), {"text": "x"}, transcript_url()).status_code == 403
    # A call of another workspace is not found from this one.
    r = admin_api.post(
        "/api/v1/workspaces/sales/calls/call-1/transcript",
        json.dumps({"text": "x"}),
        content_type="application/json",
    )
    assert r.status_code == 404
    assert stored() == before
