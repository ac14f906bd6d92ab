"""The rows each metric counts, per source, and how every filter and dimension reaches them.

A source is one table: tickets (care.Case), activities (journey.Activity), episodes
(ResponseEpisode), measures (CaseMeasure), backlog (care.Case, open at an instant), responses
(feedback.Response), invitations (feedback.Invitation), evaluations (quality.Evaluation),
analyses (analysis.Analysis). For each: the caller's management area (`scoped`), the time
column, and for each filter the condition that keeps the rows of that value — or None when
the filter has no meaning on that source (the figure is then "not applicable")."""

from django.db.models import Q, QuerySet

from caredesk.analysis.models import Analysis, AnalysisTopic, SourceKind, Topic
from caredesk.care.models import Case
from caredesk.care.selectors import cases_visible
from caredesk.feedback.models import Invitation, Response
from caredesk.insights.filters import InsightFilters
from caredesk.insights.models import CaseMeasure, ResponseEpisode
from caredesk.journey.models import Activity
from caredesk.quality.models import CoachAssignment, Evaluation
from caredesk.quality.selectors import evaluations_visible
from caredesk.routing.models import Queue
from caredesk.workspaces.access import Access, area_q
from caredesk.workspaces.models import Membership, Segment

# A ticket's channel: where it came from (manual tickets and coaching cases have none).
ORIGIN_CHANNEL = {
    "chat": "chat",
    "call": "call",
    "email": "email",
    "survey_response": "survey_response",
    "alert": "survey_response",
}

MODELS = {
    "tickets": Case,
    "backlog": Case,
    "activities": Activity,
    "episodes": ResponseEpisode,
    "measures": CaseMeasure,
    "responses": Response,
    "invitations": Invitation,
    "evaluations": Evaluation,
    "analyses": Analysis,
}

TIME_FIELD = {
    "tickets": "reported_at",
    "backlog": "reported_at",
    "activities": "occurred_at",
    "episodes": "started_at",
    "measures": "resolved_at",
    "responses": "responded_at",
    "invitations": "sent_at",
    "evaluations": "occurred_at",
    "analyses": "occurred_at",
}

# The column of the agent a row is about (the ticket's owner for tickets and what hangs on
# a ticket), for the agent and team filters; measures reach it through their ticket.
AGENT_FIELD = {
    "tickets": "owner_id",
    "backlog": "owner_id",
    "activities": "agent_id",
    "episodes": "agent_id",
    "responses": "case__owner_id",
    "invitations": "case__owner_id",
    "evaluations": "agent_id",
    "analyses": "agent_id",
}

# Where the segment path lies (the management area and the segment filter).
PATH_FIELD = {
    "tickets": "segment_path",
    "backlog": "segment_path",
    "activities": "case__segment_path",
    "episodes": "segment_path",
    "measures": "segment_path",
    "responses": "segment_path",
    "invitations": "case__segment_path",
    "evaluations": "segment_path",
    "analyses": "segment_path",
}


# --------------------------------------------------------------------------- area


def activity_area(access: Access) -> Q | None:
    """An activity lies in the management area when its ticket does, or, with no ticket,
    when its queue's segment does; the agent who handled it always counts it."""
    if access.sees_whole_workspace:
        return None
    queues = list(
        Queue.objects.filter(workspace=access.workspace)
        .filter(area_q(access, "segment__path"))
        .values_list("name", flat=True)
    )
    return (
        area_q(access, "case__segment_path")
        | Q(case__isnull=True, queue_name__in=queues)
        | Q(agent=access.user)
    )


def _own_cases(access: Access) -> QuerySet:
    return Case.objects.filter(workspace=access.workspace).filter(
        Q(owner=access.user) | Q(created_by=access.user)
    )


