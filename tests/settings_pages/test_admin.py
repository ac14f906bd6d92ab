import re

import pytest

from caredesk.audit.models import AuditEntry
from caredesk.workspaces.models import User

ADMIN_PAGES = [
    "/admin/",
    "/admin/care/case/",
    "/admin/care/casecomment/",
    "/admin/care/tag/",
    "/admin/workspaces/organization/",
    "/admin/workspaces/user/",
    "/admin/workspaces/workspace/",
    "/admin/workspaces/usertype/",
    "/admin/workspaces/membership/",
    "/admin/workspaces/permissiongrant/",
    "/admin/workspaces/segment/",
    "/admin/workspaces/apitoken/",
    "/admin/customers/account/",
    "/admin/customers/contact/",
    "/admin/audit/auditentry/",
]


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser(username="root", password="pw-12345678", email="")


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_superuser_opens_admin_pages(world, superuser, as_user, url):
    world.make_case(world.support, segment=world.store1, owner=world.agent)
    r = as_user(superuser).get(url)
    assert r.status_code == 200


def test_case_changelist_columns(world, superuser, as_user):
    case = world.make_case(world.support, segment=world.store1, owner=world.agent, priority="high")
    html = as_user(superuser).get("/admin/care/case/").content.decode()
    headers = re.findall(r'<th scope="col" class="sortable column-(\w+)">', html)
    assert headers == ["number", "workspace", "status", "priority", "owner", "reported_at"]
    # The list filters.
    for f in ["workspace__id__exact", "status__exact", "priority__exact", "origin__exact"]:
        assert f"?{f}=" in html
    assert f'<a href="/admin/care/case/{case.pk}/change/">{case.number}</a>' in html
    r = as_user(superuser).get(f"/admin/care/case/{case.pk}/change/")
    assert r.status_code == 200
    assert 'class="vForeignKeyRawIdAdminField"' in r.content.decode()


def test_user_admin_has_organization(world, superuser, as_user):
    html = (
        as_user(superuser).get(f"/admin/workspaces/user/{world.agent.pk}/change/").content.decode()
    )
    assert 'name="organization"' in html
    assert f'<option value="{world.org.pk}" selected>Acme</option>' in html


def test_audit_entries_and_api_tokens_are_read_only(world, superuser, as_user):
    from caredesk.workspaces import services as ws

    entry = AuditEntry.objects.create(
        workspace=world.support, object_type="case", object_id=1, action="created"
    )
    ws.api_token_create(user=world.agent)
    c = as_user(superuser)
    assert c.get("/admin/audit/auditentry/add/").status_code == 403
    r = c.get(f"/admin/audit/auditentry/{entry.pk}/change/")
    assert r.status_code == 200
    assert 'name="action"' not in r.content.decode()
    assert c.post(f"/admin/audit/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
    assert c.get("/admin/workspaces/apitoken/add/").status_code == 403
    token = world.agent.api_tokens.get()
    html = c.get(f"/admin/workspaces/apitoken/{token.pk}/change/").content.decode()
    assert 'name="digest"' not in html
    assert f'<div class="readonly">{token.digest}</div>' in html


@pytest.mark.parametrize("who", ["admin", "manager", "agent"])
def test_non_superusers_are_sent_to_the_admin_login(world, as_user, who):
    r = as_user(getattr(world, who)).get("/admin/care/case/")
    assert r.status_code == 302
    assert r["Location"] == "/admin/login/?next=/admin/care/case/"


def _contact_post(contact, email):
    return {
        "organization": contact.organization_id,
        "name": contact.name,
        "account": "",
        "emails-TOTAL_FORMS": "1",
        "emails-INITIAL_FORMS": "0",
        "emails-MIN_NUM_FORMS": "0",
        "emails-MAX_NUM_FORMS": "1000",
        "emails-0-email": email,
        "emails-0-contact": contact.pk,
        "phones-TOTAL_FORMS": "0",
        "phones-INITIAL_FORMS": "0",
        "phones-MIN_NUM_FORMS": "0",
        "phones-MAX_NUM_FORMS": "1000",
    }


def test_admin_refuses_an_email_another_contact_has(world, superuser, as_user):
    from caredesk.customers.models import ContactEmail
    from caredesk.customers.services import contact_create

    contact_create(organization=world.org, name="First", emails=["taken@example.com"])
    second = contact_create(organization=world.org, name="Second")
    url = f"/admin/customers/contact/{second.pk}/change/"

    r = as_user(superuser).post(url, _contact_post(second, "TAKEN@example.com"))

    assert r.status_code == 200
    assert "Already used by another contact of this organization." in r.content.decode()
    assert list(second.emails.values_list("email", flat=True)) == []

    r = as_user(superuser).post(url, _contact_post(second, " New@Example.com "))
    assert r.status_code == 302
    assert list(ContactEmail.objects.filter(contact=second).values_list("email", flat=True)) == [
        "new@example.com"
    ]
