"""The alert-rule criteria: validated once when a rule is saved (caredesk.feedback.schemas),
compiled once per evaluation batch into plain Python checks, then run against many responses
without a query each.

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
  sentiment     {"labels": ["negative", …], "min": x, "max": y}: the verbatim's sentiment (the
                offline analysis, caredesk.feedback.verbatim) has one of the labels and a score
                (-1 … 1) within the bounds given; a response without a comment never matches
  topics        [topic id, …]: the verbatim is about one of them (a hit on a topic below one
                counts for it), by the workspace's taxonomy
"""

import re
import unicodedata
from collections.abc import Callable

from django.utils.translation import gettext as _

from caredesk.core.errors import FieldErrors

NPS_BANDS = {"detractor": (0, 6), "passive": (7, 8), "promoter": (9, 10)}
CSAT_BANDS = {"csat_low": (1, 2), "csat_mid": (3, 3), "csat_high": (4, 5)}


def whole_number(value, field: str) -> int:
    """An int, or a text of one (what a form sends); not a bool, nor 3.0."""
    if isinstance(value, bool):
        raise FieldErrors.one(field, _("Not a whole number: %(value)s") % {"value": repr(value)})
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise FieldErrors.one(
            field, _("Not a whole number: %(value)s") % {"value": repr(value)}
        ) from None
    return number


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


def compile_rule(rule, *, segment_paths: dict[int, str], verbatims=None) -> Callable:
    """A function (response, survey_kind) -> bool for the rule's criteria. Every criterion
    must hold, so they are checked cheapest first: the keyword regex, then the analysis of
    the verbatim (`verbatims`: response -> engine Result, caching it on the response), last."""
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
    if (sentiment := criteria.get("sentiment")) and verbatims is not None:
        checks.append(_sentiment_check(sentiment, verbatims))
    if (topics := criteria.get("topics")) and verbatims is not None:
        wanted = frozenset(topics)
        checks.append(
            lambda r, kind: (
                bool(r.comment) and any(topic_id in wanted for topic_id, _ in verbatims(r).topics)
            )
        )
    if verbatims is None and (sentiment or topics):
        # Without the analysis such a rule cannot be told to match: it does not.
        checks.append(lambda r, kind: False)

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


def _sentiment_check(spec: dict, verbatims) -> Callable:
    labels = frozenset(spec.get("labels") or ())
    low, high = spec.get("min"), spec.get("max")

    def check(r, kind) -> bool:
        if not (r.comment or "").strip():
            return False
        result = verbatims(r)
        if result.sentiment is None:
            return False
        if labels and result.label not in labels:
            return False
        if low is not None and result.sentiment < low:
            return False
        return high is None or result.sentiment <= high

    return check


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
