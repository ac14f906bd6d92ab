"""Customer replies over a real SMTP conversation: the aiosmtpd server of `caredesk
mail-inbound` on a free port, smtplib sending. The database work happens in the server's
threads, so these tests commit (transaction=True)."""

import smtplib
import socket
import subprocess
import sys
import time
from email.message import EmailMessage

import pytest
from django.core import mail as django_mail
from django.test import override_settings

from caredesk.audit.models import AuditEntry
from caredesk.care.models import Case, CaseComment
from caredesk.journey.models import Activity
from caredesk.mail.inbound import strip_quoted
from caredesk.mail.models import ReplyAddress
from caredesk.mail.smtp import controller

DOMAIN = "reply.acme.test"
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("reply_domain"),
]


@pytest.fixture
def reply_domain():
    with override_settings(CAREDESK_REPLY_DOMAIN=DOMAIN):
        yield


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server():
    server = controller("127.0.0.1", free_port())
    server.start()
    yield server
    server.stop()


def smtp(server) -> smtplib.SMTP:
    return smtplib.SMTP(server.hostname, server.port, timeout=10)


def message(to, *, subject="Re: About your visit", body="Thanks, call me.", **headers):
    m = EmailMessage()
    m["From"] = "Ana <ana@example.com>"
    m["To"] = to
    m["Subject"] = subject
    m["Message-ID"] = headers.pop("message_id", "<reply-1@mail.example.com>")
    for k, v in headers.items():
        m[k.replace("_", "-")] = v
    m.set_content(body)
    return m


@pytest.fixture
def resolved_case(world):
    case = world.make_case(
        world.support,
        segment=world.lisbon,
        owner=world.manager,
        status="resolved",
        customer_email="ana@example.com",
    )
    Case.objects.filter(pk=case.pk).update(resolution_reason="resolved_contacted")
    case.refresh_from_db()
    token = ReplyAddress.objects.create(case=case).token
    return case, token


def test_reply_to_the_reply_address_is_stored_and_reopens_the_case(smtp_server, resolved_case):
    case, token = resolved_case
    body = "Thanks, call me after 6pm.\n\nOn Mon, 23 Nov 2026 caredesk wrote:\n> Sorry!\n"
    with smtp(smtp_server) as client:
        refused = client.send_message(message(f"reply+{token}@{DOMAIN}", body=body))
    assert refused == {}

    (activity,) = Activity.objects.filter(case=case)
    assert (activity.media_type, activity.direction) == ("email", "inbound")
    assert activity.subject == "Re: About your visit"
    assert activity.body == "Thanks, call me after 6pm."  # quoted original stripped
    assert activity.external_id == "<reply-1@mail.example.com>"
    assert activity.contact_id == case.contact_id
    assert activity.context["from"] == "ana@example.com"
    assert activity.context["envelope_to"] == [f"reply+{token}@{DOMAIN}"]

    case.refresh_from_db()
    assert (case.status, case.resolution_reason, case.closed_at) == ("open", "", None)
    assert CaseComment.objects.filter(case=case).last().body == "Customer replied by email"
    log = list(
        AuditEntry.objects.filter(object_id=case.pk, object_type="case")
        .order_by("id")
        .values_list("actor", "action", "field", "old_value", "new_value")
    )
    assert log == [
        (None, "email received", "email", "", "ana@example.com: Re: About your visit"),
        (None, "reopened", "status", "resolved", "open"),
        (None, "reopened", "resolution_reason", "resolved_contacted", ""),
    ]


def test_the_same_message_delivered_twice_is_stored_once(smtp_server, resolved_case):
    case, token = resolved_case
    for _ in range(2):
        with smtp(smtp_server) as client:
            client.send_message(message(f"reply+{token}@{DOMAIN}"))
    assert Activity.objects.filter(case=case).count() == 1
    assert AuditEntry.objects.filter(object_id=case.pk, action="email received").count() == 1


def test_unknown_token_is_refused_with_550_and_nothing_stored(smtp_server, resolved_case):
    case, _ = resolved_case
    with smtp(smtp_server) as client:
        with pytest.raises(smtplib.SMTPRecipientsRefused) as e:
            client.send_message(message(f"reply+{'0' * 24}@{DOMAIN}"))
    ((code, text),) = e.value.recipients.values()
    assert code == 550 and b"Unknown reply address" in text
    assert Activity.objects.count() == 0
    case.refresh_from_db()
    assert case.status == "resolved"


def test_other_domains_are_refused(smtp_server, resolved_case):
    _, token = resolved_case
    with smtp(smtp_server) as client:
        client.ehlo()
        code, text = client.docmd("MAIL FROM:<ana@example.com>")
        assert code == 250
        code, text = client.docmd(f"RCPT TO:<reply+{token}@elsewhere.example>")
    assert code == 550 and b"Relaying denied" in text
    assert Activity.objects.count() == 0


def test_matched_by_in_reply_to_when_the_recipient_has_no_token(
    smtp_server, world, as_user, resolved_case
):
    case, token = resolved_case
    Case.objects.filter(pk=case.pk).update(status="open", resolution_reason="")
    # The message we sent carries the token in its Message-ID.
    sent_id = f"<111.222.333.case.{token}@{DOMAIN}>"
    with smtp(smtp_server) as client:
        client.send_message(message(f"support@{DOMAIN}", In_Reply_To=sent_id, References=sent_id))
    (activity,) = Activity.objects.filter(case=case)
    assert activity.direction == "inbound"
    case.refresh_from_db()
    assert case.status == "open"  # it was open: nothing to reopen
    assert not AuditEntry.objects.filter(object_id=case.pk, action="reopened").exists()


