"""Feeds the analysis engine: builds its units from each source, runs it, stores the result.

Sources (named as `Analysis.source` / `source_id`):
- a chat activity: its conversation's messages, one unit each (system messages are "other");
- a call activity: its transcript segments (Activity.context["transcript"], as
  voice.services.call_transcript_set stores them), or its plain-text transcript as one unit;
- an email or web form activity: subject and body as one unit (an outbound email is the
  agent's);
- a survey response: its verbatim (`comment`), with its score kept for the drivers of
  detractors.

A source with no text has no analysis (one it had is removed). Everything works in batches:
`analyse_activities(ids)` and `analyse_responses(ids)` read a batch in a fixed number of
queries and write it with bulk statements, so the task queue and the `reanalyse` command
share one path.

The taxonomy is compiled once per workspace and reused until its topics change: the cache
key is the topics' latest `updated_at` with their count (`taxonomy_stamp`), so an edit, a
new topic or a deleted one all compile it again."""

import threading
from collections import defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from caredesk.analysis import engine
from caredesk.analysis.models import LANGUAGES, Analysis, AnalysisTopic, SourceKind, Topic
from caredesk.feedback.models import Response
from caredesk.journey.models import Activity, Direction, MediaType
from caredesk.routing.models import Message, Queue, Sender

# The kinds of activity whose text is a conversation with a customer (notes are internal,
# a survey response activity is analysed as its response).
ANALYSED_MEDIA = (MediaType.CHAT, MediaType.CALL, MediaType.EMAIL, MediaType.WEB_FORM)
SIDES = {Sender.CUSTOMER: "customer", Sender.AGENT: "agent"}
SPEAKERS = {"customer": "customer", "agent": "agent"}
SIGNAL_FIELDS = ("escalation", "repetition", "churn")
RESULT_FIELDS = (
    "language",
    "sentiment",
    "label",
    "customer_sentiment",
    "agent_sentiment",
    "start_sentiment",
    "end_sentiment",
    "units",
    "signals",
    "keyphrases",
)
DIMENSION_FIELDS = (
    "workspace_id",
    "media_type",
    "occurred_at",
    "case_id",
    "segment_path",
    "queue_name",
    "agent_id",
    "score",
    "survey_id",
    "survey_kind",
)

# --------------------------------------------------------------------------- taxonomy

_taxonomies: dict[int, tuple[str, object]] = {}
_lock = threading.Lock()


def taxonomy_stamp(workspace_id: int) -> str:
    row = Topic.objects.filter(workspace_id=workspace_id).aggregate(
        last=Max("updated_at"), n=Count("id")
    )
    if not row["n"]:
        return ""
    return f"{row['last'].timestamp():.6f}/{row['n']}"


def taxonomy(workspace_id: int) -> tuple[str, object]:
    """(stamp, compiled Taxonomy) of the workspace's topics (the engine skips inactive ones
    and what lies below them, and counts a subtopic's hit for its ancestors), compiled when
    they changed since the last call in this process."""
    stamp = taxonomy_stamp(workspace_id)
    cached = _taxonomies.get(workspace_id)
    if cached is not None and cached[0] == stamp:
        return cached
    topics = list(Topic.objects.filter(workspace_id=workspace_id))
    compiled = engine.Taxonomy.from_topics(topics) if topics else None
    with _lock:
        _taxonomies[workspace_id] = cached = (stamp, compiled)
    return cached


def _language_hint(code: str) -> str:
    code = (code or "").lower()[:2]
    return code if code in LANGUAGES else ""


# --------------------------------------------------------------------------- units


def chat_units(messages: Iterable[Message]) -> list:
    return [engine.Unit(m.body, SIDES.get(m.sender, "other")) for m in messages if m.body.strip()]


def call_units(activity: Activity) -> list:
    segments = (activity.context or {}).get("transcript")
    if segments:
        return [
            engine.Unit(s.get("text", ""), SPEAKERS.get(s.get("speaker"), "other"))
            for s in segments
            if (s.get("text") or "").strip()
        ]
    # A plain-text transcript: one unit, read as the customer's (who said what is unknown,
    # and the analysis is about how the customer felt).
    return [engine.Unit(activity.body)] if activity.body.strip() else []


def text_units(activity: Activity) -> list:
    text = "\n".join(t for t in (activity.subject.strip(), activity.body.strip()) if t)
    if not text:
        return []
    side = "agent" if activity.direction == Direction.OUTBOUND else "customer"
    return [engine.Unit(text, side)]


def response_units(response: Response) -> list:
    return [engine.Unit(response.comment)] if response.comment.strip() else []


# --------------------------------------------------------------------------- batches


def _queue_paths(workspace_ids: set[int]) -> dict[tuple[int, str], str]:
    return {
        (ws, name): path or ""
        for ws, name, path in Queue.objects.filter(workspace_id__in=workspace_ids).values_list(
            "workspace_id", "name", "segment__path"
        )
    }


