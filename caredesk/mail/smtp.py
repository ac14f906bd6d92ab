"""The SMTP server for customer replies (aiosmtpd). Recipients are checked at RCPT (not our
domain, or a reply+ token no case has: 550), messages stored at DATA (no case matches: 550;
a database failure: 451 so the sending server retries). The handler runs on aiosmtpd's event
loop thread; the database work runs in a worker thread that closes its connection after
each message."""

import logging

from aiosmtpd.controller import Controller
from asgiref.sync import sync_to_async
from django.db import close_old_connections, connection

from caredesk.mail import inbound

log = logging.getLogger(__name__)
# aiosmtpd logs every SMTP command at INFO; keep its warnings only.
logging.getLogger("mail.log").setLevel(logging.WARNING)

MAX_MESSAGE_BYTES = 10 * 1024 * 1024


def _db(fn, *args):
    close_old_connections()
    try:
        return fn(*args)
    finally:
        connection.close()


class ReplyHandler:
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        refusal = await sync_to_async(_db, thread_sensitive=False)(inbound.check_recipient, address)
        if refusal:
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8", errors="surrogateescape")
        try:
            result = await sync_to_async(_db, thread_sensitive=False)(
                inbound.receive, raw, list(envelope.rcpt_tos)
            )
        except inbound.UnknownCase:
            return "550 5.1.1 No ticket matches this message"
        except Exception:
            log.exception("inbound email not stored")
            return "451 4.3.0 Could not store the message; try again later"
        what = "stored" if result.created else "already stored"
        return f"250 Message {what} on ticket #{result.case.number}"


def controller(host: str, port: int) -> Controller:
    """An aiosmtpd Controller (call .start() / .stop()) serving ReplyHandler."""
    return Controller(
        ReplyHandler(),
        hostname=host,
        port=port,
        data_size_limit=MAX_MESSAGE_BYTES,
        server_hostname="caredesk",
    )
