"""The matched words of a hit, marked in a short piece of its text. Done in Python for both
databases (one behaviour; ts_headline and FTS5's snippet() differ and return markup made of
customer text). Each piece is escaped on its own and only our <mark> is markup."""

import re
from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from caredesk.search.fold import WORD, fold
from caredesk.search.query import Query

SNIPPET = 220
BEFORE = 60
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Snippet:
    text: str
    # [start, end) of each matched word in `text`.
    matches: tuple[tuple[int, int], ...]
    html: SafeString


def _hits(text: str, query: Query) -> list[tuple[int, int]]:
    out = []
    for m in WORD.finditer(fold(text)):
        word = m.group()
        if word in query.all_terms or (query.prefix and word.startswith(query.prefix)):
            out.append(m.span())
    return out


def _mark(text: str, spans) -> SafeString:
    parts, at = [], 0
    for start, end in spans:
        parts.append(escape(text[at:start]))
        parts.append(format_html("<mark>{}</mark>", text[start:end]))
        at = end
    parts.append(escape(text[at:]))
    return mark_safe("".join(parts))  # every piece escaped above


def snippet(text: str, query: Query, length: int = SNIPPET) -> Snippet:
    """About `length` characters of `text` around its first match (the start when none),
    whitespace collapsed, "…" where it was cut."""
    text = _SPACE.sub(" ", text or "").strip()
    hits = _hits(text, query)
    start = 0
    if hits and hits[0][0] > BEFORE and len(text) > length:
        start = text.rfind(" ", 0, hits[0][0] - BEFORE) + 1
        start = min(start, max(len(text) - length, 0))
    end = len(text)
    if end - start > length:
        cut = text.rfind(" ", start, start + length)
        end = cut if cut > start else start + length
    piece = text[start:end]
    lead = "…" if start > 0 else ""
    tail = "…" if end < len(text) else ""
    shift = len(lead) - start
    spans = tuple((s + shift, e + shift) for s, e in hits if s >= start and e <= end)
    plain = lead + piece + tail
    return Snippet(text=plain, matches=spans, html=_mark(plain, spans))
