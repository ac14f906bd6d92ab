from pytest_django.asserts import assertInHTML

from caredesk.workspaces import services as ws
from caredesk.workspaces.models import Membership, PermissionGrant, User

URL = "/w/support/settings/members/"


def members(workspace) -> dict[str, str]:
    return dict(
        Membership.objects.filter(workspace=workspace).values_list(
            "user__username", "user_type__kind"
        )
    )


BEFORE = {
    "admin": "cx_admin",
    "agent": "agent",
    "coach": "coach",
    "italymgr": "manager",
    "manager": "manager",
    "manager2": "manager",
}


def test_members_page_lists_members_and_candidates(world, as_user):
    loner = ws.user_create(organization=world.org, username="loner", password="pw-12345678")
    html = as_user(world.admin).get(URL).content.decode()
    for username in BEFORE:
        assert f"<td><code>{username}</code></td>" in html
    assert html.count('<tr id="member-') == 6
    # The agent's row: their type is selected in the row's own select.
    assertInHTML(
        f'<select name="kind" id="id_m{world.agent.pk}_kind">'
        '<option value="brand_admin">Brand admin</option><option value="cx_admin">CX admin</option>'
        '<option value="manager">Manager</option><option value="coach">Coach</option>'
        '<option value="agent" selected>Agent</option></select>',
        html,
    )
    # Only Acme people who are not members yet can be added: not the outsider, not members.
    assertInHTML(
        '<select name="add-user" required id="id_add-user">'
        '<option value="" selected>Choose a person…</option>'
        f'<option value="{loner.pk}">loner</option></select>',
        html,
    )


def test_add_member(world, as_user):
    loner = ws.user_create(organization=world.org, username="loner", password="pw-12345678")
    c = as_user(world.admin)
    r = c.post(URL + "add/", {"add-user": loner.pk, "add-kind": "coach"})
    assert r.status_code == 302
    assert r["Location"] == URL
    assert members(world.support) == {**BEFORE, "loner": "coach"}
    assert "loner is now a member of Support." in c.get(URL).content.decode()


def test_add_member_bad_input_changes_nothing(world, as_user):
    c = as_user(world.admin)
    cases = [
        # Someone of another organization is not a choice.
        (
            {"add-user": world.outsider.pk, "add-kind": "agent"},
            "add-user",
            "Select a valid choice. That choice is not one of the available choices.",
        ),
        # An existing member is not a choice either (use the row's select to change them).
        (
            {"add-user": world.agent.pk, "add-kind": "cx_admin"},
            "add-user",
            "Select a valid choice. That choice is not one of the available choices.",
        ),
        ({"add-user": "", "add-kind": "agent"}, "add-user", "This field is required."),
        (
            {"add-user": world.manager.pk, "add-kind": "king"},
            "add-kind",
            "Select a valid choice. king is not one of the available choices.",
        ),
    ]
    for data, field, message in cases:
        r = c.post(URL + "add/", data)
        assert r.status_code == 400, data
        assertInHTML(
            f'<ul class="errorlist" id="id_{field}_error"><li>{message}</li></ul>',
            r.content.decode(),
        )
        assert members(world.support) == BEFORE
    assert not Membership.objects.filter(user=world.outsider, workspace=world.support).exists()


def test_change_member_type(world, as_user):
    c = as_user(world.admin)
    r = c.post(URL + f"{world.agent.pk}/type/", {"kind": "coach"})
    assert r.status_code == 302
    assert members(world.support) == {**BEFORE, "agent": "coach"}
    assert "Agent is now Coach." in c.get(URL).content.decode()
    # The sales workspace is not affected, and neither is any other member.
    assert members(world.sales) == {"admin": "cx_admin"}


def test_change_member_type_bad_input(world, as_user):
    c = as_user(world.admin)
    r = c.post(URL + f"{world.agent.pk}/type/", {"kind": "king"})
    assert r.status_code == 400
    assertInHTML(
        f'<ul class="errorlist" id="id_m{world.agent.pk}_kind_error">'
        "<li>Select a valid choice. king is not one of the available choices.</li></ul>",
        r.content.decode(),
    )
    assert members(world.support) == BEFORE
    # Not a member of this workspace (the outsider, or an Acme user who is not a member): 404.
    loner = ws.user_create(organization=world.org, username="loner", password="pw-12345678")
    for user in (world.outsider, loner):
        assert c.post(URL + f"{user.pk}/type/", {"kind": "agent"}).status_code == 404
        assert c.post(URL + f"{user.pk}/remove/").status_code == 404
    assert members(world.support) == BEFORE


