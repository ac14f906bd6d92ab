"""Issue 10, defect 1: a journey activity is seen by whoever sees its ticket, and nobody else,
through the API and the pages, for reads and for writes. And defect 4: a write that
committed is answered with its result, never with a 404."""

import json

import pytest

from caredesk.audit.models import AuditEntry
from caredesk.care.models import Case, CaseComment
from caredesk.journey.models import Activity, ActivityComment

from .conftest import MARK

API = "/api/v1/workspaces/support"


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def journey_state():
    return (
        list(Activity.objects.order_by("pk").values_list("pk", "case_id", "contact_id")),
        ActivityComment.objects.count(),
        AuditEntry.objects.count(),
        Case.objects.count(),
        sorted(
            (a, t) for a, t in Activity.tags.through.objects.values_list("activity_id", "tag_id")
        ),
    )


@pytest.fixture
def secret_note(world, api_client, scene):
    """The issue's reproduction: an admin files a note on a ticket outside the manager's area."""
    r = post(
        api_client(world.admin),
        f"{API}/activities",
        {"ticket": scene.case_out.number, "body": "SECRET"},
    )
    assert r.status_code == 201
    return r.json()


@pytest.mark.parametrize("who", ["manager", "coach", "agent"])
def test_an_activity_on_a_hidden_ticket_is_not_found_through_the_api(
    world, api_client, scene, secret_note, who
):
    client = api_client(getattr(world, who))
    note = secret_note["id"]
    for path in (f"activities/{note}", f"activities/{note}/comments"):
        r = client.get(f"{API}/{path}")
        assert r.status_code == 404, path
        assert r.json() == {"detail": "No such activity"}
    r = client.get(f"{API}/customers/{scene.ana.pk}/activities")
    assert r.status_code == 200
    ids = [a["id"] for a in r.json()["items"]]
    assert note not in ids and scene.note_out.pk not in ids
    assert "SECRET" not in r.content.decode()
    # What they may see of Ana's journey is still there.
    assert scene.note_free.pk in ids
    assert (scene.note_in.pk in ids) is (who == "manager")
    assert client.get(f"{API}/tickets/{scene.case_out.number}").status_code in (403, 404)


def test_the_admin_still_sees_the_whole_journey(world, api_client, scene, secret_note):
    client = api_client(world.admin)
    r = client.get(f"{API}/activities/{secret_note['id']}")
    assert r.status_code == 200
    assert r.json()["body"] == "SECRET"
    ids = [
        a["id"] for a in client.get(f"{API}/customers/{scene.ana.pk}/activities").json()["items"]
    ]
    assert {secret_note["id"], scene.note_out.pk, scene.note_in.pk, scene.note_free.pk} <= set(ids)


@pytest.mark.parametrize("who", ["manager", "coach", "agent"])
def test_the_journey_pages_hide_an_activity_on_a_hidden_ticket(
    world, as_user, scene, secret_note, who
):
    client = as_user(getattr(world, who))
    r = client.get(f"/w/support/journey/activities/{secret_note['id']}/")
    assert r.status_code == 404
    r = client.get(f"/w/support/journey/contacts/{scene.ana.pk}/")
    assert r.status_code == 200
    body = r.content.decode()
    assert "SECRET" not in body
    assert MARK not in body  # nor the hidden ticket's title among Ana's recent tickets
    assert "A note on Ana" in body


@pytest.mark.parametrize("who", ["manager", "coach", "agent"])
def test_writes_on_an_activity_of_a_hidden_ticket_are_refused_and_change_nothing(
    world, api_client, as_user, scene, secret_note, who
):
    client = api_client(getattr(world, who))
    note = secret_note["id"]
    before = journey_state()
    for method, path, body in (
        ("post", f"activities/{note}/move", {"ticket": None}),
        ("post", f"activities/{note}/move", {"ticket": scene.case_in.number}),
        ("post", f"activities/{note}/comments", {"body": "x"}),
        ("post", f"activities/{note}/tags", {"tag": "x"}),
        ("delete", f"activities/{note}/tags/{MARK}", None),
        ("post", f"activities/{note}/ticket", {"title": "Mine now"}),
    ):
        url = f"{API}/{path}"
        r = post(client, url, body) if method == "post" else client.delete(url)
        assert r.status_code == 404, path
        assert r.json() == {"detail": "No such activity"}
    page = as_user(getattr(world, who))
    for path in ("move", "comments", "tags"):
        r = page.post(f"/w/support/journey/activities/{note}/{path}/", {"number": "", "body": "x"})
        assert r.status_code == 404, path
    assert journey_state() == before


