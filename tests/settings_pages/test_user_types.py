from pytest_django.asserts import assertInHTML

from caredesk.workspaces.models import UserType

URL = "/w/support/settings/user-types/"


def type_perms(org) -> dict[str, list[str]]:
    return dict(UserType.objects.filter(organization=org).values_list("kind", "permissions"))


def test_user_types_page(world, as_user):
    html = as_user(world.admin).get(URL).content.decode()
    assert (
        "<strong>These apply to the whole organization:</strong> a change here affects every "
        "workspace of Acme, not only Support." in html
    )
    rows = [line for line in html.splitlines() if line.strip().startswith("<td><strong>")]
    assert rows == [
        f"        <td><strong>{name}</strong></td>"
        for name in ["Brand admin", "CX admin", "Manager", "Coach", "Agent"]
    ]
    agent = UserType.objects.get(organization=world.org, kind="agent")
    assertInHTML(
        f'<input type="checkbox" name="permissions" value="use_care" form="type-form-{agent.pk}"'
        ' checked title="Use the care app" aria-label="Care app for Agent">',
        html,
    )
    assertInHTML(
        f'<input type="checkbox" name="permissions" value="inbox_access"'
        f' form="type-form-{agent.pk}" title="Access tickets / inbox"'
        ' aria-label="Tickets for Agent">',
        html,
    )
    # Another organization's types are not on the page.
    other_agent = UserType.objects.get(organization=world.other_org, kind="agent")
    assert f"type-form-{other_agent.pk}" not in html


def test_change_user_type_permissions_applies_to_every_member_of_the_type(world, as_user):
    from caredesk.workspaces import services as ws
    from caredesk.workspaces.permissions import UserKind

    ws.membership_set(workspace=world.sales, user=world.agent, kind=UserKind.AGENT)
    agent_type = UserType.objects.get(organization=world.org, kind="agent")
    agent = as_user(world.agent)
    assert agent.get("/w/support/tickets/").status_code == 403

    admin = as_user(world.admin)
    r = admin.post(URL + f"{agent_type.pk}/", {"permissions": ["use_care", "inbox_access"]})
    assert r.status_code == 302
    assert r["Location"] == URL
    assert "Saved the permissions of the Agent user type." in admin.get(URL).content.decode()
    perms = type_perms(world.org)
    assert perms["agent"] == ["inbox_access", "use_care"]
    # Both workspaces follow the type; the other organization's Agent type does not change.
    assert agent.get("/w/support/tickets/").status_code == 200
    assert agent.get("/w/sales/tickets/").status_code == 200
    assert type_perms(world.other_org)["agent"] == ["use_care"]

    # Taking use_care away from the type locks the agent out of the app.
    r = admin.post(URL + f"{agent_type.pk}/", {})
    assert r.status_code == 302
    assert type_perms(world.org)["agent"] == []
    assert agent.get("/w/support/").status_code == 403


def test_bad_user_type_input_changes_nothing(world, as_user):
    before = type_perms(world.org)
    other_before = type_perms(world.other_org)
    admin = as_user(world.admin)
    agent_type = UserType.objects.get(organization=world.org, kind="agent")
    r = admin.post(URL + f"{agent_type.pk}/", {"permissions": ["use_care", "root"]})
    assert r.status_code == 400
    assertInHTML(
        '<ul class="errorlist"><li>Select a valid choice. root is not one of the available'
        " choices.</li></ul>",
        r.content.decode(),
    )
    # Another organization's type: not found.
    other_type = UserType.objects.get(organization=world.other_org, kind="agent")
    r = admin.post(URL + f"{other_type.pk}/", {"permissions": ["use_care", "manage_care"]})
    assert r.status_code == 404
    # The admin's own type cannot lose manage_care (it would lock them out).
    cx = UserType.objects.get(organization=world.org, kind="cx_admin")
    r = admin.post(URL + f"{cx.pk}/", {"permissions": ["use_care", "inbox_access"]})
    assert r.status_code == 400
    assert (
        "This would remove your own permission to manage this workspace. Ask another admin."
        in r.content.decode()
    )
    assert type_perms(world.org) == before
    assert type_perms(world.other_org) == other_before
