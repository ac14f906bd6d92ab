"""The journey over REST: timelines of a customer, an account and a ticket; one activity;
notes; moving an activity to a ticket or a new one; tags; comments. Refused requests name
the field (or are 403/404) and change nothing."""

import json

import pytest

from caredesk.audit.models import AuditEntry
from caredesk.care.models import Case, Tag
from caredesk.customers.services import account_create, contact_create
from caredesk.journey import services as journey
from caredesk.journey.models import Activity, ActivityComment
from caredesk.workspaces import services as ws

from .conftest import BASE


def send(client, method, url, body=None):
    return getattr(client, method)(
        url, json.dumps(body) if body is not None else None, content_type="application/json"
    )


def state():
    return {
        "activities": list(
            Activity.objects.order_by("pk").values_list("pk", "case_id", "contact_id", "body")
        ),
        "tags": list(Activity.tags.through.objects.values_list("activity_id", "tag_id")),
        "tag_names": Tag.objects.count(),
        "comments": ActivityComment.objects.count(),
        "cases": Case.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


@pytest.fixture
def j(world, api_client):
    d = type("J", (), {})()
    d.acme = account_create(organization=world.org, name="Acme Corp")
    d.rita = contact_create(
        organization=world.org, name="Rita", emails=["rita@example.com"], account_id=d.acme.pk
    )
    d.case = world.make_case(world.support, customer_email="rita@example.com", owner=world.agent)
    d.other_case = world.make_case(world.support, customer_email="zed@example.com")
    d.call = journey.activity_create(
        workspace=world.support,
        media_type="call",
        contact=d.rita,
        external_id="call-1",
        subject="Call from Rita",
        occurred_at=d.case.reported_at,
    )
    d.on_case = journey.activity_create(
        workspace=world.support, media_type="email", case=d.case, subject="Re: order"
    )
    d.sales_note = journey.activity_create(workspace=world.sales, media_type="note", body="x")
    d.api = api_client(world.agent)
    d.admin = api_client(world.admin)
    return d


ACT = f"{BASE}/activities"


def ids(r):
    assert r.status_code == 200, r.content
    return [a["id"] for a in r.json()["items"]]


def test_customer_account_and_ticket_timelines(world, j):
    assert ids(j.api.get(f"{BASE}/customers/{j.rita.pk}/activities")) == [j.on_case.pk, j.call.pk]
    assert ids(j.api.get(f"{BASE}/accounts/{j.acme.pk}/activities")) == [j.call.pk]
    assert ids(j.api.get(f"{BASE}/tickets/{j.case.number}/activities")) == [j.on_case.pk]
    page = j.api.get(f"{BASE}/customers/{j.rita.pk}/activities", {"limit": 1}).json()
    assert [a["id"] for a in page["items"]] == [j.on_case.pk]
    rest = j.api.get(
        f"{BASE}/customers/{j.rita.pk}/activities", {"limit": 1, "cursor": page["next_cursor"]}
    ).json()
    assert ([a["id"] for a in rest["items"]], rest["next_cursor"]) == ([j.call.pk], None)


def test_timeline_refusals(world, j, api_client):
    r = j.api.get(f"{BASE}/customers/{j.rita.pk}/activities", {"cursor": "x"})
    assert (r.status_code, list(r.json()["errors"])) == (400, ["cursor"])
    assert j.api.get(f"{BASE}/customers/999999/activities").status_code == 404
    foreign = contact_create(organization=world.other_org, name="F")
    assert j.api.get(f"{BASE}/customers/{foreign.pk}/activities").status_code == 404
    # A ticket the agent neither owns nor manages.
    assert j.api.get(f"{BASE}/tickets/{j.other_case.number}/activities").status_code == 404
    nobody = ws.user_create(organization=world.org, username="nobody", password="pw-12345678")
    assert api_client(nobody).get(f"{BASE}/customers/{j.rita.pk}/activities").status_code == 403


def test_get_an_activity(world, j):
    r = j.api.get(f"{ACT}/{j.on_case.pk}")
    assert r.status_code == 200
    body = r.json()
    assert (body["media_type"], body["ticket"], body["subject"], body["tags"]) == (
        "email",
        j.case.number,
        "Re: order",
        [],
    )
    # Another workspace's activity is not found here.
    assert j.api.get(f"{ACT}/{j.sales_note.pk}").status_code == 404


def test_notes_on_a_customer_and_a_ticket(world, j):
    r = send(j.api, "post", ACT, {"body": "Prefers <email>", "contact": j.rita.pk})
    assert r.status_code == 201, r.content
    note = r.json()
    assert (note["media_type"], note["direction"], note["body"], note["contact"]) == (
        "note",
        "internal",
        "Prefers <email>",
        j.rita.pk,
    )
    assert note["agent"]["username"] == "agent"
    assert note["account"] == j.acme.pk
    r = send(j.api, "post", ACT, {"body": "Called back", "ticket": j.case.number})
    assert r.status_code == 201
    assert (r.json()["ticket"], r.json()["contact"]) == (j.case.number, j.rita.pk)


@pytest.mark.parametrize(
    "body, status, field",
    [
        ({"body": " ", "contact": "rita"}, 400, "body"),
        ({"body": "x"}, 400, "contact"),
        ({"body": "x", "contact": 999999}, 400, "contact"),
        ({"body": "x", "account": 999999}, 400, "account"),
        ({"body": "x", "ticket": 999999}, 400, "ticket"),
        ({"body": "x", "ticket": "other"}, 400, "ticket"),
        ({"contact": "rita"}, 422, "body"),
    ],
)
def test_bad_note_changes_nothing(world, j, body, status, field):
    body = dict(body)
    if body.get("contact") == "rita":
        body["contact"] = j.rita.pk
    if body.get("ticket") == "other":
        body["ticket"] = j.other_case.number  # not visible to the agent, not Rita's
    before = state()
    r = send(j.api, "post", ACT, body)
    assert r.status_code == status, r.content
    assert list(r.json()["errors"]) == [field]
    assert state() == before


def test_move_an_activity_between_tickets(world, j):
    r = send(j.api, "post", f"{ACT}/{j.call.pk}/move", {"ticket": j.case.number})
    assert r.status_code == 200, r.content
    assert r.json()["ticket"] == j.case.number
    assert AuditEntry.objects.filter(object_id=j.case.pk, action="activity moved").count() == 1
    r = send(j.api, "post", f"{ACT}/{j.call.pk}/move", {"ticket": None})
    assert r.json()["ticket"] is None
    before = state()
    for body, status in (({"ticket": 999999}, 400), ({"ticket": j.other_case.number}, 400)):
        r = send(j.api, "post", f"{ACT}/{j.call.pk}/move", body)
        assert (r.status_code, list(r.json()["errors"])) == (status, ["ticket"])
    assert send(j.api, "post", f"{ACT}/{j.sales_note.pk}/move", {"ticket": None}).status_code == 404
    assert state() == before


def test_new_ticket_from_an_activity(world, j):
    r = send(j.api, "post", f"{ACT}/{j.call.pk}/ticket", {"title": "Late order"})
    assert r.status_code == 201, r.content
    ticket = r.json()
    assert (ticket["title"], ticket["origin"], ticket["contact_id"]) == (
        "Late order",
        "call",
        j.rita.pk,
    )
    assert Activity.objects.get(pk=j.call.pk).case.number == ticket["number"]
    before = state()
    r = send(j.api, "post", f"{ACT}/{j.on_case.pk}/ticket", {"title": " "})
    assert (r.status_code, list(r.json()["errors"])) == (400, ["title"])
    r = send(j.api, "post", f"{ACT}/{j.on_case.pk}/ticket", {"title": "t", "priority": "asap"})
    assert (r.status_code, list(r.json()["errors"])) == (400, ["priority"])
    assert state() == before


def test_tags_add_and_remove(world, j):
    r = send(j.api, "post", f"{ACT}/{j.call.pk}/tags", {"tag": "refund"})
    assert r.status_code == 200, r.content
    assert r.json()["tags"] == ["refund"]
    send(j.api, "post", f"{ACT}/{j.call.pk}/tags", {"tag": "vip"})
    r = j.api.delete(f"{ACT}/{j.call.pk}/tags/refund")
    assert r.status_code == 200
    assert r.json()["tags"] == ["vip"]
    before = state()
    r = send(j.api, "post", f"{ACT}/{j.call.pk}/tags", {"tag": " "})
    assert (r.status_code, list(r.json()["errors"])) == (400, ["tag"])
    r = send(j.api, "post", f"{ACT}/{j.call.pk}/tags", {"tag": "t" * 61})
    assert (r.status_code, list(r.json()["errors"])) == (400, ["tag"])
    r = j.api.delete(f"{ACT}/{j.call.pk}/tags/refund")
    assert (r.status_code, list(r.json()["errors"])) == (400, ["tag"])
    assert state() == before


def test_comments(world, j):
    r = send(j.api, "post", f"{ACT}/{j.call.pk}/comments", {"body": "Asked for <b>refund</b>"})
    assert r.status_code == 201, r.content
    assert (r.json()["body"], r.json()["author"]["username"]) == (
        "Asked for <b>refund</b>",
        "agent",
    )
    listed = j.api.get(f"{ACT}/{j.call.pk}/comments").json()
    assert [c["body"] for c in listed] == ["Asked for <b>refund</b>"]
    before = state()
    r = send(j.api, "post", f"{ACT}/{j.call.pk}/comments", {"body": "  "})
    assert (r.status_code, list(r.json()["errors"])) == (400, ["body"])
    assert state() == before


def test_writes_need_use_care_and_stay_in_the_organization(world, j, api_client):
    nobody = api_client(
        ws.user_create(organization=world.org, username="nobody", password="pw-12345678")
    )
    outsider = api_client(world.outsider)
    before = state()
    for client, status in ((nobody, 403), (outsider, 404)):
        assert send(client, "post", ACT, {"body": "x", "contact": j.rita.pk}).status_code in (
            status,
            400,  # the outsider's own workspace: Rita is not a customer there
        )
        assert client.get(f"{ACT}/{j.call.pk}").status_code == status
        assert send(client, "post", f"{ACT}/{j.call.pk}/tags", {"tag": "x"}).status_code == status
        assert client.delete(f"{ACT}/{j.call.pk}/tags/x").status_code == status
        r = send(client, "post", f"{ACT}/{j.call.pk}/comments", {"body": "x"})
        assert r.status_code == status
        r = send(client, "post", f"{ACT}/{j.call.pk}/move", {"ticket": j.case.number})
        assert r.status_code == status
        r = send(client, "post", f"{ACT}/{j.call.pk}/ticket", {"title": "x"})
        assert r.status_code == status
    assert state() == before
