"""The drill-down rows as the lists show them: for one page of `metrics.rows(...)`, each row's
kind, id, ticket number, time, segment, agent, its own value of the metric and the link to
its page. A fixed number of queries per page (names read in bulk), never one per row."""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.urls import reverse

from caredesk.analysis.models import SourceKind
from caredesk.care.models import Case
from caredesk.insights import sources as src
from caredesk.insights.catalogue import CATALOGUE
from caredesk.insights.filters import InsightFilters
from caredesk.workspaces.access import Access
from caredesk.workspaces.models import Segment

KINDS = {
    "tickets": "ticket",
    "backlog": "ticket",
    "measures": "ticket",
    "activities": "activity",
    "episodes": "episode",
    "responses": "response",
    "invitations": "invitation",
    "evaluations": "evaluation",
    "analyses": "analysis",
}

SELECT = {
    "tickets": ("segment", "owner"),
    "backlog": ("segment", "owner"),
    "activities": ("case", "case__segment", "agent"),
    "responses": ("segment", "case", "case__owner"),
    "invitations": ("case", "case__segment", "case__owner"),
    "evaluations": ("agent",),
}


@dataclass(frozen=True)
class Row:
    kind: str
    id: int
    number: int | None
    when: dt.datetime | None
    segment: str
    agent: str
    value: float | None
    url: str


def prepare(qs, name: str):
    """The rows' queryset with what `describe` reads joined in."""
    return qs.select_related(*SELECT.get(CATALOGUE[name].source, ()))


def _name(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


def _share(flag) -> float | None:
    return None if flag is None else (100.0 if flag else 0.0)


def describe(access: Access, name: str, filters: InsightFilters, items: list) -> list[Row]:
    source = CATALOGUE[name].source
    slug = access.workspace.slug
    org = access.workspace.organization_id

    def ticket_url(number):
        return reverse("ticket_detail", args=[slug, number]) if number else ""

    def activity_url(pk):
        return reverse("journey_activity", args=[slug, pk]) if pk else ""

    paths = {getattr(i, "segment_path", "") for i in items}
    segments = dict(
        Segment.objects.filter(organization_id=org, path__in=paths - {""}).values_list(
            "path", "name"
        )
    )
    user_ids = {getattr(i, "agent_id", None) for i in items} - {None}
    case_ids = {getattr(i, "case_id", None) for i in items} - {None}
    cases = {}
    if source in ("episodes", "measures", "analyses") and case_ids:
        cases = {
            c.pk: c
            for c in Case.objects.filter(
                workspace=access.workspace, pk__in=case_ids
            ).select_related("owner")
        }
    users = {}
    if source in ("episodes", "analyses") and user_ids:
        users = {u.pk: u for u in get_user_model().objects.filter(pk__in=user_ids)}
    end = filters.bounds()[1]
    out = []
    for i in items:
        if source in ("tickets", "backlog"):
            value = (end - i.reported_at).total_seconds() if name == "backlog_age" else None
            out.append(
                Row(
                    "ticket",
                    i.pk,
                    i.number,
                    i.reported_at,
                    i.segment.name if i.segment else "",
                    _name(i.owner),
                    value,
                    ticket_url(i.number),
                )
            )
        elif source == "activities":
            value = None
            if name == "handle_time":
                value = (i.ended_at - i.started_at).total_seconds()
            elif name == "wait_time":
                value = float(i.wait_seconds)
            case = i.case
            out.append(
                Row(
                    "activity",
                    i.pk,
                    case.number if case else None,
                    i.occurred_at,
                    case.segment.name if case and case.segment else "",
                    _name(i.agent),
                    value,
                    activity_url(i.pk),
                )
            )
        elif source == "episodes":
            case = cases.get(i.case_id)
            out.append(
                Row(
                    "episode",
                    i.pk,
                    case.number if case else None,
                    i.started_at,
                    segments.get(i.segment_path, ""),
                    _name(users.get(i.agent_id)),
                    float(i.business_seconds) if i.business_seconds is not None else None,
                    ticket_url(case.number) if case else activity_url(i.activity_id),
                )
            )
        elif source == "measures":
            case = cases.get(i.case_id)
            value = {
                "resolution_time": i.resolution_business_seconds,
                "first_contact_resolution": _share(i.first_contact_resolution),
                "reopen_rate": _share(i.reopen_count > 0),
                "sla_attainment": _share(i.sla_met),
            }[name]
            out.append(
                Row(
                    "ticket",
                    i.case_id,
                    case.number if case else None,
                    i.resolved_at,
                    segments.get(i.segment_path, ""),
                    _name(case.owner if case else None),
                    None if value is None else float(value),
                    ticket_url(case.number if case else None),
                )
            )
        elif source == "responses":
            value = None
            if name in ("nps", "csat") and i.score is not None:
                value = float(i.score)
            out.append(
                Row(
                    "response",
                    i.pk,
                    i.case.number if i.case else None,
                    i.responded_at,
                    i.segment.name if i.segment else "",
                    _name(i.case.owner if i.case else None),
                    value,
                    reverse("feedback_response", args=[slug, i.pk]),
                )
            )
        elif source == "invitations":
            case = i.case
            url = (
                reverse("feedback_response", args=[slug, i.response_id])
                if i.response_id
                else ticket_url(case.number if case else None)
            )
            out.append(
                Row(
                    "invitation",
                    i.pk,
                    case.number if case else None,
                    i.sent_at,
                    case.segment.name if case and case.segment else "",
                    _name(case.owner if case else None),
                    _share(i.answered_at is not None),
                    url,
                )
            )
        elif source == "evaluations":
            value = float(i.score) if name == "quality_score" else _share(i.passed)
            out.append(
                Row(
                    "evaluation",
                    i.pk,
                    None,
                    i.occurred_at,
                    segments.get(i.segment_path, ""),
                    _name(i.agent),
                    value,
                    reverse("evaluation_detail", args=[slug, i.pk]),
                )
            )
        else:
            case = cases.get(i.case_id)
            url = (
                activity_url(i.source_id)
                if i.source == SourceKind.ACTIVITY
                else reverse("feedback_response", args=[slug, i.source_id])
            )
            out.append(
                Row(
                    "analysis",
                    i.pk,
                    case.number if case else None,
                    i.occurred_at,
                    segments.get(i.segment_path, ""),
                    _name(users.get(i.agent_id)),
                    i.customer_sentiment,
                    url,
                )
            )
    return out


def time_of(name: str, row) -> dt.datetime:
    """The row's value of its list's order column (the cursor's key)."""
    return getattr(row, src.TIME_FIELD[CATALOGUE[name].source])
