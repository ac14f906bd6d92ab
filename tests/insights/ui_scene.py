"""A small contact center for the Insights tab's tests (insights-ui): tickets in Lisbon's
stores, in Italy and in no segment, over the last weeks, and chats on some of them."""

import datetime as dt

from django.utils import timezone

from caredesk.journey.models import Activity
from caredesk.routing.models import Queue

# (segment attribute of the world or None, days ago) of each ticket.
TICKETS = [
    ("store1", 2),
    ("store1", 5),
    ("store1", 10),
    ("store2", 3),
    ("store2", 40),
    ("italy", 1),
    ("italy", 2),
    ("italy", 3),
    ("italy", 4),
    (None, 6),
]


def build(world):
    """The world with its tickets (world.cases) and chats; returns the world."""
    w = world
    Queue.objects.create(workspace=w.support, name="General")
    w.cases = []
    for seg, days in TICKETS:
        segment = getattr(w, seg) if seg else None
        owner = w.manager if seg and seg.startswith("store") else None
        w.cases.append(w.make_case(w.support, segment=segment, owner=owner, days_ago=days))
    now = timezone.now()
    for case, n in ((w.cases[0], 2), (w.cases[5], 1)):
        for i in range(n):
            Activity.objects.create(
                workspace=w.support,
                media_type="chat",
                direction="inbound",
                case=case,
                agent=w.agent,
                queue_name="General",
                subject=f"Chat {i}",
                occurred_at=now - dt.timedelta(days=1, hours=i),
            )
    return w
