"""The search: documents matching the query that the user may see, best first, a page at a
time. Visibility is each source's own rule, applied in the same SQL statement through the
document's source (the activity and its ticket, the ticket, the survey response), so the
count, the pages and the hits always agree, and a change of a ticket's segment, owner or
shares changes who finds its text at once."""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import connection
from django.db.models import BooleanField, FloatField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from caredesk.care.models import Case, case_visibility_q
from caredesk.core import zones
from caredesk.core.errors import FieldErrors
from caredesk.feedback.models import Response
from caredesk.journey.models import Activity, activity_visibility_q
from caredesk.search.highlight import Snippet, snippet
from caredesk.search.models import Kind, SearchDocument
from caredesk.search.query import Query, parse_query
from caredesk.workspaces.access import Access, area_rule
from caredesk.workspaces.models import Membership, Segment

PAGE_SIZE = 20
# Up to this many hits, best match first (then newest); beyond, newest first: ranking reads
# every hit's vector (a common word is tens of thousands at 200k documents, ~0.5 s on
# PostgreSQL), while newest first walks the time index and stops at the page. A query that
# broad is narrowed by another word or a filter anyway.
RANKED = 2000
MAX_PAGE = 500


@dataclass(frozen=True)
class SearchFilters:
    kinds: tuple[str, ...] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    segment_id: int | None = None
    segment_path: str = ""
    agent_id: int | None = None

    def as_params(self) -> dict[str, str]:
        out = {}
        if self.kinds:
            out["kind"] = ",".join(self.kinds)
        if self.date_from:
            out["from"] = self.date_from.isoformat()
        if self.date_to:
            out["to"] = self.date_to.isoformat()
        if self.segment_id:
            out["segment"] = str(self.segment_id)
        if self.agent_id:
            out["agent"] = str(self.agent_id)
        return out


@dataclass(frozen=True)
class Hit:
    id: int
    kind: str
    kind_label: str
    activity_id: int | None
    case_id: int | None
    case_number: int | None
    response_id: int | None
    message_id: int | None
    title: Snippet
    snippet: Snippet
    occurred_at: dt.datetime
    url: str


@dataclass(frozen=True)
class SearchPage:
    hits: list[Hit]
    total: int
    page: int
    page_size: int = PAGE_SIZE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def first(self) -> int:
        return (self.page - 1) * self.page_size + 1 if self.hits else 0

    @property
    def last(self) -> int:
        return (self.page - 1) * self.page_size + len(self.hits)


def _one(params: Mapping, name: str) -> str:
    value = params.get(name)
    return value.strip() if isinstance(value, str) else ""


def _date(params: Mapping, name: str, errors: dict) -> dt.date | None:
    raw = _one(params, name)
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        errors[name] = _("A date as YYYY-MM-DD.")
        return None


def _id(params: Mapping, name: str, errors: dict) -> int | None:
    raw = _one(params, name)
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 12:
        errors[name] = _("An id (a whole number).")
        return None
    return int(raw)


def _kinds(params: Mapping, errors: dict) -> tuple[str, ...]:
    values = params.getlist("kind") if hasattr(params, "getlist") else [params.get("kind") or ""]
    kinds = [k.strip() for v in values if isinstance(v, str) for k in v.split(",") if k.strip()]
    unknown = [k for k in kinds if k not in Kind.values]
    if unknown:
        errors["kind"] = _("Unknown kind %(kind)s; one of: %(kinds)s.") % {
            "kind": unknown[0][:40],
            "kinds": ", ".join(Kind.values),
        }
    return tuple(dict.fromkeys(kinds))


