"""`caredesk seed-demo` gives the coach and the agents real quality data: evaluations of real
chats and calls over 90 days, failing ones with their coaching case, appeals in every state, a
closed calibration, coaching sessions; a second run adds nothing."""

import re

from django.core.management import call_command
from django.test import Client

from caredesk.care.models import COACHING_ORIGINS, Case, Origin
from caredesk.coaching.models import ActionItem, CoachingSession
from caredesk.journey.models import Activity
from caredesk.quality.models import (
    Answer,
    Appeal,
    AppealItem,
    CalibrationSession,
    CoachAssignment,
    Evaluation,
    EvaluationChange,
    Scorecard,
)
from caredesk.quality.selectors import evaluations_visible, transcript
from caredesk.workspaces.access import get_access
from caredesk.workspaces.models import User


def _counts():
    return {
        "users": User.objects.count(),
        "scorecards": Scorecard.objects.count(),
        "activities": Activity.objects.count(),
        "evaluations": Evaluation.objects.count(),
        "answers": Answer.objects.count(),
        "changes": EvaluationChange.objects.count(),
        "cases": Case.objects.count(),
        "appeals": Appeal.objects.count(),
        "appeal items": AppealItem.objects.count(),
        "calibrations": CalibrationSession.objects.count(),
        "sessions": CoachingSession.objects.count(),
        "action items": ActionItem.objects.count(),
        "coach assignments": CoachAssignment.objects.count(),
    }


def test_seed_demo_twice_gives_the_same_quality_data(db, capsys):
    call_command("seed_demo", tickets=20)
    first_out = capsys.readouterr().out
    first = _counts()
    call_command("seed_demo", tickets=20)
    second_out = capsys.readouterr().out
    assert _counts() == first
    assert "Demo data already present; nothing changed." in second_out

    regular = Evaluation.objects.filter(kind="regular")
    failing = regular.filter(passed=False)
    coaching = Case.objects.filter(origin__in=COACHING_ORIGINS)
    # Two scorecards, a few hundred evaluations over 90 days, about a quarter failing, each
    # failing one with exactly one coaching case about its agent.
    assert sorted(Scorecard.objects.values_list("name", flat=True)) == [
        "Call quality",
        "Chat quality",
    ]
    assert 300 <= regular.count() <= 450
    assert 0.1 <= failing.count() / regular.count() <= 0.4
    assert failing.filter(coaching_case__isnull=True).count() == 0
    # (An appeal accepted later may have lifted one above the pass mark: its case stays.)
    with_case = regular.filter(coaching_case__isnull=False)
    assert (
        coaching.count() == with_case.count() == coaching.filter(origin=Origin.EVALUATION).count()
    )
    assert failing.count() <= with_case.count() <= failing.count() + 4
    assert all(
        c.about_agent_id == e.agent_id
        for e in failing.select_related("coaching_case")
        for c in [e.coaching_case]
    )
    assert regular.filter(auto_failed=True).count() > 0
    # Appeals in every state; the decided ones name who decided and the scores.
    assert dict(
        (s, Appeal.objects.filter(status=s).count())
        for s in ("open", "accepted", "partial", "rejected")
    ) == {"open": 2, "accepted": 2, "partial": 2, "rejected": 2}
    for appeal in Appeal.objects.exclude(status="open"):
        assert appeal.decided_by.username == "manager"
        assert appeal.score_before is not None and appeal.score_after is not None
        if appeal.status == "rejected":
            assert appeal.score_after == appeal.score_before
            assert set(appeal.items.values_list("accepted", flat=True)) == {False}
        else:
            assert appeal.score_after > appeal.score_before
            assert (
                EvaluationChange.objects.filter(
                    evaluation=appeal.evaluation, action="appeal_accepted", field="answer"
                ).count()
                == appeal.items.filter(accepted=True).count()
            )
    partial = Appeal.objects.filter(status="partial").first()
    assert sorted(partial.items.values_list("accepted", flat=True)) == [False, True]
    assert set(
        AppealItem.objects.filter(appeal__status="open").values_list("accepted", flat=True)
    ) == {None}
    # Two results were edited after the fact, with a reason.
    assert EvaluationChange.objects.filter(action="edited", field="answer").count() == 2
    # One closed calibration, scored by three evaluators, outside the agents' scores.
    session = CalibrationSession.objects.get()
    assert session.status == "closed"
    assert sorted(session.evaluations.values_list("evaluator__username", flat=True)) == [
        "coach",
        "lisbon.lead",
        "manager",
    ]
    assert set(session.evaluations.values_list("kind", flat=True)) == {"calibration"}
    assert sorted(CoachingSession.objects.values_list("status", flat=True)) == [
        "done",
        "scheduled",
    ]
    # The printed figures are the database's.
    line = (
        f"  Support quality: {regular.count():,} evaluations ({failing.count():,} failing),"
        f" {coaching.count():,} coaching cases"
    )
    assert line in first_out and line in second_out
    assert (
        "    appeals: 2 open, 2 accepted, 2 partly accepted, 2 rejected; 1 calibration;"
        in second_out
    )
    assert re.search(r"^  Support: 20 tickets, 240 survey responses", first_out, re.M)


def test_the_coach_and_the_agent_have_evaluations_to_look_at(db, capsys):
    call_command("seed_demo", tickets=20)
    users = {u.username: u for u in User.objects.all()}
    coach = get_access(users["coach"], "support")
    agent = get_access(users["agent"], "support")
    manager = get_access(users["manager"], "support")
    seen_by_coach = evaluations_visible(coach)
    mine = evaluations_visible(agent)
    # The coach coaches every demo agent; the agent sees only their own; the manager his
    # Portuguese stores' agents.
    assert seen_by_coach.values("agent").distinct().count() == 6
    assert set(mine.values_list("agent__username", flat=True)) == {"agent"}
    assert mine.count() >= 40 and mine.filter(passed=False).count() >= 5
    assert set(evaluations_visible(manager).values_list("agent__username", flat=True)) == {
        "agent",
        "agent2",
        "tiago.santos",
        "beatriz.costa",
    }
    # Ivan improves: his last month scores above his first.
    ordered = list(mine.order_by("occurred_at").values_list("score", flat=True))
    third = len(ordered) // 3
    assert sum(ordered[-third:]) / third > sum(ordered[:third]) / third + 10
    # What was evaluated has a transcript, and pinned comments name one of its lines.
    pinned = Answer.objects.filter(evaluation__agent=users["agent"]).exclude(message_ref="")
    assert pinned.count() > 0
    for answer in pinned[:20]:
        e = answer.evaluation
        refs = {line.ref for line in transcript(e.activity)}
        assert answer.message_ref in refs
        assert len(refs) >= 5
    # The coach's inbox holds the open coaching cases; the agent's holds none about others.
    client = Client()
    client.force_login(users["coach"])
    page = client.get("/w/support/tickets/")
    assert page.status_code == 200
    open_case = (
        Case.objects.filter(origin=Origin.EVALUATION, owner=users["coach"])
        .exclude(status="closed")
        .order_by("-reported_at")
        .first()
    )
    assert open_case is not None
    assert f'data-number="{open_case.number}"' in page.content.decode()
    others = Case.objects.filter(origin__in=COACHING_ORIGINS).exclude(about_agent=users["agent"])
    visible = Case.objects.visible_to(agent)
    assert visible.filter(pk__in=others.values("pk")).count() == 0
