import pytest

from caredesk.audit.models import AuditEntry
from caredesk.care.models import Case, CaseComment
from caredesk.customers.models import Contact, ContactEmail
from caredesk.customers.services import contact_create
from caredesk.workspaces.models import Workspace

from .conftest import BASE, snapshot


def post(client, path, body):
    return client.post(f"{BASE}{path}", body, content_type="application/json")


def patch(client, path, body):
    return client.patch(f"{BASE}{path}", body, content_type="application/json")


# -- create ---------------------------------------------------------------------------------


def test_create_makes_contact_comment_and_audit(world, admin_api):
    r = post(
        admin_api,
        "/tickets",
        {
            "customer_email": "  New.Person@Example.com ",
            "comment": "Called about a broken order",
            "title": "Broken order",
            "customer_comment": "It arrived in pieces",
            "priority": "high",
            "tags": ["delivery", "vip", "delivery"],
            "segment": world.lisbon.pk,
        },
    )
    assert r.status_code == 201, r.content
    body = r.json()
    case = Case.objects.get(workspace=world.support, number=body["number"])
    assert body["number"] == 1
    assert body["customer_email"] == "new.person@example.com"
    assert body["title"] == "Broken order"
    assert body["customer_comment"] == "It arrived in pieces"
    assert body["priority"] == "high" and body["status"] == "new" and body["origin"] == "manual"
    assert body["tags"] == ["delivery", "vip"]
    assert body["segment"] == body["source_segment"] == {"id": world.lisbon.pk, "name": "Lisbon"}
    # Lisbon has exactly one manager: they become the owner.
    assert body["owner"] == {"id": world.manager.pk, "username": "manager", "name": "Manager"}
    contact = Contact.objects.get(emails__email="new.person@example.com")
    assert body["contact_id"] == contact.pk == case.contact_id
    assert contact.organization_id == world.org.pk
    assert [c.body for c in CaseComment.objects.filter(case=case)] == [
        "Called about a broken order"
    ]

    comments = admin_api.get(f"{BASE}/tickets/{case.number}/comments").json()
    assert [(c["body"], c["author"]["username"]) for c in comments] == [
        ("Called about a broken order", "admin")
    ]
    logs = admin_api.get(f"{BASE}/tickets/{case.number}/logs").json()
    assert [(e["action"], e["field"], e["old_value"], e["new_value"]) for e in logs] == [
        ("created", "status", "", "new"),
        ("created", "priority", "", "high"),
        ("created", "segment", "", "Lisbon"),
        ("created", "owner", "", "manager"),
    ]
    assert all(e["actor"]["username"] == "admin" for e in logs)


def test_create_links_existing_contact_and_numbers_increase(world, admin_api):
    existing = contact_create(organization=world.org, name="Known", emails=["known@example.com"])
    r1 = post(admin_api, "/tickets", {"customer_email": "KNOWN@example.com", "comment": "First"})
    r2 = post(admin_api, "/tickets", {"customer_email": "known@example.com", "comment": "Again"})
    assert (r1.status_code, r2.status_code) == (201, 201)
    assert r1.json()["contact_id"] == r2.json()["contact_id"] == existing.pk
    assert [r1.json()["number"], r2.json()["number"]] == [1, 2]
    assert Contact.objects.filter(organization=world.org).count() == 1
    # Numbers are per workspace.
    r3 = post(admin_api, "/tickets", {"customer_email": "known@example.com", "comment": "x"})
    assert r3.json()["number"] == 3
    assert Workspace.objects.get(pk=world.sales.pk).next_case_number == 1


def test_create_segment_with_two_managers_has_no_owner(world, admin_api):
    r = post(
        admin_api,
        "/tickets",
        {"customer_email": "a@example.com", "comment": "x", "segment": world.store2.pk},
    )
    assert r.status_code == 201
    assert r.json()["owner"] is None


def test_create_with_chosen_owner_managing_the_segment(world, admin_api):
    r = post(
        admin_api,
        "/tickets",
        {
            "customer_email": "a@example.com",
            "comment": "x",
            "segment": world.store2.pk,
            "owner": world.manager2.pk,
        },
    )
    assert r.status_code == 201
    assert r.json()["owner"]["id"] == world.manager2.pk


