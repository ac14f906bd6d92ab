"""The desk over REST: conversations, messages, offers, end, contact link, presence, queues,
skills and agents. Every refused request names the field (or is 403/404) and changes nothing."""

import json

import pytest

from caredesk.customers.services import contact_create
from caredesk.journey.models import Activity
from caredesk.routing import services
from caredesk.routing.models import (
    AgentProfile,
    AgentSkill,
    Conversation,
    Message,
    Offer,
    Queue,
    Skill,
)
from caredesk.workspaces import services as ws
from caredesk.workspaces.permissions import UserKind

from .conftest import BASE


def send(client, method, url, body=None):
    return getattr(client, method)(
        url, json.dumps(body) if body is not None else None, content_type="application/json"
    )


def state():
    """Every row the desk API could write, to prove a refused request wrote nothing."""
    return {
        "conversations": list(
            Conversation.objects.order_by("pk").values_list(
                "pk", "status", "agent_id", "contact_id", "ended_at"
            )
        ),
        "messages": Message.objects.count(),
        "offers": list(Offer.objects.order_by("pk").values_list("pk", "status")),
        "agents": list(
            AgentProfile.objects.order_by("pk").values_list("pk", "presence", "capacity")
        ),
        "agent_skills": list(AgentSkill.objects.values_list("agent_id", "skill_id", "level")),
        "queues": list(
            Queue.objects.order_by("pk").values_list("pk", "name", "priority", "is_default")
        ),
        "skills": list(Skill.objects.values_list("pk", "name")),
    }


@pytest.fixture
def desk(world, api_client):
    """support with an agent "ana" (available) who accepted Rita's chat, a waiting chat and an
    ended one; "bruno", another agent, has his own active chat."""
    d = type("Desk", (), {})()
    d.ana = ws.user_create(organization=world.org, username="ana", password="pw-12345678")
    d.bruno = ws.user_create(organization=world.org, username="bruno", password="pw-12345678")
    for u in (d.ana, d.bruno):
        ws.membership_set(workspace=world.support, user=u, kind=UserKind.AGENT)
    d.billing = services.queue_create(workspace=world.support, name="Billing", priority=5)

    def chat(name, agent=None, queue="", **visitor):
        c = services.conversation_start(
            workspace=world.support,
            pre_chat={"name": name, "topic": queue},
            visitor=visitor,
            navigation=[{"kind": "page_visited", "value": "https://shop/cart"}],
        )
        if agent is not None:
            profile = services.agent_profile_set(
                workspace=world.support, user=agent, presence="available"
            )
            offer = services.offer_next(c.pk)
            assert offer.agent_id == profile.pk
            services.offer_accept(offer_id=offer.pk, agent=profile)
            services.agent_presence_set(agent=profile, presence="away")
        c.refresh_from_db()
        return c

    d.rita = chat("Rita", d.ana, queue="Billing", language="pt-PT")
    services.message_post(
        conversation=d.rita, sender="customer", client_id="c1", body="<b>Hello</b>"
    )
    services.message_post(conversation=d.rita, sender="customer", client_id="c2", body="Anyone?")
    d.bob = chat("Bob", d.bruno)
    d.old = chat("Old", d.ana)
    services.conversation_end(conversation_id=d.old.pk, by="customer")
    d.waiting = chat("Wendy")
    d.ana_api = api_client(d.ana)
    d.bruno_api = api_client(d.bruno)
    d.admin_api = api_client(world.admin)
    return d


CONV = f"{BASE}/conversations"


# -- conversations ---------------------------------------------------------------------------


def tokens(r):
    assert r.status_code == 200, r.content
    return [c["token"] for c in r.json()["items"]]


