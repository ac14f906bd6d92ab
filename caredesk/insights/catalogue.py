"""The metric catalogue: one definition per metric. Every card, chart, table, export, Home
figure, digest line and API answer names a metric of CATALOGUE and computes it through
`caredesk.insights.metrics`, so two places can never disagree. docs/metrics.md repeats the
definitions; tests/insights/test_metrics_doc.py keeps the two in step."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Metric:
    name: str  # the API's `metric=` value
    label: Promise
    # The written definition shown in the info tooltip and in docs/metrics.md.
    definition: Promise
    # count | seconds | percent | score (NPS −100…100, quality 0…100, sentiment −1…1)
    unit: str
    # The rows behind it: tickets | activities | episodes | measures | backlog | responses |
    # invitations | evaluations | analyses (caredesk.insights.sources)
    source: str
    # "up": a rise is good (CSAT); "down": a fall is good (handle time); "": neither (volume)
    better: str = ""
    # The dimensions it can be broken down by (a subset of metrics.DIMENSIONS).
    dimensions: tuple[str, ...] = ("segment", "agent", "channel", "tag", "team")


TICKET_DIMS = ("segment", "queue", "agent", "channel", "team", "tag", "topic")
ACTIVITY_DIMS = ("segment", "queue", "agent", "team", "tag", "topic")
RESPONSE_DIMS = ("segment", "agent", "team", "survey", "tag", "topic")
INVITATION_DIMS = ("segment", "agent", "team", "survey", "tag")

CATALOGUE: dict[str, Metric] = {
    m.name: m
    for m in [
        Metric(
            "tickets",
            _("Tickets"),
            _(
                "Tickets reported in the period that you may see (the same count as the ticket "
                "list and its summary for the same dates). "
                "With a survey filter it is not applicable."
            ),
            "count",
            "tickets",
            dimensions=TICKET_DIMS,
        ),
        Metric(
            "chats",
            _("Chats"),
            _(
                "Chat conversations that started in the period. "
                "With a survey filter, or a channel other than chat, it is not applicable."
            ),
            "count",
            "activities",
            dimensions=ACTIVITY_DIMS,
        ),
        Metric(
            "calls",
            _("Calls"),
            _(
                "Calls (inbound and outbound) that started in the period. "
                "With a survey filter, or a channel other than call, it is not applicable."
            ),
            "count",
            "activities",
            dimensions=ACTIVITY_DIMS,
        ),
        Metric(
            "emails",
            _("Emails"),
            _(
                "Emails received or sent in the period. "
                "With a survey filter, or a channel other than email, it is not applicable."
            ),
            "count",
            "activities",
            dimensions=ACTIVITY_DIMS,
        ),
        Metric(
            "first_response_time",
            _("First response time"),
            _(
                "Mean business time from the start of a wait to the first reply by a person, "
                "over the waits that started in the period and were answered: a new ticket, a "
                "reopened ticket (counted again from the reopen), a chat from the customer's "
                "first message, an inbound email. Bot and system messages never count as a "
                "reply; time outside business hours and on holidays does not count. "
                "With a survey filter it is not applicable."
            ),
            "seconds",
            "episodes",
            "down",
            TICKET_DIMS,
        ),
        Metric(
            "handle_time",
            _("Average handle time"),
            _(
                "Mean time from the start to the end of the chats and calls that started in the "
                "period and have ended (clock time, not business time). "
                "With a survey filter, or a channel other than chat or call, it is not applicable."
            ),
            "seconds",
            "activities",
            "down",
            (*ACTIVITY_DIMS, "channel"),
        ),
        Metric(
            "wait_time",
            _("Wait time"),
            _(
                "Mean time customers waited in the queue before an agent took their chat or "
                "call, over the chats and calls of the period that were queued. "
                "With a survey filter, or a channel other than chat or call, it is not applicable."
            ),
            "seconds",
            "activities",
            "down",
            (*ACTIVITY_DIMS, "channel"),
        ),
        Metric(
            "resolution_time",
            _("Resolution time"),
            _(
                "Mean business time from a ticket's report to its last resolution, over the "
                "tickets resolved or closed in the period. Time outside business hours and on "
                "holidays does not count. "
                "With a survey filter it is not applicable."
            ),
            "seconds",
            "measures",
            "down",
            TICKET_DIMS,
        ),
        Metric(
            "first_contact_resolution",
            _("First contact resolution"),
            _(
                "Share of the tickets resolved in the period that were resolved at the first "
                "contact: never reopened, with at most one inbound contact. "
                "With a survey filter it is not applicable."
            ),
            "percent",
            "measures",
            "up",
            TICKET_DIMS,
        ),
        Metric(
            "reopen_rate",
            _("Reopen rate"),
            _(
                "Share of the tickets resolved in the period that had been reopened at least once. "
                "With a survey filter it is not applicable."
            ),
            "percent",
            "measures",
            "down",
            TICKET_DIMS,
        ),
        Metric(
            "backlog",
            _("Backlog"),
            _(
                "Tickets open at the end of the period: reported before its end and not "
                "resolved or closed by then. "
                "With a survey filter it is not applicable."
            ),
            "count",
            "backlog",
            "down",
            TICKET_DIMS,
        ),
        Metric(
            "backlog_age",
            _("Backlog age"),
            _(
                "Mean age of the backlog's tickets at the end of the period: the time from each "
                "open ticket's report to the end of the period (clock time). "
                "With a survey filter it is not applicable."
            ),
            "seconds",
            "backlog",
            "down",
            TICKET_DIMS,
        ),
        Metric(
            "sla_attainment",
            _("SLA attainment"),
            _(
                "Share of the tickets resolved in the period that were resolved within the "
                "workspace's resolution target in business hours. Tickets whose target is not "
                "known are left out. "
                "With a survey filter it is not applicable."
            ),
            "percent",
            "measures",
            "up",
            TICKET_DIMS,
        ),
        Metric(
            "nps",
            _("NPS"),
            _(
                "Net Promoter Score of the NPS survey responses of the period: the percentage "
                "of promoters (scores 9–10) minus the percentage of detractors (0–6), from "
                "−100 to 100. Responses without a score are left out. "
                "With a queue filter, or a channel other than survey response, it is not "
                "applicable."
            ),
            "score",
            "responses",
            "up",
            RESPONSE_DIMS,
        ),
        Metric(
            "csat",
            _("CSAT"),
            _(
                "Customer satisfaction: the percentage of the CSAT survey responses of the "
                "period (scores 1–5) that scored 4 or 5. Responses without a score are left "
                "out. "
                "With a queue filter, or a channel other than survey response, it is not "
                "applicable."
            ),
            "percent",
            "responses",
            "up",
            RESPONSE_DIMS,
        ),
        Metric(
            "survey_response_rate",
            _("Survey response rate"),
            _(
                "Share of the survey invitations emailed in the period that the customer has "
                "answered (so far). "
                "With a queue or topic filter, or a channel other than survey response, it is "
                "not applicable."
            ),
            "percent",
            "invitations",
            "up",
            INVITATION_DIMS,
        ),
        Metric(
            "survey_responses",
            _("Survey responses"),
            _(
                "Survey responses received in the period, of every survey. "
                "With a queue filter, or a channel other than survey response, it is not "
                "applicable."
            ),
            "count",
            "responses",
            "",
            RESPONSE_DIMS,
        ),
        Metric(
            "quality_score",
            _("Quality score"),
            _(
                "Mean score (0–100) of the evaluations of work done in the period (calibration "
                "scores left out). "
                "With a survey filter it is not applicable."
            ),
            "score",
            "evaluations",
            "up",
            TICKET_DIMS,
        ),
        Metric(
            "pass_rate",
            _("Pass rate"),
            _(
                "Share of the evaluations of work done in the period that passed their "
                "scorecard (calibration scores left out). "
                "With a survey filter it is not applicable."
            ),
            "percent",
            "evaluations",
            "up",
            TICKET_DIMS,
        ),
        Metric(
            "sentiment",
            _("Sentiment"),
            _(
                "Mean sentiment of the customers' own words in the conversations, emails and "
                "survey verbatims of the period, from −1 (very negative) to 1 (very positive)."
            ),
            "score",
            "analyses",
            "up",
            TICKET_DIMS,
        ),
    ]
}


def metric(name: str) -> Metric:
    """The metric of that name; KeyError for an unknown one (callers check first)."""
    return CATALOGUE[name]