@pytest.mark.parametrize(
    "body, status, fields",
    [
        ({"customer_email": "not-an-email", "comment": "x"}, 400, ["customer_email"]),
        ({"customer_email": "a@example.com", "comment": "   "}, 400, ["comment"]),
        ({"customer_email": "a@example.com"}, 422, ["comment"]),
        ({"comment": "x"}, 422, ["customer_email"]),
        (
            {"customer_email": "a@example.com", "comment": "x", "priority": "urgent"},
            400,
            ["priority"],
        ),
        ({"customer_email": "a@example.com", "comment": "x", "status": "pending"}, 400, ["status"]),
        ({"customer_email": "a@example.com", "comment": "x", "segment": 999999}, 400, ["segment"]),
        (
            {"customer_email": "a@example.com", "comment": "x", "segment": "Lisbon"},
            422,
            ["segment"],
        ),
        ({"customer_email": "a@example.com", "comment": "x", "tags": "vip"}, 422, ["tags"]),
        (
            {"customer_email": "bad", "comment": "", "priority": "urgent"},
            400,
            ["customer_email", "priority", "comment"],
        ),
    ],
)
def test_create_refused_writes_nothing(world, admin_api, body, status, fields):
    r = post(admin_api, "/tickets", body)
    assert r.status_code == status, r.content
    assert sorted(r.json()["errors"]) == sorted(fields)
    assert r.json()["detail"]
    assert Case.objects.count() == 0
    assert Contact.objects.count() == 0
    assert AuditEntry.objects.count() == 0
    assert Workspace.objects.get(pk=world.support.pk).next_case_number == 1


def test_create_owner_not_managing_segment(world, admin_api):
    r = post(
        admin_api,
        "/tickets",
        {
            "customer_email": "a@example.com",
            "comment": "x",
            "segment": world.lisbon.pk,
            "owner": world.italy_manager.pk,
        },
    )
    assert r.status_code == 400
    assert r.json()["errors"] == {"owner": "The owner must be a manager of the selected segment."}
    assert Case.objects.count() == 0


def test_malformed_json_body_is_400(world, admin_api):
    r = admin_api.post(f"{BASE}/tickets", "{not json", content_type="application/json")
    assert r.status_code == 400
    assert r.json() == {
        "detail": "Cannot parse request body",
        "errors": {"body": "Cannot parse request body"},
    }
    assert Case.objects.count() == 0


# -- update ---------------------------------------------------------------------------------


@pytest.fixture
def ticket(world):
    return world.make_case(world.support, segment=world.lisbon, owner=world.manager, days_ago=1)


