"""Each metric's definition against the hand-computed scene (tests/insights/metrics_scene.py):
the admin's whole workspace, and the managers of Italy and Bulgaria, who count only their
area's rows."""

import pytest

from caredesk.insights import metrics
from caredesk.insights.catalogue import CATALOGUE

from .metrics_scene import build, week

DAY = 86400.0

# metric: (value, count, previous, previous_count) for the admin over the scene's week.
ADMIN = {
    "tickets": (3, 3, 1, 1),
    "chats": (3, 3, 1, 1),
    "calls": (1, 1, 0, 0),
    "emails": (1, 1, 0, 0),
    "handle_time": (700.0, 3, None, 0),
    "wait_time": (60.0, 3, None, 0),
    "first_response_time": (300.0, 3, None, 0),
    "resolution_time": (5400.0, 2, None, 0),
    "first_contact_resolution": (50.0, 2, None, 0),
    "reopen_rate": (50.0, 2, None, 0),
    "sla_attainment": (50.0, 2, None, 0),
    # c1 (6.5 days old at the week's end), c4 (11.5) and c6 (16.5: resolved on 12 March)
    "backlog": (3, 3, 2, 2),
    "backlog_age": (11.5 * DAY, 3, None, None),
    "nps": (0.0, 5, 100.0, 1),
    "csat": (200 / 3, 3, None, 0),
    "survey_response_rate": (50.0, 4, None, 0),
    "survey_responses": (9, 9, 1, 1),
    "quality_score": (70.0, 3, None, 0),
    "pass_rate": (100 / 3, 3, None, 0),
    "sentiment": (-0.05, 4, None, 0),
}

ITALY = {
    "tickets": (1, 1),
    "chats": (1, 1),
    "calls": (0, 0),
    "emails": (1, 1),
    "handle_time": (300.0, 1),
    "wait_time": (90.0, 1),
    "first_response_time": (300.0, 1),
    "resolution_time": (3600.0, 1),
    "first_contact_resolution": (0.0, 1),
    "reopen_rate": (100.0, 1),
    "sla_attainment": (100.0, 1),
    "backlog": (1, 1),
    "backlog_age": (16.5 * DAY, 1),
    "nps": (100 / 3, 3),
    "csat": (100.0, 1),
    "survey_response_rate": (100.0, 1),
    "survey_responses": (4, 4),
    "quality_score": (80.0, 2),
    "pass_rate": (50.0, 2),
    "sentiment": (0.05, 2),
}

BULGARIA = {
    "tickets": (1, 1),
    "calls": (1, 1),
    "chats": (1, 1),
    "handle_time": (1200.0, 1),
    "first_response_time": (500.0, 1),
    "resolution_time": (7200.0, 1),
    "backlog": (0, 0),
    "nps": (-50.0, 2),
    "csat": (50.0, 2),
    "survey_responses": (5, 5),
    "quality_score": (50.0, 1),
    "sentiment": (-0.8, 1),
}


def test_every_metric_of_the_contract_is_in_the_catalogue():
    assert set(CATALOGUE) == set(ADMIN) == set(ITALY)
    for m in CATALOGUE.values():
        assert m.unit in ("count", "seconds", "percent", "score")
        assert set(m.dimensions) <= set(metrics.DIMENSIONS)
        assert str(m.definition) and str(m.label)


@pytest.fixture
def scene(world):
    return build(world)


def test_the_admin_counts_the_whole_workspace(scene):
    f = week(scene.admin)
    for name, (value, count, previous, previous_count) in ADMIN.items():
        fig = metrics.figure(scene.admin, name, f)
        assert (
            fig.value == pytest.approx(value, abs=1e-9) if value is not None else fig.value is None
        ), name
        assert fig.count == count, name
        if previous_count is not None:
            assert fig.previous_count == previous_count, name
            if previous is None:
                assert fig.previous is None, name
            else:
                assert fig.previous == pytest.approx(previous), name


@pytest.mark.parametrize("who,expected", [("italy", ITALY), ("bg", BULGARIA)])
def test_a_manager_counts_only_their_area(scene, who, expected):
    access = getattr(scene, who)
    f = week(access)
    for name, (value, count) in expected.items():
        fig = metrics.figure(access, name, f)
        assert fig.count == count, name
        assert fig.value == pytest.approx(value, abs=1e-9), name
        assert metrics.rows(access, name, f).count() == count, name


def test_a_filter_without_meaning_makes_the_figure_not_applicable(scene):
    survey = week(scene.admin, survey=str(scene.nps.pk))
    call = week(scene.admin, channel="call")
    for name, f in [
        ("chats", survey),
        ("emails", call),
        ("handle_time", week(scene.admin, channel="email")),
    ]:
        fig = metrics.figure(scene.admin, name, f)
        assert (fig.value, fig.count, fig.previous, fig.previous_count) == (None, 0, None, 0)
        assert metrics.rows(scene.admin, name, f).count() == 0
        assert all(p.count == 0 for p in metrics.series(scene.admin, name, f))
    assert metrics.figure(scene.admin, "nps", survey).count == 5
    assert metrics.figure(scene.admin, "calls", call).count == 1


def test_filters(scene):
    a = scene.admin
    assert metrics.figure(a, "tickets", week(a, tag=str(scene.vip.pk))).count == 1
    assert metrics.figure(a, "chats", week(a, tag=str(scene.vip.pk))).count == 1
    assert metrics.figure(a, "chats", week(a, queue="Q1")).count == 2
    # The topic filter counts the topic's children (Invoices is under Billing).
    assert metrics.figure(a, "sentiment", week(a, topic=str(scene.billing.pk))).value == -0.3
    assert metrics.figure(a, "tickets", week(a, topic=str(scene.billing.pk))).count == 1
    # team: the agents the coach coaches (the agent, not agent2)
    team = week(a, team=str(scene.coach_id))
    assert metrics.figure(a, "tickets", team).count == 2
    assert metrics.figure(a, "quality_score", team).value == 80.0
    assert metrics.figure(a, "survey_responses", week(a, survey=str(scene.csat.pk))).count == 3
    assert metrics.figure(a, "tickets", week(a, channel="call")).count == 1
    assert metrics.figure(a, "resolution_time", week(a, channel="call")).value == 7200.0
