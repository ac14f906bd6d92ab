"""Settings → Queues & skills: manage_care only; queues, skills and agents' capacity and
skill levels saved through htmx or a plain post; bad input shown next to the field (400) and
nothing changed; customer-visible names escaped."""

import pytest

from caredesk.routing import services
from caredesk.routing.models import AgentProfile, AgentSkill, Queue, Skill

URL = "/w/support/settings/queues/"
HTMX = {"HTTP_HX_REQUEST": "true"}


def state():
    return {
        "queues": list(
            Queue.objects.order_by("pk").values_list("pk", "name", "priority", "is_default")
        ),
        "required": list(Queue.required_skills.through.objects.values_list("queue_id", "skill_id")),
        "skills": list(Skill.objects.order_by("pk").values_list("pk", "name")),
        "agents": list(AgentProfile.objects.order_by("pk").values_list("user_id", "capacity")),
        "levels": list(AgentSkill.objects.values_list("agent_id", "skill_id", "level")),
    }


@pytest.fixture
def setup(world):
    s = type("S", (), {})()
    s.billing = Skill.objects.create(workspace=world.support, name="billing")
    s.spanish = Skill.objects.create(workspace=world.support, name="spanish")
    s.general = services.queue_create(workspace=world.support, name="General", is_default=True)
    s.vip = services.queue_create(
        workspace=world.support, name="VIP", priority=10, required_skills=["billing"]
    )
    return s


def test_page_shows_queues_skills_and_agents(world, setup, as_user):
    r = as_user(world.admin).get(URL)
    assert r.status_code == 200
    html = r.content.decode()
    assert 'aria-current="page">Queues &amp; skills</a>' in html
    assert f'id="queue-{setup.vip.pk}"' in html
    assert f'id="queue-{setup.general.pk}"' in html
    # Members with use_care are agents here (admin, managers, coach, agent).
    for user in (world.admin, world.manager, world.coach, world.agent):
        assert f'id="agent-{user.pk}"' in html
    assert html.index(f'id="queue-{setup.vip.pk}"') < html.index(f'id="queue-{setup.general.pk}"')
    assert '<span class="badge">billing</span>' in html
    # Other settings pages link here.
    assert (
        'href="/w/support/settings/queues/"'
        in as_user(world.admin).get("/w/support/settings/").content.decode()
    )


def test_access(world, setup, as_user, client):
    assert as_user(world.agent).get(URL).status_code == 403
    assert as_user(world.manager).get(URL).status_code == 403
    assert as_user(world.outsider).get("/w/sales/settings/queues/").status_code == 404
    r = client.get(URL)
    assert r.status_code == 302 and "/login/" in r["Location"]
    before = state()
    posts = [
        ("queues/add/", {"new-name": "X", "new-priority": "1"}),
        (
            f"queues/{setup.vip.pk}/",
            {f"q{setup.vip.pk}-name": "X", f"q{setup.vip.pk}-priority": "1"},
        ),
        ("skills/add/", {"skill-name": "x"}),
        (f"agents/{world.agent.pk}/", {f"a{world.agent.pk}-capacity": "1"}),
    ]
    for path, data in posts:
        assert as_user(world.agent).post(URL + path, data).status_code == 403
    assert state() == before


def test_add_a_queue_with_htmx_and_without(world, setup, as_user):
    c = as_user(world.admin)
    r = c.post(
        URL + "queues/add/",
        {
            "new-name": "Refunds",
            "new-priority": "7",
            "new-required_skills": ["billing", "spanish"],
            "new-is_default": "on",
        },
        **HTMX,
    )
    assert r.status_code == 200
    assert "Added the queue Refunds." in r.content.decode()
    refunds = Queue.objects.get(name="Refunds")
    assert (refunds.priority, refunds.is_default) == (7, True)
    assert sorted(refunds.required_skills.values_list("name", flat=True)) == ["billing", "spanish"]
    assert Queue.objects.get(pk=setup.general.pk).is_default is False
    r = c.post(URL + "queues/add/", {"new-name": "Returns", "new-priority": "0"})
    assert r.status_code == 302 and r["Location"] == URL
    assert Queue.objects.filter(name="Returns").exists()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"new-name": "", "new-priority": "0"}, "This field is required."),
        ({"new-name": "vip", "new-priority": "0"}, "A queue with this name already exists."),
        ({"new-name": "X", "new-priority": "5000"}, "less than or equal to 1000"),
        ({"new-name": "X", "new-priority": "high"}, "Enter a whole number."),
        (
            {"new-name": "X", "new-priority": "0", "new-required_skills": ["cooking"]},
            "Select a valid choice.",
        ),
    ],
)
def test_bad_new_queue_shows_the_error_and_changes_nothing(world, setup, as_user, data, message):
    before = state()
    r = as_user(world.admin).post(URL + "queues/add/", data, **HTMX)
    assert r.status_code == 400
    html = r.content.decode()
    assert message in html
    assert '<ul class="errorlist"' in html
    assert state() == before


