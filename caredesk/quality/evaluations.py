"""Reading evaluations for their pages and the API: the filtered list (keyset pages and its
counts), an evaluation's log as a ticket's log reads, the comments pinned to transcript lines,
and the evaluations shown beside activities (one query for a whole timeline).

Who sees which evaluation is `models.evaluation_visibility_q`, applied by
`selectors.evaluations_visible`; nothing here widens it."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caredesk.core import pagination, zones
from caredesk.core.errors import FieldErrors
from caredesk.quality import scoring
from caredesk.quality.models import Evaluation, EvaluationChange, EvaluationKind, Scorecard
from caredesk.quality.people import int_or_none
from caredesk.quality.selectors import Line, evaluations_visible
from caredesk.workspaces.access import Access
from caredesk.workspaces.models import User

PAGE_SIZE = 50
# The "to acknowledge" block above an agent's list: their unread evaluations, newest first.
UNREAD_MAX = 20


@dataclass(frozen=True)
class EvaluationFilters:
    agent: int | None = None
    scorecard: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    passed: bool | None = None
    acknowledged: bool | None = None

    def as_params(self) -> dict[str, str]:
        def yes_no(v):
            return "" if v is None else ("yes" if v else "no")

        out = {
            "agent": str(self.agent or ""),
            "scorecard": str(self.scorecard or ""),
            "date_from": self.date_from.isoformat() if self.date_from else "",
            "date_to": self.date_to.isoformat() if self.date_to else "",
            "passed": yes_no(self.passed),
            "acknowledged": yes_no(self.acknowledged),
        }
        return {k: v for k, v in out.items() if v}


def _yes_no(value, field: str) -> bool | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("yes", "true", "1"):
        return True
    if text in ("no", "false", "0"):
        return False
    raise FieldErrors.one(field, _("Yes or no."))


def _day(value, field: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise FieldErrors.one(field, _("Not a date (YYYY-MM-DD).")) from None


def _pk(value, field: str) -> int | None:
    if value in (None, ""):
        return None
    pk = int_or_none(value)
    if pk is None or pk <= 0:
        raise FieldErrors.one(field, _("Not an id."))
    return pk


def parse_filters(params) -> EvaluationFilters:
    """The list's filters from a query string (or the API's parameters); FieldErrors naming
    the filter that cannot be read."""
    errors: dict[str, str] = {}
    values: dict = {}
    for name, read in (
        ("agent", _pk),
        ("scorecard", _pk),
        ("date_from", _day),
        ("date_to", _day),
        ("passed", _yes_no),
        ("acknowledged", _yes_no),
    ):
        try:
            values[name] = read(params.get(name), name)
        except FieldErrors as e:
            errors.update(e.errors)
    if not errors and values["date_from"] and values["date_to"]:
        if values["date_from"] > values["date_to"]:
            errors["date_to"] = _("The end comes before the start.")
    if errors:
        raise FieldErrors(errors)
    return EvaluationFilters(**values)


def filtered(access: Access, filters: EvaluationFilters):
    """The evaluations the caller sees (regular ones), narrowed by `filters`; dates are days
    of the active time zone, by when the evaluated work happened."""
    qs = evaluations_visible(access)
    if filters.agent:
        qs = qs.filter(agent_id=filters.agent)
    if filters.scorecard:
        qs = qs.filter(scorecard_id=filters.scorecard)
    if filters.date_from:
        qs = qs.filter(occurred_at__gte=zones.day_start(filters.date_from))
    if filters.date_to:
        qs = qs.filter(occurred_at__lt=zones.day_start(filters.date_to + dt.timedelta(days=1)))
    if filters.passed is not None:
        qs = qs.filter(passed=filters.passed)
    if filters.acknowledged is not None:
        qs = qs.filter(acknowledged_at__isnull=not filters.acknowledged)
    return qs


def with_people(qs):
    return qs.select_related("scorecard", "version", "agent", "evaluator")


def evaluation_page(
    access: Access, filters: EvaluationFilters, *, after="", before="", size=PAGE_SIZE
) -> pagination.Page:
    """One page, newest work first (keyset on occurred_at, id)."""
    return pagination.keyset_page(
        with_people(filtered(access, filters)),
        "occurred_at",
        after=after,
        before=before,
        size=size,
    )


def evaluation_counts(access: Access, filters: EvaluationFilters) -> dict[str, int]:
    """total, passed, failed, unacknowledged of the filtered list, in one query."""
    row = filtered(access, filters).aggregate(
        total=Count("id"),
        passed=Count("id", filter=Q(passed=True)),
        unacknowledged=Count("id", filter=Q(acknowledged_at__isnull=True)),
    )
    row["failed"] = row["total"] - row["passed"]
    return row


def unread_for_agent(access: Access) -> list[Evaluation]:
    """The caller's own evaluations they have not acknowledged yet, newest first."""
    if access.user is None:
        return []
    qs = evaluations_visible(access).filter(agent=access.user, acknowledged_at__isnull=True)
    return list(with_people(qs).order_by("-occurred_at", "-id")[:UNREAD_MAX])


