"""The scorecard as an HTML form: its rows for `quality/_scorecard_form.html`, and the POSTed
fields read back as the answers `services.parse_answers` takes. One form for evaluating, for
calibration, for editing a result, for an appeal's proposed answers and for the preview.

Fields per criterion <id>: `a<id>` the value on its scale, or "na"; `c<id>` a comment;
`p<id>` the transcript line the comment is pinned to (Line.ref)."""

from dataclasses import dataclass

from caredesk.quality import scoring
from caredesk.quality.models import Scale


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    checked: bool


@dataclass(frozen=True)
class Row:
    criterion: scoring.CriterionDef
    choices: list[Choice]
    comment: str
    pin: str
    error: str
    # The automatic check's answer from the analysis (quality.prefill), shown beside the row.
    prefill: object = None

    @property
    def scale_label(self) -> str:
        return str(Scale(self.criterion.scale).label)


def form_sections(
    version,
    given: dict[int, scoring.Given] | None = None,
    errors: dict[str, str] | None = None,
    prefills: dict | None = None,
) -> list[tuple[str, list[Row]]]:
    """(section title, rows) of the version, each row with its choices (N/A last where
    allowed) checked as in `given`, and the error of "answers.<id>". `prefills` (criterion
    id → quality.prefill.Prefill): the automatic checks' answers, checked where `given` has
    none, their evidence shown."""
    prefills = prefills or {}
    given = dict(given or {})
    for cid, p in prefills.items():
        given.setdefault(cid, scoring.Given(value=p.value))
    errors = errors or {}
    sections: list[tuple[str, list[Row]]] = []
    for c in scoring.criteria_of(version.sections):
        g = given.get(c.id)
        choices = [
            Choice(str(v), c.label_of(v), g is not None and not g.na and g.value == v)
            for v in c.values
        ]
        if c.na_allowed:
            choices.append(Choice("na", c.label_of(None, na=True), g is not None and g.na))
        row = Row(
            criterion=c,
            choices=choices,
            comment=g.comment if g else "",
            pin=g.message_ref if g else "",
            error=errors.get(f"answers.{c.id}", ""),
            prefill=prefills.get(c.id),
        )
        if not sections or sections[-1][0] != c.section:
            sections.append((c.section, []))
        sections[-1][1].append(row)
    return sections


def answers_from_post(post, version, *, only_changed_from=None) -> dict[str, dict]:
    """The POSTed answers as parse_answers' input. A criterion with no choice is left out (the
    scoring says it is required, unless it is a bonus). `only_changed_from`: stored answers
    (scoring.Given by id); only criteria whose value, N/A or comment differ are kept (edits
    and appeals send just what changes)."""
    out: dict[str, dict] = {}
    for c in scoring.criteria_of(version.sections):
        raw = (post.get(f"a{c.id}") or "").strip()
        comment = post.get(f"c{c.id}") or ""
        pin = (post.get(f"p{c.id}") or "").strip()
        if not raw:
            continue
        if raw == "na":
            answer = {"value": None, "na": True}
        else:
            try:
                answer = {"value": int(raw), "na": False}
            except ValueError:
                # Not a number: handed on as is, so the scoring names the criterion.
                answer = {"value": raw, "na": False}
        answer.update(comment=comment.strip(), message_ref=pin)
        if only_changed_from is not None:
            old = only_changed_from.get(c.id)
            if (
                old is not None
                and (old.value, old.na) == (answer["value"], answer["na"])
                and old.comment == answer["comment"]
                and old.message_ref == answer["message_ref"]
            ):
                continue
        out[str(c.id)] = answer
    return out