def scoped(access: Access, source: str) -> QuerySet:
    """The source's rows the caller may count, before any filter."""
    ws = access.workspace
    whole = access.sees_whole_workspace
    if source in ("tickets", "backlog"):
        return cases_visible(access)
    if source == "activities":
        qs = Activity.objects.filter(workspace=ws)
        cond = activity_area(access)
        return qs if cond is None else qs.filter(cond)
    if source == "responses":
        return Response.objects.visible_to(access)
    if source == "invitations":
        qs = Invitation.objects.filter(survey__workspace=ws)
        return qs if whole else qs.filter(area_q(access, "case__segment_path"))
    if source == "evaluations":
        return evaluations_visible(access)
    model = MODELS[source]
    qs = model.objects.filter(workspace=ws)
    if whole:
        return qs
    # Derived rows (episodes, measures, analyses) follow their segment, plus the user's
    # own work: episodes and analyses they handled, measures of tickets they own or opened.
    if source == "measures":
        return qs.filter(area_q(access) | Q(case_id__in=_own_cases(access).values("pk")))
    return qs.filter(area_q(access) | Q(agent_id=access.user.pk))


# --------------------------------------------------------------------------- filters


def team_agents(workspace, coach_id: int) -> list[int]:
    """The agents `coach_id` coaches (quality.CoachAssignment): named per agent, or members
    whose default segment lies under a segment they coach."""
    rows = CoachAssignment.objects.filter(workspace=workspace, coach_id=coach_id)
    ids = set(rows.filter(agent__isnull=False).values_list("agent_id", flat=True))
    paths = list(
        Segment.objects.filter(
            pk__in=rows.filter(segment__isnull=False).values("segment_id")
        ).values_list("path", flat=True)
    )
    if paths:
        cond = Q(pk__in=[])
        for path in paths:
            cond |= Q(default_segment__path__startswith=path)
        ids |= set(
            Membership.objects.filter(cond, workspace=workspace).values_list("user_id", flat=True)
        )
    ids.discard(coach_id)
    return sorted(ids)


def topic_ids(workspace, topic_id: int) -> list[int]:
    """The topic and the topics below it (a parent topic counts its children's hits)."""
    parents = {}
    for pk, parent in Topic.objects.filter(workspace=workspace).values_list("pk", "parent_id"):
        parents[pk] = parent
    out = []
    for pk in parents:
        node, seen = pk, set()
        while node is not None and node not in seen:
            if node == topic_id:
                out.append(pk)
                break
            seen.add(node)
            node = parents.get(node)
    return sorted(out)


def _topic_hits(workspace, topics: list[int], kind: str | None = None) -> QuerySet:
    qs = AnalysisTopic.objects.filter(workspace=workspace, topic_id__in=topics)
    if kind:
        qs = qs.filter(analysis__source=kind)
    return qs


def _case_ids(workspace, **where) -> QuerySet:
    return Case.objects.filter(workspace=workspace, **where).values("pk")


def agent_q(workspace, source: str, ids: list[int]) -> Q:
    if source == "measures":
        return Q(case_id__in=_case_ids(workspace, owner_id__in=ids))
    return Q(**{f"{AGENT_FIELD[source]}__in": ids})


def tag_q(workspace, source: str, tag_id: int | None) -> Q:
    """Rows carrying the tag (their ticket's tags; an activity's own). None: rows without
    any tag."""
    through_case = Case.tags.through.objects.filter(case__workspace=workspace)
    through_act = Activity.tags.through.objects.filter(activity__workspace=workspace)
    if tag_id is not None:
        through_case = through_case.filter(tag_id=tag_id)
        through_act = through_act.filter(tag_id=tag_id)
    if source in ("tickets", "backlog", "activities"):
        cond = Q(
            pk__in=(through_act if source == "activities" else through_case).values(
                "activity_id" if source == "activities" else "case_id"
            )
        )
    elif source in ("episodes", "measures", "analyses", "invitations", "responses"):
        cond = Q(case_id__in=through_case.values("case_id"))
    elif source == "evaluations":
        cond = Q(activity_id__in=through_act.values("activity_id"))
    else:
        raise ValueError(source)
    return cond if tag_id is not None else ~cond


