"""Writing to the customer from a ticket: stored as an outbound email activity, audited, and
queued in one transaction; sent through Django's email backend (locmem, or a real local SMTP
server here) only after that transaction commits, with the case's reply address and headers.
A failed attempt is kept with its error and retried with backoff; a rolled-back write and
every refusal send nothing."""

import datetime as dt
import email as email_parser
import socket
import types
from email import policy

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from caredesk.audit.models import AuditEntry
from caredesk.care.models import Case
from caredesk.core.templatetags.fmt import when
from caredesk.journey.models import Activity
from caredesk.mail import services
from caredesk.mail.models import OutboundEmail, ReplyAddress
from caredesk.mail.services import case_email_send
from caredesk.mail.tasks import send_due_outbound_email
from caredesk.workspaces.access import get_access

from .conftest import HX


@pytest.fixture(autouse=True)
def empty_schedule():
    """Huey's immediate mode keeps scheduled retries in memory, across tests."""
    HUEY.flush()
    yield
    HUEY.flush()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what the block queued after commit (the test's own transaction never commits)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def clock(monkeypatch):
    """The time caredesk.mail.services reads; `clock.now` can be moved on."""
    c = types.SimpleNamespace(now=timezone.now())
    monkeypatch.setattr(services, "timezone", types.SimpleNamespace(now=lambda: c.now))
    return c


def run_due_retries(clock) -> list:
    """Run the retries huey scheduled, each at its time (immediate mode keeps them in
    memory); returns their etas."""
    etas = []
    far = dt.datetime.now(dt.UTC).replace(tzinfo=None) + dt.timedelta(days=1)
    while tasks := HUEY.read_schedule(far):
        for task in sorted(tasks, key=lambda t: t.eta):
            etas.append(task.eta)
            clock.now = task.eta.replace(tzinfo=dt.UTC)
            HUEY.execute(task, timestamp=far)
    return etas


def email_url(case):
    return f"/w/support/tickets/{case.number}/email/"


def post(client, case, subject="About your visit", body="Sorry!\nWe'll call you.", **extra):
    return client.post(email_url(case), {"subject": subject, "body": body}, **extra)


@pytest.fixture
def send(committed):
    """Post the email form; what the request queued after commit runs."""

    def send(*args, **kwargs):
        with committed():
            return post(*args, **kwargs)

    return send


@override_settings(CAREDESK_REPLY_DOMAIN="reply.acme.test")
def test_send_stores_an_outbound_activity_with_reply_address_and_headers(world, as_user, send):
    old = timezone.now() - dt.timedelta(days=4)
    case = world.make_case(
        world.support,
        segment=world.lisbon,
        owner=world.manager,
        customer_email="ana@example.com",
        last_activity_at=old,
    )
    r = send(as_user(world.manager), case, **HX)
    assert r.status_code == 200
    assert "Email to ana@example.com queued for sending." in r.content.decode()
    assert r["HX-Trigger"] == "tickets-changed"

    (msg,) = mail.outbox
    token = ReplyAddress.objects.get(case=case).token
    assert msg.to == ["ana@example.com"]
    assert msg.subject == "About your visit"
    assert msg.body == "Sorry!\nWe'll call you."
    assert msg.reply_to == [f"reply+{token}@reply.acme.test"]
    assert msg.extra_headers["X-Caredesk-Case"] == token
    message_id = msg.extra_headers["Message-ID"]
    assert message_id.startswith("<") and f"case.{token}@reply.acme.test>" in message_id
    assert "In-Reply-To" not in msg.extra_headers

    (activity,) = Activity.objects.filter(case=case)
    assert (activity.media_type, activity.direction) == ("email", "outbound")
    assert (activity.subject, activity.body) == ("About your visit", "Sorry!\nWe'll call you.")
    assert activity.external_id == message_id
    assert activity.contact_id == case.contact_id
    assert activity.created_by == world.manager and activity.agent == world.manager
    assert activity.context["reply_to"] == f"reply+{token}@reply.acme.test"
    assert list(
        AuditEntry.objects.filter(object_id=case.pk, object_type="case").values_list(
            "actor__username", "action", "field", "new_value"
        )
    ) == [("manager", "email sent", "email", "About your visit")]
    case.refresh_from_db()
    assert case.last_activity_at > old

    # The second message continues the thread: same reply address, In-Reply-To the first.
    send(as_user(world.manager), case, subject="Follow-up", **HX)
    second = mail.outbox[1]
    assert second.reply_to == [f"reply+{token}@reply.acme.test"]
    assert second.extra_headers["In-Reply-To"] == message_id
    assert second.extra_headers["References"] == message_id
    assert ReplyAddress.objects.count() == 1


def test_the_thread_is_shown_in_the_dialog_escaped(world, as_user, send):
    case = world.make_case(world.support, segment=world.lisbon, customer_email="ana@example.com")
    client = as_user(world.admin)
    r = send(client, case, subject="Hi <b>there</b>", body="<script>x()</script>", **HX)
    assert r.status_code == 200
    html = client.get(f"/w/support/tickets/{case.number}/", **HX).content.decode()
    assert "Hi &lt;b&gt;there&lt;/b&gt;" in html and "<b>there</b>" not in html
    assert "&lt;script&gt;x()&lt;/script&gt;" in html and "<script>x()" not in html


def test_without_htmx_a_send_redirects_to_the_open_dialog(world, as_user, send):
    case = world.make_case(world.support, segment=world.lisbon)
    r = send(as_user(world.admin), case)
    assert r.status_code == 302 and r["Location"] == f"/w/support/tickets/?open={case.number}"
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    "subject, body, errors",
    [
        ("", "Hello", {"subject": "A subject is required."}),
        ("Hi", "   ", {"body": "The message cannot be empty."}),
        ("Hi\r\nBcc: x@evil.io", "Hello", {"subject": "The subject must be one line."}),
        ("x" * 201, "Hello", {"subject": "The subject is longer than 200 characters."}),
        ("Hi", "x" * 100_001, {"body": "The message is longer than 100000 characters."}),
    ],
)
def test_bad_input_is_refused_and_nothing_is_sent_or_stored(
    world, as_user, send, subject, body, errors
):
    case = world.make_case(world.support, segment=world.lisbon)
    before = Case.objects.get(pk=case.pk).last_activity_at
    r = send(as_user(world.admin), case, subject=subject, body=body, **HX)
    assert r.status_code == 400
    html = r.content.decode()
    for message in errors.values():
        assert message in html
    assert mail.outbox == []
    assert Activity.objects.count() == 0 and OutboundEmail.objects.count() == 0
    assert AuditEntry.objects.filter(object_id=case.pk).count() == 0
    assert Case.objects.get(pk=case.pk).last_activity_at == before


