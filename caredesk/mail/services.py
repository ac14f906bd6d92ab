"""Email from a case to its customer. The message goes out through Django's email backend with
the case's reply address, and is stored as an outbound email activity on the case, audited on
the case, in the same transaction: a message the backend refuses leaves nothing behind."""

import logging
import re
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction

from caredesk.care.models import Case
from caredesk.care.services import case_record_change
from caredesk.core.errors import FieldErrors
from caredesk.journey.models import Activity, Direction, MediaType
from caredesk.journey.services import MAX_BODY, activity_create
from caredesk.mail.models import ReplyAddress
from caredesk.workspaces.access import Access
from caredesk.workspaces.permissions import Perm

log = logging.getLogger(__name__)

MAX_SUBJECT = 200
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
    """Write to the case's customer. Errors (FieldErrors): no customer email, empty or
    multi-line subject, empty or too long body, or the mail server refusing the message."""
    access.require(Perm.INBOX_ACCESS)
    subject = (subject or "").strip()
    body = (body or "").strip()
    errors: dict[str, str] = {}
    if not case.customer_email:
        errors["customer_email"] = "This ticket has no customer email to write to."
    if not subject:
        errors["subject"] = "A subject is required."
    elif "\n" in subject or "\r" in subject:
        errors["subject"] = "The subject must be one line."
    elif len(subject) > MAX_SUBJECT:
        errors["subject"] = f"The subject is longer than {MAX_SUBJECT} characters."
    if not body:
        errors["body"] = "The message cannot be empty."
    elif len(body) > MAX_BODY:
        errors["body"] = f"The message is longer than {MAX_BODY} characters."
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
        message = EmailMessage(
            subject=subject,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[case.customer_email],
            reply_to=[reply_to],
            headers=headers,
        )
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
        try:
            message.send(fail_silently=False)
        except Exception as e:  # the backend's error type depends on the backend
            log.warning("email for case %s not sent: %s", case.pk, e)
            raise FieldErrors.one("email", f"The email could not be sent: {e}") from e
    return activity
