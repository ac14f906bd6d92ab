"""A small hand-computed scene for the metrics tests: one week (Monday 2 to Sunday 8 March
2026, UTC) of tickets, activities, response episodes, case measures, survey responses and
invitations, evaluations and analyses, in Lisbon, Italy and Bulgaria, plus rows of the
week before and after. The measure rows are written directly with hand-computed values
(their arithmetic is caredesk.insights.measures', tested there)."""

import datetime as dt

from caredesk.analysis.models import Analysis, AnalysisTopic, SourceKind, Topic
from caredesk.care.models import Tag
from caredesk.feedback.models import Invitation, Response
from caredesk.feedback.services import survey_create
from caredesk.insights.filters import parse_insight_filters
from caredesk.insights.models import CaseMeasure, ResponseEpisode
from caredesk.journey.models import Activity
from caredesk.quality.models import CoachAssignment, Evaluation
from caredesk.quality.scorecards import scorecard_create
from caredesk.routing.models import Queue
from caredesk.workspaces import services as ws
from caredesk.workspaces.access import get_access
from caredesk.workspaces.permissions import UserKind

from ..factories import make_case

UTC = dt.UTC
WEEK = {"from": "2026-03-02", "to": "2026-03-08"}


def at(day: int, hour: int = 12, month: int = 3) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=UTC)


class Scene:
    pass


