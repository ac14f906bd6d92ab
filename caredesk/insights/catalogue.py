"""The metric catalogue: one definition per metric. Every card, chart, table, export, Home
figure, digest line and API answer names a metric of CATALOGUE and computes it through
`caredesk.insights.metrics`, so two places can never disagree. docs/metrics.md repeats the
definitions; tests/insights/test_catalogue_doc.py keeps the two in step."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Metric:
    name: str  # the API's `metric=` value
    label: Promise
    # The written definition shown in the info tooltip and in docs/metrics.md.
    definition: Promise
    # count | seconds | percent | score (NPS −100…100, CSAT 1…5, quality 0…100) | ratio
    unit: str
    # tickets | activities | episodes | responses | evaluations | analyses: the rows behind it
    source: str
    # "up": a rise is good (CSAT); "down": a fall is good (handle time); "": neither (volume)
    better: str = ""
    # The dimensions it can be broken down by (a subset of metrics.DIMENSIONS).
    dimensions: tuple[str, ...] = ("segment", "agent", "channel", "tag", "team")


CATALOGUE: dict[str, Metric] = {
    m.name: m
    for m in [
        Metric(
            "tickets",
            _("Tickets"),
            _(
                "Tickets reported in the period that you may see (the same count as the ticket "
                "list and its summary for the same dates)."
            ),
            "count",
            "tickets",
        ),
        Metric(
            "chats",
            _("Chats"),
            _("Chat conversations that started in the period."),
            "count",
            "activities",
            dimensions=("segment", "queue", "agent", "tag", "team"),
        ),
        Metric(
            "calls",
            _("Calls"),
            _("Calls (inbound and outbound) that started in the period."),
            "count",
            "activities",
            dimensions=("segment", "queue", "agent", "tag", "team"),
        ),
        Metric(
            "emails",
            _("Emails"),
            _("Emails received or sent in the period."),
            "count",
            "activities",
            dimensions=("segment", "queue", "agent", "tag", "team"),
        ),
    ]
}


def metric(name: str) -> Metric:
    """The metric of that name; KeyError for an unknown one (callers check first)."""
    return CATALOGUE[name]