def test_list_supervisor_sees_all_an_agent_their_own(world, desk):
    assert tokens(desk.admin_api.get(CONV)) == [
        desk.waiting.public_token,
        desk.old.public_token,
        desk.bob.public_token,
        desk.rita.public_token,
    ]
    assert tokens(desk.ana_api.get(CONV)) == [desk.old.public_token, desk.rita.public_token]
    first = desk.ana_api.get(CONV).json()["items"][1]
    assert first == {
        "token": desk.rita.public_token,
        "status": "active",
        "queue": "Billing",
        "name": "Rita",
        "contact": None,
        "agent": {"id": desk.ana.pk, "username": "ana", "name": "ana"},
        "created_at": first["created_at"],
        "accepted_at": first["accepted_at"],
        "ended_at": None,
        "wait_seconds": desk.rita.wait_seconds,
        "unread": 2,
    }


def test_list_filters_and_pages(world, desk):
    api = desk.admin_api
    assert tokens(api.get(CONV, {"status": "active"})) == [
        desk.bob.public_token,
        desk.rita.public_token,
    ]
    assert tokens(api.get(CONV, {"queue": "billing"})) == [desk.rita.public_token]
    assert tokens(api.get(CONV, {"agent": "me"})) == []
    assert tokens(desk.bruno_api.get(CONV, {"agent": "me"})) == [desk.bob.public_token]
    page1 = api.get(CONV, {"limit": 3}).json()
    assert len(page1["items"]) == 3
    page2 = api.get(CONV, {"limit": 3, "cursor": page1["next_cursor"]}).json()
    assert [c["token"] for c in page2["items"]] == [desk.rita.public_token]
    assert page2["next_cursor"] is None


@pytest.mark.parametrize(
    "params, field",
    [
        ({"status": "sleeping"}, "status"),
        ({"queue": "Nope"}, "queue"),
        ({"agent": "ana"}, "agent"),
        ({"cursor": "abc"}, "cursor"),
        ({"limit": 0}, "limit"),
    ],
)
def test_list_bad_filters_name_the_field(world, desk, params, field):
    r = desk.admin_api.get(CONV, params)
    assert r.status_code in (400, 422)
    assert list(r.json()["errors"]) == [field]


def test_get_has_messages_prechat_visitor_and_navigation(world, desk):
    r = desk.ana_api.get(f"{CONV}/{desk.rita.public_token}")
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["pre_chat"] == {"name": "Rita", "topic": "Billing"}
    assert body["visitor"] == {"language": "pt-PT"}
    assert [(n["kind"], n["value"]) for n in body["navigation"]] == [
        ("page_visited", "https://shop/cart")
    ]
    assert [(m["client_id"], m["sender"], m["body"]) for m in body["messages"]] == [
        ("c1", "customer", "<b>Hello</b>"),
        ("c2", "customer", "Anyone?"),
    ]
    assert body["skills"] == []
    assert body["unread"] == 2
    assert body["agent_read_up_to"] is None


def test_get_refuses_what_the_caller_may_not_see(world, desk, api_client):
    url = f"{CONV}/{desk.bob.public_token}"
    assert desk.ana_api.get(url).status_code == 404
    assert desk.ana_api.get(f"{CONV}/nope").json() == {"detail": "No such conversation"}
    assert desk.admin_api.get(url).status_code == 200
    # The other organization's own "support" workspace does not have it.
    assert api_client(world.outsider).get(url).status_code == 404
    nobody = ws.user_create(organization=world.org, username="nobody", password="pw-12345678")
    assert api_client(nobody).get(url).status_code == 403
    assert api_client(nobody).get(CONV).status_code == 403


# -- messages --------------------------------------------------------------------------------


def test_agent_posts_a_message_once_per_client_id(world, desk):
    url = f"{CONV}/{desk.rita.public_token}/messages"
    r = send(desk.ana_api, "post", url, {"client_id": "a-1", "body": "Hi <i>Rita</i>"})
    assert r.status_code == 201, r.content
    first = r.json()
    assert (first["sender"], first["body"], first["client_id"]) == (
        "agent",
        "Hi <i>Rita</i>",
        "a-1",
    )
    again = send(desk.ana_api, "post", url, {"client_id": "a-1", "body": "different"})
    assert again.status_code == 200
    assert again.json() == first
    stored = Message.objects.get(pk=first["id"])
    assert (stored.author_id, stored.conversation_id) == (desk.ana.pk, desk.rita.pk)
    assert Message.objects.filter(conversation=desk.rita).count() == 3