def test_a_ticket_without_customer_email_cannot_be_written_to(world, as_user, send):
    case = world.make_case(world.support, segment=world.lisbon)
    Case.objects.filter(pk=case.pk).update(customer_email="", contact=None)
    r = send(as_user(world.admin), case, **HX)
    assert r.status_code == 400
    assert "This ticket has no customer email to write to." in r.content.decode()
    assert mail.outbox == [] and Activity.objects.count() == 0
    assert OutboundEmail.objects.count() == 0
    assert ReplyAddress.objects.count() == 0 and OutboundEmail.objects.count() == 0


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("smtp.example.com:587 refused the connection")


def test_permissions(world, as_user, send):
    lisbon = world.make_case(world.support, segment=world.lisbon)
    italy = world.make_case(world.support, segment=world.italy)
    # No inbox access: 403; outside the management area or the organization: 404.
    assert send(as_user(world.agent), lisbon, **HX).status_code == 403
    assert send(as_user(world.manager), italy, **HX).status_code == 404
    assert send(as_user(world.outsider), lisbon, **HX).status_code == 404
    assert as_user(world.manager).get(email_url(lisbon)).status_code == 405
    assert mail.outbox == [] and Activity.objects.count() == 0
    assert OutboundEmail.objects.count() == 0


# --------------------------------------------------------------------------- after commit


