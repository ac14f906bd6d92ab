"""Writing to the customer from a ticket: the message through Django's email backend (locmem in
tests), with the case's reply address and headers, stored as an outbound email activity,
audited, and resetting the inactivity clock. Every refusal leaves nothing sent or stored."""

import datetime as dt

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from caredesk.audit.models import AuditEntry
from caredesk.care.models import Case
from caredesk.journey.models import Activity
from caredesk.mail.models import ReplyAddress

from .conftest import HX


def email_url(case):
    return f"/w/support/tickets/{case.number}/email/"


def send(client, case, subject="About your visit", body="Sorry!\nWe'll call you.", **extra):
    return client.post(email_url(case), {"subject": subject, "body": body}, **extra)


@override_settings(CAREDESK_REPLY_DOMAIN="reply.acme.test")
def test_send_stores_an_outbound_activity_with_reply_address_and_headers(world, as_user):
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
    assert "Email sent to ana@example.com." in r.content.decode()
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


def test_the_thread_is_shown_in_the_dialog_escaped(world, as_user):
    case = world.make_case(world.support, segment=world.lisbon, customer_email="ana@example.com")
    client = as_user(world.admin)
    r = send(client, case, subject="Hi <b>there</b>", body="<script>x()</script>", **HX)
    assert r.status_code == 200
    html = client.get(f"/w/support/tickets/{case.number}/", **HX).content.decode()
    assert "Hi &lt;b&gt;there&lt;/b&gt;" in html and "<b>there</b>" not in html
    assert "&lt;script&gt;x()&lt;/script&gt;" in html and "<script>x()" not in html


def test_without_htmx_a_send_redirects_to_the_open_dialog(world, as_user):
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
def test_bad_input_is_refused_and_nothing_is_sent_or_stored(world, as_user, subject, body, errors):
    case = world.make_case(world.support, segment=world.lisbon)
    before = Case.objects.get(pk=case.pk).last_activity_at
    r = send(as_user(world.admin), case, subject=subject, body=body, **HX)
    assert r.status_code == 400
    html = r.content.decode()
    for message in errors.values():
        assert message in html
    assert mail.outbox == []
    assert Activity.objects.count() == 0
    assert AuditEntry.objects.filter(object_id=case.pk).count() == 0
    assert Case.objects.get(pk=case.pk).last_activity_at == before


def test_a_ticket_without_customer_email_cannot_be_written_to(world, as_user):
    case = world.make_case(world.support, segment=world.lisbon)
    Case.objects.filter(pk=case.pk).update(customer_email="", contact=None)
    r = send(as_user(world.admin), case, **HX)
    assert r.status_code == 400
    assert "This ticket has no customer email to write to." in r.content.decode()
    assert mail.outbox == [] and Activity.objects.count() == 0
    assert ReplyAddress.objects.count() == 0


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("smtp.example.com:587 refused the connection")


@override_settings(EMAIL_BACKEND="tests.mail.test_outbound.FailingBackend")
def test_a_mail_server_failure_stores_nothing(world, as_user):
    case = world.make_case(world.support, segment=world.lisbon)
    r = send(as_user(world.admin), case, **HX)
    assert r.status_code == 400
    assert "The email could not be sent: smtp.example.com:587 refused" in r.content.decode()
    assert Activity.objects.count() == 0
    assert AuditEntry.objects.filter(object_id=case.pk).count() == 0
    assert ReplyAddress.objects.count() == 0


def test_permissions(world, as_user):
    lisbon = world.make_case(world.support, segment=world.lisbon)
    italy = world.make_case(world.support, segment=world.italy)
    # No inbox access: 403; outside the management area or the organization: 404.
    assert send(as_user(world.agent), lisbon, **HX).status_code == 403
    assert send(as_user(world.manager), italy, **HX).status_code == 404
    assert send(as_user(world.outsider), lisbon, **HX).status_code == 404
    assert as_user(world.manager).get(email_url(lisbon)).status_code == 405
    assert mail.outbox == [] and Activity.objects.count() == 0
