"""Coaching plans, built from each agent's own data (the nightly task and the "Refresh" button
call `plans_build`; `plan_build` does one agent).

Set-based: a handful of grouped queries for the whole workspace (answers by agent, criterion
and week; evaluations by agent; survey responses by agent; activities by agent), then Python.
Nothing is queried per agent × criterion, so 200 agents over a million evaluations cost the
same few queries as 2 agents.

The numbers (period: the last PERIOD_DAYS days, regular evaluations only):
- per criterion (bonus criteria and N/A answers left out): lost points = Σ weight × (1 −
  fraction); failures = answers that failed the criterion (scoring.FAIL_BELOW); the agent's
  score on it = 100 × mean fraction; the team's the same over the team's answers;
- the rank of a gap: lost points × failure rate (failures / answers), then lost points; the
  first FOCUS_MAX criteria that lost any points become focus areas, each with its weekly
  trend, the question (latest scorecard version that has it), the criterion's recommendation
  and the newest FAILING_SHOWN evaluations that failed it;
- the team: members with the agent's default segment, or the whole workspace when the agent
  has none or is alone in it;
- CSAT (% of CSAT answers 4–5) and NPS (% promoters − % detractors) from the survey
  responses that answer a ticket the agent handled an activity of (Response.case =
  Activity.case): caredesk stores no other link from a response to an agent;
- handle time: mean (ended − started) of the agent's chats and calls; volume: the agent's
  chats, calls, emails and web forms; both against the team's mean per agent.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import (
    Avg,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    FloatField,
    Max,
    Q,
    Sum,
    Window,
)
from django.db.models.functions import RowNumber, TruncDate, TruncWeek
from django.utils import timezone

from caredesk.coaching.models import CoachingPlan, FocusArea
from caredesk.core import zones
from caredesk.feedback.models import Response
from caredesk.journey.models import Activity, MediaType
from caredesk.quality import scoring
from caredesk.quality.models import Answer, Evaluation, EvaluationKind, ScorecardVersion
from caredesk.workspaces.models import Membership, Workspace

PERIOD_DAYS = 90
# Days of per-agent figures kept in each plan (figures["days"]) for the team overview: two
# periods of the longest it offers (90 days), so the overview adds up at most a few hundred
# small rows instead of scanning the evaluations (coaching.selectors.agent_days).
ROLLUP_DAYS = 180
FOCUS_MAX = 5
FAILING_SHOWN = 3
HANDLED = (MediaType.CHAT, MediaType.CALL)
VOLUME = (MediaType.CHAT, MediaType.CALL, MediaType.EMAIL, MediaType.WEB_FORM)


@dataclass
class Gap:
    criterion: int
    answers: int = 0
    failures: int = 0
    lost: float = 0.0
    fractions: float = 0.0
    weeks: dict = field(default_factory=dict)  # week date → [sum fraction, answers]

    @property
    def score(self) -> float | None:
        return round(100 * self.fractions / self.answers, 1) if self.answers else None

    @property
    def rank_key(self):
        rate = self.failures / self.answers if self.answers else 0
        return (-(self.lost * rate), -self.lost, self.criterion)


def criterion_texts(workspace) -> dict[int, tuple[str, str]]:
    """criterion id → (question, recommendation) in the latest version that has it."""
    out: dict[int, tuple[str, str]] = {}
    versions = ScorecardVersion.objects.filter(scorecard__workspace=workspace).order_by(
        "scorecard_id", "number"
    )
    for v in versions.only("sections"):
        for c in scoring.criteria_of(v.sections):
            out[c.id] = (c.question, c.recommendation)
    return out


def _period(workspace, now) -> tuple[dt.datetime, dt.datetime]:
    now = now or timezone.now()
    return now - dt.timedelta(days=PERIOD_DAYS), now


def _gaps(workspace, start, end, agent_ids=None) -> dict[int, dict[int, Gap]]:
    """agent → criterion → Gap, from one query grouped by agent, criterion and week."""
    tz = zones.zone(workspace.time_zone)
    qs = Answer.objects.filter(
        evaluation__workspace=workspace,
        evaluation__kind=EvaluationKind.REGULAR,
        evaluation__agent__isnull=False,
        evaluation__occurred_at__gte=start,
        evaluation__occurred_at__lt=end,
        bonus=False,
        na=False,
        fraction__isnull=False,
    )
    if agent_ids is not None:
        qs = qs.filter(evaluation__agent_id__in=agent_ids)
    rows = (
        qs.annotate(week=TruncWeek("evaluation__occurred_at", tzinfo=tz))
        .values("evaluation__agent_id", "criterion_id", "week")
        .annotate(
            n=Count("id"),
            failed=Count("id", filter=Q(failed=True)),
            lost=Sum(
                ExpressionWrapper(F("weight") * (1 - F("fraction")), output_field=FloatField())
            ),
            fractions=Sum("fraction"),
        )
        .order_by()
    )
    out: dict[int, dict[int, Gap]] = defaultdict(dict)
    for r in rows:
        agent, cid = r["evaluation__agent_id"], r["criterion_id"]
        gap = out[agent].get(cid) or out[agent].setdefault(cid, Gap(cid))
        gap.answers += r["n"]
        gap.failures += r["failed"]
        gap.lost += r["lost"] or 0.0
        gap.fractions += r["fractions"] or 0.0
        week = r["week"].date() if isinstance(r["week"], dt.datetime) else r["week"]
        acc = gap.weeks.setdefault(week, [0.0, 0])
        acc[0] += r["fractions"] or 0.0
        acc[1] += r["n"]
    return out


def _failing(workspace, start, end, wanted: dict[int, set[int]]) -> dict[tuple[int, int], list]:
    """(agent, criterion) → the newest FAILING_SHOWN evaluation ids that failed it, for the
    pairs wanted, in one query (a row number per pair)."""
    if not wanted:
        return {}
    agents = list(wanted)
    criteria = sorted({c for cs in wanted.values() for c in cs})
    rows = (
        Answer.objects.filter(
            evaluation__workspace=workspace,
            evaluation__kind=EvaluationKind.REGULAR,
            evaluation__agent_id__in=agents,
            evaluation__occurred_at__gte=start,
            evaluation__occurred_at__lt=end,
            criterion_id__in=criteria,
            failed=True,
        )
        .annotate(
            rn=Window(
                RowNumber(),
                partition_by=[F("evaluation__agent_id"), F("criterion_id")],
                order_by=[F("evaluation__occurred_at").desc(), F("evaluation_id").desc()],
            )
        )
        .filter(rn__lte=FAILING_SHOWN)
        .values_list("evaluation__agent_id", "criterion_id", "evaluation_id", "rn")
    )
    out: dict[tuple[int, int], list] = defaultdict(list)
    for agent, cid, eid, _rn in sorted(rows, key=lambda r: (r[0], r[1], r[3])):
        if cid in wanted.get(agent, ()):
            out[(agent, cid)].append(eid)
    return out


def _evaluation_figures(workspace, start, end, agent_ids=None) -> dict[int, dict]:
    qs = Evaluation.objects.filter(
        workspace=workspace,
        kind=EvaluationKind.REGULAR,
        agent__isnull=False,
        occurred_at__gte=start,
        occurred_at__lt=end,
    )
    if agent_ids is not None:
        qs = qs.filter(agent_id__in=agent_ids)
    rows = (
        qs.values("agent_id")
        .annotate(n=Count("id"), total=Sum("score"), passed=Count("id", filter=Q(passed=True)))
        .order_by()
    )
    return {r["agent_id"]: r for r in rows}


def _survey_figures(workspace, start, end, agent_ids=None) -> dict[int, dict]:
    """agent → counts of the responses answering tickets they handled an activity of."""
    qs = Response.objects.filter(
        workspace=workspace,
        responded_at__gte=start,
        responded_at__lt=end,
        score__isnull=False,
        case__activities__agent__isnull=False,
    )
    if agent_ids is not None:
        qs = qs.filter(case__activities__agent_id__in=agent_ids)
    rows = (
        qs.values("case__activities__agent_id")
        .annotate(
            csat=Count("id", filter=Q(survey__kind="csat"), distinct=True),
            csat_good=Count("id", filter=Q(survey__kind="csat", score__gte=4), distinct=True),
            nps=Count("id", filter=Q(survey__kind="nps"), distinct=True),
            promoters=Count("id", filter=Q(survey__kind="nps", score__gte=9), distinct=True),
            detractors=Count("id", filter=Q(survey__kind="nps", score__lte=6), distinct=True),
        )
        .order_by()
    )
    return {r["case__activities__agent_id"]: r for r in rows}


def survey_scores(row: dict | None) -> tuple[float | None, float | None, int]:
    """(CSAT %, NPS, responses) of a _survey_figures row."""
    if not row:
        return None, None, 0
    csat = round(100 * row["csat_good"] / row["csat"], 1) if row["csat"] else None
    nps = (
        round(100 * (row["promoters"] - row["detractors"]) / row["nps"], 1) if row["nps"] else None
    )
    return csat, nps, row["csat"] + row["nps"]


def _activity_figures(workspace, start, end, agent_ids=None) -> dict[int, dict]:
    qs = Activity.objects.filter(
        workspace=workspace,
        agent__isnull=False,
        occurred_at__gte=start,
        occurred_at__lt=end,
        media_type__in=VOLUME,
    )
    if agent_ids is not None:
        qs = qs.filter(agent_id__in=agent_ids)
    handled = Q(media_type__in=HANDLED, started_at__isnull=False, ended_at__isnull=False)
    rows = (
        qs.values("agent_id")
        .annotate(
            volume=Count("id"),
            handled=Count("id", filter=handled),
            handle=Avg(
                ExpressionWrapper(F("ended_at") - F("started_at"), output_field=DurationField()),
                filter=handled,
            ),
        )
        .order_by()
    )
    return {r["agent_id"]: r for r in rows}


def day_figures(
    workspace, start, end, agent_ids=None, tz=None, *, evaluations_q=None, activities=True
) -> dict[int, dict[str, list]]:
    """agent → local day (ISO) → [evaluations, Σ score, passed, volume, handled chats and
    calls, Σ handle seconds], from two queries grouped by agent and day (`evaluations_q`
    narrows the evaluations counted)."""
    tz = tz or zones.zone(workspace.time_zone)
    out: dict[int, dict[str, list]] = defaultdict(dict)

    def row(agent, day):
        key = day.isoformat()
        return out[agent].get(key) or out[agent].setdefault(key, [0, 0.0, 0, 0, 0, 0.0])

    evals = Evaluation.objects.filter(
        workspace=workspace,
        kind=EvaluationKind.REGULAR,
        agent__isnull=False,
        occurred_at__gte=start,
        occurred_at__lt=end,
    )
    acts = Activity.objects.filter(
        workspace=workspace,
        agent__isnull=False,
        occurred_at__gte=start,
        occurred_at__lt=end,
        media_type__in=VOLUME,
    )
    if agent_ids is not None:
        evals = evals.filter(agent_id__in=agent_ids)
        acts = acts.filter(agent_id__in=agent_ids)
    if evaluations_q is not None:
        evals = evals.filter(evaluations_q)
    if not activities:
        acts = acts.none()
    for r in (
        evals.annotate(day=TruncDate("occurred_at", tzinfo=tz))
        .values("agent_id", "day")
        .annotate(n=Count("*"), total=Sum("score"), passed=Count("id", filter=Q(passed=True)))
        .order_by()
    ):
        acc = row(r["agent_id"], r["day"])
        acc[0], acc[1], acc[2] = r["n"], round(r["total"] or 0.0, 4), r["passed"]
    handled = Q(media_type__in=HANDLED, started_at__isnull=False, ended_at__isnull=False)
    for r in (
        acts.annotate(day=TruncDate("occurred_at", tzinfo=tz))
        .values("agent_id", "day")
        .annotate(
            volume=Count("*"),
            handled=Count("id", filter=handled),
            handle=Sum(
                ExpressionWrapper(F("ended_at") - F("started_at"), output_field=DurationField()),
                filter=handled,
            ),
        )
        .order_by()
    ):
        acc = row(r["agent_id"], r["day"])
        acc[3], acc[4], acc[5] = r["volume"], r["handled"], _seconds(r["handle"]) or 0.0
    return out


def _seconds(value) -> float | None:
    if value is None:
        return None
    if isinstance(value, dt.timedelta):
        return round(value.total_seconds(), 1)
    return round(float(value) / 1_000_000, 1)  # microseconds (SQLite)


def _teams(workspace, agent_ids) -> tuple[dict[int, str], dict[str, list[int]]]:
    """agent → their default segment's path, and path → the agents of `agent_ids` in it."""
    paths = dict(
        Membership.objects.filter(workspace=workspace, user_id__in=agent_ids).values_list(
            "user_id", "default_segment__path"
        )
    )
    paths = {a: paths.get(a) or "" for a in agent_ids}
    members: dict[str, list[int]] = defaultdict(list)
    for a, p in paths.items():
        members[p].append(a)
    return paths, members