def test_the_message_is_queued_in_the_transaction_and_sent_after_it_commits(
    world, as_user, django_capture_on_commit_callbacks
):
    case = world.make_case(world.support, segment=world.lisbon, customer_email="ana@example.com")
    with django_capture_on_commit_callbacks() as after_commit:
        r = post(as_user(world.admin), case, **HX)
        assert r.status_code == 200
        # Stored with the activity, nothing sent while the transaction is open.
        (queued,) = OutboundEmail.objects.all()
        assert (queued.status, queued.attempts, queued.sent_at) == ("queued", 0, None)
        assert mail.outbox == []
    (activity,) = Activity.objects.filter(case=case)
    assert queued.activity == activity and queued.case == case
    assert queued.to == ["ana@example.com"] and queued.subject == "About your visit"
    assert queued.headers["Message-ID"] == activity.external_id

    for callback in after_commit:
        callback()
    (msg,) = mail.outbox
    assert msg.extra_headers["Message-ID"] == activity.external_id
    queued.refresh_from_db()
    assert (queued.status, queued.attempts, queued.last_error) == ("sent", 1, "")
    assert queued.sent_at is not None and queued.next_attempt_at is None


def test_nothing_is_stored_or_sent_when_the_transaction_rolls_back(
    world, django_capture_on_commit_callbacks
):
    case = world.make_case(world.support, segment=world.lisbon, customer_email="ana@example.com")
    access = get_access(world.admin, "support")
    with django_capture_on_commit_callbacks(execute=True) as after_commit:
        with pytest.raises(RuntimeError), transaction.atomic():
            case_email_send(access=access, case=case, subject="Hi", body="Hello")
            assert OutboundEmail.objects.count() == 1
            raise RuntimeError("a later step of the same write failed")
    assert after_commit == []
    assert mail.outbox == []
    assert OutboundEmail.objects.count() == 0 and Activity.objects.count() == 0
    assert send_due_outbound_email.call_local() == 0
    assert mail.outbox == []


class Sink:
    """An SMTP server's handler that answers 451 (try again later) to the first `failures`
    messages, then accepts."""

    def __init__(self, failures: int):
        self.failures = failures
        self.tries = 0
        self.received = []

    async def handle_DATA(self, server, session, envelope):
        self.tries += 1
        if self.tries <= self.failures:
            return "451 4.3.0 Mailbox busy, try again later"
        self.received.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp_server():
    made = []

    def start(failures: int) -> Sink:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        sink = Sink(failures)
        controller = Controller(sink, hostname="127.0.0.1", port=port)
        controller.start()
        made.append(controller)
        override = override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
            EMAIL_USE_TLS=False,
            EMAIL_USE_SSL=False,
            EMAIL_HOST_USER="",
            EMAIL_HOST_PASSWORD="",
        )
        override.enable()
        made.append(override)
        return sink

    yield start
    for thing in reversed(made):
        thing.disable() if hasattr(thing, "disable") else thing.stop()


def test_a_refusing_mail_server_marks_the_message_failed_then_it_is_retried_and_sent(
    world, as_user, send, smtp_server, clock
):
    sink = smtp_server(failures=2)
    case = world.make_case(world.support, segment=world.lisbon, customer_email="ana@example.com")
    queued_at = clock.now
    client = as_user(world.admin)
    r = send(client, case, **HX)
    # The write stands: the agent's message is on the ticket, the mail server's answer is
    # the worker's business.
    assert r.status_code == 200
    (activity,) = Activity.objects.filter(case=case)
    email = OutboundEmail.objects.get()
    assert email.status == "failed"
    assert email.last_error == "(451, b'4.3.0 Mailbox busy, try again later')"
    assert email.attempts == 1
    assert email.next_attempt_at == queued_at + dt.timedelta(seconds=60)
    assert sink.received == []
    # The ticket's email thread says so, escaped.
    dialog = client.get(f"/w/support/tickets/{case.number}/", **HX).content.decode()
    local = when(email.next_attempt_at)  # the locale's date format (docs/i18n.md)
    assert (
        f"Not sent yet ((451, b&#x27;4.3.0 Mailbox busy, try again later&#x27;)); next try {local}"
    ) in dialog

    # The worker retries at 1 minute, then 2 minutes after the failures; the third try goes.
    etas = run_due_retries(clock)
    assert [eta.replace(tzinfo=dt.UTC) - queued_at for eta in etas] == [
        dt.timedelta(seconds=60),
        dt.timedelta(seconds=60 + 120),
    ]
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == ("sent", 3, "")
    assert email.sent_at is not None and email.next_attempt_at is None
    (envelope,) = sink.received
    assert envelope.rcpt_tos == ["ana@example.com"]
    received = email_parser.message_from_bytes(envelope.original_content, policy=policy.default)
    assert received["Message-ID"].strip() == activity.external_id
    assert received["Subject"] == "About your visit"
    assert received["Reply-To"] == activity.context["reply_to"]
    assert sink.tries == 3
    dialog = client.get(f"/w/support/tickets/{case.number}/", **HX).content.decode()
    assert f"Sent {when(email.sent_at)}" in dialog
    assert "Not sent" not in dialog
    # Nothing more is due.
    assert run_due_retries(clock) == []
    assert send_due_outbound_email.call_local() == 0 and sink.tries == 3


