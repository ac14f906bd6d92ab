"""Customer replies arriving by email: find the case, store the message as an inbound email
activity on it (once per Message-ID), reopen it if it was resolved or closed.

A message finds its case by the token in a reply+<token>@ recipient, else in the
In-Reply-To / References headers (our Message-IDs carry it), else in X-Caredesk-Case. The
SMTP server (caredesk.mail.smtp) calls `check_recipient` at RCPT and `receive` at DATA."""

import email
import email.policy
import hashlib
import logging
import re
from dataclasses import dataclass, field
from email.utils import getaddresses, parseaddr, parsedate_to_datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.html import strip_tags

from caredesk.audit.services import audit_changes
from caredesk.care.models import Case
from caredesk.care.services import case_publish_update, case_reopen_on_customer_reply
from caredesk.journey.models import Activity, Direction, MediaType
from caredesk.journey.services import MAX_BODY, activity_create
from caredesk.mail.models import ReplyAddress
from caredesk.mail.services import MSGID_TOKEN

log = logging.getLogger(__name__)

TOKEN_RE = re.compile(r"^reply\+([0-9a-f]{8,40})$", re.IGNORECASE)
# Where the quoted original starts in common mail clients' replies.
QUOTE_START = re.compile(
    r"^(On .{0,200} wrote:|Em .{0,200} escreveu:|Le .{0,200} a écrit :"
    r"|-{2,} ?Original Message ?-{2,}|-{5,} ?Forwarded message|From: .+@.+)\s*$",
    re.IGNORECASE,
)


class UnknownCase(Exception):
    """No case matches the message: the SMTP server answers 550."""


@dataclass
class ParsedMail:
    message_id: str
    sender: str
    to: list[str]
    subject: str
    text: str
    in_reply_to: str = ""
    references: list[str] = field(default_factory=list)
    case_header: str = ""
    date: object = None


def _split(address: str) -> tuple[str, str]:
    local, _, domain = (address or "").strip().strip("<>").rpartition("@")
    return local, domain.lower()


def is_our_domain(address: str) -> bool:
    return _split(address)[1] == settings.CAREDESK_REPLY_DOMAIN.lower()


def recipient_token(address: str) -> str | None:
    local, domain = _split(address)
    if domain != settings.CAREDESK_REPLY_DOMAIN.lower():
        return None
    m = TOKEN_RE.match(local)
    return m.group(1).lower() if m else None


def check_recipient(address: str) -> str | None:
    """None to accept the recipient, or the SMTP refusal to send."""
    if not is_our_domain(address):
        return "550 5.7.1 Relaying denied: not a caredesk reply address"
    token = recipient_token(address)
    local = _split(address)[0]
    if local.lower().startswith("reply+"):
        if token is None or not ReplyAddress.objects.filter(token=token).exists():
            return "550 5.1.1 Unknown reply address: no ticket has it"
    return None


def strip_quoted(text: str) -> str:
    """The new part of a reply: up to the first "On … wrote:" line, without "> " lines."""
    kept = []
    for line in text.splitlines():
        if QUOTE_START.match(line.strip()):
            break
        if line.lstrip().startswith(">"):
            continue
        kept.append(line)
    new = "\n".join(kept).strip()
    return new or text.strip()


def _text(value) -> str:
    return str(value or "").replace("\x00", "").strip()


def parse(raw: bytes) -> ParsedMail:
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    part = msg.get_body(preferencelist=("plain", "html"))
    text = ""
    if part is not None:
        try:
            text = part.get_content()
        except (LookupError, UnicodeError):
            text = part.get_payload(decode=True).decode("utf-8", errors="replace")
        if part.get_content_type() == "text/html":
            text = strip_tags(text)
    try:
        date = parsedate_to_datetime(str(msg["Date"])) if msg["Date"] else None
    except (TypeError, ValueError):
        date = None
    return ParsedMail(
        message_id=_text(msg["Message-ID"]),
        sender=parseaddr(str(msg["From"] or ""))[1].replace("\x00", ""),
        to=[a for _, a in getaddresses([str(v) for v in msg.get_all("To", [])])],
        subject=_text(msg["Subject"]),
        # A customer's mail is stored whatever it holds, so NUL characters (which PostgreSQL
        # text cannot hold) are dropped rather than the message refused.
        text=text.replace("\x00", ""),
        in_reply_to=str(msg["In-Reply-To"] or "").strip(),
        references=str(msg["References"] or "").split(),
        case_header=str(msg["X-Caredesk-Case"] or "").strip().lower(),
        date=date,
    )


def find_case(rcpt_tos: list[str], mail: ParsedMail) -> Case | None:
    tokens = [t for t in (recipient_token(a) for a in rcpt_tos) if t]
    for ref in [mail.in_reply_to, *reversed(mail.references)]:
        tokens += [m.lower() for m in MSGID_TOKEN.findall(ref)]
    if mail.case_header:
        tokens.append(mail.case_header)
    for token in tokens:
        found = ReplyAddress.objects.filter(token=token).select_related("case__workspace").first()
        if found is not None:
            return found.case
    # A reply to one of our messages whose ID does not carry a token (e.g. rewritten).
    ids = [i for i in [mail.in_reply_to, *mail.references] if i]
    if ids:
        sent = (
            Activity.objects.filter(
                media_type=MediaType.EMAIL, external_id__in=ids, case__isnull=False
            )
            .select_related("case__workspace")
            .first()
        )
        if sent is not None:
            return sent.case
    return None


@dataclass
class Received:
    case: Case
    activity: Activity
    created: bool
    reopened: bool


def receive(raw: bytes, rcpt_tos: list[str]) -> Received:
    """Store one inbound message on its case. Raises UnknownCase when nothing matches."""
    mail = parse(raw)
    case = find_case(rcpt_tos, mail)
    if case is None:
        raise UnknownCase("No ticket matches this message")
    external_id = mail.message_id or "sha256:" + hashlib.sha256(raw).hexdigest()
    existing = Activity.objects.filter(
        workspace_id=case.workspace_id, media_type=MediaType.EMAIL, external_id=external_id
    ).first()
    if existing is not None:
        return Received(case, existing, created=False, reopened=False)
    body = strip_quoted(mail.text)[:MAX_BODY]
    try:
        with transaction.atomic():
            activity = activity_create(
                workspace=case.workspace,
                media_type=MediaType.EMAIL,
                direction=Direction.INBOUND,
                contact=case.contact,
                case=case,
                subject=mail.subject[:200],
                body=body,
                channel="email",
                external_id=external_id,
                occurred_at=timezone.now(),
                context={
                    "from": mail.sender,
                    "to": mail.to,
                    "envelope_to": list(rcpt_tos),
                    "message_id": mail.message_id,
                    "in_reply_to": mail.in_reply_to,
                    "sent_at": mail.date.isoformat() if mail.date else "",
                    "full_text": mail.text[:MAX_BODY] if body != mail.text.strip() else "",
                },
            )
            audit_changes(
                workspace=case.workspace,
                obj=case,
                actor=None,
                action="email received",
                changes=[("email", "", f"{mail.sender}: {mail.subject}"[:500])],
            )
            reopened = case_reopen_on_customer_reply(case=case)
            if not reopened:
                case_publish_update(case)
    except IntegrityError:
        # The same message delivered twice at once: the other delivery stored it.
        existing = Activity.objects.get(
            workspace_id=case.workspace_id, media_type=MediaType.EMAIL, external_id=external_id
        )
        return Received(case, existing, created=False, reopened=False)
    log.info("email %s stored on case %s", external_id, case.pk)
    return Received(case, activity, created=True, reopened=reopened)