def _team_of(agent, paths, members, everyone) -> list[int]:
    path = paths.get(agent, "")
    team = members.get(path, []) if path else []
    return team if len(team) > 1 else everyone


def _mean(values) -> float | None:
    values = [v for v in values if v is not None]
    return round(sum(values) / len(values), 1) if values else None


def _build(workspace: Workspace, now, agent_ids=None) -> int:
    start, end = _period(workspace, now)
    built_at = end
    gaps = _gaps(workspace, start, end)  # the whole workspace: teams compare with it
    evals = _evaluation_figures(workspace, start, end)
    surveys = _survey_figures(workspace, start, end, agent_ids)
    acts = _activity_figures(workspace, start, end)
    everyone = sorted(set(gaps) | set(evals) | set(acts))
    # Only members of the workspace get a plan.
    members = set(
        Membership.objects.filter(workspace=workspace, user__is_active=True).values_list(
            "user_id", flat=True
        )
    )
    everyone = [a for a in everyone if a in members]
    targets = everyone if agent_ids is None else [a for a in agent_ids if a in everyone]
    if not targets:
        return 0
    paths, teams = _teams(workspace, everyone)
    texts = criterion_texts(workspace)
    # The evaluations the days hold: those stored when the build starts (an evaluation stored
    # later, even of older work, is added live by coaching.selectors.agent_days).
    last_evaluation = (
        Evaluation.objects.filter(workspace=workspace).aggregate(m=Max("id"))["m"] or 0
    )
    days = day_figures(
        workspace,
        end - dt.timedelta(days=ROLLUP_DAYS),
        end,
        agent_ids,
        evaluations_q=Q(pk__lte=last_evaluation),
    )

    chosen: dict[int, list[Gap]] = {}
    for agent in targets:
        mine = [g for g in gaps.get(agent, {}).values() if g.lost > 0]
        chosen[agent] = sorted(mine, key=lambda g: g.rank_key)[:FOCUS_MAX]
    failing = _failing(
        workspace, start, end, {a: {g.criterion for g in gs} for a, gs in chosen.items() if gs}
    )

    plans, areas = [], []
    for agent in targets:
        team = _team_of(agent, paths, teams, everyone)
        e = evals.get(agent)
        team_n = sum(evals[a]["n"] for a in team if a in evals)
        team_total = sum(evals[a]["total"] or 0 for a in team if a in evals)
        csat, nps, responses = survey_scores(surveys.get(agent))
        a = acts.get(agent)
        figures = {
            "period_days": PERIOD_DAYS,
            "evaluations": e["n"] if e else 0,
            "score": round(e["total"] / e["n"], 1) if e and e["n"] else None,
            "pass_rate": round(100 * e["passed"] / e["n"], 1) if e and e["n"] else None,
            "team_score": round(team_total / team_n, 1) if team_n else None,
            "team_size": len(team),
            "csat": csat,
            "nps": nps,
            "responses": responses,
            "handle_seconds": _seconds(a["handle"]) if a else None,
            "team_handle_seconds": _mean(_seconds(acts[t]["handle"]) for t in team if t in acts),
            "volume": a["volume"] if a else 0,
            "team_volume": round(sum(acts[t]["volume"] for t in team if t in acts) / len(team), 1)
            if team
            else None,
            "days": days.get(agent, {}),
            "last_evaluation": last_evaluation,
        }
        plans.append(
            CoachingPlan(
                workspace=workspace,
                agent_id=agent,
                segment_path=paths.get(agent, ""),
                figures=figures,
                built_at=built_at,
            )
        )
        for rank, gap in enumerate(chosen[agent], start=1):
            team_answers = team_fractions = 0.0
            for t in team:
                tg = gaps.get(t, {}).get(gap.criterion)
                if tg is not None:
                    team_answers += tg.answers
                    team_fractions += tg.fractions
            question, recommendation = texts.get(gap.criterion, ("", ""))
            areas.append(
                (
                    agent,
                    FocusArea(
                        criterion_id=gap.criterion,
                        rank=rank,
                        question=question[:500],
                        lost_points=round(gap.lost, 2),
                        answers=gap.answers,
                        failures=gap.failures,
                        score=gap.score,
                        team_score=round(100 * team_fractions / team_answers, 1)
                        if team_answers
                        else None,
                        trend=[
                            {
                                "week": week.isoformat(),
                                "score": round(100 * s / n, 1),
                                "answers": n,
                            }
                            for week, (s, n) in sorted(gap.weeks.items())
                        ],
                        recommendation=recommendation,
                        evaluation_ids=failing.get((agent, gap.criterion), []),
                    ),
                )
            )

    with transaction.atomic():
        existing = dict(
            CoachingPlan.objects.filter(workspace=workspace, agent_id__in=targets).values_list(
                "agent_id", "pk"
            )
        )
        fresh = [p for p in plans if p.agent_id not in existing]
        stale = [p for p in plans if p.agent_id in existing]
        for p in stale:
            p.pk = existing[p.agent_id]
        CoachingPlan.objects.bulk_create(fresh)
        CoachingPlan.objects.bulk_update(stale, ["segment_path", "figures", "built_at"])
        if not fresh or fresh[0].pk is None:  # backends that return no ids
            existing = dict(
                CoachingPlan.objects.filter(workspace=workspace, agent_id__in=targets).values_list(
                    "agent_id", "pk"
                )
            )
        else:
            existing.update({p.agent_id: p.pk for p in fresh})
        FocusArea.objects.filter(plan_id__in=existing.values()).delete()
        for agent, area in areas:
            area.plan_id = existing[agent]
        FocusArea.objects.bulk_create([area for _agent, area in areas])
    return len(plans)


def plans_build(workspace: Workspace, *, now: dt.datetime | None = None) -> int:
    """Build or refresh the plan of every member with evaluations or activities in the period;
    returns how many."""
    return _build(workspace, now)


def plan_build(workspace: Workspace, agent, *, now: dt.datetime | None = None) -> CoachingPlan:
    """Build or refresh one agent's plan (an empty one when they have no data)."""
    agent_id = getattr(agent, "pk", agent)
    if not _build(workspace, now, [agent_id]):
        start, end = _period(workspace, now)
        from caredesk.quality.people import agent_segment_path

        CoachingPlan.objects.update_or_create(
            workspace=workspace,
            agent_id=agent_id,
            defaults={
                "segment_path": agent_segment_path(workspace, agent_id),
                "figures": {"period_days": PERIOD_DAYS, "evaluations": 0, "volume": 0},
                "built_at": end,
            },
        )
        FocusArea.objects.filter(plan__workspace=workspace, plan__agent_id=agent_id).delete()
    return CoachingPlan.objects.get(workspace=workspace, agent_id=agent_id)
