"""Reads for surveys, responses and alert rules.

Responses follow the tickets' visibility rule: view_all_cases sees the whole workspace,
everyone else the responses of their management area (segment subtree, by path prefix)."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caredesk.care.models import Case
from caredesk.core import zones
from caredesk.core.errors import FieldErrors
from caredesk.core.pagination import Page, keyset_page
from caredesk.feedback.models import (
    AlertNotification,
    AlertRule,
    AlertRuleCase,
    Response,
    Survey,
    WebhookDelivery,
)
from caredesk.feedback.rules import CSAT_BANDS, NPS_BANDS
from caredesk.workspaces.access import Access
from caredesk.workspaces.models import Segment

PAGE_SIZE = 50
BANDS = {**NPS_BANDS, **CSAT_BANDS}
BAND_LABELS = {
    "detractor": gettext_lazy("NPS detractors (0–6)"),
    "passive": gettext_lazy("NPS passives (7–8)"),
    "promoter": gettext_lazy("NPS promoters (9–10)"),
    "csat_low": "CSAT 1–2",
    "csat_mid": "CSAT 3",
    "csat_high": "CSAT 4–5",
}


def surveys_for(access: Access):
    return Survey.objects.visible_to(access).order_by("name", "id")


def survey_get(access: Access, survey_id) -> Survey:
    survey = (
        Survey.objects.visible_to(access)
        .select_related("workspace__organization")
        .filter(pk=survey_id)
        .first()
    )
    if survey is None:
        raise Http404("No such survey")
    return survey


# --------------------------------------------------------------------------- responses


def responses_visible(access: Access) -> QuerySet[Response]:
    return Response.objects.visible_to(access)


@dataclass
class ResponseFilters:
    survey: Survey | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    segment: Segment | None = None
    band: str = ""
    has_comment: bool | None = None

    def as_q(self) -> Q:
        q = Q()
        if self.survey is not None:
            q &= Q(survey=self.survey)
        # Days of the active zone (the caller's, else the workspace's).
        if self.date_from:
            q &= Q(responded_at__gte=zones.day_start(self.date_from))
        if self.date_to:
            q &= Q(responded_at__lt=zones.day_start(self.date_to + dt.timedelta(days=1)))
        if self.segment is not None:
            q &= Q(segment_path__startswith=self.segment.path)
        if self.band:
            low, high = BANDS[self.band]
            kind = "csat" if self.band.startswith("csat") else "nps"
            q &= Q(survey__kind=kind, score__gte=low, score__lte=high)
        if self.has_comment is True:
            q &= ~Q(comment="")
        elif self.has_comment is False:
            q &= Q(comment="")
        return q


def _date(value: str, name: str) -> dt.date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise FieldErrors.one(
            name, _("Not a date (YYYY-MM-DD): %(value)s") % {"value": repr(value)}
        ) from None


def parse_response_filters(params, access: Access) -> ResponseFilters:
    errors: dict[str, str] = {}
    f = ResponseFilters()
    survey_id = (params.get("survey") or "").strip()
    if survey_id:
        f.survey = (
            Survey.objects.visible_to(access).filter(pk=survey_id).first()
            if survey_id.isdigit()
            else None
        )
        if f.survey is None:
            errors["survey"] = _("No such survey.")
    for name in ("date_from", "date_to"):
        try:
            setattr(f, name, _date(params.get(name, ""), name))
        except FieldErrors as e:
            errors.update(e.errors)
    if f.date_from and f.date_to and f.date_from > f.date_to:
        errors["date_to"] = _("The end is before the start.")
    segment_id = (params.get("segment") or "").strip()
    if segment_id:
        f.segment = (
            Segment.objects.filter(
                organization_id=access.workspace.organization_id, pk=segment_id
            ).first()
            if segment_id.isdigit()
            else None
        )
        if f.segment is None:
            errors["segment"] = _("No such segment.")
    band = (params.get("band") or "").strip()
    if band and band not in BANDS:
        errors["band"] = _("Unknown score band %(band)s; one of: %(bands)s") % {
            "band": repr(band),
            "bands": ", ".join(BANDS),
        }
    f.band = band if band in BANDS else ""
    comment = (params.get("has_comment") or "").strip()
    if comment not in ("", "yes", "no"):
        errors["has_comment"] = _("yes or no.")
    f.has_comment = {"yes": True, "no": False}.get(comment)
    if errors:
        raise FieldErrors(errors)
    return f


def response_page(
    access: Access, filters: ResponseFilters, *, after: str = "", before: str = "", size=PAGE_SIZE
) -> Page[Response]:
    """Newest first by (responded_at, id), keyset-paginated like the ticket list."""
    qs = (
        responses_visible(access)
        .filter(filters.as_q())
        .select_related("survey", "segment")
        .defer("answers", "transaction")
    )
    return keyset_page(qs, "responded_at", after=after, before=before, size=size)


def response_get(access: Access, response_id) -> Response:
    response = (
        responses_visible(access)
        .filter(pk=response_id)
        .select_related("survey", "segment", "contact", "case")
        .first()
    )
    if response is None:
        raise Http404("No such response")
    return response


def response_answers(response: Response) -> list[dict]:
    """The answers in question order, with labels (choice values shown as option labels)."""
    out = []
    for q in response.survey.questions.all():
        if q.key not in (response.answers or {}):
            continue
        value = response.answers[q.key]
        labels = {o["value"]: o["label"] for o in q.options}
        if isinstance(value, list):
            shown = ", ".join(labels.get(v, v) for v in value)
        else:
            shown = labels.get(value, value) if isinstance(value, str) else value
        out.append({"key": q.key, "label": q.label, "kind": q.kind, "value": shown})
    return out


def response_cases(access: Access, response: Response) -> list[Case]:
    """Tickets opened from the response by rules that the user sees, oldest first (a rule may
    have filed one in a segment outside the response's)."""
    return list(
        Case.objects.visible_to(access)
        .filter(rule_sources__response=response)
        .order_by("rule_sources__id")
    )


def source_responses(cases) -> dict[int, Response]:
    """case id → the survey response an alert rule opened it from (the first, if several
    rules did), with its survey and segment, for many cases in one query."""
    rows = (
        AlertRuleCase.objects.filter(case__in=[c.pk for c in cases])
        .select_related("response__survey", "response__segment")
        .order_by("id")
    )
    out: dict[int, Response] = {}
    for rc in rows:
        out.setdefault(rc.case_id, rc.response)
    return out


def attach_source_responses(cases) -> None:
    """Set case.source_response (a Response or None) on many cases with one query, for lists
    that show or serialize it (the ticket API, the Response ID column)."""
    found = source_responses(cases)
    for case in cases:
        case.source_response = found.get(case.pk)


def case_source_response(case) -> Response | None:
    """The survey response an alert rule opened the case from, None for other cases: what
    attach_source_responses set on it, else one query."""
    if hasattr(case, "source_response"):
        return case.source_response
    return source_responses([case]).get(case.pk)


# --------------------------------------------------------------------------- rules


def rules_for(access: Access):
    return (
        AlertRule.objects.visible_to(access)
        .select_related("survey")
        .annotate(n_hits=Count("hits", distinct=True))
        .order_by("name", "id")
    )


def rule_get(access: Access, rule_id) -> AlertRule:
    rule = AlertRule.objects.visible_to(access).filter(pk=rule_id).select_related("survey").first()
    if rule is None:
        raise Http404("No such rule")
    return rule


def rule_outputs(access: Access, rule: AlertRule, limit: int = 50) -> dict:
    """What the rule created, newest first: of its tickets, those the user sees (a settings
    permission is not a reason to read tickets outside one's area)."""
    cases = AlertRuleCase.objects.filter(rule=rule, case__in=Case.objects.visible_to(access))
    return {
        "cases": list(cases.select_related("case", "response").order_by("-id")[:limit]),
        "case_count": cases.count(),
        "notifications": list(
            AlertNotification.objects.filter(rule=rule).select_related("user")[:limit]
        ),
        "deliveries": list(WebhookDelivery.objects.filter(rule=rule)[:limit]),
        "hit_count": rule.hits.count(),
    }


def ticket_response_ref(case) -> dict | None:
    """The ticket API's `response`: {id, external_id, verbatim, survey} or None."""
    response = case_source_response(case)
    if response is None:
        return None
    return {
        "id": response.pk,
        "external_id": response.external_id,
        "verbatim": response.comment,
        "survey": response.survey_id,
    }