def test_update_changes_only_sent_fields_and_audits(world, admin_api, ticket):
    r = patch(
        admin_api,
        f"/tickets/{ticket.number}",
        {"priority": "high", "status": "open", "comment": "Customer called back"},
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert (body["priority"], body["status"]) == ("high", "open")
    assert body["segment"]["id"] == world.lisbon.pk
    assert body["owner"]["id"] == world.manager.pk
    logs = admin_api.get(f"{BASE}/tickets/{ticket.number}/logs").json()
    assert [(e["action"], e["field"], e["old_value"], e["new_value"]) for e in logs] == [
        ("updated", "priority", "medium", "high"),
        ("updated", "status", "new", "open"),
    ]
    assert logs[0]["actor"] == {"id": world.admin.pk, "username": "admin", "name": "Admin"}
    comments = admin_api.get(f"{BASE}/tickets/{ticket.number}/comments").json()
    assert [c["body"] for c in comments] == ["Customer called back"]


def test_update_segment_and_owner(world, admin_api, ticket):
    r = patch(
        admin_api,
        f"/tickets/{ticket.number}",
        {"segment": world.store2.pk, "owner": world.manager2.pk, "comment": "Moved"},
    )
    assert r.status_code == 200, r.content
    assert r.json()["segment"] == {"id": world.store2.pk, "name": "Lisbon Store 2"}
    assert r.json()["source_segment"] == {"id": world.lisbon.pk, "name": "Lisbon"}
    assert r.json()["owner"]["id"] == world.manager2.pk
    logs = admin_api.get(f"{BASE}/tickets/{ticket.number}/logs").json()
    assert [(e["field"], e["old_value"], e["new_value"]) for e in logs] == [
        ("segment", "Lisbon", "Lisbon Store 2"),
        ("owner", "manager", "manager2"),
    ]
    assert Case.objects.get(pk=ticket.pk).segment_path == world.store2.path


def test_update_closing_sets_closed_at(world, admin_api, ticket):
    body = {"status": "closed", "comment": "Done", "resolution_reason": "not_actionable"}
    r = patch(admin_api, f"/tickets/{ticket.number}", body)
    assert r.status_code == 200
    assert r.json()["closed_at"] is not None
    assert r.json()["resolution_reason"] == "not_actionable"


@pytest.mark.parametrize(
    "body, status, errors",
    [
        ({"priority": "high"}, 422, {"comment": "Field required"}),
        (
            {"priority": "high", "comment": "  "},
            400,
            {"comment": "A comment is required with every update."},
        ),
        (
            {"priority": "urgent", "comment": "x"},
            400,
            {"priority": "Unknown priority 'urgent'; one of: low, medium, high, critical"},
        ),
        (
            {"status": "pending", "comment": "x"},
            400,
            {"status": "Unknown status 'pending'; one of: new, open, escalated, resolved, closed"},
        ),
        ({"priority": 5, "comment": "x"}, 422, {"priority": "Input should be a valid string"}),
        ("OWNER_ITALY", 400, {"owner": "The owner must be a manager of the selected segment."}),
        ({"segment": 999999, "comment": "x"}, 400, {"segment": "No such segment."}),
        (
            {
                "status": "closed",
                "priority": "nope",
                "comment": "",
                "resolution_reason": "other",
                "resolution_note": "Spam",
            },
            400,
            None,
        ),
    ],
)
def test_update_refused_changes_nothing(world, admin_api, ticket, body, status, errors):
    if body == "OWNER_ITALY":
        body = {
            "owner": world.italy_manager.pk,
            "status": "closed",
            "comment": "x",
            "resolution_reason": "duplicate",
        }
    before = snapshot(ticket)
    r = patch(admin_api, f"/tickets/{ticket.number}", body)
    assert r.status_code == status, r.content
    if errors is None:
        assert sorted(r.json()["errors"]) == ["comment", "priority"]
    else:
        assert r.json()["errors"] == errors
        field, message = next(iter(errors.items()))
        assert r.json()["detail"] == f"{field}: {message}"
    assert snapshot(ticket) == before
    assert admin_api.get(f"{BASE}/tickets/{ticket.number}/logs").json() == []


def test_update_unknown_ticket_is_404(world, admin_api):
    r = patch(admin_api, "/tickets/4242", {"status": "open", "comment": "x"})
    assert r.status_code == 404
    assert r.json() == {"detail": "No such ticket"}


def test_manager_cannot_update_ticket_outside_area(world, api_client):
    italy = world.make_case(world.support, segment=world.italy, days_ago=1)
    before = snapshot(italy)
    r = patch(
        api_client(world.manager), f"/tickets/{italy.number}", {"status": "open", "comment": "x"}
    )
    assert r.status_code == 404
    assert snapshot(italy) == before


# -- assign to me ---------------------------------------------------------------------------


def test_assign_to_me(world, admin_api):
    case = world.make_case(world.support, segment=world.store2, days_ago=1)
    r = admin_api.post(f"{BASE}/tickets/{case.number}/assign-to-me")
    assert r.status_code == 200, r.content
    assert r.json()["owner"]["username"] == "admin"
    logs = admin_api.get(f"{BASE}/tickets/{case.number}/logs").json()
    assert [(e["action"], e["field"], e["old_value"], e["new_value"]) for e in logs] == [
        ("assigned", "owner", "", "admin")
    ]
    # Already owned now: refused, nothing written.
    before = snapshot(case)
    r = admin_api.post(f"{BASE}/tickets/{case.number}/assign-to-me")
    assert r.status_code == 400
    assert r.json()["errors"] == {"owner": "This ticket is already owned by Admin."}
    assert snapshot(case) == before


def test_assign_to_me_needs_manage_care(world, api_client):
    case = world.make_case(world.support, segment=world.store2, days_ago=1)
    before = snapshot(case)
    r = api_client(world.manager).post(f"{BASE}/tickets/{case.number}/assign-to-me")
    assert r.status_code == 403
    assert r.json() == {
        "detail": "You need permission to manage this workspace."
        " Ask an admin of this workspace: Admin."
    }
    assert snapshot(case) == before


def test_contact_email_unique_per_org_not_global(world, api_client):
    # The outsider's organization can have a ticket for the same email: a separate contact.
    contact_create(organization=world.org, name="Acme side", emails=["same@example.com"])
    r = post(
        api_client(world.outsider),
        "/tickets",
        {"customer_email": "same@example.com", "comment": "x"},
    )
    assert r.status_code == 201
    assert ContactEmail.objects.filter(email="same@example.com").count() == 2
