"""What the user typed, as search terms: every word must match, "quoted phrases" match as
written (word after word), and the last word also matches as the start of a longer word
(typing "refun" finds "refund"). Built into each database's own query syntax from terms that
are only letters and digits (`fold.terms`), so nothing typed reaches the syntax itself."""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from caredesk.core.errors import FieldErrors
from caredesk.search.fold import terms

MAX_LENGTH = 200
MAX_TERMS = 16
# A prefix of one letter would match most of the index.
MIN_PREFIX = 2
_QUOTED = re.compile(r'"([^"]*)"?')


@dataclass(frozen=True)
class Query:
    words: tuple[str, ...] = ()
    phrases: tuple[tuple[str, ...], ...] = ()
    prefix: str = ""
    # Every term, for the highlighting.
    all_terms: frozenset[str] = field(default_factory=frozenset)

    def tsquery(self) -> str:
        """PostgreSQL: for to_tsquery('simple', …)."""
        parts = [f"'{w}'" for w in self.words]
        parts += ["(" + " <-> ".join(f"'{w}'" for w in p) + ")" for p in self.phrases]
        if self.prefix:
            parts.append(f"'{self.prefix}':*")
        return " & ".join(parts)

    def fts5(self) -> str:
        """SQLite: an FTS5 MATCH expression."""
        parts = [f'"{w}"' for w in self.words]
        parts += ['"' + " ".join(p) + '"' for p in self.phrases]
        if self.prefix:
            parts.append(f'"{self.prefix}"*')
        return " AND ".join(parts)


def parse_query(text: str | None) -> Query:
    """Raise FieldErrors naming `q` for nothing to search or too much."""
    text = (text or "").strip()
    if not text:
        raise FieldErrors.one("q", _("Type a word to search for."))
    if len(text) > MAX_LENGTH:
        raise FieldErrors.one("q", _("Search for at most %(n)s characters.") % {"n": MAX_LENGTH})
    phrases: list[tuple[str, ...]] = []
    words: list[str] = []
    for p in _QUOTED.findall(text):
        found = tuple(terms(p))
        if len(found) > 1:
            phrases.append(found)
        else:
            words += found
    rest = _QUOTED.sub(" ", text)
    bare = terms(rest)
    prefix = ""
    # Only a last word still being typed: a closing quote or a space ends it.
    if bare and not text.endswith('"') and len(bare[-1]) >= MIN_PREFIX:
        if re.search(r"[^\W_]$", text):
            prefix = bare.pop()
    words += bare
    words = list(dict.fromkeys(words))
    count = len(words) + sum(len(p) for p in phrases) + bool(prefix)
    if not count:
        raise FieldErrors.one("q", _("Type a word to search for (letters or digits)."))
    if count > MAX_TERMS:
        raise FieldErrors.one("q", _("Search for at most %(n)s words.") % {"n": MAX_TERMS})
    every = set(words) | {w for p in phrases for w in p}
    return Query(
        words=tuple(words),
        phrases=tuple(phrases),
        prefix=prefix,
        all_terms=frozenset(every),
    )
