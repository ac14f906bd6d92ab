"""Rebuilding the search documents from their sources (after a restore, or to take a change
of what is indexed). The triggers keep them current otherwise (`search.sources`)."""

from collections.abc import Callable

from django.db import connection, transaction

from caredesk.search.sources import DOC, SOURCES, Source

BATCH = 20_000


def _bounds(source: Source) -> tuple[int, int]:
    with connection.cursor() as cur:
        cur.execute(f"SELECT MIN(id), MAX(id) FROM {source.table}")
        low, high = cur.fetchone()
        cur.execute(
            f"SELECT MIN(source_id), MAX(source_id) FROM {DOC} WHERE source = %s", [source.name]
        )
        doc_low, doc_high = cur.fetchone()
    lows = [v for v in (low, doc_low) if v is not None]
    highs = [v for v in (high, doc_high) if v is not None]
    return (min(lows), max(highs)) if lows else (0, -1)


def rebuild(
    *,
    names: list[str] | None = None,
    batch: int = BATCH,
    progress: Callable[[str, int, int], None] | None = None,
) -> int:
    """Index every row of the sources again, one id range per transaction (the documents of
    a range are replaced together, so a search during the rebuild sees each row once).
    Returns how many documents were written."""
    written = 0
    for source in SOURCES:
        if names and source.name not in names:
            continue
        low, high = _bounds(source)
        span = high - low + 1
        for start in range(low, high + 1, batch):
            end = start + batch
            with transaction.atomic(), connection.cursor() as cur:
                cur.execute(
                    f"DELETE FROM {DOC} WHERE source = %s AND source_id >= %s AND source_id < %s",
                    [source.name, start, end],
                )
                cur.execute(source.insert(source.table, f"s.id >= {start:d} AND s.id < {end:d}"))
                written += max(cur.rowcount, 0)
            if progress:
                progress(source.name, min(end, high + 1) - low, span)
        if progress and span <= 0:
            progress(source.name, 0, 0)
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(f"ANALYZE {DOC}")
        else:
            cur.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
    return written
