"""The same call's events posted at the same time by several threads (each with its own
database connection, as several app processes or telephony retries would) make one activity
with each event once and the right times. PostgreSQL only (row locks between connections;
SQLite's in-memory test database raises "table is locked" instead of waiting)."""

import threading

import pytest
from django.db import connection

from caredesk.customers.services import contact_create
from caredesk.journey.models import Activity
from caredesk.voice.models import CallEvent
from caredesk.voice.services import call_event_record

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 6
EVENTS = [
    ("ringing", "2026-11-23T15:00:00Z"),
    ("answered", "2026-11-23T15:00:12Z"),
    ("ended", "2026-11-23T15:01:12Z"),
]


def test_concurrent_events_of_one_call(world):
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent connections with row locks (PostgreSQL)")
    rita = contact_create(organization=world.org, name="Rita", phones=["+351912345678"])
    barrier = threading.Barrier(THREADS)
    errors, results = [], []

    def worker(n):
        try:
            barrier.wait()
            # Every thread sends every event, each starting at a different one.
            for event, at in EVENTS[n % 3 :] + EVENTS[: n % 3]:
                results.append(
                    call_event_record(
                        workspace=world.support,
                        call_id="c-1",
                        event=event,
                        caller="+351 912 345 678",
                        queue="Billing",
                        agent="agent" if event == "answered" else None,
                        at=at,
                    )
                )
        except Exception as exc:  # re-raised in the test thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(results) == THREADS * 3
    assert sorted(r.event.event for r in results if not r.duplicate) == [
        "answered",
        "ended",
        "ringing",
    ]
    activity = Activity.objects.get()
    assert CallEvent.objects.filter(activity=activity).count() == 3
    assert activity.contact_id == rita.pk
    assert activity.agent_id == world.agent.pk
    assert activity.wait_seconds == 12
    assert activity.context["call"]["state"] == "ended"
    assert activity.context["call"]["duration_seconds"] == 60
