"""The alert-rule criteria: validated once when a rule is saved, compiled once per evaluation
batch into plain Python checks, then run against many responses without a query each.

Criteria (every one given must match):
  scores        [{"kind": "nps" | "csat" | <rating question key>, "min": n, "max": n}, …]
                each range must hold; an NPS/CSAT range needs a response to a survey of that
                kind, a question range an answer to that rating question
  nps_category  ["detractor" | "passive" | "promoter", …]: one of them (NPS surveys only)
  answers       [{"question": key, "op": "equals" | "contains", "value": v}, …]: "equals"
                compares the answer (for multiple choice: the one option chosen), "contains"
                means the option is among the chosen ones, or the text contains the value
  keywords      ["não", "muito caro", …]: one of the words or phrases is in the verbatim, as
                whole words, ignoring case but not accents (Unicode-aware: any language)
  segment       <segment id>: the response's segment is it or below it
  transaction   [{"field": name, "op": "equals" | "contains", "value": v}, …]
"""

import re
import unicodedata
from collections.abc import Callable

from caredesk.core.errors import FieldErrors

NPS_BANDS = {"detractor": (0, 6), "passive": (7, 8), "promoter": (9, 10)}
CSAT_BANDS = {"csat_low": (1, 2), "csat_mid": (3, 3), "csat_high": (4, 5)}
OPS = ("equals", "contains")
CRITERIA_KEYS = ("scores", "nps_category", "answers", "keywords", "segment", "transaction")


def _int(value, field: str) -> int:
    if isinstance(value, bool):
        raise FieldErrors.one(field, f"Not a whole number: {value!r}")
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise FieldErrors.one(field, f"Not a whole number: {value!r}") from None
    return number


def _list(criteria: dict, key: str) -> list:
    value = criteria.get(key) or []
    if not isinstance(value, list):
        raise FieldErrors.one(f"criteria.{key}", "Must be a list.")
    return value


def criteria_clean(criteria, *, segment_ids: set[int], question_keys: set[str] | None) -> dict:
    """Validate and normalize a rule's criteria. `question_keys`: the questions of the rule's
    survey (None for a rule on every survey: any key is accepted)."""
    if criteria in (None, ""):
        return {}
    if not isinstance(criteria, dict):
        raise FieldErrors.one("criteria", "Criteria must be an object.")
    unknown = sorted(set(criteria) - set(CRITERIA_KEYS))
    if unknown:
        raise FieldErrors.one("criteria", f"Unknown criteria: {', '.join(unknown)}")
    errors: dict[str, str] = {}
    clean: dict = {}

    def check(key, fn):
        try:
            value = fn()
        except FieldErrors as e:
            errors.update(e.errors)
            return
        if value not in (None, [], ""):
            clean[key] = value

    def scores():
        out = []
        for item in _list(criteria, "scores"):
            if not isinstance(item, dict) or not str(item.get("kind") or "").strip():
                raise FieldErrors.one("criteria.scores", "Each range needs a kind, min and max.")
            kind = str(item["kind"]).strip()
            if question_keys is not None and kind not in ("nps", "csat", *question_keys):
                raise FieldErrors.one("criteria.scores", f"No such score: {kind!r}")
            low = _int(item.get("min"), "criteria.scores")
            high = _int(item.get("max"), "criteria.scores")
            if low > high:
                raise FieldErrors.one("criteria.scores", f"{kind}: min is above max.")
            out.append({"kind": kind, "min": low, "max": high})
        return out

    def nps_category():
        values = _list(criteria, "nps_category")
        bad = [v for v in values if v not in NPS_BANDS]
        if bad:
            raise FieldErrors.one(
                "criteria.nps_category",
                f"Unknown category {bad[0]!r}; one of: detractor, passive, promoter",
            )
        return sorted(set(values), key=list(NPS_BANDS).index)

    def conditions(key, name_field):
        out = []
        for item in _list(criteria, key):
            if not isinstance(item, dict):
                raise FieldErrors.one(f"criteria.{key}", "Each condition must be an object.")
            name = str(item.get(name_field) or "").strip()
            op = item.get("op", "equals")
            value = item.get("value")
            if not name:
                raise FieldErrors.one(f"criteria.{key}", f"Each condition needs a {name_field}.")
            if key == "answers" and question_keys is not None and name not in question_keys:
                raise FieldErrors.one(f"criteria.{key}", f"No such question: {name!r}")
            if op not in OPS:
                raise FieldErrors.one(
                    f"criteria.{key}", f"Unknown op {op!r}; one of: equals, contains"
                )
            if value in (None, "") or isinstance(value, dict | list):
                raise FieldErrors.one(f"criteria.{key}", f"{name}: a value is needed.")
            out.append({name_field: name, "op": op, "value": str(value).strip()})
        return out

    def keywords():
        words = []
        for word in _list(criteria, "keywords"):
            if not isinstance(word, str):
                raise FieldErrors.one("criteria.keywords", "Keywords must be texts.")
            word = unicodedata.normalize("NFC", " ".join(word.split()))
            if word and word not in words:
                words.append(word)
        return words

    def segment():
        value = criteria.get("segment")
        if value in (None, ""):
            return None
        number = _int(value, "criteria.segment")
        if number not in segment_ids:
            raise FieldErrors.one("criteria.segment", "No such segment.")
        return number

    check("scores", scores)
    check("nps_category", nps_category)
    check("answers", lambda: conditions("answers", "question"))
    check("keywords", keywords)
    check("segment", segment)
    check("transaction", lambda: conditions("transaction", "field"))
    if errors:
        raise FieldErrors(errors)
    return clean