def parse_search(params: Mapping, access: Access) -> tuple[Query, SearchFilters, int]:
    """Read q, kind, from, to, segment, agent and page; raise FieldErrors naming each one
    refused (all of them at once)."""
    errors: dict[str, str] = {}
    query = None
    try:
        query = parse_query(params.get("q"))
    except FieldErrors as e:
        errors.update(e.errors)
    kinds = _kinds(params, errors)
    date_from = _date(params, "from", errors)
    date_to = _date(params, "to", errors)
    if date_from and date_to and date_from > date_to:
        errors["to"] = _("The end date is before the start date.")
    segment_id = _id(params, "segment", errors)
    segment_path = ""
    if segment_id is not None:
        ws = access.workspace
        segment_path = (
            Segment.objects.filter(pk=segment_id, organization_id=ws.organization_id)
            .values_list("path", flat=True)
            .first()
        ) or ""
        if not segment_path:
            errors["segment"] = _("No such segment.")
    agent_id = _id(params, "agent", errors)
    if (
        agent_id is not None
        and not Membership.objects.filter(workspace=access.workspace, user_id=agent_id).exists()
    ):
        errors["agent"] = _("No such member of this workspace.")
    page = 1
    raw_page = _one(params, "page")
    if raw_page:
        if not (raw_page.isascii() and raw_page.isdigit()) or not 1 <= int(raw_page) <= MAX_PAGE:
            errors["page"] = _("A page number from 1 to %(n)s.") % {"n": MAX_PAGE}
        else:
            page = int(raw_page)
    if errors:
        raise FieldErrors(errors)
    filters = SearchFilters(
        kinds=kinds,
        date_from=date_from,
        date_to=date_to,
        segment_id=segment_id,
        segment_path=segment_path,
        agent_id=agent_id,
    )
    return query, filters, page


def visibility_q(access: Access) -> Q | None:
    """Who sees a document: whoever sees its source. None: the whole workspace."""
    if access.sees_whole_workspace:
        return None
    return (
        (Q(activity__isnull=False) & activity_visibility_q(access, "activity__"))
        | (Q(activity__isnull=True, case__isnull=False) & case_visibility_q(access, "case__"))
        | (Q(response__isnull=False) & area_rule(access, "response__"))
    )


def _matches(query: Query) -> tuple[RawSQL, RawSQL]:
    """(the condition, the relevance) in this database's full-text syntax."""
    if connection.vendor == "postgresql":
        tsq = query.tsquery()
        return (
            RawSQL(
                "search_searchdocument.tsv @@ to_tsquery('simple'::regconfig, %s)",
                [tsq],
                output_field=BooleanField(),
            ),
            RawSQL(
                "ts_rank_cd(search_searchdocument.tsv, to_tsquery('simple'::regconfig, %s), 1)",
                [tsq],
                output_field=FloatField(),
            ),
        )
    expr = query.fts5()
    return (
        RawSQL(
            "search_searchdocument.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH %s)",
            [expr],
            output_field=BooleanField(),
        ),
        # bm25() is lower for better matches.
        RawSQL(
            "(SELECT -bm25(search_fts) FROM search_fts WHERE search_fts MATCH %s"
            " AND rowid = search_searchdocument.id)",
            [expr],
            output_field=FloatField(),
        ),
    )


def documents(access: Access, query: Query, filters: SearchFilters) -> QuerySet:
    """The matching documents the user may see, unordered."""
    condition, _rank = _matches(query)
    qs = SearchDocument.objects.filter(workspace=access.workspace).filter(condition)
    if (vis := visibility_q(access)) is not None:
        qs = qs.filter(vis)
    if filters.kinds:
        qs = qs.filter(kind__in=filters.kinds)
    tz = timezone.get_current_timezone()
    if filters.date_from:
        qs = qs.filter(
            occurred_at__gte=zones.days_bounds(filters.date_from, filters.date_from, tz)[0]
        )
    if filters.date_to:
        qs = qs.filter(occurred_at__lt=zones.days_bounds(filters.date_to, filters.date_to, tz)[1])
    if path := filters.segment_path:
        qs = qs.filter(
            Q(activity__case__segment_path__startswith=path)
            | Q(activity__isnull=True, case__segment_path__startswith=path)
            | Q(response__segment_path__startswith=path)
        )
    if filters.agent_id:
        qs = qs.filter(
            Q(activity__agent_id=filters.agent_id)
            | Q(activity__isnull=True, case__owner_id=filters.agent_id)
        )
    return qs


