"""Reading coaching: whose plan and sessions a user sees (models.agent_visibility_q for rows,
`agent_visible` for a person), the team performance overview, the contact-center figures of an
area, the sessions due, and a session's effect.

Who is seen: an agent themself; a coach the agents they coach (quality.CoachAssignment); a
manager the members whose default segment lies in their area; view_all_cases the workspace.
Outside that a plan or a session answers 404."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Avg, Count, Q
from django.http import Http404
from django.utils import timezone

from caredesk.coaching import plans
from caredesk.coaching.models import CoachingPlan, CoachingSession, SessionStatus
from caredesk.core import zones
from caredesk.quality.models import (
    Answer,
    Appeal,
    AppealStatus,
    EvaluationKind,
    coached_agent_ids,
)
from caredesk.quality.people import int_or_none
from caredesk.workspaces.access import Access
from caredesk.workspaces.models import Membership, User
from caredesk.workspaces.permissions import Perm, UserKind

EFFECT_DAYS = 28


def coaches(access: Access) -> bool:
    """Whether the user looks at others' coaching (a team), not only their own."""
    return (
        access.sees_whole_workspace or access.has(Perm.EVALUATE) or access.has(Perm.REVIEW_APPEALS)
    )


def _members(access: Access):
    return Membership.objects.filter(workspace=access.workspace, user__is_active=True)


def _area_members_q(access: Access) -> Q:
    cond = Q(pk__in=[])
    for path in access.area_paths:
        cond |= Q(default_segment__path__startswith=path)
    return cond


def visible_agent_ids(access: Access) -> list[int]:
    """The agents of the user's team overview: members of kind agent in their area (all of
    them with view_all_cases) and whoever they coach; never the user themself."""
    if not coaches(access):
        return [access.user.pk] if access.user else []
    members = _members(access)
    if not access.sees_whole_workspace:
        members = members.filter(_area_members_q(access))
    ids = set(members.filter(user_type__kind=UserKind.AGENT).values_list("user_id", flat=True))
    ids |= set(coached_agent_ids(access))
    if access.user is not None:
        ids.discard(access.user.pk)
    return sorted(ids)


def agent_visible(access: Access, agent_id) -> User:
    """A member whose coaching the user may see, else 404."""
    uid = int_or_none(agent_id)
    member = (
        _members(access).filter(user_id=uid).select_related("user", "default_segment").first()
        if uid
        else None
    )
    if member is None:
        raise Http404("No such agent")
    if access.user is not None and uid == access.user.pk:
        return member.user
    if access.sees_whole_workspace:
        return member.user
    if coaches(access):
        path = member.default_segment.path if member.default_segment else ""
        if path and any(path.startswith(p) for p in access.area_paths):
            return member.user
        if uid in coached_agent_ids(access):
            return member.user
    raise Http404("No such agent")


def plans_visible(access: Access):
    return (
        CoachingPlan.objects.visible_to(access)
        .select_related("agent")
        .prefetch_related("focus_areas")
        .order_by("agent__first_name", "agent__last_name", "agent_id")
    )


def plan_of(access: Access, agent_id) -> tuple[User, CoachingPlan | None]:
    """The agent (404 outside the user's sight) and their plan (None before it is built)."""
    agent = agent_visible(access, agent_id)
    plan = (
        CoachingPlan.objects.filter(workspace=access.workspace, agent=agent)
        .prefetch_related("focus_areas")
        .first()
    )
    return agent, plan


def sessions_visible(access: Access):
    return CoachingSession.objects.visible_to(access).select_related("agent", "coach")


def session_get(access: Access, pk) -> CoachingSession:
    pk = int_or_none(pk)
    found = (
        sessions_visible(access).prefetch_related("criteria", "action_items").filter(pk=pk).first()
        if pk
        else None
    )
    if found is None:
        raise Http404("No such coaching session")
    return found


def sessions_due(access: Access, *, limit: int = 20) -> list[CoachingSession]:
    """Scheduled sessions the user holds or is coached in, or of agents they see, soonest
    first (Home and the Coaching tab)."""
    qs = sessions_visible(access).filter(status=SessionStatus.SCHEDULED)
    if access.user is not None and not access.sees_whole_workspace:
        qs = qs.filter(
            Q(coach=access.user) | Q(agent=access.user) | Q(agent_id__in=visible_agent_ids(access))
        )
    return list(qs.order_by("scheduled_at", "id")[:limit])


# --------------------------------------------------------------------------- the overview


@dataclass
class AgentRow:
    agent: User
    evaluations: int
    score: float | None
    pass_rate: float | None
    previous_score: float | None
    trend: float | None  # score − previous_score
    open_appeals: int
    csat: float | None
    responses: int