def keyword_pattern(words: list[str]) -> re.Pattern | None:
    """One regex for all the words: whole words (no letter or digit on either side), spaces
    inside a phrase matching any run of whitespace; str patterns make \\w Unicode-aware."""
    if not words:
        return None
    parts = [
        r"\s+".join(re.escape(part) for part in unicodedata.normalize("NFC", w).split())
        for w in words
    ]
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)


def _score_of(kind: str, survey_kind: str, response) -> int | None:
    if kind in ("nps", "csat"):
        return response.score if survey_kind == kind else None
    value = (response.answers or {}).get(kind)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _answer_matches(answer, op: str, value: str) -> bool:
    if answer is None:
        return False
    if isinstance(answer, list):
        chosen = [str(a) for a in answer]
        return value in chosen if op == "contains" else chosen == [value]
    if op == "contains":
        return value.casefold() in str(answer).casefold()
    return str(answer) == value


def compile_rule(rule, *, segment_paths: dict[int, str]) -> Callable:
    """A function (response, survey_kind) -> bool for the rule's criteria. Every criterion
    must hold, so they are checked cheapest first: the keyword regex last."""
    criteria = rule.criteria or {}
    checks: list[Callable] = []
    if rule.survey_id is not None:
        survey_id = rule.survey_id
        checks.append(lambda r, kind: r.survey_id == survey_id)
    # Rules written before the "scores" list: {"score_min": a, "score_max": b} on any score.
    if "score_min" in criteria or "score_max" in criteria:
        low, high = int(criteria.get("score_min", -(10**6))), int(criteria.get("score_max", 10**6))
        checks.append(lambda r, kind: r.score is not None and low <= r.score <= high)
    for item in criteria.get("scores", []):
        key, low, high = item["kind"], item["min"], item["max"]
        if key in ("nps", "csat"):

            def score_check(r, kind, key=key, low=low, high=high):
                return kind == key and r.score is not None and low <= r.score <= high

        else:

            def score_check(r, kind, key=key, low=low, high=high):
                value = _score_of(key, kind, r)
                return value is not None and low <= value <= high

        checks.append(score_check)
    if categories := criteria.get("nps_category"):
        scores = frozenset(
            n for c in categories for n in range(NPS_BANDS[c][0], NPS_BANDS[c][1] + 1)
        )
        checks.append(lambda r, kind: kind == "nps" and r.score in scores)
    if "segment" in criteria:
        # A deleted segment matches nothing rather than everything.
        prefix = segment_paths.get(int(criteria["segment"]), "\0")
        checks.append(lambda r, kind: bool(r.segment_path) and r.segment_path.startswith(prefix))
    for item in criteria.get("answers", []):
        checks.append(
            lambda r, kind, q=item["question"], op=item["op"], v=item["value"]: _answer_matches(
                (r.answers or {}).get(q), op, v
            )
        )
    for item in criteria.get("transaction", []):
        checks.append(
            lambda r, kind, f=item["field"], op=item["op"], v=item["value"]: _answer_matches(
                _scalar((r.transaction or {}).get(f)), op, v
            )
        )
    if pattern := keyword_pattern(criteria.get("keywords", [])):
        search = pattern.search
        checks.append(lambda r, kind: bool(r.comment) and search(nfc(r)) is not None)

    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda r, kind: first(r, kind) and second(r, kind)

    def matches(response, survey_kind: str) -> bool:
        for check in checks:
            if not check(response, survey_kind):
                return False
        return True

    return matches


SCORE_SCALES = {"nps": (0, 10), "csat": (1, 5)}


def score_filter(rule) -> frozenset[tuple[str, int]] | None:
    """The (survey kind, score) pairs a response can have and still match the rule, when its
    NPS/CSAT criteria narrow them down (None: any). Lets a batch offer a rule only the
    responses with such a score; compile_rule's function still checks everything."""
    criteria = rule.criteria or {}
    allowed: set[tuple[str, int]] | None = None

    def narrow(pairs):
        nonlocal allowed
        allowed = set(pairs) if allowed is None else allowed & set(pairs)

    for item in criteria.get("scores", []):
        if (kind := item["kind"]) in SCORE_SCALES:
            low, high = SCORE_SCALES[kind]
            low, high = max(low, item["min"]), min(high, item["max"])
            narrow((kind, n) for n in range(low, high + 1))
    if categories := criteria.get("nps_category"):
        narrow(("nps", n) for c in categories for n in range(NPS_BANDS[c][0], NPS_BANDS[c][1] + 1))
    return None if allowed is None else frozenset(allowed)


def nfc(response) -> str:
    """The comment in NFC (composed accents), computed once per response however many rules
    look at it."""
    cached = getattr(response, "_nfc_comment", None)
    if cached is None:
        cached = response._nfc_comment = unicodedata.normalize("NFC", response.comment or "")
    return cached


def _scalar(value):
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
