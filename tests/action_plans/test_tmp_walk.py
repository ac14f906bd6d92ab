import datetime as dt
import pytest
from tests.action_plans.scene import access_of, add_bulgaria, at_noon, make_plan
from caredesk.action_plans import services

pytestmark = pytest.mark.django_db


def test_pages(world, as_user):
    p = make_plan(
        world,
        title="Cut <b>waits</b>",
        description="**Bold** <script>x</script>",
        metric="csat",
        filters={"segment": str(world.lisbon.pk)},
        due_date="2020-01-01",
    )
    a = access_of(world.admin, world.support)
    services.task_add(access=a, plan=p, title="Coach Ana", kind="coaching", agent_id=world.agent.pk)
    services.task_add(access=a, plan=p, title="Write refunds article", kind="article")
    services.comment_add(access=a, plan=p, body="hello")
    services.link_add(access=a, plan=p, url="https://example.com/x")
    c = as_user(world.admin)
    for url in [
        "/w/support/action-plans/",
        f"/w/support/action-plans/{p.pk}/",
        "/w/support/action-plans/new/?metric=csat&segment=%d&origin=kpi" % world.lisbon.pk,
        f"/w/support/action-plans/{p.pk}/edit/",
        "/w/support/action-plans/export.xlsx",
    ]:
        r = c.get(url)
        assert r.status_code == 200, (url, r.content[:3000])
