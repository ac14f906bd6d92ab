"""Who may open the settings pages: manage_care only, and only in their own organization."""

import pytest
from pytest_django.asserts import assertInHTML

PAGES = ["", "members/", "permissions/", "user-types/", "segments/"]
NAV = [
    ("/w/support/settings/", "General"),
    ("/w/support/settings/members/", "Members"),
    ("/w/support/settings/permissions/", "Permissions"),
    ("/w/support/settings/user-types/", "User types"),
    ("/w/support/settings/segments/", "Segments"),
]


@pytest.mark.parametrize("index", range(len(PAGES)))
def test_page_renders_for_admin_with_side_nav(world, as_user, index):
    r = as_user(world.admin).get(f"/w/support/settings/{PAGES[index]}")
    assert r.status_code == 200
    html = r.content.decode()
    for i, (href, label) in enumerate(NAV):
        if i == index:
            assertInHTML(f'<a href="{href}" class="active" aria-current="page">{label}</a>', html)
        else:
            assertInHTML(f'<a href="{href}">{label}</a>', html)
    # The top bar marks Settings as the current tab.
    assertInHTML(
        '<a href="/w/support/settings/" class="active" aria-current="page">Settings</a>', html
    )


@pytest.mark.parametrize("who", ["manager", "coach", "agent"])
@pytest.mark.parametrize("page", PAGES)
def test_pages_refused_without_manage_care(world, as_user, who, page):
    r = as_user(getattr(world, who)).get(f"/w/support/settings/{page}")
    assert r.status_code == 403


POSTS = [
    "",
    "members/add/",
    "members/create-user/",
    "members/{agent}/type/",
    "members/{agent}/remove/",
    "permissions/{agent}/",
    "user-types/{agent_type}/",
    "segments/add/",
    "segments/{lisbon}/add/",
    "segments/{lisbon}/rename/",
    "segments/{lisbon}/managers/",
]


def _fill(world, path):
    agent_type = world.agent.memberships.get(workspace=world.support).user_type_id
    return path.format(agent=world.agent.pk, agent_type=agent_type, lisbon=world.lisbon.pk)


@pytest.mark.parametrize("path", POSTS)
def test_writes_refused_for_manager_and_nothing_changes(world, as_user, path):
    from caredesk.workspaces.models import Membership, PermissionGrant, Segment, User, UserType

    def snapshot():
        return (
            list(
                Membership.objects.order_by("pk").values_list(
                    "user_id", "workspace_id", "user_type_id"
                )
            ),
            list(PermissionGrant.objects.values_list("pk", flat=True)),
            list(UserType.objects.order_by("pk").values_list("permissions", flat=True)),
            list(Segment.objects.order_by("pk").values_list("name", "parent_id")),
            list(User.objects.order_by("pk").values_list("username", flat=True)),
        )

    before = snapshot()
    data = {
        "name": "Hacked",
        "tabs": ["home"],
        "auto_close_days": "9",
        "kind": "cx_admin",
        "perm": ["manage_care"],
        "permissions": ["manage_care"],
        "managers": [world.manager.pk],
        "add-user": world.manager.pk,
        "add-kind": "cx_admin",
        "new-username": "sneaky",
        "new-password": "pw-12345678",
        "new-kind": "cx_admin",
    }
    r = as_user(world.manager).post(f"/w/support/settings/{_fill(world, path)}", data)
    assert r.status_code == 403
    assert snapshot() == before
    world.support.refresh_from_db()
    assert (world.support.name, world.support.auto_close_days) == ("Support", 5)


@pytest.mark.parametrize("page", PAGES)
def test_outsider_gets_404(world, as_user, page):
    # The outsider's own workspace is also called "support"; "sales" only exists in Acme.
    r = as_user(world.outsider).get(f"/w/sales/settings/{page}")
    assert r.status_code == 404


@pytest.mark.parametrize("path", [p for p in POSTS if "{" in p])
def test_outsider_cannot_reach_acme_objects_through_their_own_workspace(world, as_user, path):
    """The outsider manages their own "support" workspace; Acme's users, user types and
    segments addressed through it are not found."""
    r = as_user(world.outsider).post(
        f"/w/support/settings/{_fill(world, path)}",
        {"name": "Hacked", "kind": "cx_admin", "perm": ["manage_care"], "permissions": []},
    )
    assert r.status_code == 404


def test_outsider_settings_show_only_their_organization(world, as_user):
    r = as_user(world.outsider).get("/w/support/settings/segments/")
    assert r.status_code == 200
    assert b"Lisbon" not in r.content
    assert b"No segments yet. Add a top-level one above." in r.content
    r = as_user(world.outsider).get("/w/support/settings/members/")
    assert b"<code>outsider</code>" in r.content
    assert b"<code>admin</code>" not in r.content
    assert f'<option value="{world.agent.pk}">'.encode() not in r.content


def test_anonymous_is_sent_to_login(world, client):
    r = client.get("/w/support/settings/members/")
    assert r.status_code == 302
    assert r["Location"] == "/login/?next=/w/support/settings/members/"