def analyse_activities(ids: Iterable[int]) -> int:
    """Analyse these activities (those not analysed by kind or text are skipped, and lose
    an analysis they had); returns how many were stored."""
    ids = list(ids)
    activities = list(
        Activity.objects.filter(pk__in=ids, media_type__in=ANALYSED_MEDIA).select_related(
            "case", "conversation"
        )
    )
    chats = [a.conversation_id for a in activities if a.conversation_id]
    messages = defaultdict(list)
    for m in Message.objects.filter(conversation_id__in=chats).order_by("conversation_id", "id"):
        messages[m.conversation_id].append(m)
    queue_paths = _queue_paths({a.workspace_id for a in activities})
    items = []
    for a in activities:
        if a.media_type == MediaType.CHAT:
            units = chat_units(messages.get(a.conversation_id, ()))
            hint = a.conversation.language if a.conversation_id else ""
        elif a.media_type == MediaType.CALL:
            units, hint = call_units(a), ""
        else:
            units, hint = text_units(a), ""
        dims = {
            "workspace_id": a.workspace_id,
            "media_type": a.media_type,
            "occurred_at": a.occurred_at,
            "case_id": a.case_id,
            "segment_path": (
                a.case.segment_path
                if a.case_id
                else queue_paths.get((a.workspace_id, a.queue_name), "")
            ),
            "queue_name": a.queue_name,
            "agent_id": a.agent_id,
            "score": None,
            "survey_id": None,
            "survey_kind": "",
        }
        items.append((a.pk, units, _language_hint(hint), dims))
    done = {a.pk for a in activities}
    return _store(SourceKind.ACTIVITY, items, gone=[i for i in ids if i not in done])


def analyse_responses(ids: Iterable[int]) -> int:
    ids = list(ids)
    responses = list(Response.objects.filter(pk__in=ids).select_related("survey", "case"))
    items = []
    for r in responses:
        dims = {
            "workspace_id": r.workspace_id,
            "media_type": MediaType.SURVEY_RESPONSE,
            "occurred_at": r.responded_at,
            "case_id": r.case_id,
            "segment_path": r.segment_path,
            "queue_name": "",
            "agent_id": r.case.owner_id if r.case_id else None,
            "score": r.score,
            "survey_id": r.survey_id,
            "survey_kind": r.survey.kind,
        }
        items.append((r.pk, response_units(r), _language_hint(r.language), dims))
    done = {r.pk for r in responses}
    return _store(SourceKind.RESPONSE, items, gone=[i for i in ids if i not in done])


def _store(source: str, items: list, gone: list[int]) -> int:
    """Run the engine on each item and upsert the analyses and their topics in bulk."""
    empty = list(gone) + [pk for pk, units, _, _ in items if not units]
    rows: dict[int, Analysis] = {}
    hits: dict[int, list] = {}
    for pk, units, hint, dims in items:
        if not units:
            continue
        stamp, compiled = taxonomy(dims["workspace_id"])
        result = engine.analyse(units, compiled, hint)
        row = Analysis(source=source, source_id=pk, taxonomy_stamp=stamp, **dims)
        for name in RESULT_FIELDS:
            setattr(row, name, getattr(result, name))
        row.label = row.label or ""
        row.language = row.language or ""
        kinds = {s.get("kind") for s in row.signals or ()}
        for name in SIGNAL_FIELDS:
            setattr(row, name, name in kinds)
        rows[pk] = row
        hits[pk] = {topic_id: evidence for topic_id, evidence in result.topics}
    with transaction.atomic():
        if empty:
            Analysis.objects.filter(source=source, source_id__in=empty).delete()
        if not rows:
            return 0
        existing = dict(
            Analysis.objects.filter(source=source, source_id__in=list(rows)).values_list(
                "source_id", "pk"
            )
        )
        for pk, row in rows.items():
            row.pk = existing.get(pk)
        old = [r for r in rows.values() if r.pk]
        new = [r for r in rows.values() if not r.pk]
        if old:
            Analysis.objects.bulk_update(
                old,
                [*RESULT_FIELDS, *DIMENSION_FIELDS, *SIGNAL_FIELDS, "taxonomy_stamp"],
                batch_size=200,
            )
            Analysis.objects.filter(pk__in=[r.pk for r in old]).update(
                analysed_at=timezone.now()
            )  # bulk_update skips auto_now
            AnalysisTopic.objects.filter(analysis_id__in=[r.pk for r in old]).delete()
        if new:
            Analysis.objects.bulk_create(new, batch_size=200)
            if any(r.pk is None for r in new):  # backends that return no ids (none of ours)
                ids = dict(
                    Analysis.objects.filter(
                        source=source, source_id__in=[r.source_id for r in new]
                    ).values_list("source_id", "pk")
                )
                for r in new:
                    r.pk = ids[r.source_id]
        valid = set(
            Topic.objects.filter(pk__in={t for found in hits.values() for t in found}).values_list(
                "pk", flat=True
            )
        )
        AnalysisTopic.objects.bulk_create(
            [
                AnalysisTopic(
                    analysis_id=rows[pk].pk,
                    topic_id=topic_id,
                    evidence=evidence,
                    workspace_id=rows[pk].workspace_id,
                    occurred_at=rows[pk].occurred_at,
                )
                for pk, found in hits.items()
                for topic_id, evidence in found.items()
                if topic_id in valid  # a topic deleted while the batch ran
            ],
            batch_size=500,
        )
    return len(rows)


def analyse(source: str, ids: Iterable[int]) -> int:
    if source == SourceKind.RESPONSE:
        return analyse_responses(ids)
    return analyse_activities(ids)