def agent_days(access: Access, agent_ids, first: dt.date, last: dt.date) -> dict[int, dict]:
    """agent → local day (ISO) → [evaluations, Σ score, passed, volume, handled, Σ handle
    seconds] for the days first..last of the active zone. Days before the day each agent's
    plan was built come from the plan (figures["days"], plans.day_figures, refreshed nightly
    and by "Refresh"); later days, and every day of an agent without a plan, from two small
    live queries, and so do the evaluations stored since the build (by id). So the overview
    reads a few hundred rows, not the evaluations; only a score edited after the build (an
    edit, an appeal, a rescore) shows in the overview once the plans are rebuilt."""
    tz = timezone.get_current_timezone()
    cutoff: dict[int, dt.date] = {}
    seen: dict[int, list[int]] = defaultdict(list)  # last evaluation id in the days → agents
    out: dict[int, dict] = {a: {} for a in agent_ids}
    first_key, last_key = first.isoformat(), last.isoformat()
    for agent, built_at, figures in CoachingPlan.objects.filter(
        workspace=access.workspace, agent_id__in=agent_ids
    ).values_list("agent_id", "built_at", "figures"):
        cutoff[agent] = timezone.localtime(built_at, tz).date()
        limit = cutoff[agent].isoformat()
        for day, values in (figures or {}).get("days", {}).items():
            if first_key <= day <= last_key and day < limit:
                out[agent][day] = list(values)
        seen[(figures or {}).get("last_evaluation", 0)].append(agent)
    # Evaluations stored since the plans were built, of work done before the build day (an
    # evaluator scores last week's chats today): by id, an index range of the new rows only.
    if cutoff and first < max(cutoff.values()):
        newer = Q(pk__in=[])
        for last_id, agents in seen.items():
            newer |= Q(agent_id__in=agents, pk__gt=last_id)
        late = plans.day_figures(
            access.workspace,
            zones.day_start(first, tz),
            zones.day_start(min(max(cutoff.values()), last + dt.timedelta(days=1)), tz),
            list(cutoff),
            tz=tz,
            evaluations_q=newer,
            activities=False,
        )
        for agent, days in late.items():
            limit = cutoff[agent].isoformat()
            for day, values in days.items():
                if day < limit and first_key <= day <= last_key:
                    acc = out[agent].setdefault(day, [0, 0.0, 0, 0, 0, 0.0])
                    for i in range(3):
                        acc[i] += values[i]
    if len(cutoff) < len(agent_ids):
        live_from = first
    else:
        live_from = max(first, min(cutoff.values()))
    if live_from <= last:
        live = plans.day_figures(
            access.workspace,
            zones.day_start(live_from, tz),
            zones.day_start(last + dt.timedelta(days=1), tz),
            agent_ids,
            tz=tz,
        )
        for agent, days in live.items():
            limit = cutoff.get(agent, first).isoformat()
            for day, values in days.items():
                if day >= limit and first_key <= day <= last_key:
                    out[agent][day] = values
    return out


def _sum(days: dict, first: dt.date, last: dt.date) -> list:
    total = [0, 0.0, 0, 0, 0, 0.0]
    lo, hi = first.isoformat(), last.isoformat()
    for day, values in days.items():
        if lo <= day <= hi:
            for i, v in enumerate(values):
                total[i] += v
    return total


def _bounds(start: dt.datetime, end: dt.datetime) -> tuple[dt.date, dt.date, dt.date]:
    """The period as whole days of the active zone (start's day to end's day), and the first
    day of the period of the same length before it."""
    first = timezone.localtime(start).date()
    last = timezone.localtime(end).date()
    length = (last - first).days + 1
    return first, last, first - dt.timedelta(days=length)