@pytest.mark.parametrize(
    "who, token, body, status, field",
    [
        ("admin_api", "rita", {"client_id": "x", "body": "hi"}, 400, "conversation"),
        ("bruno_api", "rita", {"client_id": "x", "body": "hi"}, 404, None),
        ("ana_api", "old", {"client_id": "x", "body": "hi"}, 400, "conversation"),
        ("ana_api", "rita", {"client_id": "", "body": "hi"}, 400, "client_id"),
        ("ana_api", "rita", {"client_id": "x" * 101, "body": "hi"}, 400, "client_id"),
        ("ana_api", "rita", {"client_id": "x", "body": "  "}, 400, "body"),
        ("ana_api", "rita", {"client_id": "x", "body": "b" * 10_001}, 400, "body"),
        ("ana_api", "rita", {"client_id": "x"}, 422, "body"),
    ],
)
def test_bad_message_is_refused_and_stores_nothing(world, desk, who, token, body, status, field):
    before = state()
    url = f"{CONV}/{getattr(desk, token).public_token}/messages"
    r = send(getattr(desk, who), "post", url, body)
    assert r.status_code == status, r.content
    if field:
        assert list(r.json()["errors"]) == [field]
    assert state() == before


# -- end and contact -------------------------------------------------------------------------


def test_the_agent_ends_a_conversation_and_waiting_work_is_offered(world, desk):
    # Ana is available but full: one chat, capacity 1.
    services.agent_profile_set(
        workspace=world.support, user=desk.ana, capacity=1, presence="available"
    )
    assert services.offer_waiting(workspace=world.support) == []
    r = desk.ana_api.post(f"{CONV}/{desk.rita.public_token}/end")
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "ended"
    assert r.json()["ended_at"] is not None
    # Her freed capacity went to the waiting chat.
    offer = Offer.objects.get(conversation=desk.waiting)
    assert offer.agent.user_id == desk.ana.pk
    # Ending twice is harmless.
    assert desk.ana_api.post(f"{CONV}/{desk.rita.public_token}/end").status_code == 200


def test_only_its_agent_or_a_supervisor_ends_it(world, desk, api_client):
    before = state()
    coach = api_client(world.coach)
    assert coach.post(f"{CONV}/{desk.bob.public_token}/end").status_code == 404
    assert desk.ana_api.post(f"{CONV}/{desk.bob.public_token}/end").status_code == 404
    assert state() == before
    r = desk.admin_api.post(f"{CONV}/{desk.bob.public_token}/end")
    assert r.status_code == 200
    assert r.json()["status"] == "ended"


def test_link_the_conversation_to_a_contact(world, desk):
    rita = contact_create(organization=world.org, name="Rita Lopes", emails=["rita@example.com"])
    url = f"{CONV}/{desk.rita.public_token}/contact"
    r = send(desk.ana_api, "put", url, {"contact": rita.pk})
    assert r.status_code == 200, r.content
    assert r.json()["contact"] == rita.pk
    assert r.json()["name"] == "Rita Lopes"
    activity = Activity.objects.get(conversation=desk.rita)
    assert r.json()["activity"] == activity.pk
    assert activity.contact_id == rita.pk


def test_link_to_a_bad_contact_changes_nothing(world, desk):
    foreign = contact_create(organization=world.other_org, name="Foreign")
    url = f"{CONV}/{desk.rita.public_token}/contact"
    before = state()
    for body, status in (({"contact": foreign.pk}, 400), ({"contact": 0}, 400), ({}, 422)):
        r = send(desk.ana_api, "put", url, body)
        assert r.status_code == status
        assert list(r.json()["errors"]) == ["contact"]
    assert send(desk.bruno_api, "put", url, {"contact": foreign.pk}).status_code == 404
    assert state() == before


# -- offers ----------------------------------------------------------------------------------


def _offer_waiting_to(world, user):
    profile = services.agent_profile_set(workspace=world.support, user=user, presence="available")
    offer = services.offer_next(Conversation.objects.get(pre_chat__name="Wendy").pk)
    assert offer is not None and offer.agent_id == profile.pk
    return offer


