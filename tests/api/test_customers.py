import pytest

from caredesk.customers.models import Account, Contact, ContactEmail
from caredesk.customers.services import account_create, contact_create

from .conftest import BASE


def post(client, path, body):
    return client.post(f"{BASE}{path}", body, content_type="application/json")


def patch(client, path, body):
    return client.patch(f"{BASE}{path}", body, content_type="application/json")


@pytest.fixture
def agent_api(world, api_client):
    # Customers only need use_care: the agent is enough.
    return api_client(world.agent)


def test_segments_tree(world, agent_api):
    r = agent_api.get(f"{BASE}/segments")
    assert r.status_code == 200
    got = [(s["name"], s["depth"], s["parent_id"]) for s in r.json()]
    assert got[0] == ("Portugal", 0, None)
    assert got[1] == ("Lisbon", 1, world.portugal.pk)
    assert sorted(got[2:4]) == [
        ("Lisbon Store 1", 2, world.lisbon.pk),
        ("Lisbon Store 2", 2, world.lisbon.pk),
    ]
    assert got[4] == ("Italy", 0, None)
    by_name = {s["name"]: s for s in r.json()}
    assert by_name["Lisbon"]["path"] == world.lisbon.path
    assert [m["username"] for m in by_name["Lisbon Store 2"]["managers"]] == ["manager", "manager2"]
    assert by_name["Lisbon Store 1"]["managers"] == []
    assert by_name["Italy"]["managers"] == [
        {"id": world.italy_manager.pk, "username": "italymgr", "name": "Italymgr"}
    ]


def test_create_contact(world, agent_api):
    acct = account_create(organization=world.org, name="Big Co")
    r = post(
        agent_api,
        "/customers",
        {
            "name": " Ana Silva ",
            "emails": ["Ana@Example.com", "ana@example.com", "ana.s@work.pt"],
            "phones": ["+351 912-345-678"],
            "account_id": acct.pk,
        },
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["name"] == "Ana Silva"
    assert body["emails"] == ["ana@example.com", "ana.s@work.pt"]
    assert body["phones"] == ["+351912345678"]
    assert body["account"] == {"id": acct.pk, "name": "Big Co"}
    assert Contact.objects.get(pk=body["id"]).organization_id == world.org.pk
    assert agent_api.get(f"{BASE}/customers/{body['id']}").json() == body


@pytest.mark.parametrize(
    "body, status, field",
    [
        ({"emails": ["nope"]}, 400, "emails"),
        ({"phones": ["call me"]}, 400, "phones"),
        ({"emails": ["dup@example.com"]}, 400, "emails"),
        ({"account_id": 999999}, 400, "account"),
        ({"emails": "a@b.co"}, 422, "emails"),
    ],
)
def test_create_contact_refused(world, agent_api, body, status, field):
    contact_create(organization=world.org, name="First", emails=["dup@example.com"])
    r = post(agent_api, "/customers", {"name": "Second", **body})
    assert r.status_code == status, r.content
    assert list(r.json()["errors"]) == [field]
    assert list(Contact.objects.values_list("name", flat=True)) == ["First"]


def test_duplicate_email_message(world, agent_api):
    contact_create(organization=world.org, name="First", emails=["dup@example.com"])
    r = post(agent_api, "/customers", {"name": "Second", "emails": ["DUP@example.com"]})
    assert r.json() == {
        "detail": "emails: Already used by another contact: dup@example.com",
        "errors": {"emails": "Already used by another contact: dup@example.com"},
    }


def test_search_contacts(world, agent_api):
    ana = contact_create(
        organization=world.org,
        name="Ana Silva",
        emails=["ana@example.com"],
        phones=["+351912345678"],
    )
    bob = contact_create(organization=world.org, name="Bob Stone", emails=["bob@stone.io"])
    contact_create(organization=world.other_org, name="Ana Elsewhere", emails=["ana@else.com"])

    def ids(q):
        r = agent_api.get(f"{BASE}/customers", {"q": q})
        assert r.status_code == 200
        return [c["id"] for c in r.json()]

    assert ids("") == [ana.pk, bob.pk]
    assert ids("ana") == [ana.pk]
    assert ids("STONE") == [bob.pk]
    assert ids("bob@st") == [bob.pk]
    assert ids("+351 912") == [ana.pk]
    assert ids("zzz") == []


def test_update_contact(world, agent_api):
    c = contact_create(
        organization=world.org, name="Ana", emails=["ana@example.com"], phones=["+351912345678"]
    )
    r = patch(agent_api, f"/customers/{c.pk}", {"name": "Ana Maria", "emails": ["ana@new.pt"]})
    assert r.status_code == 200, r.content
    assert r.json()["name"] == "Ana Maria"
    assert r.json()["emails"] == ["ana@new.pt"]
    assert r.json()["phones"] == ["+351912345678"]  # not sent, kept
    acct = account_create(organization=world.org, name="Big Co")
    r = patch(agent_api, f"/customers/{c.pk}", {"account_id": acct.pk})
    assert r.json()["account"] == {"id": acct.pk, "name": "Big Co"}
    assert r.json()["name"] == "Ana Maria"
    r = patch(agent_api, f"/customers/{c.pk}", {"account_id": None})
    assert r.json()["account"] is None


def test_update_contact_duplicate_email_changes_nothing(world, agent_api):
    contact_create(organization=world.org, name="Other", emails=["taken@example.com"])
    c = contact_create(organization=world.org, name="Ana", emails=["ana@example.com"])
    r = patch(agent_api, f"/customers/{c.pk}", {"name": "Renamed", "emails": ["taken@example.com"]})
    assert r.status_code == 400
    assert r.json()["errors"] == {"emails": "Already used by another contact: taken@example.com"}
    c.refresh_from_db()
    assert c.name == "Ana"
    assert list(ContactEmail.objects.filter(contact=c).values_list("email", flat=True)) == [
        "ana@example.com"
    ]


def test_contact_of_other_organization_is_404(world, agent_api):
    foreign = contact_create(organization=world.other_org, name="X", emails=["x@else.com"])
    assert agent_api.get(f"{BASE}/customers/{foreign.pk}").status_code == 404
    r = patch(agent_api, f"/customers/{foreign.pk}", {"name": "Hacked"})
    assert r.status_code == 404
    assert r.json() == {"detail": "No such customer."}
    foreign.refresh_from_db()
    assert foreign.name == "X"


def test_accounts(world, agent_api):
    r = post(agent_api, "/accounts", {"name": " Big Co "})
    assert r.status_code == 201
    acct_id = r.json()["id"]
    assert r.json()["name"] == "Big Co"
    post(agent_api, "/accounts", {"name": "Acorn Ltd"})
    account_create(organization=world.other_org, name="Big Elsewhere")
    assert [a["name"] for a in agent_api.get(f"{BASE}/accounts").json()] == ["Acorn Ltd", "Big Co"]
    assert [a["name"] for a in agent_api.get(f"{BASE}/accounts", {"q": "big"}).json()] == ["Big Co"]
    r = patch(agent_api, f"/accounts/{acct_id}", {"name": "Bigger Co"})
    assert r.status_code == 200 and r.json()["name"] == "Bigger Co"
    r = patch(agent_api, f"/accounts/{acct_id}", {"name": "  "})
    assert r.status_code == 400
    assert r.json()["errors"] == {"name": "The name cannot be empty."}
    assert agent_api.get(f"{BASE}/accounts/{acct_id}").json()["name"] == "Bigger Co"
    foreign = Account.objects.get(name="Big Elsewhere")
    assert agent_api.get(f"{BASE}/accounts/{foreign.pk}").status_code == 404
