"""Settings → Workspaces: brand admins list and create the organization's workspaces."""

from caredesk.workspaces import services as ws
from caredesk.workspaces.models import Membership, Workspace
from caredesk.workspaces.permissions import UserKind

URL = "/w/support/settings/workspaces/"


def _brand_admin(world):
    u = ws.user_create(
        organization=world.org, username="brand", password="pw-12345678", first_name="Bea"
    )
    ws.membership_set(workspace=world.support, user=u, kind=UserKind.BRAND_ADMIN)
    return u


def _slugs(org):
    return sorted(Workspace.objects.filter(organization=org).values_list("slug", flat=True))


def test_brand_admin_lists_and_creates_a_workspace(world, as_user):
    brand = _brand_admin(world)
    c = as_user(brand)
    html = c.get(URL).content.decode()
    # Sales is listed; its Home is a link only for its members.
    assert "<td>Sales</td>" in html
    assert '<a href="/w/support/">Support</a>' in html
    assert "Other support" not in html
    assert f'<a href="{URL}" class="active" aria-current="page">Workspaces</a>' in html

    r = c.post(
        URL,
        {
            "ws-name": " Returns ",
            "ws-slug": "returns",
            "ws-language": "it",
            "ws-time_zone": "Europe/Rome",
        },
    )

    assert (r.status_code, r["Location"]) == (302, URL)
    new = Workspace.objects.get(organization=world.org, slug="returns")
    assert (new.name, new.language, new.time_zone, new.enabled_tabs) == (
        "Returns",
        "it",
        "Europe/Rome",
        ["home", "tickets"],
    )
    m = Membership.objects.get(workspace=new)
    assert (m.user, m.user_type.kind) == (brand, UserKind.BRAND_ADMIN)
    assert "Created the workspace Returns; you are a member of it." in c.get(URL).content.decode()
    # The creator can open it, and it is in their workspace switcher.
    assert c.get("/w/returns/").status_code == 200
    assert '<li><a href="/w/returns/">Returns</a></li>' in c.get("/w/support/").content.decode()


def test_bad_input_is_shown_and_nothing_is_created(world, as_user):
    c = as_user(_brand_admin(world))
    before = _slugs(world.org)
    for data, error in (
        (
            {"ws-name": "Dup", "ws-slug": "sales"},
            "Another workspace of the organization has this address.",
        ),
        ({"ws-name": "  ", "ws-slug": "fresh"}, "The name cannot be empty."),
        ({"ws-name": "Bad", "ws-slug": "No Spaces!"}, "Use lowercase letters, digits, hyphens"),
    ):
        r = c.post(URL, {"ws-language": "en", "ws-time_zone": "UTC", **data})
        assert r.status_code == 400
        assert error in r.content.decode()
        assert _slugs(world.org) == before
    # The same address in another organization is no conflict with ours, and ours none with it.
    assert _slugs(world.other_org) == ["support"]


def test_refused_for_everyone_but_brand_admins(world, as_user):
    for user in (world.admin, world.manager, world.agent):
        c = as_user(user)
        r = c.get(URL)
        assert r.status_code == 403
        r = c.post(
            URL, {"ws-name": "X", "ws-slug": "x", "ws-language": "en", "ws-time_zone": "UTC"}
        )
        assert r.status_code == 403
    assert (
        "Only a brand admin can create workspaces."
        in as_user(world.admin).get(URL).content.decode()
    )
    assert not Workspace.objects.filter(slug="x").exists()
    # CX admins do not see the entry either.
    assert (
        "settings/workspaces/"
        not in as_user(world.admin).get("/w/support/settings/").content.decode()
    )
