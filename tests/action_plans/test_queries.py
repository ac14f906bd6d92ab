"""The list, its export and the API list read a fixed number of queries whatever the number
of plans (no query per row)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from caredesk.action_plans.models import PlanTask
from tests.action_plans.scene import make_plan

pytestmark = pytest.mark.django_db


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
        if r.streaming:
            b"".join(r.streaming_content)
    assert r.status_code == 200
    return len(ctx.captured_queries)


def plans(world, n):
    for i in range(n):
        plan = make_plan(
            world, title=f"Plan {i}", segment_id=world.lisbon.pk, owner_id=world.manager.pk
        )
        PlanTask.objects.create(plan=plan, title="T", owner=world.manager)


@pytest.mark.parametrize(
    "url",
    [
        "/w/support/action-plans/",
        "/w/support/action-plans/export.xlsx",
        "/api/v1/workspaces/support/action-plans",
    ],
)
def test_no_query_per_plan(world, as_user, url):
    client = as_user(world.manager)
    plans(world, 3)
    few = queries(client, url)
    plans(world, 30)
    assert queries(client, url) == few
