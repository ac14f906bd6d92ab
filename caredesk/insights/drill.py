"""The rows behind a figure, as the drill-down page and its Excel export show them.

`metrics.rows` chooses the rows (and so the count); this module only lays them out: one
table per kind of row (tickets, activities, response episodes, case measures, survey
responses, evaluations, analyses), each row with a link to the page that shows it. The page
and the export share the columns, so the file holds what the list shows, every row of it."""

import datetime as dt
import itertools
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from caredesk.analysis.models import Analysis
from caredesk.care.export import XLSX_CONTENT_TYPE
from caredesk.care.models import Case, Origin, Priority, Status
from caredesk.core import zones
from caredesk.core.xlsx import XlsxSheetWriter
from caredesk.feedback.models import Response
from caredesk.insights.catalogue import Metric
from caredesk.insights.filters import InsightFilters
from caredesk.insights.models import CaseMeasure, ResponseEpisode
from caredesk.journey.models import Activity, MediaType
from caredesk.quality.models import Evaluation
from caredesk.workspaces.access import Access

CHUNK = 2000


@dataclass(frozen=True)
class Column:
    header: Any  # lazy text
    width: float
    kind: str = "text"  # text | when | num | seconds | bool


@dataclass
class Row:
    values: list  # one per column, as Python values (datetimes aware)
    url: str = ""  # the page of the row
    ref: str = ""  # the text of the link (ticket number, …)
    cells: list | None = None  # (kind, value) for the page, durations as text


def _person(user) -> str:
    if user is None:
        return ""
    return f"{user.first_name} {user.last_name}".strip() or user.username


def _choice(choices) -> dict:
    return {value: str(label) for value, label in choices.choices}


class Layout:
    """How one kind of row is shown. `prepare` narrows the query (joins for the columns);
    `rows` turns a chunk of model instances into Rows with a few batch lookups at most."""

    columns: tuple[Column, ...] = ()

    def prepare(self, qs: QuerySet) -> QuerySet:
        return qs

    def rows(self, access: Access, items: list) -> list[Row]:
        raise NotImplementedError


def _url(name: str, access: Access, *args) -> str:
    return reverse(name, args=[access.workspace.slug, *args])


def _case_numbers(ids: Iterable) -> dict[int, int]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return dict(Case.objects.filter(pk__in=ids).values_list("pk", "number"))


class Tickets(Layout):
    columns = (
        Column(_("Ticket"), 9, "num"),
        Column(_("Title"), 30),
        Column(_("Customer email"), 30),
        Column(_("Segment"), 22),
        Column(_("Owner"), 22),
        Column(_("Status"), 11),
        Column(_("Priority"), 10),
        Column(_("Origin"), 16),
        Column(_("Reported on"), 18, "when"),
    )

    def prepare(self, qs):
        return qs.select_related("segment", "owner")

    def rows(self, access, items):
        status, prio, origin = _choice(Status), _choice(Priority), _choice(Origin)
        return [
            Row(
                [
                    c.number,
                    c.title,
                    c.customer_email,
                    c.segment.name if c.segment else "",
                    _person(c.owner),
                    status.get(c.status, c.status),
                    prio.get(c.priority, c.priority),
                    origin.get(c.origin, c.origin),
                    c.reported_at,
                ],
                _url("ticket_detail", access, c.number),
                f"#{c.number}",
            )
            for c in items
        ]


