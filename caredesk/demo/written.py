"""Picking the demo's written texts (caredesk.demo.voices) for a customer: the language of
the store they deal with, a verbatim that fits their score, a ticket's first comment, and the
emails of the support tickets with the agent's reply."""

import datetime as dt
import random

from caredesk.care.models import Case, Status
from caredesk.demo.voices import EMAILS, ENGLISH_SHARE, TICKET_COMMENTS, VERBATIMS
from caredesk.journey.models import Activity, Direction, MediaType

# Of the support tickets, how many came in by email (with the customer's email and, once
# someone worked on it, the reply).
EMAIL_SHARE = 0.25


def language(rnd: random.Random, store_language: str) -> str:
    """The customer's language: their store's, or English for some."""
    return "en" if rnd.random() < ENGLISH_SHARE else store_language


def nps_band(score: int) -> str:
    return "detractor" if score <= 6 else ("passive" if score <= 8 else "promoter")


def csat_band(score: int) -> str:
    return "detractor" if score <= 2 else ("passive" if score == 3 else "promoter")


def verbatim(rnd: random.Random, lang: str, band: str) -> str:
    """A comment that fits the band; a few customers write nothing."""
    if rnd.random() < 0.1:
        return ""
    return rnd.choice(VERBATIMS[lang][band])


def ticket_comment(rnd: random.Random, lang: str) -> str:
    return rnd.choice(TICKET_COMMENTS[lang])


def seed_emails(rnd: random.Random, workspace, languages: dict[int, str], emails: dict) -> int:
    """Turn some of the workspace's tickets into email tickets: the customer's email (the
    ticket's title and comment) and, unless nobody has picked it up yet, its owner's reply a
    few hours later. `languages`: store segment id → language; `emails`: contact id → address.
    Returns how many emails it wrote."""
    cases = list(
        Case.objects.filter(workspace=workspace, contact__isnull=False)
        .select_related("owner", "contact")
        .order_by("number")
    )
    picked = [c for c in cases if rnd.random() < EMAIL_SHARE]
    activities, changed = [], []
    for case in picked:
        lang = language(rnd, languages.get(case.segment_id, "en"))
        subject, body, reply = rnd.choice(EMAILS[lang])
        fmt = {
            "customer": case.contact.name.split()[0],
            "agent": case.owner.first_name if case.owner else "Acme Retail",
            "order": f"A-{30000 + case.number}",
        }
        case.title = subject.format(**fmt)[:200]
        case.customer_comment = body.format(**fmt)
        changed.append(case)
        address = emails.get(case.contact_id, "")
        activities.append(
            Activity(
                workspace=workspace,
                media_type=MediaType.EMAIL,
                direction=Direction.INBOUND,
                contact=case.contact,
                account_id=case.contact.account_id,
                case=case,
                subject=case.title,
                body=case.customer_comment,
                channel="email",
                external_id=f"<demo-{workspace.slug}-{case.number}@example.com>",
                occurred_at=case.reported_at,
                context={"from": address, "to": ["support@acme.example"]},
            )
        )
        if case.owner is None or case.status == Status.NEW:
            continue
        answered = min(case.last_activity_at, case.reported_at + dt.timedelta(hours=3))
        activities.append(
            Activity(
                workspace=workspace,
                media_type=MediaType.EMAIL,
                direction=Direction.OUTBOUND,
                contact=case.contact,
                account_id=case.contact.account_id,
                case=case,
                agent=case.owner,
                subject=f"Re: {case.title}"[:200],
                body=reply.format(**fmt),
                channel="email",
                external_id=f"<demo-reply-{workspace.slug}-{case.number}@acme.example>",
                occurred_at=max(answered, case.reported_at + dt.timedelta(minutes=20)),
                context={"from": "support@acme.example", "to": [address]},
            )
        )
    Case.objects.bulk_update(changed, ["title", "customer_comment"], batch_size=500)
    stored = Activity.objects.bulk_create(activities, batch_size=500)
    # created_at is stamped on insert: an email was stored when it was sent.
    for a in stored:
        a.created_at = a.occurred_at
    Activity.objects.bulk_update(stored, ["created_at"], batch_size=500)
    return len(stored)
