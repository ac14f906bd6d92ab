"""The offline analysis of a response's verbatim, for the alert-rule criteria on sentiment and
topics (caredesk.feedback.rules): the engine (caredesk.analysis.engine) run on the customer
comment with the workspace's taxonomy, once per response however many rules look at it, and
the evidence in words for the ticket a rule opens."""

from collections.abc import Callable
from dataclasses import dataclass

from caredesk.analysis.engine import Result, Taxonomy, Unit, analyse
from caredesk.analysis.models import Topic


@dataclass(frozen=True)
class Verbatims:
    """Analyses the verbatims of one workspace's responses."""

    taxonomy: Taxonomy
    names: dict[int, str]

    def __call__(self, response) -> Result:
        cached = getattr(response, "_analysis", None)
        if cached is None:
            cached = analyse(
                [Unit(response.comment or "", "customer")],
                taxonomy=self.taxonomy,
                language=(getattr(response, "language", "") or "")[:2],
                top_keyphrases=0,
            )
            response._analysis = cached
        return cached


def verbatims_for(workspace_id: int) -> Verbatims:
    """One query for the topics; the compiled matcher is the engine's cached one while the
    taxonomy is unchanged (Taxonomy.from_topics keys it by the topics' content)."""
    topics = list(
        Topic.objects.filter(workspace_id=workspace_id).only(
            "id", "parent_id", "name", "phrases", "is_active"
        )
    )
    return Verbatims(Taxonomy.from_topics(topics), {t.pk: t.name for t in topics})


def needs_analysis(criteria: dict | None) -> bool:
    return bool((criteria or {}).get("sentiment") or (criteria or {}).get("topics"))


def _quoted(items) -> str:
    return ", ".join(f"“{item}”" for item in items)


def evidence(criteria: dict, result: Result | None, names: dict[int, str]) -> str:
    """What the analysis found that made the rule match, in a sentence for the ticket:
    `Sentiment negative (-0.62: “terrible”, “nobody answers”). Topics: Cancellation
    (“cancel”).` Stored data, in English like the rest of the ticket's first comment."""
    if result is None or not needs_analysis(criteria):
        return ""
    parts = []
    if criteria.get("sentiment") and result.sentiment is not None:
        words = [
            e["word"]
            for unit in result.units
            for e in unit.get("evidence", [])
            if e.get("word") and (e.get("weight") or 0) * (result.sentiment or 0) > 0
        ]
        found = f"{result.sentiment:+.2f}" + (f": {_quoted(dict.fromkeys(words))}" if words else "")
        parts.append(f"Sentiment {result.label} ({found}).")
    if wanted := set(criteria.get("topics") or ()):
        hits = []
        for topic_id, items in result.topics:
            if topic_id in wanted:
                phrases = dict.fromkeys(
                    result.units[i["unit"]]["text"][i["start"] : i["end"]] or i["phrase"]
                    for i in items
                )
                hits.append(f"{names.get(topic_id, topic_id)} ({_quoted(phrases)})")
        if hits:
            parts.append("Topics: " + "; ".join(hits) + ".")
    return " ".join(parts)


Analyser = Callable[[object], Result]
