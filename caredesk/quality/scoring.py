"""The score arithmetic, in one place: an evaluation's answers and a scorecard version give a
score from 0 to 100 and a pass or a fail. (The set-based rescoring in `rescoring` applies the
same rules in SQL; tests check the two agree.)

- Each answer earns a share of its criterion's weight: yes/no 1 or 0; 1–5 (v − 1) / 4;
  0–10 v / 10; own labelled points: the point's score / 100.
- score = 100 × Σ weight × share / Σ weight over the answered regular criteria; a criterion
  answered N/A (where allowed) is left out of both sums.
- A bonus criterion, when answered, adds weight × share points on top, never beyond 100.
- An answer fails its criterion when it earns less than half of it (FAIL_BELOW). A failing
  answer on an auto-fail criterion makes the evaluation fail with score 0, whatever the rest.
- passed: not auto-failed and score ≥ the version's pass mark.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from caredesk.core.errors import FieldErrors
from caredesk.core.limits import MAX_BODY, text_error
from caredesk.quality.models import Scale

FAIL_BELOW = 0.5

# The values each fixed scale accepts.
SCALE_VALUES = {
    Scale.YES_NO: (0, 1),
    Scale.ONE_TO_FIVE: (1, 2, 3, 4, 5),
    Scale.ZERO_TO_TEN: tuple(range(11)),
}


@dataclass(frozen=True)
class Point:
    value: int
    label: str
    score: float  # 0–100


@dataclass(frozen=True)
class CriterionDef:
    id: int
    question: str
    weight: float
    scale: str
    section: str = ""
    points: tuple[Point, ...] = ()
    na_allowed: bool = False
    auto_fail: bool = False
    bonus: bool = False
    recommendation: str = ""

    @property
    def values(self) -> tuple[int, ...]:
        if self.scale == Scale.CUSTOM:
            return tuple(p.value for p in self.points)
        return SCALE_VALUES[self.scale]

    def share(self, value: int) -> float:
        """The share of the weight an answer earns, 0–1."""
        if self.scale == Scale.YES_NO:
            return float(value)
        if self.scale == Scale.ONE_TO_FIVE:
            return (value - 1) / 4
        if self.scale == Scale.ZERO_TO_TEN:
            return value / 10
        for p in self.points:
            if p.value == value:
                return p.score / 100
        raise ValueError(value)

    def label_of(self, value: int | None, na: bool = False) -> str:
        """How an answer reads: "Yes", "3 / 5", a point's label, "N/A"."""
        if na:
            return _("N/A")
        if value is None:
            return "—"
        if self.scale == Scale.YES_NO:
            return _("Yes") if value else _("No")
        if self.scale == Scale.ONE_TO_FIVE:
            return f"{value} / 5"
        if self.scale == Scale.ZERO_TO_TEN:
            return f"{value} / 10"
        for p in self.points:
            if p.value == value:
                return p.label
        return str(value)


def criteria_of(sections: list[dict]) -> list[CriterionDef]:
    """A version's `sections` as CriterionDefs, in order."""
    out = []
    for section in sections or []:
        for c in section.get("criteria", []):
            out.append(
                CriterionDef(
                    id=int(c["id"]),
                    question=c.get("question", ""),
                    weight=float(c.get("weight", 1)),
                    scale=c.get("scale", Scale.YES_NO),
                    section=section.get("title", ""),
                    points=tuple(
                        Point(int(p["value"]), p.get("label", ""), float(p["score"]))
                        for p in c.get("points") or []
                    ),
                    na_allowed=bool(c.get("na_allowed")),
                    auto_fail=bool(c.get("auto_fail")),
                    bonus=bool(c.get("bonus")),
                    recommendation=c.get("recommendation", ""),
                )
            )
    return out


@dataclass(frozen=True)
class Given:
    """One answer as sent: a value on the scale, or N/A; an optional comment and pin."""

    value: int | None = None
    na: bool = False
    comment: str = ""
    message_ref: str = ""


@dataclass(frozen=True)
class Scored:
    criterion: CriterionDef
    given: Given
    share: float | None  # None: N/A or unanswered bonus
    failed: bool


@dataclass
class Result:
    score: float
    passed: bool
    auto_failed: bool
    answers: list[Scored] = field(default_factory=list)


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_answers(criteria: list[CriterionDef], given: dict[int, Given]) -> None:
    """FieldErrors (key "answers.<criterion id>") for every answer that cannot be scored: an
    unknown criterion, a value outside the scale, N/A where not allowed, a regular criterion
    left unanswered, nothing answered at all."""
    errors: dict[str, str] = {}
    by_id = {c.id: c for c in criteria}
    for cid in given:
        if cid not in by_id:
            errors[f"answers.{cid}"] = _("No such criterion on this scorecard.")
    for c in criteria:
        key = f"answers.{c.id}"
        g = given.get(c.id)
        if g is None:
            if not c.bonus:
                errors[key] = _("An answer is required.")
            continue
        if g.na:
            if not c.na_allowed:
                errors[key] = _("N/A is not allowed for this criterion.")
            elif g.value is not None:
                errors[key] = _("An answer is either N/A or a value, not both.")
        elif g.value is None:
            if not c.bonus:
                errors[key] = _("An answer is required.")
        elif not _is_int(g.value) or g.value not in c.values:
            errors[key] = _("Not on this criterion's scale; one of: %(values)s.") % {
                "values": ", ".join(str(v) for v in c.values)
            }
        for text, limit in ((g.comment, MAX_BODY), (g.message_ref, 40)):
            if text and (problem := text_error(text, limit)):
                errors.setdefault(key, problem)
    if not errors and not any(
        not c.bonus and (g := given.get(c.id)) and not g.na for c in criteria
    ):
        errors["answers"] = _("Answer at least one criterion other than N/A.")
    if errors:
        raise FieldErrors(errors)


def score(criteria: list[CriterionDef], given: dict[int, Given], pass_mark: float) -> Result:
    """The evaluation's result; check_answers first (raises FieldErrors on bad answers)."""
    check_answers(criteria, given)
    earned = possible = bonus = 0.0
    auto_failed = False
    scored = []
    for c in criteria:
        g = given.get(c.id, Given())
        if g.na or g.value is None:
            scored.append(Scored(c, g, None, False))
            continue
        share = c.share(g.value)
        failed = share < FAIL_BELOW
        scored.append(Scored(c, g, share, failed))
        if c.bonus:
            bonus += c.weight * share
            continue
        earned += c.weight * share
        possible += c.weight
        if c.auto_fail and failed:
            auto_failed = True
    if auto_failed:
        value = 0.0
    else:
        value = min(100.0, 100.0 * earned / possible + bonus)
    value = round(value, 2)
    return Result(
        score=value,
        passed=not auto_failed and value >= pass_mark,
        auto_failed=auto_failed,
        answers=scored,
    )