def test_accept_an_offer(world, desk):
    offer = _offer_waiting_to(world, desk.bruno)
    listed = desk.bruno_api.get(f"{BASE}/offers").json()
    assert [(o["offer"], o["conversation"]) for o in listed] == [
        (offer.pk, desk.waiting.public_token)
    ]
    assert desk.ana_api.get(f"{BASE}/offers").json() == []
    r = desk.bruno_api.post(f"{BASE}/offers/{offer.pk}/accept")
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "active"
    assert r.json()["agent"]["username"] == "bruno"
    assert r.json()["wait_seconds"] is not None
    # Accepting again is refused, naming the offer.
    before = state()
    again = desk.bruno_api.post(f"{BASE}/offers/{offer.pk}/accept")
    assert again.status_code == 400
    assert again.json()["errors"] == {"offer": "This offer is already accepted."}
    assert state() == before


def test_decline_moves_the_offer_on_and_others_cannot_touch_it(world, desk, api_client):
    offer = _offer_waiting_to(world, desk.bruno)
    before = state()
    assert desk.ana_api.post(f"{BASE}/offers/{offer.pk}/accept").status_code == 404
    assert desk.ana_api.post(f"{BASE}/offers/{offer.pk}/decline").status_code == 404
    assert api_client(world.outsider).post(f"{BASE}/offers/{offer.pk}/accept").status_code == 404
    assert state() == before
    services.agent_presence_set(agent=AgentProfile.objects.get(user=desk.ana), presence="available")
    r = desk.bruno_api.post(f"{BASE}/offers/{offer.pk}/decline")
    assert r.status_code == 200
    assert r.json() == {"offer": offer.pk, "status": "declined"}
    nxt = Offer.objects.get(conversation=desk.waiting, status="offered")
    assert nxt.agent.user_id == desk.ana.pk


# -- presence --------------------------------------------------------------------------------


def test_presence_get_and_set(world, desk, api_client):
    coach = api_client(world.coach)
    r = coach.get(f"{BASE}/presence")
    assert r.json() == {
        "presence": "offline",
        "capacity": 3,
        "active": 0,
        "offered": 0,
        "skills": [],
    }
    assert not AgentProfile.objects.filter(user=world.coach).exists()  # a read writes nothing
    r = send(coach, "put", f"{BASE}/presence", {"presence": "available", "capacity": 1})
    assert r.status_code == 200, r.content
    # Becoming available took the waiting chat as an offer.
    assert r.json() == {
        "presence": "available",
        "capacity": 1,
        "active": 0,
        "offered": 1,
        "skills": [],
    }
    assert Offer.objects.get(conversation=desk.waiting).agent.user_id == world.coach.pk
    r = desk.ana_api.get(f"{BASE}/presence")
    assert (r.json()["presence"], r.json()["active"]) == ("away", 1)


@pytest.mark.parametrize(
    "body, status, field",
    [
        ({"presence": "asleep"}, 400, "presence"),
        ({"capacity": 101}, 400, "capacity"),
        ({"capacity": -1}, 400, "capacity"),
        ({"capacity": "many"}, 422, "capacity"),
    ],
)
def test_bad_presence_changes_nothing(world, desk, api_client, body, status, field):
    before = state()
    r = send(api_client(world.coach), "put", f"{BASE}/presence", body)
    assert r.status_code == status
    assert list(r.json()["errors"]) == [field]
    assert state() == before


def test_presence_needs_use_care(world, desk, api_client):
    nobody = ws.user_create(organization=world.org, username="nobody", password="pw-12345678")
    before = state()
    r = send(api_client(nobody), "put", f"{BASE}/presence", {"presence": "available"})
    assert r.status_code == 403
    assert send(api_client(nobody), "get", f"{BASE}/presence").status_code == 403
    assert state() == before


# -- queues and skills -----------------------------------------------------------------------


