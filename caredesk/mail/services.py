"""Email from a case to its customer. The message is stored as an outbound email activity on
the case, audited on the case, and queued (OutboundEmail) in one transaction; it goes out
through Django's email backend only after that transaction commits, so no database lock is
held while a mail server answers, and a rolled-back write sends nothing. A failed attempt is
recorded with its error and retried by the worker with backoff; the worker's minute sweep
sends whatever a crash left queued."""

import datetime as dt
import logging
import re
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from caredesk.care.models import Case
from caredesk.care.services import case_record_change
from caredesk.core.errors import FieldErrors
from caredesk.journey.models import Activity, Direction, MediaType
from caredesk.journey.services import MAX_BODY, activity_create
from caredesk.mail.models import OutboundEmail, OutboundStatus, ReplyAddress
from caredesk.workspaces.access import Access
from caredesk.workspaces.permissions import Perm

log = logging.getLogger(__name__)

MAX_SUBJECT = 200
# Attempts at sending one message: the first right after commit, then after 1, 2, 4 … minutes
# (RETRY_FIRST_DELAY doubling), about four hours in all before giving up.
MAX_ATTEMPTS = 8
RETRY_FIRST_DELAY = 60  # seconds
# An attempt talks to the mail server for at most SEND_TIMEOUT seconds; its claim keeps other
# senders off for CLAIM_SECONDS, so a sender that died mid-attempt is retried after that.
SEND_TIMEOUT = 60
CLAIM_SECONDS = 300
# Our Message-IDs carry the case token, so a reply's In-Reply-To / References finds the case.
MSGID_TOKEN = re.compile(r"case\.([0-9a-f]{24})@", re.IGNORECASE)


def reply_token(case: Case) -> str:
    return ReplyAddress.objects.get_or_create(case=case)[0].token


def reply_address(token: str) -> str:
    return f"reply+{token}@{settings.CAREDESK_REPLY_DOMAIN}"


def _last_message_ids(case: Case) -> list[str]:
    """Message-IDs of the case's thread, oldest first, for In-Reply-To / References."""
    ids = (
        Activity.objects.filter(case=case, media_type=MediaType.EMAIL)
        .exclude(external_id="")
        .order_by("occurred_at", "id")
        .values_list("external_id", flat=True)
    )
    return [i for i in ids if i.startswith("<")][-20:]


def case_email_send(*, access: Access, case: Case, subject: str, body: str) -> Activity:
    """Write to the case's customer: the activity and the queued message are stored now, the
    message is sent once this commits (see outbound_attempt). Errors (FieldErrors): no
    customer email, empty or multi-line subject, empty or too long body."""
    access.require(Perm.INBOX_ACCESS)
    subject = (subject or "").strip()
    body = (body or "").strip()
    errors: dict[str, str] = {}
    if not case.customer_email:
        errors["customer_email"] = _("This ticket has no customer email to write to.")
    if not subject:
        errors["subject"] = _("A subject is required.")
    elif "\n" in subject or "\r" in subject:
        errors["subject"] = _("The subject must be one line.")
    elif len(subject) > MAX_SUBJECT:
        errors["subject"] = _("The subject is longer than %(count)s characters.") % {
            "count": MAX_SUBJECT
        }
    if not body:
        errors["body"] = _("The message cannot be empty.")
    elif len(body) > MAX_BODY:
        errors["body"] = _("The message is longer than %(count)s characters.") % {"count": MAX_BODY}
    if errors:
        raise FieldErrors(errors)

    with transaction.atomic():
        token = reply_token(case)
        message_id = make_msgid(idstring=f"case.{token}", domain=settings.CAREDESK_REPLY_DOMAIN)
        reply_to = reply_address(token)
        headers = {"Message-ID": message_id, "X-Caredesk-Case": token}
        thread = _last_message_ids(case)
        if thread:
            headers["In-Reply-To"] = thread[-1]
            headers["References"] = " ".join(thread)
        activity = activity_create(
            workspace=case.workspace,
            media_type=MediaType.EMAIL,
            direction=Direction.OUTBOUND,
            actor=access.user,
            contact=case.contact,
            case=case,
            agent=access.user,
            subject=subject,
            body=body,
            channel="email",
            external_id=message_id,
            context={
                "from": settings.DEFAULT_FROM_EMAIL,
                "to": [case.customer_email],
                "reply_to": reply_to,
                "message_id": message_id,
                "in_reply_to": headers.get("In-Reply-To", ""),
            },
        )
        case_record_change(
            access=access, case=case, action="email sent", changes=[("email", "", subject)]
        )
        outbound_queue(
            case=case,
            activity=activity,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[case.customer_email],
            reply_to=[reply_to],
            subject=subject,
            body=body,
            headers=headers,
        )
    return activity