class Activities(Layout):
    columns = (
        Column(_("Kind"), 14),
        Column(_("Started"), 18, "when"),
        Column(_("Customer"), 28),
        Column(_("Agent"), 22),
        Column(_("Queue"), 18),
        Column(_("Ticket"), 9, "num"),
        Column(_("Subject"), 40),
    )

    def prepare(self, qs):
        return qs.select_related("contact", "agent", "case")

    def rows(self, access, items):
        kinds = _choice(MediaType)
        out = []
        for a in items:
            # The customer's journey shows the conversation in its context; without a
            # customer, the ticket's; without either, the activity alone.
            if a.contact_id:
                url = _url("journey_contact", access, a.contact_id)
            elif a.case_id:
                url = _url("journey_case", access, a.case.number)
            else:
                url = _url("journey_activity", access, a.pk)
            out.append(
                Row(
                    [
                        kinds.get(a.media_type, a.media_type),
                        a.occurred_at,
                        str(a.contact) if a.contact else "",
                        _person(a.agent),
                        a.queue_name,
                        a.case.number if a.case else None,
                        a.subject,
                    ],
                    url,
                    kinds.get(a.media_type, a.media_type),
                )
            )
        return out


def _ticket_or_activity(access, numbers, case_id, activity_id) -> tuple[str, str]:
    if case_id and case_id in numbers:
        return _url("ticket_detail", access, numbers[case_id]), f"#{numbers[case_id]}"
    if activity_id:
        return _url("journey_activity", access, activity_id), gettext("Conversation")
    return "", ""


class Episodes(Layout):
    columns = (
        Column(_("Ticket"), 9, "num"),
        Column(_("Channel"), 12),
        Column(_("Waiting since"), 18, "when"),
        Column(_("Answered"), 18, "when"),
        Column(_("Business time"), 14, "seconds"),
        Column(_("Within SLA"), 10, "bool"),
        Column(_("Queue"), 18),
    )

    def rows(self, access, items):
        numbers = _case_numbers(e.case_id for e in items)
        out = []
        for e in items:
            url, ref = _ticket_or_activity(access, numbers, e.case_id, e.activity_id)
            out.append(
                Row(
                    [
                        numbers.get(e.case_id),
                        e.channel,
                        e.started_at,
                        e.responded_at,
                        e.business_seconds,
                        e.sla_met,
                        e.queue_name,
                    ],
                    url,
                    ref,
                )
            )
        return out


class Measures(Layout):
    columns = (
        Column(_("Ticket"), 9, "num"),
        Column(_("Reported on"), 18, "when"),
        Column(_("Resolved on"), 18, "when"),
        Column(_("Business time to resolve"), 16, "seconds"),
        Column(_("Reopened"), 10, "num"),
        Column(_("Within SLA"), 10, "bool"),
        Column(_("First contact resolution"), 12, "bool"),
    )

    def rows(self, access, items):
        numbers = _case_numbers(m.case_id for m in items)
        out = []
        for m in items:
            url, ref = _ticket_or_activity(access, numbers, m.case_id, None)
            out.append(
                Row(
                    [
                        numbers.get(m.case_id),
                        m.reported_at,
                        m.resolved_at,
                        m.resolution_business_seconds,
                        m.reopen_count,
                        m.sla_met,
                        m.first_contact_resolution,
                    ],
                    url,
                    ref,
                )
            )
        return out


class Responses(Layout):
    columns = (
        Column(_("Response"), 10, "num"),
        Column(_("Survey"), 24),
        Column(_("Score"), 8, "num"),
        Column(_("Customer email"), 30),
        Column(_("Answered on"), 18, "when"),
        Column(_("Comment"), 50),
    )

    def prepare(self, qs):
        return qs.select_related("survey")

    def rows(self, access, items):
        return [
            Row(
                [r.pk, r.survey.name, r.score, r.customer_email, r.responded_at, r.comment],
                _url("feedback_response", access, r.pk),
                f"#{r.pk}",
            )
            for r in items
        ]


class Evaluations(Layout):
    columns = (
        Column(_("Evaluation"), 10, "num"),
        Column(_("Agent"), 22),
        Column(_("Scorecard"), 24),
        Column(_("Score"), 8, "num"),
        Column(_("Passed"), 8, "bool"),
        Column(_("Evaluated on"), 18, "when"),
    )

    def prepare(self, qs):
        return qs.select_related("agent", "scorecard")

    def rows(self, access, items):
        return [
            Row(
                [e.pk, _person(e.agent), e.scorecard.name, e.score, e.passed, e.created_at],
                _url("evaluation_detail", access, e.pk),
                f"#{e.pk}",
            )
            for e in items
        ]