def test_queues_with_live_counts(world, desk):
    r = desk.ana_api.get(f"{BASE}/queues")
    assert r.status_code == 200
    rows = {q["name"]: q for q in r.json()}
    assert set(rows) == {"Billing", "General"}
    assert {k: rows["Billing"][k] for k in ("waiting", "offered", "active", "priority")} == {
        "waiting": 0,
        "offered": 0,
        "active": 1,
        "priority": 5,
    }
    general = rows["General"]
    assert (general["waiting"], general["active"], general["is_default"]) == (1, 1, True)
    assert general["longest_wait_seconds"] >= 0
    assert [q["name"] for q in r.json()] == ["Billing", "General"]  # priority first


def test_create_and_update_queues(world, desk):
    api = desk.admin_api
    assert send(api, "post", f"{BASE}/skills", {"name": "billing"}).status_code == 201
    r = send(
        api,
        "post",
        f"{BASE}/queues",
        {"name": "Refunds", "priority": 9, "required_skills": ["Billing"], "is_default": True},
    )
    assert r.status_code == 201, r.content
    created = r.json()
    assert {k: created[k] for k in ("name", "priority", "required_skills", "is_default")} == {
        "name": "Refunds",
        "priority": 9,
        "required_skills": ["billing"],
        "is_default": True,
    }
    assert Queue.objects.get(name="General").is_default is False
    r = send(api, "patch", f"{BASE}/queues/{created['id']}", {"name": "Returns", "priority": 2})
    assert r.status_code == 200, r.content
    assert (r.json()["name"], r.json()["priority"], r.json()["required_skills"]) == (
        "Returns",
        2,
        ["billing"],
    )
    r = send(api, "patch", f"{BASE}/queues/{created['id']}", {"required_skills": []})
    assert r.json()["required_skills"] == []
    r = send(api, "patch", f"{BASE}/queues/{desk.billing.pk}", {"is_default": True})
    assert r.json()["is_default"] is True
    assert list(Queue.objects.filter(is_default=True).values_list("name", flat=True)) == ["Billing"]


@pytest.mark.parametrize(
    "method, path, body, status, field",
    [
        ("post", "queues", {"name": ""}, 400, "name"),
        ("post", "queues", {"name": "billing"}, 400, "name"),
        ("post", "queues", {"name": "X", "required_skills": ["nope"]}, 400, "required_skills"),
        ("post", "queues", {"name": "X", "priority": 5000}, 400, "priority"),
        ("post", "queues", {"name": "q" * 101}, 422, "name"),
        ("post", "queues", {"priority": 1}, 422, "name"),
        ("patch", "queues/{billing}", {"name": "general"}, 400, "name"),
        ("patch", "queues/{billing}", {"name": " "}, 400, "name"),
        ("patch", "queues/{billing}", {"priority": -1001}, 400, "priority"),
        ("patch", "queues/{billing}", {"required_skills": ["x"]}, 400, "required_skills"),
        ("post", "skills", {"name": ""}, 400, "name"),
        ("post", "skills", {"name": "VIP"}, 400, "name"),
    ],
)
def test_bad_queue_or_skill_changes_nothing(world, desk, method, path, body, status, field):
    Skill.objects.create(workspace=world.support, name="vip")
    before = state()
    url = f"{BASE}/{path.format(billing=desk.billing.pk)}"
    r = send(desk.admin_api, method, url, body)
    assert r.status_code == status, r.content
    assert list(r.json()["errors"]) == [field]
    assert state() == before


def test_queue_and_skill_writes_need_manage_care(world, desk, api_client):
    sales_queue = services.queue_create(workspace=world.sales, name="Sales")
    before = state()
    manager = api_client(world.manager)
    assert send(manager, "post", f"{BASE}/queues", {"name": "X"}).status_code == 403
    assert (
        send(manager, "patch", f"{BASE}/queues/{desk.billing.pk}", {"priority": 1}).status_code
        == 403
    )
    assert send(manager, "post", f"{BASE}/skills", {"name": "x"}).status_code == 403
    # A queue of another workspace is not found through this one.
    r = send(desk.admin_api, "patch", f"{BASE}/queues/{sales_queue.pk}", {"priority": 1})
    assert r.status_code == 404
    assert state() == before
    assert manager.get(f"{BASE}/queues").status_code == 200
    assert manager.get(f"{BASE}/skills").status_code == 200