@pytest.mark.parametrize("who", ["manager", "coach", "agent"])
def test_an_activity_cannot_be_moved_onto_a_ticket_the_user_cannot_see(
    world, api_client, as_user, scene, who
):
    # Ana's note without a ticket is on her journey, which everyone in the workspace reads.
    before = journey_state()
    r = post(
        api_client(getattr(world, who)),
        f"{API}/activities/{scene.note_free.pk}/move",
        {"ticket": scene.case_out.number},
    )
    assert r.status_code == 400
    assert r.json()["errors"] == {"ticket": "No such ticket."}
    r = as_user(getattr(world, who)).post(
        f"/w/support/journey/activities/{scene.note_free.pk}/move/",
        {"number": str(scene.case_out.number)},
    )
    assert r.status_code == 400
    assert "No such ticket." in r.content.decode()
    r = post(
        api_client(getattr(world, who)),
        f"{API}/activities",
        {"contact": scene.ana.pk, "ticket": scene.case_out.number, "body": "On it"},
    )
    assert r.status_code == 400
    assert r.json()["errors"] == {"ticket": "No such ticket."}
    assert journey_state() == before


def test_the_handling_agent_sees_their_activity_but_cannot_detach_it_from_a_hidden_ticket(
    world, api_client, scene
):
    """The agent who handled a chat keeps seeing it when an admin files it on a ticket the agent
    cannot see; taking it off that ticket would write to a ticket hidden from them."""
    admin = api_client(world.admin)
    activity = Activity.objects.get(conversation=scene.chat)
    r = post(admin, f"{API}/activities/{activity.pk}/move", {"ticket": scene.case_out.number})
    assert r.status_code == 200
    agent = api_client(world.agent)
    r = agent.get(f"{API}/activities/{activity.pk}")
    assert r.status_code == 200
    assert r.json()["ticket"] == scene.case_out.number
    before = journey_state()
    r = post(agent, f"{API}/activities/{activity.pk}/move", {"ticket": None})
    assert r.status_code == 403
    assert r.json()["detail"] == (
        "This activity is on a ticket you cannot see; only someone who sees that ticket can "
        "move it."
    )
    assert journey_state() == before


def test_a_ticket_a_coach_creates_is_answered_with_the_ticket_and_stays_theirs(world, api_client):
    """Defect 4: the coach has no area; the ticket they open is theirs to see (its creator)."""
    client = api_client(world.coach)
    body = {"customer_email": "coach.repro@example.com", "comment": "repro", "title": "repro"}
    r = post(client, f"{API}/tickets", body)
    assert r.status_code == 201
    number = r.json()["number"]
    assert r.json()["title"] == "repro"
    assert Case.objects.filter(workspace=world.support, title="repro").count() == 1
    assert client.get(f"{API}/tickets/{number}").status_code == 200


def test_moving_a_ticket_out_of_ones_area_answers_the_update(world, api_client, as_user):
    """Defect 4: the manager may move a ticket to another segment; the update committed, so the
    answer is the updated ticket (200), and afterwards the ticket is out of their reach."""
    case = world.make_case(world.support, segment=world.store1)
    client = api_client(world.manager)
    r = client.patch(
        f"{API}/tickets/{case.number}",
        json.dumps({"comment": "Belongs to Italy", "segment": world.italy.pk}),
        content_type="application/json",
    )
    assert r.status_code == 200
    assert r.json()["segment"]["id"] == world.italy.pk
    assert r.json()["owner"]["username"] == "italymgr"
    assert CaseComment.objects.filter(case=case, body="Belongs to Italy").count() == 1
    assert client.get(f"{API}/tickets/{case.number}").status_code == 404

    # The same through the update dialog: a message says where it went, no 404.
    case2 = world.make_case(world.support, segment=world.store1)
    page = as_user(world.manager)
    r = page.post(
        f"/w/support/tickets/{case2.number}/",
        {
            "priority": case2.priority,
            "status": case2.status,
            "segment": str(world.italy.pk),
            "owner": "",
            "comment": "Italy's",
        },
        HTTP_HX_REQUEST="true",
    )
    assert r.status_code == 204
    assert r["HX-Redirect"] == "/w/support/tickets/"
    case2.refresh_from_db()
    assert case2.segment_id == world.italy.pk
    r = page.get("/w/support/tickets/")
    assert f"Ticket #{case2.number} updated. It is now outside your area and list." in (
        r.content.decode()
    )


def test_a_responses_page_lists_only_the_tickets_the_user_sees(world, as_user, scene):
    """The scene's rule filed Lisbon's response as a ticket in Italy."""
    url = f"/w/support/feedback/responses/{scene.response_in.pk}/"
    link = f"?open={scene.case_out.number}"
    manager = as_user(world.manager).get(url)
    assert manager.status_code == 200
    assert link not in manager.content.decode()
    assert link in as_user(world.admin).get(url).content.decode()