def test_admin_cannot_demote_or_remove_themselves(world, as_user):
    c = as_user(world.admin)
    r = c.post(URL + f"{world.admin.pk}/type/", {"kind": "agent"})
    assert r.status_code == 400
    assert (
        "This would remove your own permission to manage this workspace. Ask another admin."
        in r.content.decode()
    )
    r = c.post(URL + f"{world.admin.pk}/remove/")
    assert r.status_code == 400
    assert (
        "This would remove your own permission to manage this workspace. Ask another admin."
        in r.content.decode()
    )
    assert members(world.support) == BEFORE


def test_remove_member_also_removes_their_grants_here(world, as_user):
    ws.permission_set(
        workspace=world.support, user=world.agent, permission="inbox_access", granted=True
    )
    ws.permission_set(
        workspace=world.sales, user=world.agent, permission="inbox_access", granted=True
    )
    c = as_user(world.admin)
    r = c.post(URL + f"{world.agent.pk}/remove/")
    assert r.status_code == 302
    expected = dict(BEFORE)
    del expected["agent"]
    assert members(world.support) == expected
    assert list(
        PermissionGrant.objects.filter(user=world.agent).values_list(
            "workspace__slug", "permission"
        )
    ) == [("sales", "inbox_access")]
    assert "Agent was removed from Support." in c.get(URL).content.decode()
    assert as_user(world.agent).get("/w/support/").status_code == 403
    # Removing is POST only.
    assert c.get(URL + f"{world.coach.pk}/remove/").status_code == 405
    assert "coach" in members(world.support)


def test_create_user(world, as_user):
    c = as_user(world.admin)
    data = {
        "new-username": "newbie",
        "new-first_name": "Nora",
        "new-last_name": "Newbie",
        "new-email": "nora@acme.test",
        "new-password": "a-long-passphrase",
        "new-kind": "agent",
    }
    r = c.post(URL + "create-user/", data)
    assert r.status_code == 302
    user = User.objects.get(username="newbie")
    assert (user.organization_id, user.first_name, user.last_name, user.email) == (
        world.org.pk,
        "Nora",
        "Newbie",
        "nora@acme.test",
    )
    assert user.check_password("a-long-passphrase")
    assert members(world.support) == {**BEFORE, "newbie": "agent"}
    assert "Created newbie and added them to Support." in c.get(URL).content.decode()
    assert as_user(user).get("/w/support/").status_code == 200


def test_create_user_bad_input_changes_nothing(world, as_user):
    c = as_user(world.admin)
    good = {
        "new-username": "newbie",
        "new-email": "",
        "new-password": "a-long-passphrase",
        "new-kind": "agent",
    }
    cases = [
        ({"new-username": "agent"}, "new-username", "This username is taken."),
        # Taken in another organization counts too: usernames are global.
        ({"new-username": "outsider"}, "new-username", "This username is taken."),
        (
            {"new-username": "no spaces"},
            "new-username",
            "Enter a valid username. This value may contain only letters, numbers, "
            "and @/./+/-/_ characters.",
        ),
        (
            {"new-password": "short"},
            "new-password",
            "This password is too short. It must contain at least 8 characters.",
        ),
        ({"new-email": "not-an-email"}, "new-email", "Enter a valid email address."),
        (
            {"new-kind": "king"},
            "new-kind",
            "Select a valid choice. king is not one of the available choices.",
        ),
    ]
    users_before = sorted(User.objects.values_list("username", flat=True))
    for override, field, message in cases:
        r = c.post(URL + "create-user/", {**good, **override})
        assert r.status_code == 400, override
        assertInHTML(
            f'<ul class="errorlist" id="id_{field}_error"><li>{message}</li></ul>',
            r.content.decode(),
        )
        assert sorted(User.objects.values_list("username", flat=True)) == users_before
        assert members(world.support) == BEFORE
