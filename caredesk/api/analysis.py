"""The stored analysis of an activity or a survey response, with its evidence (view_insights;
404 outside the caller's management area, as on the Conversations tab)."""

import datetime as dt

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import Field

from caredesk.analysis.models import Label, Signal, SourceKind
from caredesk.api.access import api_access
from caredesk.api.schemas import ERRORS
from caredesk.conversations import selectors
from caredesk.workspaces.permissions import Perm

router = Router()

WS = "/workspaces/{workspace}"


class AnalysisWordOut(Schema):
    start: int = Field(description="Offset in the unit's text")
    end: int
    word: str = ""
    weight: float = 0.0


class AnalysisUnitOut(Schema):
    side: str = Field(description="customer | agent | other")
    text: str
    sentiment: float | None = None
    label: str = ""
    evidence: list[AnalysisWordOut] = Field(
        default_factory=list, description="The sentiment words that produced the score"
    )


class AnalysisSignalOut(Schema):
    kind: str = Field(description=f"One of: {', '.join(Signal.values)}")
    unit: int = Field(description="Index in units")
    start: int = 0
    end: int = 0
    phrase: str = ""
    rule: str = ""


class AnalysisSpanOut(Schema):
    unit: int
    start: int = 0
    end: int = 0
    phrase: str = ""


class AnalysisTopicOut(Schema):
    id: int
    name: str
    evidence: list[AnalysisSpanOut]


class AnalysisOut(Schema):
    source: str = Field(description=f"One of: {', '.join(SourceKind.values)}")
    source_id: int
    media_type: str
    occurred_at: dt.datetime
    language: str = Field(description="en | pt | it | bg, or empty when unknown")
    sentiment: float | None = Field(description="Compound score from -1 to 1")
    label: str = Field(description=f"One of: {', '.join(Label.values)}")
    customer_sentiment: float | None
    agent_sentiment: float | None
    start_sentiment: float | None = Field(description="The customer's, over their first third")
    end_sentiment: float | None = Field(description="The customer's, over their last third")
    score: int | None = Field(description="The survey response's score")
    units: list[AnalysisUnitOut]
    signals: list[AnalysisSignalOut]
    keyphrases: list[str]
    topics: list[AnalysisTopicOut]
    analysed_at: dt.datetime


def analysis_out(a) -> dict:
    return {
        "source": a.source,
        "source_id": a.source_id,
        "media_type": a.media_type,
        "occurred_at": a.occurred_at,
        "language": a.language,
        "sentiment": a.sentiment,
        "label": a.label,
        "customer_sentiment": a.customer_sentiment,
        "agent_sentiment": a.agent_sentiment,
        "start_sentiment": a.start_sentiment,
        "end_sentiment": a.end_sentiment,
        "score": a.score,
        "units": a.units or [],
        "signals": a.signals or [],
        "keyphrases": a.keyphrases or [],
        "topics": [
            {"id": h.topic_id, "name": h.topic.name, "evidence": h.evidence or []}
            for h in sorted(a.topic_hits.all(), key=lambda h: h.topic.name)
        ],
        "analysed_at": a.analysed_at,
    }


def _get(request, workspace: str, source: str, source_id: int) -> dict:
    access = api_access(request, workspace, require=Perm.VIEW_INSIGHTS)
    found = selectors.find(access, source, source_id)
    if found is None:
        raise Http404(_("No analysis of this (not analysed yet, or not yours to see)"))
    return analysis_out(found)


@router.get(
    f"{WS}/activities/{{activity_id}}/analysis",
    response={200: AnalysisOut, **ERRORS},
    tags=["analysis"],
    summary="The analysis of a chat, call, email or web form (view_insights)",
    description="Sentiment per message and side, topics, signals, each with its evidence. "
    "404 when it is not analysed (yet) or lies outside your management area.",
)
def activity_analysis(request, workspace: str, activity_id: int):
    return _get(request, workspace, SourceKind.ACTIVITY, activity_id)


@router.get(
    f"{WS}/responses/{{response_id}}/analysis",
    response={200: AnalysisOut, **ERRORS},
    tags=["analysis"],
    summary="The analysis of a survey response's verbatim (view_insights)",
    description="404 when it has no verbatim, is not analysed (yet) or lies outside your "
    "management area.",
)
def response_analysis(request, workspace: str, response_id: int):
    return _get(request, workspace, SourceKind.RESPONSE, response_id)
