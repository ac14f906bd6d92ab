"""Home's quality block per role, exact: evaluations to do, appeals to review, my open
coaching cases and coaching sessions due for evaluators; an agent's evaluations to
acknowledge, open appeals and latest evaluations. Each figure links to the list that shows
exactly its rows (the inbox's is checked here; the other lists are other pages')."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from caredesk.coaching.models import CoachingSession, SessionStatus
from caredesk.quality.models import (
    Appeal,
    AppealStatus,
    CoachAssignment,
    Evaluation,
    ReviewItem,
    ReviewStatus,
)
from caredesk.quality.services import evaluation_create
from caredesk.workspaces.access import get_access

from . import cases_scene
from .cases_scene import inbox_numbers
from .conftest import all_good, chat_for


@pytest.fixture
def home(q):
    w = q.world
    CoachAssignment.objects.create(workspace=q.ws, coach=q.coach, agent=q.agent)
    coach = get_access(q.coach, "support")
    q.failed = evaluation_create(
        access=coach, scorecard_id=q.card.pk, activity_id=q.chat.pk, answers=cases_scene.failing(q)
    ).evaluation
    q.passed = evaluation_create(
        access=coach,
        scorecard_id=q.card.pk,
        activity_id=chat_for(q.ws, q.agent).pk,
        answers=all_good(q),
    ).evaluation
    Evaluation.objects.filter(pk=q.passed.pk).update(acknowledged_at=timezone.now())
    q.other = evaluation_create(
        access=get_access(q.admin, "support"),
        scorecard_id=q.card.pk,
        activity_id=q.chat2.pk,
        answers=all_good(q),
    ).evaluation
    store1, italy = w.store1.path, w.italy.path

    def item(agent, path, status=ReviewStatus.PENDING, assignee=None):
        return ReviewItem.objects.create(
            workspace=q.ws,
            scorecard=q.card,
            activity=chat_for(q.ws, agent),
            agent=agent,
            segment_path=path,
            status=status,
            assignee=assignee,
        )

    item(q.agent, store1)
    item(q.agent2, italy)
    item(q.agent, store1, status=ReviewStatus.DONE)
    item(q.agent2, italy, assignee=q.coach)
    Appeal.objects.create(
        workspace=q.ws, evaluation=q.failed, agent=q.agent, reviewer=q.manager, comment="I did"
    )
    Appeal.objects.create(
        workspace=q.ws,
        evaluation=q.passed,
        agent=q.agent,
        reviewer=q.manager,
        comment="Bonus?",
        status=AppealStatus.REJECTED,
    )
    now = timezone.now()

    def session(coach, agent, days, status=SessionStatus.SCHEDULED):
        CoachingSession.objects.create(
            workspace=q.ws,
            coach=coach,
            agent=agent,
            scheduled_at=now + dt.timedelta(days=days),
            status=status,
        )

    session(q.coach, q.agent, 2)
    session(q.coach, q.agent, 10)
    session(q.coach, q.agent2, 1, SessionStatus.DONE)
    session(q.manager, q.agent2, 3)
    return q


def figures(html: str) -> dict[str, tuple[int, str]]:
    """data-figure → (number, href or "")."""
    found = re.findall(
        r'data-figure="([a-z-]+)"(?: href="([^"]*)")?><span class="n">(\d+)</span>', html
    )
    return {name: (int(n), href.replace("&amp;", "&")) for name, href, n in found}


def url(name, query=""):
    return reverse(name, args=["support"]) + query


def test_evaluators_figures(home, as_user):
    inbox = url("ticket_inbox", "?view=mine&origins=coaching")
    expected = {
        home.coach: {
            "review": (2, url("review_queue")),
            "appeals-to-review": (1, url("appeal_list", "?status=open")),
            "coaching-cases": (1, inbox),
            "sessions": (1, url("coaching_sessions")),
        },
        home.manager: {
            "review": (1, url("review_queue")),
            "appeals-to-review": (1, url("appeal_list", "?status=open")),
            "coaching-cases": (0, inbox),
            "sessions": (1, url("coaching_sessions")),
        },
        home.admin: {
            "review": (3, url("review_queue")),
            "appeals-to-review": (1, url("appeal_list", "?status=open")),
            "coaching-cases": (0, inbox),
            "sessions": (0, url("coaching_sessions")),
        },
    }
    for user, figs in expected.items():
        html = as_user(user).get("/w/support/").content.decode()
        assert figures(html) == figs, user
        assert 'id="my-evaluations"' not in html  # nobody evaluated them


def test_the_coaching_cases_figure_is_the_inbox_view_it_links_to(home, as_user):
    coach = as_user(home.coach)
    (n, href) = figures(coach.get("/w/support/").content.decode())["coaching-cases"]
    rows = inbox_numbers(coach.get(href).content.decode())
    assert rows == [home.failed.coaching_case.number] and n == len(rows) == 1


def test_agents_figures_and_latest_evaluations(home, as_user):
    html = as_user(home.agent).get("/w/support/").content.decode()
    assert figures(html) == {
        "sessions": (1, url("coaching_sessions")),
        "unacknowledged": (1, url("evaluation_list", "?acknowledged=0")),
        "my-appeals": (1, url("appeal_list", "?status=open&mine=1")),
    }
    # Newest first (the passing one's chat is the later), each linking to its page.
    rows = re.findall(r'<tr data-evaluation="(\d+)">', html)
    assert rows == [str(home.passed.pk), str(home.failed.pk)]
    for ev in (home.passed, home.failed):
        assert f'href="{reverse("evaluation_detail", args=["support", ev.pk])}"' in html
    assert html.count(">Passed<") == 1 and html.count(">Failed<") == 1
    assert html.count("Not yet") == 1
    html = as_user(home.agent2).get("/w/support/").content.decode()
    assert figures(html) == {
        "sessions": (1, url("coaching_sessions")),
        "unacknowledged": (1, url("evaluation_list", "?acknowledged=0")),
        "my-appeals": (0, url("appeal_list", "?status=open&mine=1")),
    }
    assert re.findall(r'<tr data-evaluation="(\d+)">', html) == [str(home.other.pk)]


def test_an_agent_nobody_evaluated_sees_zeros(q, as_user):
    html = as_user(q.agent).get("/w/support/").content.decode()
    assert figures(html) == {
        "unacknowledged": (0, url("evaluation_list", "?acknowledged=0")),
        "my-appeals": (0, url("appeal_list", "?status=open&mine=1")),
    }
    assert "Nobody has evaluated your work yet." in html