def test_edit_a_queue(world, setup, as_user):
    p = f"q{setup.vip.pk}-"
    data = {
        p + "name": "VIP customers",
        p + "priority": "3",
        p + "required_skills": ["spanish"],
        p + "is_default": "on",
    }
    r = as_user(world.admin).post(URL + f"queues/{setup.vip.pk}/", data, **HTMX)
    assert r.status_code == 200
    vip = Queue.objects.get(pk=setup.vip.pk)
    assert (vip.name, vip.priority, vip.is_default) == ("VIP customers", 3, True)
    assert list(vip.required_skills.values_list("name", flat=True)) == ["spanish"]
    assert Queue.objects.get(pk=setup.general.pk).is_default is False


def test_bad_queue_edit_reopens_its_form_with_the_error(world, setup, as_user):
    before = state()
    p = f"q{setup.vip.pk}-"
    r = as_user(world.admin).post(
        URL + f"queues/{setup.vip.pk}/", {p + "name": "general", p + "priority": "1"}, **HTMX
    )
    assert r.status_code == 400
    html = r.content.decode()
    assert "A queue with this name already exists." in html
    assert f'id="queue-{setup.vip.pk}-form">' in html  # shown, not hidden
    assert state() == before
    other = world.sales
    sales_queue = services.queue_create(workspace=other, name="S")
    r = as_user(world.admin).post(URL + f"queues/{sales_queue.pk}/", {p + "name": "x"})
    assert r.status_code == 404


def test_add_a_skill(world, setup, as_user):
    c = as_user(world.admin)
    r = c.post(URL + "skills/add/", {"skill-name": "  french "}, **HTMX)
    assert r.status_code == 200
    assert Skill.objects.filter(workspace=world.support, name="french").exists()
    before = state()
    for name, message in (("Billing", "A skill with this name already exists."), ("", "required")):
        r = c.post(URL + "skills/add/", {"skill-name": name}, **HTMX)
        assert r.status_code == 400
        assert message in r.content.decode()
    assert state() == before


def test_set_an_agents_capacity_and_skill_levels(world, setup, as_user):
    c = as_user(world.admin)
    p = f"a{world.agent.pk}-"
    data = {
        p + "capacity": "5",
        p + f"skill_{setup.billing.pk}": "4",
        p + f"skill_{setup.spanish.pk}": "",
    }
    r = c.post(URL + f"agents/{world.agent.pk}/", data, **HTMX)
    assert r.status_code == 200, r.content
    agent = AgentProfile.objects.get(workspace=world.support, user=world.agent)
    assert agent.capacity == 5
    assert list(agent.skills.values_list("skill__name", "level")) == [("billing", 4)]
    html = r.content.decode()
    assert "Saved the routing settings of Agent." in html
    assert '<option value="4" selected>4</option>' in html
    # A level set back to — removes the skill.
    data[p + f"skill_{setup.billing.pk}"] = ""
    c.post(URL + f"agents/{world.agent.pk}/", data)
    assert agent.skills.count() == 0


@pytest.mark.parametrize(
    "values, message",
    [
        ({"capacity": "101"}, "less than or equal to 100"),
        ({"capacity": ""}, "This field is required."),
        ({"capacity": "2", "skill": "9"}, "Select a valid choice."),
    ],
)
def test_bad_agent_settings_change_nothing(world, setup, as_user, values, message):
    p = f"a{world.agent.pk}-"
    data = {p + "capacity": values["capacity"]}
    if "skill" in values:
        data[p + f"skill_{setup.billing.pk}"] = values["skill"]
    before = state()
    r = as_user(world.admin).post(URL + f"agents/{world.agent.pk}/", data, **HTMX)
    assert r.status_code == 400
    assert message in r.content.decode()
    assert state() == before


def test_agent_outside_the_workspace_is_404(world, setup, as_user):
    before = state()
    for user in (world.outsider,):
        r = as_user(world.admin).post(URL + f"agents/{user.pk}/", {f"a{user.pk}-capacity": "1"})
        assert r.status_code == 404
    assert state() == before


def test_names_are_escaped(world, setup, as_user):
    services.queue_create(workspace=world.support, name="<script>alert(1)</script>")
    Skill.objects.create(workspace=world.support, name="<b>bold</b>")
    html = as_user(world.admin).get(URL).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>bold</b>" not in html


def test_page_queries_do_not_grow_with_rows(world, setup, as_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from caredesk.workspaces import services as ws

    c = as_user(world.admin)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(URL).status_code == 200
        return len(ctx.captured_queries)

    # One of each first: an empty list costs no query at all.
    services.agent_profile_set(workspace=world.support, user=world.agent, skills={"billing": 1})
    before = count()
    for i in range(4):
        services.queue_create(workspace=world.support, name=f"Q{i}", required_skills=["billing"])
        user = ws.user_create(organization=world.org, username=f"a{i}", password="pw-12345678")
        ws.membership_set(workspace=world.support, user=user, kind="agent")
        services.agent_profile_set(
            workspace=world.support, user=user, skills={"billing": 2, "spanish": 3}
        )
    assert count() == before
