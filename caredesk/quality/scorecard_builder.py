"""The scorecard builder of Settings → Scorecards as plain form fields: read back into the
`sections` that `scorecards.check_definition` checks, changed by the builder's buttons (add,
remove, move a section, a criterion or a point) without saving, and laid out for the template
with each error of check_definition ("sections.0.criteria.2.weight") beside its field.

Fields: `sections` (how many), per section i `s<i>_title` and `s<i>_n` (criteria); per
criterion j `c<i>_<j>_id|question|weight|scale|na_allowed|auto_fail|bonus|recommendation|
auto_check`
and `c<i>_<j>_np` (point rows), per point k `c<i>_<j>_p<k>_value|label|score`."""

from dataclasses import dataclass, field

from caredesk.quality.models import Scale

MAX_ROWS = 100  # how many rows of each kind a POST may claim (the service caps the rest)


def _count(post, key: str) -> int:
    try:
        return max(0, min(MAX_ROWS, int(post.get(key) or 0)))
    except ValueError:
        return 0


def _number(raw: str):
    """A number as typed ("2", "1.5", "1,5"); anything else is handed on, so the service
    names the field."""
    raw = (raw or "").strip()
    if raw == "":
        return None
    text = raw.replace(",", ".")
    try:
        return int(text)
    except ValueError:
        pass
    try:
        value = float(text)
    except ValueError:
        return raw
    return value if value == value and value not in (float("inf"), float("-inf")) else raw


def blank_criterion() -> dict:
    return {
        "id": None,
        "question": "",
        "weight": 1,
        "scale": Scale.YES_NO,
        "points": [],
        "na_allowed": False,
        "auto_fail": False,
        "bonus": False,
        "recommendation": "",
        "auto_check": "",
    }


def blank_sections() -> list[dict]:
    return [{"title": "", "criteria": [blank_criterion()]}]


def sections_from_post(post) -> list[dict]:
    sections = []
    for i in range(_count(post, "sections")):
        criteria = []
        for j in range(_count(post, f"s{i}_n")):
            p = f"c{i}_{j}_"
            raw_id = (post.get(f"{p}id") or "").strip()
            points = []
            for k in range(_count(post, f"{p}np")):
                label = (post.get(f"{p}p{k}_label") or "").strip()
                value = _number(post.get(f"{p}p{k}_value"))
                score = _number(post.get(f"{p}p{k}_score"))
                if label == "" and value is None and score is None:
                    continue  # an empty row
                points.append({"value": value, "label": label, "score": score})
            scale = post.get(f"{p}scale") or Scale.YES_NO
            weight = _number(post.get(f"{p}weight"))
            criteria.append(
                {
                    "id": int(raw_id) if raw_id.isdigit() else None,
                    "question": post.get(f"{p}question") or "",
                    "weight": "" if weight is None else weight,
                    "scale": scale,
                    "points": points,
                    "na_allowed": bool(post.get(f"{p}na_allowed")),
                    "auto_fail": bool(post.get(f"{p}auto_fail")),
                    "bonus": bool(post.get(f"{p}bonus")),
                    "recommendation": post.get(f"{p}recommendation") or "",
                    "auto_check": post.get(f"{p}auto_check") or "",
                }
            )
        sections.append({"title": post.get(f"s{i}_title") or "", "criteria": criteria})
    return sections


def _move(items: list, index: int, step: int) -> None:
    other = index + step
    if 0 <= index < len(items) and 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]


def apply_op(sections: list[dict], op: str) -> list[dict]:
    """A builder button: "add_section", "add_criterion:i", "remove_section:i",
    "remove_criterion:i:j", "up_section:i", "down_section:i", "up_criterion:i:j",
    "down_criterion:i:j", "add_point:i:j". Unknown or out-of-range ones change nothing."""
    name, _, rest = op.partition(":")
    try:
        args = [int(a) for a in rest.split(":")] if rest else []
    except ValueError:
        return sections
    try:
        if name == "add_section":
            sections.append({"title": "", "criteria": [blank_criterion()]})
        elif name == "add_criterion":
            sections[args[0]]["criteria"].append(blank_criterion())
        elif name == "remove_section" and len(sections) > 1:
            del sections[args[0]]
        elif name == "remove_criterion":
            del sections[args[0]]["criteria"][args[1]]
        elif name in ("up_section", "down_section"):
            _move(sections, args[0], -1 if name == "up_section" else 1)
        elif name in ("up_criterion", "down_criterion"):
            _move(sections[args[0]]["criteria"], args[1], -1 if name == "up_criterion" else 1)
        elif name == "add_point":
            c = sections[args[0]]["criteria"][args[1]]
            c["scale"] = Scale.CUSTOM
            c["points"] = list(c.get("points") or []) + [{"value": "", "label": "", "score": ""}]
    except (IndexError, KeyError):
        pass
    return sections


@dataclass
class PointRow:
    k: int
    value: object
    label: str
    score: object
    error: str = ""


@dataclass
class CriterionRow:
    i: int
    j: int
    data: dict
    points: list[PointRow]
    errors: dict = field(default_factory=dict)

    @property
    def prefix(self) -> str:
        return f"c{self.i}_{self.j}_"


@dataclass
class SectionRow:
    i: int
    title: str
    criteria: list[CriterionRow]
    errors: dict = field(default_factory=dict)


def layout(sections: list[dict], errors: dict[str, str] | None = None) -> list[SectionRow]:
    """The builder's rows, each with its errors by field; custom scales get two empty point
    rows more (three at least) to fill in."""
    errors = errors or {}
    out = []
    for i, s in enumerate(sections):
        rows = []
        for j, c in enumerate(s.get("criteria") or []):
            key = f"sections.{i}.criteria.{j}"
            mine = {k[len(key) + 1 :]: v for k, v in errors.items() if k.startswith(key + ".")}
            if key in errors:
                mine["criterion"] = errors[key]
            points = [
                PointRow(
                    k,
                    p.get("value", ""),
                    p.get("label", ""),
                    p.get("score", ""),
                    " ".join(v for f, v in mine.items() if f.startswith(f"points.{k}")),
                )
                for k, p in enumerate(c.get("points") or [])
            ]
            while len(points) < max(3, len(c.get("points") or []) + 1):
                points.append(PointRow(len(points), "", "", ""))
            rows.append(CriterionRow(i, j, c, points, mine))
        section_errors = {
            f: errors[f"sections.{i}.{f}"]
            for f in ("title", "criteria")
            if f"sections.{i}.{f}" in errors
        }
        if f"sections.{i}" in errors:
            section_errors["section"] = errors[f"sections.{i}"]
        out.append(SectionRow(i, s.get("title", ""), rows, section_errors))
    return out