def build(world) -> Scene:
    s = Scene()
    w = world
    sup = w.support
    s.bulgaria = ws.segment_create(organization=w.org, name="Bulgaria")
    s.bg_manager = ws.user_create(
        organization=w.org, username="bgmgr", password="pw-12345678", first_name="Bg"
    )
    ws.membership_set(workspace=sup, user=s.bg_manager, kind=UserKind.MANAGER)
    ws.segment_set_managers(segment=s.bulgaria, managers=[s.bg_manager])
    s.agent2 = ws.user_create(
        organization=w.org, username="agent2", password="pw-12345678", first_name="Second"
    )
    ws.membership_set(workspace=sup, user=s.agent2, kind=UserKind.AGENT)
    CoachAssignment.objects.create(workspace=sup, coach=w.coach, agent=w.agent)
    s.vip = Tag.objects.create(workspace=sup, name="vip")
    Queue.objects.create(workspace=sup, name="Q1")
    # A chat on no ticket in Q2 lies in Bulgaria's area (its queue's segment).
    Queue.objects.create(workspace=sup, name="Q2", segment=s.bulgaria)
    s.billing = Topic.objects.create(workspace=sup, name="Billing")
    s.invoices = Topic.objects.create(workspace=sup, name="Invoices", parent=s.billing)

    def case(seg, day, month=3, **kw):
        return make_case(sup, segment=seg, reported_at=at(day, month=month), **kw)

    # Tickets of the week: c1 Lisbon store 1, c2 Italy, c3 Bulgaria; c4 the week before
    # (store 2, still open), c5 the week after (Italy), c6 reported in February in Italy,
    # resolved on 12 March (so open at the end of the week).
    s.c1 = case(w.store1, 2, owner=w.agent, origin="chat")
    s.c1.tags.add(s.vip)
    s.c2 = case(w.italy, 3, owner=w.agent, origin="email", status="resolved")
    s.c3 = case(s.bulgaria, 4, owner=s.agent2, origin="call", status="resolved")
    s.c4 = case(w.store2, 25, month=2)
    s.c5 = case(w.italy, 10)
    s.c6 = case(w.italy, 20, month=2, status="resolved")

    def act(media, day, case=None, hour=10, month=3, **kw):
        return Activity.objects.create(
            workspace=sup, media_type=media, case=case, occurred_at=at(day, hour, month), **kw
        )

    s.a1 = act(
        "chat",
        2,
        s.c1,
        agent=w.agent,
        queue_name="Q1",
        started_at=at(2, 10),
        ended_at=at(2, 10) + dt.timedelta(seconds=600),
        wait_seconds=30,
    )
    s.a2 = act(
        "chat",
        3,
        s.c2,
        agent=w.agent,
        queue_name="Q1",
        started_at=at(3, 10),
        ended_at=at(3, 10) + dt.timedelta(seconds=300),
        wait_seconds=90,
    )
    s.a3 = act(
        "call",
        4,
        s.c3,
        agent=s.agent2,
        queue_name="Q2",
        started_at=at(4, 10),
        ended_at=at(4, 10) + dt.timedelta(seconds=1200),
        wait_seconds=60,
    )
    s.a4 = act("email", 5, s.c2, agent=w.agent)
    s.a5 = act("chat", 6, None, queue_name="Q2", started_at=at(6, 10), wait_seconds=None)
    s.a_prev = act("chat", 27, None, month=2)  # the previous week
    s.a2.tags.add(s.vip)

    def episode(kind, case, day, seconds, seg, **kw):
        return ResponseEpisode.objects.create(
            workspace=sup,
            kind=kind,
            case_id=case.pk,
            started_at=at(day),
            responded_at=at(day, 13) if seconds is not None else None,
            business_seconds=seconds,
            segment_path=seg.path,
            agent_id=case.owner_id,
            channel=kw.pop("channel", ""),
            **kw,
        )

    episode("ticket", s.c1, 2, 100, w.store1, channel="chat", queue_name="Q1")
    episode("ticket", s.c2, 3, 300, w.italy, channel="email")
    episode("reopen", s.c2, 5, None, w.italy)
    episode("ticket", s.c3, 4, 500, s.bulgaria, channel="call", queue_name="Q2")

    def measure(case, resolved, seconds, reopens, sla, fcr, seg):
        CaseMeasure.objects.create(
            case_id=case.pk,
            workspace=sup,
            reported_at=case.reported_at,
            resolved_at=resolved,
            resolution_business_seconds=seconds,
            reopen_count=reopens,
            sla_met=sla,
            first_contact_resolution=fcr,
            segment_path=seg.path,
        )

    measure(s.c1, None, None, 0, None, None, w.store1)
    measure(s.c2, at(4), 3600, 1, True, False, w.italy)
    measure(s.c3, at(6), 7200, 0, False, True, s.bulgaria)
    measure(s.c6, at(12), 9000, 0, True, True, w.italy)

    s.nps = survey_create(workspace=sup, kind="nps", name="Relationship NPS")
    s.csat = survey_create(workspace=sup, kind="csat", name="After ticket")

    def response(survey, score, seg, day, case=None):
        return Response.objects.create(
            workspace=sup,
            survey=survey,
            score=score,
            segment=seg,
            segment_path=seg.path if seg else "",
            responded_at=at(day),
            case=case,
        )

    s.r_it10 = response(s.nps, 10, w.italy, 2)
    response(s.nps, 9, w.italy, 3)
    response(s.nps, 3, w.italy, 4)
    response(s.nps, 7, s.bulgaria, 5)
    response(s.nps, 0, s.bulgaria, 6)
    response(s.nps, None, s.bulgaria, 6)
    s.r_c5 = response(s.csat, 5, w.italy, 5, case=s.c2)
    s.r_c4 = response(s.csat, 4, s.bulgaria, 6, case=s.c3)
    response(s.csat, 2, s.bulgaria, 7, case=s.c3)
    response(s.nps, 10, w.italy, 1)  # 1 March: the previous week

    def invite(case, day, answered=None):
        inv = Invitation.objects.create(survey=s.csat, case=case, email="c@example.com")
        Invitation.objects.filter(pk=inv.pk).update(
            sent_at=at(day), answered_at=answered, response=None
        )
        return inv

    invite(s.c2, 3, answered=at(5))
    invite(s.c3, 4, answered=at(6))
    invite(s.c1, 5)
    invite(None, 6)

    admin = get_access(w.admin, "support")
    card = scorecard_create(
        access=admin,
        name="Chats",
        sections=[{"title": "S", "criteria": [{"question": "Q", "weight": 1, "scale": "yes_no"}]}],
    )

    def evaluation(agent, seg, score, passed, day, activity=None):
        return Evaluation.objects.create(
            workspace=sup,
            scorecard=card,
            version=card.current_version,
            agent=agent,
            evaluator=w.coach,
            segment_path=seg.path,
            score=score,
            passed=passed,
            occurred_at=at(day),
            activity=activity,
        )

    evaluation(w.agent, w.italy, 90, True, 3, s.a2)
    evaluation(w.agent, w.italy, 70, False, 4)
    evaluation(s.agent2, s.bulgaria, 50, False, 4, s.a3)
    evaluation(s.agent2, s.bulgaria, 95, True, 14)  # after the week

    def analysis(source, source_id, media, day, seg, sentiment, case=None, agent=None):
        return Analysis.objects.create(
            workspace=sup,
            source=source,
            source_id=source_id,
            media_type=media,
            occurred_at=at(day),
            case_id=case.pk if case else None,
            segment_path=seg.path if seg else "",
            agent_id=agent.pk if agent else None,
            customer_sentiment=sentiment,
            sentiment=sentiment,
        )

    analysis(SourceKind.ACTIVITY, s.a1.pk, "chat", 2, w.store1, 0.5, s.c1, w.agent)
    an2 = analysis(SourceKind.ACTIVITY, s.a2.pk, "chat", 3, w.italy, -0.3, s.c2, w.agent)
    analysis(SourceKind.RESPONSE, s.r_it10.pk, "survey_response", 2, w.italy, 0.4)
    analysis(SourceKind.ACTIVITY, s.a3.pk, "call", 4, s.bulgaria, -0.8, s.c3, s.agent2)
    analysis(SourceKind.ACTIVITY, s.a4.pk, "email", 5, w.italy, None, s.c2, w.agent)
    AnalysisTopic.objects.create(
        analysis=an2, topic=s.invoices, workspace=sup, occurred_at=an2.occurred_at
    )
    s.admin = admin
    s.coach_id = w.coach.pk
    s.italy = get_access(w.italy_manager, "support")
    s.bg = get_access(s.bg_manager, "support")
    return s


def week(access, **params):
    return parse_insight_filters({**WEEK, **params}, access)
