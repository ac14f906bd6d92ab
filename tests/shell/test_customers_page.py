"""The Customers page: the organization's customers and accounts, searched and paged."""

import re

from caredesk.customers import services as customers
from caredesk.journey import customer_list

URL = "/w/support/journey/customers/"


def _names(html: str, table: str = "customer-list") -> list[str]:
    body = re.search(rf'<table class="table" id="{table}">(.*?)</table>', html, re.S)
    if body is None:
        return []
    link = r'<tr>\s*<td><a href="/w/support/journey/(?:contacts|accounts)/\d+/">([^<]+)</a>'
    return re.findall(link, body.group(1))


def _scene(world):
    acme = customers.account_create(organization=world.org, name="Northwind Ltd")
    ana = customers.contact_create(
        organization=world.org,
        name="Ana Silva",
        emails=["ana@example.com"],
        phones=["+351911222333"],
        account_id=acme.pk,
    )
    customers.contact_create(organization=world.org, name="Bruno Costa", emails=["bc@example.com"])
    customers.contact_create(organization=world.org, name="Carla Dias")
    # Another organization's customer with a matching name never appears.
    customers.contact_create(organization=world.other_org, name="Ana Outsider", emails=["o@x.com"])
    customers.account_create(organization=world.other_org, name="Northwind Other")
    return ana, acme


def test_the_list_shows_the_organizations_customers_only(world, as_user):
    ana, acme = _scene(world)
    r = as_user(world.agent).get(URL)
    html = r.content.decode()
    assert r.status_code == 200
    assert _names(html) == ["Ana Silva", "Bruno Costa", "Carla Dias"]
    assert f'href="/w/support/journey/contacts/{ana.pk}/"' in html
    assert f'<a href="/w/support/journey/accounts/{acme.pk}/">Northwind Ltd</a>' in html
    assert "Outsider" not in html
    # The contact's journey page opens from it.
    assert as_user(world.agent).get(f"/w/support/journey/contacts/{ana.pk}/").status_code == 200


def test_search_by_name_email_and_phone(world, as_user):
    _scene(world)
    c = as_user(world.agent)
    assert _names(c.get(URL, {"q": "ana"}).content.decode()) == ["Ana Silva"]
    assert _names(c.get(URL, {"q": "BC@"}).content.decode()) == ["Bruno Costa"]
    assert _names(c.get(URL, {"q": "+351 911"}).content.decode()) == ["Ana Silva"]
    html = c.get(URL, {"q": "nobody"}).content.decode()
    assert _names(html) == []
    assert "Nothing matches “nobody”." in html


def test_accounts(world, as_user):
    _scene(world)
    html = as_user(world.agent).get(URL, {"show": "accounts"}).content.decode()
    assert _names(html, "account-list") == ["Northwind Ltd"]
    assert "<td>1</td>" in html
    assert "Northwind Other" not in html


def test_paging(world, as_user, monkeypatch):
    monkeypatch.setattr(customer_list, "PAGE_SIZE", 2)
    _scene(world)
    c = as_user(world.agent)
    html = c.get(URL).content.decode()
    assert _names(html) == ["Ana Silva", "Bruno Costa"]
    next_link = re.search(r'<a href="\?([^"]+)" rel="next">', html).group(1).replace("&amp;", "&")
    html = c.get(f"{URL}?{next_link}").content.decode()
    assert _names(html) == ["Carla Dias"]
    assert 'rel="next"' not in html
    # A cursor we did not make starts from the top instead of failing.
    assert _names(c.get(URL, {"after": "garbage"}).content.decode()) == ["Ana Silva", "Bruno Costa"]


def test_refused_without_use_care_and_outside_the_organization(world, as_user):
    _scene(world)
    r = as_user(world.manager).get("/w/sales/journey/customers/")  # not a member of sales
    assert r.status_code == 403
    assert "You need access to the care app of this workspace." in r.content.decode()
    # The other organization's workspace has the same address: its own customers only.
    html = as_user(world.outsider).get(URL, {"q": "ana"}).content.decode()
    assert _names(html) == ["Ana Outsider"]


def test_the_app_switcher_has_an_entry(world, as_user):
    html = as_user(world.agent).get("/w/support/").content.decode()
    assert f'<li><a href="{URL}">Customers</a></li>' in html
