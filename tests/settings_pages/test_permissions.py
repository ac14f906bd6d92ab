from pytest_django.asserts import assertInHTML

from caredesk.workspaces.models import PermissionGrant, UserType

URL = "/w/support/settings/permissions/"


def grants() -> list[tuple[str, str, str]]:
    return sorted(
        PermissionGrant.objects.values_list("workspace__slug", "user__username", "permission")
    )


def test_permissions_page_shows_type_permissions_greyed_and_grants_as_toggles(world, as_user):
    from caredesk.workspaces import services as ws

    ws.permission_set(
        workspace=world.support, user=world.agent, permission="export_cases", granted=True
    )
    html = as_user(world.admin).get(URL).content.decode()
    agent = world.agent.pk
    form = f"perm-form-{agent}"
    # use_care comes from the Agent type: a greyed, disabled tick that is not submitted.
    assertInHTML(
        '<input type="checkbox" checked disabled class="inherited" title="From the Agent user type"'
        ' aria-label="Care app (from user type)">',
        html,
        count=1,
    )
    assertInHTML(
        f'<input type="checkbox" name="perm" value="inbox_access" form="{form}"'
        ' title="Access tickets / inbox" aria-label="Grant Tickets to agent">',
        html,
    )
    assertInHTML(
        f'<input type="checkbox" name="perm" value="export_cases" form="{form}" checked'
        ' title="Download tickets to Excel" aria-label="Grant Excel export to agent">',
        html,
    )
    assert (
        f'<form method="post" action="/w/support/settings/permissions/{agent}/" id="{form}"' in html
    )
    # The admin's type gives everything: five greyed ticks and no toggle at all.
    assert f'form="perm-form-{world.admin.pk}"' not in html


def test_grant_then_revoke_inbox_access_for_the_agent(world, as_user):
    agent = as_user(world.agent)
    assert agent.get("/w/support/tickets/").status_code == 403

    admin = as_user(world.admin)
    r = admin.post(URL + f"{world.agent.pk}/", {"perm": ["inbox_access"]})
    assert r.status_code == 302
    assert r["Location"] == URL
    assert grants() == [("support", "agent", "inbox_access")]
    assert "Saved the permissions of Agent." in admin.get(URL).content.decode()
    assert agent.get("/w/support/tickets/").status_code == 200
    # Only in this workspace: the agent is not even a member of sales.
    assert agent.get("/w/sales/tickets/").status_code == 403

    # Unticking everything revokes it again.
    r = admin.post(URL + f"{world.agent.pk}/", {})
    assert r.status_code == 302
    assert grants() == []
    assert agent.get("/w/support/tickets/").status_code == 403


def test_saving_a_row_sets_exactly_the_ticked_grants(world, as_user):
    admin = as_user(world.admin)
    admin.post(URL + f"{world.coach.pk}/", {"perm": ["export_cases", "view_all_cases"]})
    assert grants() == [
        ("support", "coach", "export_cases"),
        ("support", "coach", "view_all_cases"),
    ]
    admin.post(URL + f"{world.coach.pk}/", {"perm": ["view_all_cases", "manage_care"]})
    assert grants() == [("support", "coach", "manage_care"), ("support", "coach", "view_all_cases")]
    assert as_user(world.coach).get("/w/support/settings/").status_code == 200


def test_bad_permission_input_changes_nothing(world, as_user):
    from caredesk.workspaces import services as ws

    ws.permission_set(
        workspace=world.support, user=world.agent, permission="export_cases", granted=True
    )
    admin = as_user(world.admin)
    r = admin.post(URL + f"{world.agent.pk}/", {"perm": ["inbox_access", "fly"]})
    assert r.status_code == 400
    assertInHTML(
        '<ul class="errorlist"><li>Select a valid choice. fly is not one of the available choices.'
        "</li></ul>",
        r.content.decode(),
    )
    assert grants() == [("support", "agent", "export_cases")]
    # Users outside the workspace's members (another organization included) are not found.
    for user in (world.outsider,):
        r = admin.post(URL + f"{user.pk}/", {"perm": ["use_care"]})
        assert r.status_code == 404
    assert grants() == [("support", "agent", "export_cases")]


def test_admin_cannot_revoke_their_own_last_manage_care(world, as_user):
    """An admin whose manage_care comes from a grant alone cannot untick it."""
    from caredesk.workspaces import services as ws

    ws.permission_set(
        workspace=world.support, user=world.coach, permission="manage_care", granted=True
    )
    coach = as_user(world.coach)
    r = coach.post(URL + f"{world.coach.pk}/", {})
    assert r.status_code == 400
    assert (
        "This would remove your own permission to manage this workspace. Ask another admin."
        in r.content.decode()
    )
    assert grants() == [("support", "coach", "manage_care")]
    assert UserType.objects.get(organization=world.org, kind="coach").permissions == [
        "evaluate",
        "inbox_access",
        "manage_resources",
        "manage_scorecards",
        "review_appeals",
        "use_care",
        "view_insights",
    ]