def topic_q(workspace, source: str, topics: list[int] | None) -> Q | None:
    """Rows whose analysis found one of the topics (None: any topic; negated by the caller
    for "no topic"). None when topics have no meaning on the source."""
    hits = (
        AnalysisTopic.objects.filter(workspace=workspace)
        if topics is None
        else _topic_hits(workspace, topics)
    )
    if source in ("tickets", "backlog"):
        return Q(pk__in=hits.filter(analysis__case_id__isnull=False).values("analysis__case_id"))
    if source in ("episodes", "measures"):
        return Q(
            case_id__in=hits.filter(analysis__case_id__isnull=False).values("analysis__case_id")
        )
    if source == "activities":
        return Q(
            pk__in=hits.filter(analysis__source=SourceKind.ACTIVITY).values("analysis__source_id")
        )
    if source == "evaluations":
        return Q(
            activity_id__in=hits.filter(analysis__source=SourceKind.ACTIVITY).values(
                "analysis__source_id"
            )
        )
    if source == "responses":
        return Q(
            pk__in=hits.filter(analysis__source=SourceKind.RESPONSE).values("analysis__source_id")
        )
    if source == "analyses":
        return Q(pk__in=hits.values("analysis_id"))
    return None


def queue_q(workspace, source: str, queue: str) -> Q | None:
    if source in ("activities", "episodes", "analyses"):
        return Q(queue_name=queue)
    if source == "evaluations":
        return Q(activity__queue_name=queue)
    on_tickets = Activity.objects.filter(
        workspace=workspace, queue_name=queue, case__isnull=False
    ).values("case_id")
    if source in ("tickets", "backlog"):
        return Q(pk__in=on_tickets)
    if source == "measures":
        return Q(case_id__in=on_tickets)
    return None


def channel_q(workspace, source: str, channel: str) -> Q | None:
    if source in ("tickets", "backlog"):
        return Q(origin__in=[o for o, c in ORIGIN_CHANNEL.items() if c == channel])
    if source == "measures":
        origins = [o for o, c in ORIGIN_CHANNEL.items() if c == channel]
        return Q(case_id__in=_case_ids(workspace, origin__in=origins))
    if source in ("activities", "analyses"):
        return Q(media_type=channel)
    if source == "episodes":
        return Q(channel=channel)
    if source == "evaluations":
        return Q(activity__media_type=channel)
    # Survey responses and invitations are all of the survey channel.
    if channel == "survey_response":
        return Q()
    return None


def survey_q(workspace, source: str, survey_id: int) -> Q | None:
    if source in ("responses", "invitations"):
        return Q(survey_id=survey_id)
    if source == "analyses":
        return Q(
            source=SourceKind.RESPONSE,
            source_id__in=Response.objects.filter(survey_id=survey_id).values("pk"),
        )
    return None


def segment_q(source: str, path: str) -> Q:
    return Q(**{f"{PATH_FIELD[source]}__startswith": path})


def filter_q(access: Access, source: str, filters: InsightFilters) -> Q | None:
    """Every filter but time as one condition; None when one has no meaning on the source."""
    ws = access.workspace
    cond = Q()
    if filters.segment_path:
        cond &= segment_q(source, filters.segment_path)
    if filters.agent_id is not None:
        cond &= agent_q(ws, source, [filters.agent_id])
    if filters.team_id is not None:
        cond &= agent_q(ws, source, team_agents(ws, filters.team_id))
    parts = []
    if filters.queue:
        parts.append(queue_q(ws, source, filters.queue))
    if filters.channel:
        parts.append(channel_q(ws, source, filters.channel))
    if filters.survey_id is not None:
        parts.append(survey_q(ws, source, filters.survey_id))
    if filters.topic_id is not None:
        parts.append(topic_q(ws, source, topic_ids(ws, filters.topic_id)))
    if filters.tag_id is not None:
        parts.append(tag_q(ws, source, filters.tag_id))
    for part in parts:
        if part is None:
            return None
        cond &= part
    return cond