class Analyses(Layout):
    columns = (
        Column(_("Kind"), 14),
        Column(_("Started"), 18, "when"),
        Column(_("Sentiment"), 10, "num"),
        Column(_("Ticket"), 9, "num"),
        Column(_("Queue"), 18),
    )

    def rows(self, access, items):
        numbers = _case_numbers(a.case_id for a in items)
        kinds = _choice(MediaType)
        out = []
        for a in items:
            if a.source == "response":
                url, ref = _url("feedback_response", access, a.source_id), f"#{a.source_id}"
            else:
                url, ref = _url("journey_activity", access, a.source_id), gettext("Conversation")
            out.append(
                Row(
                    [
                        kinds.get(a.media_type, a.media_type),
                        a.occurred_at,
                        a.sentiment,
                        numbers.get(a.case_id),
                        a.queue_name,
                    ],
                    url,
                    ref,
                )
            )
        return out


LAYOUTS: dict[type, Layout] = {
    Case: Tickets(),
    Activity: Activities(),
    ResponseEpisode: Episodes(),
    CaseMeasure: Measures(),
    Response: Responses(),
    Evaluation: Evaluations(),
    Analysis: Analyses(),
}


def layout(qs: QuerySet) -> Layout:
    return LAYOUTS[qs.model]


def page(access: Access, qs: QuerySet, number: int, size: int) -> list[Row]:
    """One page of rows (in the order `metrics.rows` gives)."""
    from caredesk.insights.present import duration

    lay = layout(qs)
    items = list(lay.prepare(qs)[(number - 1) * size : number * size])
    rows = lay.rows(access, items)
    for row in rows:
        row.cells = [
            (c.kind, duration(v) if c.kind == "seconds" and v is not None else v)
            for c, v in zip(lay.columns, row.values, strict=True)
        ]
    return rows


def _chunks(it: Iterator, n: int) -> Iterator[list]:
    while chunk := list(itertools.islice(it, n)):
        yield chunk


def _cell(value, kind: str, tz):
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        # Excel has no zones: the workspace's wall-clock time, as the ticket export.
        return (value.astimezone(tz) if timezone.is_aware(value) else value).replace(tzinfo=None)
    if kind == "bool":
        return gettext("Yes") if value else gettext("No")
    if kind == "seconds":
        return round(value / 60, 2)
    return value


def export_headers(lay: Layout) -> list[str]:
    return [
        f"{c.header} ({gettext('min')})" if c.kind == "seconds" else str(c.header)
        for c in lay.columns
    ]


def xlsx_response(
    access: Access, metric: Metric, filters: InsightFilters, qs: QuerySet, suffix: str = ""
) -> FileResponse:
    """Every row behind the figure, streamed from the database in chunks into the workbook
    (caredesk.core.xlsx): no row cap, little memory."""
    lay = layout(qs)
    tz = zones.zone(access.workspace.time_zone)
    kinds = [c.kind for c in lay.columns]
    out = tempfile.TemporaryFile(suffix=".xlsx")
    sheet_name = str(metric.label)[:31]
    with XlsxSheetWriter(out, sheet_name, export_headers(lay), [c.width for c in lay.columns]) as w:
        for chunk in _chunks(lay.prepare(qs).iterator(chunk_size=CHUNK), CHUNK):
            for row in lay.rows(access, chunk):
                w.row([_cell(v, k, tz) for v, k in zip(row.values, kinds, strict=True)])
    out.seek(0)
    tail = f"-{slugify(suffix)[:60]}" if suffix else ""
    name = (
        f"{metric.name}-{access.workspace.slug}-{filters.date_from.isoformat()}"
        f"-{filters.date_to.isoformat()}{tail}.xlsx"
    )
    return FileResponse(out, as_attachment=True, filename=name, content_type=XLSX_CONTENT_TYPE)