@override_settings(EMAIL_BACKEND="tests.mail.test_outbound.FailingBackend")
def test_a_message_the_server_never_takes_is_given_up_after_the_last_attempt(
    world, as_user, send, clock
):
    case = world.make_case(world.support, segment=world.lisbon)
    start = clock.now
    assert send(as_user(world.admin), case, **HX).status_code == 200
    etas = run_due_retries(clock)
    # 1, 2, 4 … 64 minutes after each failure: seven retries after the first attempt.
    waits = [60 * 2**n for n in range(services.MAX_ATTEMPTS - 1)]
    assert [eta.replace(tzinfo=dt.UTC) - start for eta in etas] == [
        dt.timedelta(seconds=sum(waits[: n + 1])) for n in range(len(waits))
    ]
    email = OutboundEmail.objects.get()
    assert (email.status, email.attempts, email.next_attempt_at) == (
        "failed",
        services.MAX_ATTEMPTS,
        None,
    )
    assert email.last_error == "smtp.example.com:587 refused the connection"
    clock.now += dt.timedelta(days=30)
    assert services.outbound_due() == []
    assert services.outbound_attempt(email_id=email.pk) is None


def test_the_sweep_sends_what_a_crash_left_queued_once(
    world, as_user, django_capture_on_commit_callbacks, clock
):
    case = world.make_case(world.support, segment=world.lisbon, customer_email="ana@example.com")
    # The process died between the commit and handing the message to the worker: the
    # callbacks never run.
    with django_capture_on_commit_callbacks(execute=False):
        assert post(as_user(world.admin), case, **HX).status_code == 200
    email = OutboundEmail.objects.get()
    assert email.status == "queued" and mail.outbox == []

    assert send_due_outbound_email.call_local() == 1
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == ("sent", 1)
    # The task that was to send it arrives late, and the sweep runs again: nothing twice.
    assert services.outbound_attempt(email_id=email.pk) is None
    assert send_due_outbound_email.call_local() == 0
    assert len(mail.outbox) == 1


def test_a_message_being_sent_is_not_sent_again_by_another_sender(world, clock, monkeypatch):
    case = world.make_case(world.support, segment=world.lisbon, customer_email="ana@example.com")
    email = services.outbound_queue(
        case=case, from_email="a@acme.test", to=["ana@example.com"], subject="S", body="B"
    )
    during = []

    def send_messages(self, messages):
        # While the first sender talks to the mail server, the sweep comes by.
        during.append(services.outbound_due())
        during.append(services.outbound_attempt(email_id=email.pk))
        mail.outbox.extend(messages)
        return len(messages)

    monkeypatch.setattr(
        "django.core.mail.backends.locmem.EmailBackend.send_messages", send_messages
    )
    sent = services.outbound_attempt(email_id=email.pk)
    assert sent.status == "sent" and sent.attempts == 1
    assert during == [[], None]
    assert len(mail.outbox) == 1

    # A sender that died mid-attempt leaves the claim: the message is due again after it.
    stuck = services.outbound_queue(
        case=case, from_email="a@acme.test", to=["ana@example.com"], subject="S2", body="B"
    )
    OutboundEmail.objects.filter(pk=stuck.pk).update(
        attempts=1, next_attempt_at=clock.now + dt.timedelta(seconds=services.CLAIM_SECONDS)
    )
    assert services.outbound_due() == []
    clock.now += dt.timedelta(seconds=services.CLAIM_SECONDS)
    assert services.outbound_due() == [stuck.pk]


def test_the_sweep_runs_every_minute_in_the_worker():
    due = HUEY.read_periodic(dt.datetime(2026, 1, 1, 12, 7))
    assert "send_due_outbound_email" in [t.name for t in due]
