"""Settings → General: the segment of a new ticket (the sources in order, the default segment);
Settings → Members: each member's default segment. Saved, refused with the error shown and
nothing changed, and refused to whoever may not manage the workspace."""

from caredesk.workspaces.models import Membership, Segment, Workspace

URL = "/w/support/settings/"
BASE = {"name": "Support", "tabs": ["home", "tickets"], "auto_close_days": "5"}


def rule(world) -> tuple:
    ws = Workspace.objects.get(pk=world.support.pk)
    return ws.case_segment_order, ws.default_segment_id


def test_general_shows_and_saves_the_segment_rule(world, as_user):
    c = as_user(world.admin)
    html = c.get(URL).content.decode()
    # The default order, one select per position, and no default segment.
    for n, source in enumerate(("queue", "survey", "contact", "agent"), start=1):
        assert f'id="id_case_segment_order_{n}"' in html
        assert f'<option value="{source}" selected>' in html
    assert '<select name="default_segment" id="id_default_segment">' in html

    r = c.post(
        URL,
        {
            **BASE,
            "case_segment_order": ["agent", "", "contact", ""],
            "default_segment": world.lisbon.pk,
        },
    )
    assert r.status_code == 302, r.content
    assert rule(world) == (["agent", "contact"], world.lisbon.pk)
    html = c.get(URL).content.decode()
    assert "Settings saved." in html
    assert f'<option value="{world.lisbon.pk}" selected>' in html

    # A post without the rule's fields (an older form) keeps it.
    assert c.post(URL, BASE).status_code == 302
    assert rule(world) == (["agent", "contact"], world.lisbon.pk)
    # Every position "not used" and no default: tickets naming no segment get none.
    r = c.post(URL, {**BASE, "case_segment_order": ["", "", "", ""], "default_segment": ""})
    assert r.status_code == 302
    assert rule(world) == ([], None)


def test_bad_segment_rule_is_refused_and_changes_nothing(world, as_user):
    c = as_user(world.admin)
    before = rule(world)
    foreign = Segment.objects.create(organization=world.other_org, name="Theirs", path="/0/")
    cases = [
        (
            {"case_segment_order": ["queue", "casino"]},
            "case_segment_order",
            "Unknown source: casino",
        ),
        (
            {"case_segment_order": ["queue", "agent", "queue"]},
            "case_segment_order",
            "Each source can be chosen once.",
        ),
        (
            {"default_segment": str(foreign.pk)},
            "default_segment",
            f"Select a valid choice. {foreign.pk} is not one of the available choices.",
        ),
        (
            {"default_segment": "abc"},
            "default_segment",
            "Select a valid choice. abc is not one of the available choices.",
        ),
    ]
    for data, field, message in cases:
        r = c.post(URL, {**BASE, "name": "Renamed", **data})
        assert r.status_code == 400, (field, r.content)
        html = r.content.decode()
        assert f'<ul class="errorlist" id="id_{field}_error"><li>{message}</li></ul>' in html, field
        assert rule(world) == before
        assert Workspace.objects.get(pk=world.support.pk).name == "Support"


def test_only_managers_of_the_workspace_change_the_segment_rule(world, as_user):
    before = rule(world)
    for user in (world.agent, world.manager, world.coach):
        r = as_user(user).post(URL, {**BASE, "case_segment_order": ["agent"]})
        assert r.status_code == 403, user
        assert rule(world) == before
    # Another organization's admin reaches their own "support" workspace, never ours.
    as_user(world.outsider).post(URL, {**BASE, "case_segment_order": ["agent"]})
    assert rule(world) == before


# -- a member's default segment -------------------------------------------------------------


def member_url(world, user) -> str:
    return f"/w/support/settings/members/{user.pk}/segment/"


def default_segment(world, user):
    return Membership.objects.get(workspace=world.support, user=user).default_segment_id


def test_members_page_sets_a_members_default_segment(world, as_user):
    c = as_user(world.admin)
    html = c.get("/w/support/settings/members/").content.decode()
    assert f'id="id_m{world.agent.pk}_default_segment"' in html
    r = c.post(member_url(world, world.agent), {"default_segment": world.store1.pk})
    assert r.status_code == 302
    assert default_segment(world, world.agent) == world.store1.pk
    html = c.get("/w/support/settings/members/").content.decode()
    assert "Agent&#x27;s default segment is now Lisbon Store 1." in html
    assert f'<option value="{world.store1.pk}" selected>' in html
    assert c.post(member_url(world, world.agent), {"default_segment": ""}).status_code == 302
    assert default_segment(world, world.agent) is None


def test_bad_member_segment_is_refused_and_changes_nothing(world, as_user):
    c = as_user(world.admin)
    Membership.objects.filter(workspace=world.support, user=world.agent).update(
        default_segment=world.italy
    )
    foreign = Segment.objects.create(organization=world.other_org, name="Theirs", path="/0/")
    for value in (str(foreign.pk), "abc", "999999"):
        r = c.post(member_url(world, world.agent), {"default_segment": value})
        assert r.status_code == 400, value
        html = r.content.decode()
        assert '<ul class="errorlist"><li>No such segment.</li></ul>' in html
        assert default_segment(world, world.agent) == world.italy.pk
    # Someone who is not a member of the workspace: 404.
    assert c.post(member_url(world, world.outsider), {"default_segment": ""}).status_code == 404


def test_only_managers_of_the_workspace_set_a_members_segment(world, as_user):
    for user in (world.agent, world.manager, world.outsider):
        r = as_user(user).post(member_url(world, world.agent), {"default_segment": world.italy.pk})
        assert r.status_code == (404 if user == world.outsider else 403), user
    assert default_segment(world, world.agent) is None