def search(access: Access, query: Query, filters: SearchFilters, page: int = 1) -> SearchPage:
    qs = documents(access, query, filters)
    total = qs.count()
    offset = (page - 1) * PAGE_SIZE
    if offset >= total:
        return SearchPage(hits=[], total=total, page=page)
    if total <= RANKED:
        _condition, rank = _matches(query)
        qs = qs.annotate(rank=rank).order_by("-rank", "-occurred_at", "-id")
    else:
        qs = qs.order_by("-occurred_at", "-id")
    rows = list(
        qs.values(
            "id",
            "kind",
            "source_id",
            "activity_id",
            "case_id",
            "response_id",
            "occurred_at",
            "title",
            "body",
        )[offset : offset + PAGE_SIZE]
    )
    return SearchPage(hits=_hits(access, rows, query), total=total, page=page)


def _url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def activity_url(slug: str, activity_id: int) -> str:
    """The conversation page (the Conversations tab's), else the activity on the journey."""
    return _url("conversation_detail", slug, "activity", activity_id) or _url(
        "journey_activity", slug, activity_id
    )


def _hits(access: Access, rows: list[dict], query: Query) -> list[Hit]:
    """Each row with its source's label and page, read for the whole page at once."""
    slug = access.workspace.slug
    case_ids = {r["case_id"] for r in rows if r["case_id"]}
    cases = {
        c["id"]: c for c in Case.objects.filter(pk__in=case_ids).values("id", "number", "title")
    }
    activity_ids = {r["activity_id"] for r in rows if r["activity_id"]}
    activities = {
        a["id"]: a
        for a in Activity.objects.filter(pk__in=activity_ids).values("id", "media_type", "subject")
    }
    response_ids = {r["response_id"] for r in rows if r["response_id"]}
    responses = {
        r["id"]: r
        for r in Response.objects.filter(pk__in=response_ids).values("id", "survey__name")
    }
    labels = kind_labels()
    out = []
    for r in rows:
        kind = r["kind"]
        case = cases.get(r["case_id"])
        activity = activities.get(r["activity_id"])
        response = responses.get(r["response_id"])
        if case:
            title = f"#{case['number']} {case['title']}".strip()
            url = _url("ticket_detail", slug, case["number"])
        elif activity:
            title = activity["subject"] or labels.get(activity["media_type"], "")
            url = activity_url(slug, activity["id"])
        elif response:
            title = response["survey__name"]
            url = _url("feedback_response", slug, response["id"])
        else:
            title, url = labels.get(kind, kind), ""
        text = snippet(r["body"], query)
        if not text.matches and r["title"]:
            text = snippet(r["title"], query)
        out.append(
            Hit(
                id=r["id"],
                kind=kind,
                kind_label=labels.get(kind, kind),
                activity_id=r["activity_id"],
                case_id=r["case_id"],
                case_number=case["number"] if case else None,
                response_id=r["response_id"],
                message_id=r["source_id"] if kind == Kind.CHAT_MESSAGE else None,
                title=snippet(title, query, length=300),
                snippet=text,
                occurred_at=r["occurred_at"],
                url=url,
            )
        )
    return out


def kind_labels() -> dict[str, str]:
    return {
        Kind.CASE: _("Ticket"),
        Kind.CASE_COMMENT: _("Ticket comment"),
        Kind.CHAT_MESSAGE: _("Chat message"),
        Kind.CHAT: _("Chat"),
        Kind.CALL: _("Call transcript"),
        Kind.EMAIL: _("Email"),
        Kind.WEB_FORM: _("Web form"),
        Kind.NOTE: _("Note"),
        Kind.SURVEY_RESPONSE: _("Survey response"),
        Kind.ACTIVITY_COMMENT: _("Activity comment"),
        Kind.RESPONSE: _("Customer comment"),
    }