def filter_choices(access: Access) -> dict:
    """The agents and scorecards the list's filters offer: the workspace's scorecards, and the
    agents of the evaluations the caller sees."""
    agent_ids = evaluations_visible(access).values("agent_id").distinct()
    agents = User.objects.filter(pk__in=agent_ids).order_by("first_name", "last_name", "pk")
    cards = Scorecard.objects.visible_to(access).order_by("name", "pk")
    return {"agents": list(agents), "scorecards": list(cards)}


# --------------------------------------------------------------------------- the log

ACTIONS = {
    "created": gettext_lazy("Evaluated"),
    "edited": gettext_lazy("Result edited"),
    "appeal_accepted": gettext_lazy("Appeal accepted"),
    "appeal_partial": gettext_lazy("Appeal partly accepted"),
    "appeal_rejected": gettext_lazy("Appeal rejected"),
    "appealed": gettext_lazy("Appealed"),
    "rescored": gettext_lazy("Rescored"),
    "agent_changed": gettext_lazy("Agent changed"),
    "acknowledged": gettext_lazy("Acknowledged"),
}
FIELDS = {
    "score": gettext_lazy("Score"),
    "comment": gettext_lazy("Comment"),
    "agent": gettext_lazy("Agent"),
    "version": gettext_lazy("Scorecard version"),
}


@dataclass
class LogChange:
    field: str
    criterion: str
    old: str
    new: str


@dataclass
class LogEntry:
    actor: User | None
    code: str
    action: str
    at: dt.datetime
    reason: str
    changes: list[LogChange]


def evaluation_log(evaluation: Evaluation) -> list[LogEntry]:
    """The evaluation's changes, oldest first, grouped per action as a ticket's log is (same
    actor, action and reason within a moment). A criterion is named by its question in the
    evaluation's version."""
    questions = {c.id: c.question for c in scoring.criteria_of(evaluation.version.sections)}
    rows = EvaluationChange.objects.filter(evaluation=evaluation).select_related("actor")
    entries: list[LogEntry] = []
    for ch in rows:
        last = entries[-1] if entries else None
        if (
            last is None
            or last.actor != ch.actor
            or last.code != ch.action
            or last.reason != ch.reason
            or abs((ch.at - last.at).total_seconds()) > 2
        ):
            last = LogEntry(
                actor=ch.actor,
                code=ch.action,
                action=str(ACTIONS.get(ch.action, ch.action.replace("_", " ").capitalize())),
                at=ch.at,
                reason=ch.reason,
                changes=[],
            )
            entries.append(last)
        if ch.field and not (ch.action == "created" and ch.field == "score"):
            criterion = questions.get(ch.criterion_id, "") if ch.criterion_id else ""
            field = str(FIELDS.get(ch.field, ch.field.replace("_", " ").capitalize()))
            if ch.field == "answer":
                field = _("Answer")
            last.changes.append(LogChange(field, criterion, ch.old_value, ch.new_value))
    return entries


# --------------------------------------------------------------------------- pins


@dataclass(frozen=True)
class PinnedLine(Line):
    """A transcript line with the answers whose comment is pinned to it."""

    pins: tuple = ()


def pinned_lines(lines: list[Line], sections) -> list[Line]:
    """`lines` with the answers of `sections` (selectors.answer_rows) pinned to each; a pin
    naming no line of the transcript is left out (the answer still shows its comment)."""
    by_ref: dict[str, list] = {}
    for _title, rows in sections:
        for row in rows:
            if row.message_ref:
                by_ref.setdefault(row.message_ref, []).append(row)
    out: list[Line] = []
    for line in lines:
        pinned = by_ref.get(line.ref)
        out.append(PinnedLine(**{**vars(line), "pins": tuple(pinned)}) if pinned else line)
    return out


# --------------------------------------------------------------------------- beside activities


def evaluations_of_activities(access: Access, activity_ids) -> dict[int, Evaluation]:
    """For each activity id, the latest regular evaluation of it the caller sees: one query
    for a whole timeline."""
    ids = [i for i in activity_ids if i]
    if not ids or access.user is None:
        return {}
    out: dict[int, Evaluation] = {}
    qs = (
        evaluations_visible(access)
        .filter(activity_id__in=ids, kind=EvaluationKind.REGULAR)
        .order_by("activity_id", "-created_at", "-id")
        .only("id", "activity_id", "score", "passed", "auto_failed", "created_at")
    )
    for e in qs:
        out.setdefault(e.activity_id, e)
    return out


def evaluations_of_case(access: Access, case) -> list[Evaluation]:
    """The regular evaluations of a ticket the caller sees, newest first."""
    if case is None or access.user is None:
        return []
    return list(
        evaluations_visible(access)
        .filter(case=case)
        .order_by("-created_at", "-id")
        .only("id", "case_id", "score", "passed", "auto_failed", "created_at")
    )