def test_matched_by_the_x_caredesk_case_header(smtp_server, resolved_case):
    case, token = resolved_case
    with smtp(smtp_server) as client:
        client.send_message(message(f"help@{DOMAIN}", X_Caredesk_Case=token))
    assert Activity.objects.filter(case=case, direction="inbound").count() == 1


def test_a_message_matching_no_case_is_refused_at_data(smtp_server, resolved_case):
    with smtp(smtp_server) as client:
        with pytest.raises(smtplib.SMTPDataError) as e:
            client.send_message(message(f"help@{DOMAIN}", In_Reply_To="<unknown@mail.example.com>"))
    assert e.value.smtp_code == 550
    assert b"No ticket matches this message" in e.value.smtp_error
    assert Activity.objects.count() == 0


def test_the_loop_email_out_and_the_reply_back_in(smtp_server, world, as_user):
    """The whole loop: the manager writes from the ticket, the customer's client replies to
    the Reply-To with In-Reply-To, and the reply appears in the ticket's email thread."""
    case = world.make_case(
        world.support, segment=world.lisbon, owner=world.manager, customer_email="ana@x.io"
    )
    client = as_user(world.manager)
    r = client.post(
        f"/w/support/tickets/{case.number}/email/",
        {"subject": "Your visit", "body": "We are sorry."},
        HTTP_HX_REQUEST="true",
    )
    assert r.status_code == 200
    (sent,) = django_mail.outbox
    reply = message(
        sent.reply_to[0],
        subject="Re: Your visit",
        body="It's fine <b>really</b>",
        message_id="<answer@x.io>",
        In_Reply_To=sent.extra_headers["Message-ID"],
    )
    with smtp(smtp_server) as s:
        s.send_message(reply)
    assert list(
        Activity.objects.filter(case=case).order_by("id").values_list("direction", "subject")
    ) == [("outbound", "Your visit"), ("inbound", "Re: Your visit")]
    html = client.get(f"/w/support/tickets/{case.number}/", HTTP_HX_REQUEST="true")
    text = html.content.decode()
    assert "It&#x27;s fine &lt;b&gt;really&lt;/b&gt;" in text and "<b>really</b>" not in text


def test_html_only_mail_is_stored_as_text(smtp_server, resolved_case):
    case, token = resolved_case
    m = EmailMessage()
    m["From"] = "ana@example.com"
    m["To"] = f"reply+{token}@{DOMAIN}"
    m["Subject"] = "html"
    m["Message-ID"] = "<html-1@x.io>"
    m.set_content("<p>Hello <b>there</b></p>", subtype="html")
    with smtp(smtp_server) as client:
        client.send_message(m)
    assert Activity.objects.get(case=case).body == "Hello there"


def test_strip_quoted_keeps_the_new_text():
    assert strip_quoted("Yes.\n\n> old\n> older") == "Yes."
    assert strip_quoted("Ok\nEm seg, 23 nov 2026 Ana escreveu:\nold") == "Ok"
    assert strip_quoted("> all quoted") == "> all quoted"


def test_mail_inbound_command_receives_mail(world, resolved_case, tmp_path):
    """`caredesk mail-inbound` as its own process, on the test database file."""
    from django.db import connection

    if connection.vendor != "postgresql" and "memory" in str(connection.settings_dict["NAME"]):
        pytest.skip("the test database is in memory: another process cannot open it")
    case, token = resolved_case
    port = free_port()
    env_db = _database_url(connection)
    proc = subprocess.Popen(
        [sys.executable, "-m", "caredesk", "mail-inbound", "--port", str(port)],
        env={**_env(), "DATABASE_URL": env_db, "CAREDESK_REPLY_DOMAIN": DOMAIN},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        line = proc.stdout.readline().decode()
        assert f"on 127.0.0.1:{port}" in line, line
        for _ in range(50):
            try:
                client = smtplib.SMTP("127.0.0.1", port, timeout=10)
                break
            except OSError:
                time.sleep(0.1)
        with client:
            client.send_message(message(f"reply+{token}@{DOMAIN}", message_id="<cmd@x.io>"))
        assert Activity.objects.filter(case=case, external_id="<cmd@x.io>").count() == 1
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _env():
    import os

    return {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"} | {"DEBUG": "1"}


def _database_url(connection) -> str:
    s = connection.settings_dict
    if connection.vendor == "postgresql":
        auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
        return f"postgres://{auth}@{s['HOST']}:{s['PORT'] or 5432}/{s['NAME']}"
    return f"sqlite:///{s['NAME']}"


def test_nul_characters_in_a_customers_mail_are_dropped_and_the_mail_stored(
    smtp_server, resolved_case
):
    """PostgreSQL text cannot hold NUL; a customer's reply is stored without them."""
    case, token = resolved_case
    with smtp(smtp_server) as client:
        refused = client.send_message(
            message(f"reply+{token}@{DOMAIN}", subject="Re: a\x00b", body="call\x00 me")
        )
    assert refused == {}
    (activity,) = Activity.objects.filter(case=case)
    assert (activity.subject, activity.body) == ("Re: ab", "call me")
