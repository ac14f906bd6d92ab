"""The webhook action against a real local HTTP server: signed body, retries with backoff."""

import datetime as dt
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from huey.contrib.djhuey import HUEY

from caredesk.feedback.evaluation import evaluate
from caredesk.feedback.models import AlertRule, WebhookDelivery
from caredesk.feedback.services import rule_create


class Receiver:
    def __init__(self, failures: int):
        self.failures = failures
        self.calls: list[tuple[dict, bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.calls.append((dict(self.headers), body))
                status = 500 if len(receiver.calls) <= receiver.failures else 204
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(autouse=True)
def local_webhooks_allowed(settings):
    """These receivers listen on 127.0.0.1, which a webhook may only target when the
    installation says so (tests/feedback/test_webhook_targets.py tests the refusal)."""
    settings.CAREDESK_WEBHOOK_ALLOW_PRIVATE = True


@pytest.fixture
def receiver():
    made = []

    def make(failures):
        made.append(Receiver(failures))
        return made[-1]

    yield make
    for r in made:
        r.close()


def run_scheduled(django_capture_on_commit_callbacks) -> int:
    """Run the retries huey scheduled (immediate mode keeps them in memory), as if their time
    had come; returns how many ran."""
    ran = 0
    later = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(days=1)
    while tasks := HUEY.read_schedule(later):
        for task in tasks:
            with django_capture_on_commit_callbacks(execute=True):
                HUEY.execute(task, timestamp=later)
            ran += 1
    return ran


def test_signed_post_fails_twice_then_succeeds(
    world, nps, post, receiver, django_capture_on_commit_callbacks
):
    AlertRule.objects.update(is_active=False)
    hook = receiver(failures=2)
    rule = rule_create(
        workspace=world.support,
        name="Hook",
        criteria={"keywords": ["refund"]},
        actions={"webhook": {"url": hook.url}},
    )
    r = post(
        nps,
        {"score": 2, "comment": "Refund please", "external_id": "e-1", "transaction": {"o": 1}},
    )
    rid = r.json()["id"]
    assert len(hook.calls) == 1
    first = WebhookDelivery.objects.get()
    assert (first.attempt, first.status_code, first.succeeded) == (1, 500, False)
    assert first.error == "HTTP 500"
    assert round((first.next_at - first.attempted_at).total_seconds()) == 30

    assert run_scheduled(django_capture_on_commit_callbacks) == 2
    rows = list(WebhookDelivery.objects.order_by("attempt"))
    assert [(d.attempt, d.status_code, d.succeeded) for d in rows] == [
        (1, 500, False),
        (2, 500, False),
        (3, 204, True),
    ]
    # Exponential backoff: 30 s, then 60 s; nothing after the success.
    assert round((rows[1].next_at - rows[1].attempted_at).total_seconds()) == 60
    assert rows[2].next_at is None

    assert len(hook.calls) == 3
    for attempt, (headers, body) in enumerate(hook.calls, start=1):
        expected = hmac.new(rule.webhook_secret.encode(), body, hashlib.sha256).hexdigest()
        assert headers["X-Caredesk-Signature"] == f"sha256={expected}"
        assert headers["Content-Type"] == "application/json"
        assert headers["X-Caredesk-Delivery"] == f"{rule.pk}-{rid}-{attempt}"
    payload = json.loads(hook.calls[0][1])
    assert payload["rule"] == {"id": rule.pk, "name": "Hook"}
    assert payload["response"]["id"] == rid
    assert payload["response"]["comment"] == "Refund please"
    assert payload["response"]["external_id"] == "e-1"
    assert payload["response"]["transaction"] == {"o": 1}
    assert payload["case"] is None

    # Evaluating the response again calls nobody.
    evaluate([rid])
    assert run_scheduled(django_capture_on_commit_callbacks) == 0
    assert len(hook.calls) == 3


def test_gives_up_after_five_attempts_and_records_errors(
    world, nps, post, django_capture_on_commit_callbacks
):
    AlertRule.objects.update(is_active=False)
    # A port nobody listens on: every attempt is a connection error.
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    rule_create(
        workspace=world.support,
        name="Dead hook",
        criteria={},
        actions={"webhook": {"url": f"http://127.0.0.1:{port}/x"}},
    )
    post(nps, {"score": 2})
    run_scheduled(django_capture_on_commit_callbacks)
    rows = list(WebhookDelivery.objects.order_by("attempt"))
    assert [d.attempt for d in rows] == [1, 2, 3, 4, 5]
    assert all(d.status_code is None and d.error and not d.succeeded for d in rows)
    assert [d.next_at is None for d in rows] == [False, False, False, False, True]


def test_calls_whose_task_was_lost_are_made_by_the_sweep(
    world, nps, api_client, receiver, settings, django_capture_on_commit_callbacks
):
    """The evaluation committed but its call was never queued, then a failed attempt's retry
    was never scheduled (processes killed at those moments): the worker's sweep makes each
    call once its time is past the grace period, and never twice."""
    from caredesk.feedback.models import PendingWebhook
    from caredesk.feedback.tasks import deliver_owed_webhooks

    settings.CAREDESK_EVALUATION_GRACE_SECONDS = 60
    AlertRule.objects.update(is_active=False)
    hook = receiver(failures=1)
    rule = rule_create(
        workspace=world.support,
        name="Hook",
        criteria={"keywords": ["refund"]},
        actions={"webhook": {"url": hook.url}},
    )
    r = api_client(world.admin).post(
        f"/api/v1/workspaces/support/surveys/{nps.pk}/responses",
        {"score": 2, "comment": "Refund please"},
        content_type="application/json",
    )
    rid = r.json()["id"]
    evaluate([rid])  # its call is queued on commit: never, here
    owed = PendingWebhook.objects.get()
    assert (owed.rule_id, owed.response_id, owed.attempt) == (rule.pk, rid, 1)

    def sweep():
        with django_capture_on_commit_callbacks(execute=True):
            deliver_owed_webhooks()
        HUEY.storage.flush_schedule()  # the retry it schedules is lost too

    sweep()
    assert hook.calls == []  # within the grace period its own task may still come
    PendingWebhook.objects.update(due_at=owed.due_at - dt.timedelta(seconds=61))
    sweep()
    assert len(hook.calls) == 1
    owed = PendingWebhook.objects.get()
    assert (owed.attempt, owed.claimed_until) == (2, None)

    sweep()
    assert len(hook.calls) == 1  # attempt 2 is due in 30 s, plus the grace period
    PendingWebhook.objects.update(due_at=owed.due_at - dt.timedelta(seconds=91))
    sweep()
    sweep()
    rows = WebhookDelivery.objects.order_by("attempt").values_list("attempt", "succeeded")
    assert list(rows) == [(1, False), (2, True)]
    assert len(hook.calls) == 2 and not PendingWebhook.objects.exists()
