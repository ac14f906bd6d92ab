"""Sending queued email (caredesk.mail.services): each message's attempt right after the
commit that queued it, its retries with backoff, and a minute sweep for what no task carries
any more (a process died between the commit and the send, or during an attempt)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from caredesk.mail import services
from caredesk.mail.models import OutboundStatus


@db_task()
def send_outbound_email(email_id: int) -> None:
    email = services.outbound_attempt(email_id=email_id)
    if email is not None and email.status == OutboundStatus.FAILED and email.next_attempt_at:
        send_outbound_email.schedule(args=(email_id,), eta=email.next_attempt_at)


@db_periodic_task(crontab(minute="*"))
def send_due_outbound_email() -> int:
    """Send every message whose attempt is due; returns how many were sent."""
    sent = 0
    for email_id in services.outbound_due():
        email = services.outbound_attempt(email_id=email_id)
        sent += email is not None and email.status == OutboundStatus.SENT
    return sent