def test_skills_list(world, desk):
    send(desk.admin_api, "post", f"{BASE}/skills", {"name": "spanish"})
    send(desk.admin_api, "post", f"{BASE}/skills", {"name": "billing"})
    names = [s["name"] for s in desk.ana_api.get(f"{BASE}/skills").json()]
    assert names == ["billing", "spanish"]


# -- agents ----------------------------------------------------------------------------------


def test_agents_list_and_set_skills_and_capacity(world, desk):
    for name in ("billing", "spanish"):
        Skill.objects.create(workspace=world.support, name=name)
    url = f"{BASE}/agents/{world.coach.pk}"
    r = send(desk.admin_api, "put", url, {"capacity": 5, "skills": {"Billing": 4, "spanish": 1}})
    assert r.status_code == 200, r.content
    assert r.json() == {
        "user": {"id": world.coach.pk, "username": "coach", "name": "Coach"},
        "presence": "offline",
        "capacity": 5,
        "active": 0,
        "offered": 0,
        "skills": [{"name": "billing", "level": 4}, {"name": "spanish", "level": 1}],
    }
    r = send(desk.admin_api, "put", url, {"skills": {"spanish": 2}})
    assert r.json()["capacity"] == 5
    assert r.json()["skills"] == [{"name": "spanish", "level": 2}]
    listed = {a["user"]["username"]: a for a in desk.ana_api.get(f"{BASE}/agents").json()}
    assert set(listed) == {"ana", "bruno", "coach"}
    assert (listed["ana"]["active"], listed["ana"]["presence"]) == (1, "away")


@pytest.mark.parametrize(
    "body, status, field",
    [
        ({"capacity": 101}, 400, "capacity"),
        ({"skills": {"billing": 6}}, 400, "skills"),
        ({"skills": {"billing": 0}}, 400, "skills"),
        ({"skills": {"cooking": 3}}, 400, "skills"),
        ({"skills": {"billing": "high"}}, 422, "skills"),
    ],
)
def test_bad_agent_settings_change_nothing(world, desk, body, status, field):
    Skill.objects.create(workspace=world.support, name="billing")
    before = state()
    r = send(desk.admin_api, "put", f"{BASE}/agents/{world.coach.pk}", body)
    assert r.status_code == status, r.content
    assert list(r.json()["errors"]) == [field]
    assert state() == before


def test_agent_settings_permissions(world, desk, api_client):
    before = state()
    body = {"capacity": 1}
    assert (
        send(api_client(world.manager), "put", f"{BASE}/agents/{desk.ana.pk}", body).status_code
        == 403
    )
    not_member = ws.user_create(organization=world.org, username="nm", password="pw-12345678")
    assert send(desk.admin_api, "put", f"{BASE}/agents/{not_member.pk}", body).status_code == 404
    assert (
        send(desk.admin_api, "put", f"{BASE}/agents/{world.outsider.pk}", body).status_code == 404
    )
    assert state() == before


def test_list_queries_do_not_grow_with_rows(world, desk):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(path):
        with CaptureQueriesContext(connection) as ctx:
            assert desk.admin_api.get(f"{BASE}/{path}").status_code == 200
        return len(ctx.captured_queries)

    paths = ("conversations", "queues", "agents", "skills")
    before = {p: count(p) for p in paths}
    Skill.objects.create(workspace=world.support, name="billing")
    for i in range(4):
        user = ws.user_create(organization=world.org, username=f"x{i}", password="pw-12345678")
        ws.membership_set(workspace=world.support, user=user, kind=UserKind.AGENT)
        services.agent_profile_set(workspace=world.support, user=user, skills={"billing": 2})
        services.queue_create(workspace=world.support, name=f"Q{i}", required_skills=["billing"])
        c = services.conversation_start(workspace=world.support, pre_chat={"topic": f"Q{i}"})
        services.message_post(conversation=c, sender="customer", client_id="c", body="hi")
    assert {p: count(p) for p in paths} == before
