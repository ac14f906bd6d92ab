from pytest_django.asserts import assertInHTML

from caredesk.workspaces.models import Segment

URL = "/w/support/settings/segments/"


def tree(org) -> list[tuple[str, int, list[str]]]:
    return [
        (s.name, s.depth, sorted(u.username for u in s.managers.all()))
        for s in Segment.objects.filter(organization=org).order_by("path")
    ]


BEFORE = [
    ("Portugal", 0, []),
    ("Lisbon", 1, ["manager"]),
    ("Lisbon Store 1", 2, []),
    ("Lisbon Store 2", 2, ["manager", "manager2"]),
    ("Italy", 0, ["italymgr"]),
]


def test_segments_page_shows_the_tree_with_managers(world, as_user):
    html = as_user(world.admin).get(URL).content.decode()
    ids = [world.portugal.pk, world.lisbon.pk, world.store1.pk, world.store2.pk, world.italy.pk]
    positions = [html.index(f'<li id="segment-{pk}"') for pk in ids]
    assert positions == sorted(positions)
    for pk, depth in zip(ids, [0, 1, 2, 2, 0], strict=True):
        assert f'<li id="segment-{pk}" data-depth="{depth}">' in html
    assert '<span class="seg-name">Lisbon Store 2</span>' in html
    store2 = html[html.index(f'<li id="segment-{world.store2.pk}"') :]
    store2 = store2[: store2.index("</li>")]
    assert '<span class="badge">Manager</span><span class="badge">Manager2</span>' in store2
    store1 = html[html.index(f'<li id="segment-{world.store1.pk}"') :]
    assert '<span class="muted">no manager</span>' in store1[: store1.index("</li>")]
    # The managers select offers Acme people only, with the current managers selected.
    assertInHTML(f'<option value="{world.manager.pk}" selected>Manager</option>', store2)
    assert f'<option value="{world.outsider.pk}"' not in html


def test_create_top_level_and_child_segments(world, as_user):
    c = as_user(world.admin)
    r = c.post(URL + "add/", {"name": " Spain "})
    assert r.status_code == 302
    assert r["Location"] == URL
    r = c.post(URL + f"{world.lisbon.pk}/add/", {"name": "Lisbon Store 3"})
    assert r.status_code == 302
    assert tree(world.org) == [
        ("Portugal", 0, []),
        ("Lisbon", 1, ["manager"]),
        ("Lisbon Store 1", 2, []),
        ("Lisbon Store 2", 2, ["manager", "manager2"]),
        ("Lisbon Store 3", 2, []),
        ("Italy", 0, ["italymgr"]),
        ("Spain", 0, []),
    ]
    store3 = Segment.objects.get(name="Lisbon Store 3")
    assert store3.path == f"{world.lisbon.path}{store3.pk}/"
    assert "Added the segment Lisbon Store 3 under Lisbon." in c.get(URL).content.decode()


def test_rename_segment(world, as_user):
    c = as_user(world.admin)
    r = c.post(URL + f"{world.lisbon.pk}/rename/", {"name": "Lisboa"})
    assert r.status_code == 302
    assert tree(world.org)[1] == ("Lisboa", 1, ["manager"])
    assert "Renamed the segment to Lisboa." in c.get(URL).content.decode()


def test_set_managers(world, as_user):
    c = as_user(world.admin)
    r = c.post(
        URL + f"{world.store1.pk}/managers/", {"managers": [world.manager2.pk, world.coach.pk]}
    )
    assert r.status_code == 302
    assert tree(world.org)[2] == ("Lisbon Store 1", 2, ["coach", "manager2"])
    r = c.post(URL + f"{world.lisbon.pk}/managers/", {})
    assert r.status_code == 302
    assert tree(world.org)[1] == ("Lisbon", 1, [])
    assert "Saved the managers of Lisbon." in c.get(URL).content.decode()


def test_bad_segment_input_changes_nothing(world, as_user):
    c = as_user(world.admin)
    other_before = list(Segment.objects.filter(organization=world.other_org).values_list("name"))
    # Empty names.
    r = c.post(URL + "add/", {"name": "   "})
    assert r.status_code == 400
    assertInHTML(
        '<ul class="errorlist" id="id_top_name_error"><li>This field is required.</li></ul>',
        r.content.decode(),
    )
    r = c.post(URL + f"{world.lisbon.pk}/add/", {"name": ""})
    assert r.status_code == 400
    assertInHTML(
        f'<ul class="errorlist" id="id_s{world.lisbon.pk}_child_name_error">'
        "<li>This field is required.</li></ul>",
        r.content.decode(),
    )
    # The failed form is shown open.
    assert f'<li id="segment-{world.lisbon.pk}"' in r.content.decode()
    assert '<details class="seg-edit" open>' in r.content.decode()
    r = c.post(URL + f"{world.lisbon.pk}/rename/", {"name": " "})
    assert r.status_code == 400
    assertInHTML(
        f'<ul class="errorlist" id="id_s{world.lisbon.pk}_rename_name_error">'
        "<li>This field is required.</li></ul>",
        r.content.decode(),
    )
    # A manager from another organization is refused.
    r = c.post(
        URL + f"{world.lisbon.pk}/managers/", {"managers": [world.manager2.pk, world.outsider.pk]}
    )
    assert r.status_code == 400
    assertInHTML(
        f'<ul class="errorlist" id="id_s{world.lisbon.pk}_managers_managers_error">'
        f"<li>Select a valid choice. {world.outsider.pk} is not one of the available choices."
        "</li></ul>",
        r.content.decode(),
    )
    assert tree(world.org) == BEFORE

    # Another organization's segment is not found, whatever the action.
    theirs = Segment.objects.create(organization=world.other_org, name="Theirs", path="")
    for path, data in [
        (f"{theirs.pk}/add/", {"name": "Sneaky"}),
        (f"{theirs.pk}/rename/", {"name": "Sneaky"}),
        (f"{theirs.pk}/managers/", {"managers": [world.manager.pk]}),
    ]:
        assert c.post(URL + path, data).status_code == 404
    theirs.refresh_from_db()
    assert (theirs.name, list(theirs.managers.all()), list(theirs.children.all())) == (
        "Theirs",
        [],
        [],
    )
    assert tree(world.org) == BEFORE
    assert len(other_before) + 1 == Segment.objects.filter(organization=world.other_org).count()


def test_outsider_cannot_touch_acme_segments(world, as_user):
    c = as_user(world.outsider)
    for path, data in [
        ("add/", {"name": "Sneaky"}),  # creates in their own org, never in Acme
        (f"{world.lisbon.pk}/add/", {"name": "Sneaky"}),
        (f"{world.lisbon.pk}/rename/", {"name": "Sneaky"}),
        (f"{world.lisbon.pk}/managers/", {"managers": [world.outsider.pk]}),
    ]:
        r = c.post(URL + path, data)
        assert r.status_code == (302 if path == "add/" else 404)
    assert tree(world.org) == BEFORE
    assert list(
        Segment.objects.filter(organization=world.other_org).values_list("name", flat=True)
    ) == ["Sneaky"]
