"""Card = chart = table = drill-down = API = dashboard, for the same filter: a hypothesis test
over random filters and users on the hand-made scene. For every metric: the figure's count is
the rows' count and the sum of the series' counts (a stock such as the backlog: its last
point), every slice's count is its drill-down's count, the API answers the same value and
count, and the dashboard the same figures as `figure`."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caredesk.insights import metrics
from caredesk.insights.catalogue import CATALOGUE
from caredesk.insights.filters import parse_insight_filters

from ..conftest import client_for
from .metrics_scene import build

DAYS = [f"2026-02-{d:02d}" for d in range(15, 29)] + [f"2026-03-{d:02d}" for d in range(1, 21)]


@pytest.fixture
def scene(world):
    return build(world)


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is b
    return a == pytest.approx(b, rel=1e-9, abs=1e-9)


@st.composite
def params(draw, scene, world):
    days = sorted(draw(st.lists(st.sampled_from(DAYS), min_size=2, max_size=2)))
    out = {"from": days[0], "to": days[1], "grain": draw(st.sampled_from(["day", "week", "month"]))}
    optional = {
        "segment": [world.lisbon.pk, world.store1.pk, world.italy.pk, scene.bulgaria.pk],
        "queue": ["Q1", "Q2"],
        "channel": ["chat", "call", "email", "survey_response"],
        "agent": [world.agent.pk, scene.agent2.pk],
        "team": [world.coach.pk],
        "survey": [scene.nps.pk, scene.csat.pk],
        "tag": [scene.vip.pk],
        "topic": [scene.billing.pk, scene.invoices.pk],
    }
    for name, values in optional.items():
        if draw(st.integers(0, 3)) == 0:
            out[name] = str(draw(st.sampled_from(values)))
    return out


def test_every_view_of_a_metric_agrees(world, scene):
    users = {
        "admin": world.admin,
        "italy": world.italy_manager,
        "bg": scene.bg_manager,
        "lisbon": world.manager,
    }
    accesses = {"admin": scene.admin, "italy": scene.italy, "bg": scene.bg}
    from caredesk.workspaces.access import get_access

    accesses["lisbon"] = get_access(world.manager, "support")
    clients = {k: client_for(u) for k, u in users.items()}

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        who=st.sampled_from(sorted(users)),
        query=params(scene, world),
        names=st.lists(st.sampled_from(sorted(CATALOGUE)), min_size=3, max_size=6, unique=True),
        by=st.sampled_from(metrics.DIMENSIONS),
    )
    def check(who, query, names, by):
        access = accesses[who]
        f = parse_insight_filters(query, access)
        board = metrics.dashboard(access, f, names)
        for name in names:
            fig = metrics.figure(access, name, f)
            b = board[name]
            assert (b.count, b.previous_count) == (fig.count, fig.previous_count), name
            assert _same(b.value, fig.value) and _same(b.previous, fig.previous), name
            assert metrics.rows(access, name, f).count() == fig.count, name
            points = metrics.series(access, name, f)
            if name in metrics.STOCK:
                assert points[-1].count == fig.count and _same(points[-1].value, fig.value)
            else:
                assert sum(p.count for p in points) == fig.count, name
            api = clients[who].get("/api/v1/workspaces/support/metrics", {**query, "metric": name})
            assert api.status_code == 200
            body = api.json()
            assert body["count"] == fig.count and _same(body["value"], fig.value), name
            assert body["previous_count"] == fig.previous_count, name
            if by in CATALOGUE[name].dimensions:
                for s in metrics.breakdown(access, name, f, by):
                    n = metrics.rows(access, name, f, by=by, key=s.key).count()
                    assert n == s.count, (name, by, s)

    check()
