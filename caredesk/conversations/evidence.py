"""A conversation's text with its evidence marked: the sentiment words, the topics' phrases
and the signals' phrases, each a <mark> whose title says which label and which rule made it.

Customer text is escaped piece by piece (format_html / escape); overlapping evidence is cut
at every boundary, so each piece is one <mark> naming everything that covers it."""

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caredesk.analysis.models import Label, Signal

SIDE_LABELS = {
    "customer": gettext_lazy("Customer"),
    "agent": gettext_lazy("Agent"),
    "other": gettext_lazy("System"),
}


def _span(text: str, item: dict) -> tuple[int, int] | None:
    try:
        start, end = int(item.get("start", 0)), int(item.get("end", 0))
    except (TypeError, ValueError):
        return None
    start, end = max(0, start), min(len(text), end)
    return (start, end) if start < end else None


def marks_of(analysis, hits) -> dict[int, list[tuple[int, int, str, str]]]:
    """Unit index → [(start, end, css class, title)]."""
    out: dict[int, list] = {}
    units = analysis.units or []
    labels = dict(Label.choices)
    for i, unit in enumerate(units):
        text = unit.get("text", "")
        for e in unit.get("evidence") or ():
            span = _span(text, e)
            if span is None:
                continue
            weight = float(e.get("weight") or 0)
            kind = "pos" if weight > 0 else "neg" if weight < 0 else "neu"
            rule = e.get("rule") or _("sentiment lexicon")
            title = _("Sentiment %(label)s (%(weight)+.2f): “%(word)s”, %(rule)s") % {
                "label": labels.get(Label.POSITIVE if weight > 0 else Label.NEGATIVE, "")
                if weight
                else labels.get(Label.NEUTRAL, ""),
                "weight": weight,
                "word": e.get("word") or text[span[0] : span[1]],
                "rule": rule,
            }
            out.setdefault(i, []).append((*span, f"ev-{kind}", title))
    for hit in hits:
        for e in hit.evidence or ():
            i = e.get("unit", 0)
            if not isinstance(i, int) or not 0 <= i < len(units):
                continue
            span = _span(units[i].get("text", ""), e)
            if span is None:
                continue
            title = _("Topic %(topic)s: phrase “%(phrase)s”") % {
                "topic": hit.topic.name,
                "phrase": e.get("phrase") or "",
            }
            out.setdefault(i, []).append((*span, "ev-topic", title))
    signals = dict(Signal.choices)
    for s in analysis.signals or ():
        i = s.get("unit", 0)
        if not isinstance(i, int) or not 0 <= i < len(units):
            continue
        span = _span(units[i].get("text", ""), s)
        if span is None:
            continue
        title = _("Signal %(signal)s: “%(phrase)s”, %(rule)s") % {
            "signal": signals.get(s.get("kind"), s.get("kind")),
            "phrase": s.get("phrase") or "",
            "rule": s.get("rule") or _("phrase rule"),
        }
        out.setdefault(i, []).append((*span, "ev-signal", title))
    return out


def highlight(text: str, marks: list[tuple[int, int, str, str]]):
    """The text, escaped, with each marked piece in a <mark>."""
    if not marks:
        return escape(text)
    cuts = sorted({0, len(text), *(m[0] for m in marks), *(m[1] for m in marks)})
    parts = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        piece = text[a:b]
        covering = [m for m in marks if m[0] <= a and b <= m[1]]
        if not covering:
            parts.append(escape(piece))
            continue
        classes = " ".join(sorted({m[2] for m in covering}))
        title = " · ".join(dict.fromkeys(m[3] for m in covering))
        parts.append(format_html('<mark class="{}" title="{}">{}</mark>', classes, title, piece))
    return mark_safe("".join(str(p) for p in parts))  # every piece escaped above


def highlighted_units(analysis, hits) -> list[dict]:
    marks = marks_of(analysis, hits)
    labels = dict(Label.choices)
    return [
        {
            "index": i,
            "side": unit.get("side", "other"),
            "side_label": SIDE_LABELS.get(unit.get("side"), SIDE_LABELS["other"]),
            "html": highlight(unit.get("text", ""), marks.get(i, [])),
            "sentiment": unit.get("sentiment"),
            "label": unit.get("label", ""),
            "label_name": labels.get(unit.get("label", ""), ""),
        }
        for i, unit in enumerate(analysis.units or [])
    ]