def team_overview(access: Access, *, start: dt.datetime, end: dt.datetime) -> list[AgentRow]:
    """One row per agent the user coaches or manages (their own only for an agent): quality
    score, pass rate and evaluations in the days from start's to end's, the score's change
    against as many days before, open appeals, CSAT. A fixed handful of queries whatever the
    number of agents (agent_days)."""
    agent_ids = visible_agent_ids(access)
    if not agent_ids:
        return []
    first, last, prev_first = _bounds(start, end)
    days = agent_days(access, agent_ids, prev_first, last)
    appeals = dict(
        Appeal.objects.filter(
            workspace=access.workspace, status=AppealStatus.OPEN, agent_id__in=agent_ids
        )
        .values("agent_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("agent_id", "n")
    )
    surveys = plans._survey_figures(
        access.workspace,
        zones.day_start(first),
        zones.day_start(last + dt.timedelta(days=1)),
        agent_ids,
    )
    users = User.objects.filter(pk__in=agent_ids).order_by("first_name", "last_name", "pk")
    rows = []
    for u in users:
        n, total, passed, *_rest = _sum(days[u.pk], first, last)
        pn, ptotal, *_rest = _sum(days[u.pk], prev_first, first - dt.timedelta(days=1))
        score = round(total / n, 1) if n else None
        prev = round(ptotal / pn, 1) if pn else None
        csat, _nps, responses = plans.survey_scores(surveys.get(u.pk))
        rows.append(
            AgentRow(
                agent=u,
                evaluations=n,
                score=score,
                pass_rate=round(100 * passed / n, 1) if n else None,
                previous_score=prev,
                trend=round(score - prev, 1) if score is not None and prev is not None else None,
                open_appeals=appeals.get(u.pk, 0),
                csat=csat,
                responses=responses,
            )
        )
    return rows


def area_metrics(access: Access, *, start: dt.datetime, end: dt.datetime) -> dict:
    """The contact-center figures of the user's agents together, in the same days as
    team_overview: volume, mean handle time, CSAT and quality score."""
    agent_ids = visible_agent_ids(access)
    out = {"volume": 0, "handle_seconds": None, "csat": None, "score": None, "evaluations": 0}
    if not agent_ids:
        return out
    first, last, _prev = _bounds(start, end)
    days = agent_days(access, agent_ids, first, last)
    n = total = volume = handled = handle = 0
    for agent in agent_ids:
        a_n, a_total, _passed, a_volume, a_handled, a_handle = _sum(days[agent], first, last)
        n, total, volume = n + a_n, total + a_total, volume + a_volume
        handled, handle = handled + a_handled, handle + a_handle
    out["evaluations"], out["volume"] = n, volume
    out["score"] = round(total / n, 1) if n else None
    out["handle_seconds"] = round(handle / handled, 1) if handled else None
    surveys = plans._survey_figures(
        access.workspace,
        zones.day_start(first),
        zones.day_start(last + dt.timedelta(days=1)),
        agent_ids,
    )
    csat_n = sum(r["csat"] for r in surveys.values())
    # A response answering a ticket several of them worked counts once per agent.
    if csat_n:
        out["csat"] = round(100 * sum(r["csat_good"] for r in surveys.values()) / csat_n, 1)
    return out


# --------------------------------------------------------------------------- a session's effect


@dataclass
class Effect:
    criterion_id: int
    question: str
    before: float | None
    before_answers: int
    after: float | None
    after_answers: int

    @property
    def change(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return round(self.after - self.before, 1)


def session_effect(session: CoachingSession, *, now=None) -> list[Effect]:
    """For each of the session's criteria, the agent's score on it (100 × mean fraction, N/A
    left out, regular evaluations) in the EFFECT_DAYS days before the session and in the
    EFFECT_DAYS days from it (or until now)."""
    now = now or timezone.now()
    at = session.scheduled_at
    criteria = list(session.criteria.all())
    if not criteria:
        return []
    before_q = Q(evaluation__occurred_at__lt=at)
    after_q = Q(evaluation__occurred_at__gte=at)
    rows = (
        Answer.objects.filter(
            evaluation__workspace_id=session.workspace_id,
            evaluation__kind=EvaluationKind.REGULAR,
            evaluation__agent_id=session.agent_id,
            evaluation__occurred_at__gte=at - dt.timedelta(days=EFFECT_DAYS),
            evaluation__occurred_at__lt=min(at + dt.timedelta(days=EFFECT_DAYS), now),
            criterion__in=criteria,
            na=False,
            fraction__isnull=False,
        )
        .values("criterion_id")
        .annotate(
            before=Avg("fraction", filter=before_q),
            nb=Count("id", filter=before_q),
            after=Avg("fraction", filter=after_q),
            na_=Count("id", filter=after_q),
        )
        .order_by()
    )
    found = {r["criterion_id"]: r for r in rows}
    texts = plans.criterion_texts(session.workspace)
    out = []
    for c in sorted(criteria, key=lambda c: c.pk):
        r = found.get(c.pk) or {}
        out.append(
            Effect(
                criterion_id=c.pk,
                question=texts.get(c.pk, ("", ""))[0],
                before=round(100 * r["before"], 1) if r.get("before") is not None else None,
                before_answers=r.get("nb") or 0,
                after=round(100 * r["after"], 1) if r.get("after") is not None else None,
                after_answers=r.get("na_") or 0,
            )
        )
    return out


def spark(trend: list[dict], *, step: int = 12, height: int = 32) -> tuple[str, int]:
    """A weekly trend's SVG polyline points (score 0–100 drawn bottom to top) and width."""
    pts = []
    for i, w in enumerate(trend):
        y = height - 2 - (height - 4) * float(w["score"]) / 100
        pts.append(f"{i * step + 2},{y:.1f}")
    return " ".join(pts), max(1, (len(trend) - 1) * step + 4)


def weeks(trend: list[dict]) -> list[dict]:
    """The trend with its weeks as dates (pages format them)."""
    return [{**w, "week": dt.date.fromisoformat(w["week"])} for w in trend]


def criterion_choices(access: Access) -> list[tuple[int, str]]:
    """(criterion id, "Scorecard: question") of the workspace's active scorecards, bonus
    criteria left out: what a session can be about."""
    from caredesk.quality import scoring
    from caredesk.quality.models import Scorecard

    out = []
    cards = Scorecard.objects.filter(
        workspace=access.workspace, active=True, current_version__isnull=False
    ).select_related("current_version")
    for card in cards:
        for c in scoring.criteria_of(card.current_version.sections):
            if not c.bonus:
                out.append((c.id, f"{card.name}: {c.question}"))
    return out