# --------------------------------------------------------------------------- outbound queue


def outbound_queue(
    *,
    from_email: str,
    to: list[str],
    subject: str,
    body: str,
    reply_to: list[str] | None = None,
    headers: dict | None = None,
    case: Case | None = None,
    activity: Activity | None = None,
) -> OutboundEmail:
    """Store a message to send; the caller's transaction decides whether it exists. Its first
    attempt is handed to the worker once that transaction commits."""
    email = OutboundEmail.objects.create(
        case=case,
        activity=activity,
        from_email=from_email,
        to=list(to),
        reply_to=list(reply_to or []),
        subject=subject,
        body=body,
        headers=dict(headers or {}),
        next_attempt_at=timezone.now(),
    )
    transaction.on_commit(lambda: _enqueue(email.pk))
    return email


def _enqueue(email_id: int) -> None:
    from caredesk.mail.tasks import send_outbound_email

    try:
        send_outbound_email(email_id)
    except Exception:
        # The message is stored: the worker's sweep (outbound_send_due) sends it later.
        log.exception("outbound email %s not handed to the worker", email_id)


def retry_delay(attempts: int) -> dt.timedelta:
    """The wait after the `attempts`-th failed attempt."""
    return dt.timedelta(seconds=RETRY_FIRST_DELAY * 2 ** (attempts - 1))


def outbound_attempt(*, email_id: int, now: dt.datetime | None = None) -> OutboundEmail | None:
    """Send the message once if it is due. Returns it as the attempt left it (sent, or failed
    with `last_error` and the next attempt's time, or none when the attempts ran out), or
    None when it was not due: already sent, given up, waiting for its retry, or claimed by
    another sender."""
    now = now or timezone.now()
    # The claim is one short write in autocommit: no transaction is open while the mail
    # server is talked to.
    claimed = OutboundEmail.objects.filter(
        pk=email_id,
        status__in=(OutboundStatus.QUEUED, OutboundStatus.FAILED),
        next_attempt_at__lte=now,
    ).update(next_attempt_at=now + dt.timedelta(seconds=CLAIM_SECONDS), attempts=F("attempts") + 1)
    if not claimed:
        return None
    email = OutboundEmail.objects.get(pk=email_id)
    message = EmailMessage(
        subject=email.subject,
        body=email.body,
        from_email=email.from_email,
        to=email.to,
        reply_to=email.reply_to,
        headers=email.headers,
        connection=get_connection(fail_silently=False, timeout=SEND_TIMEOUT),
    )
    try:
        message.send(fail_silently=False)
    except Exception as e:  # the backend's error type depends on the backend
        email.status = OutboundStatus.FAILED
        email.last_error = (str(e) or type(e).__name__)[:2000]
        email.next_attempt_at = (
            now + retry_delay(email.attempts) if email.attempts < MAX_ATTEMPTS else None
        )
        log.warning("outbound email %s (attempt %s) not sent: %s", email.pk, email.attempts, e)
    else:
        email.status = OutboundStatus.SENT
        email.last_error = ""
        email.next_attempt_at = None
        email.sent_at = timezone.now()
    email.save(update_fields=["status", "last_error", "next_attempt_at", "sent_at"])
    return email


def outbound_due(*, now: dt.datetime | None = None, limit: int = 100) -> list[int]:
    """Ids of the messages whose (next) attempt is due, oldest first."""
    now = now or timezone.now()
    return list(
        OutboundEmail.objects.filter(
            status__in=(OutboundStatus.QUEUED, OutboundStatus.FAILED), next_attempt_at__lte=now
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
