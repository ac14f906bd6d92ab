import re

import pytest
from pytest_django.asserts import assertInHTML

from caredesk.workspaces.models import Workspace

URL = "/w/support/settings/"


def top_tabs(client, url="/w/support/") -> list[tuple[str, str]]:
    """The (href, label) links of the top bar's tab navigation."""
    html = client.get(url).content.decode()
    nav = re.search(r'<nav class="tabs"[^>]*>(.*?)</nav>', html, re.S).group(1)
    return re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', nav)


def test_general_shows_current_settings(world, as_user):
    html = as_user(world.admin).get(URL).content.decode()
    assertInHTML(
        '<input type="text" name="name" value="Support" maxlength="200" required id="id_name">',
        html,
    )
    assertInHTML('<input type="checkbox" name="tabs" value="home" id="id_tabs_0" checked>', html)
    assertInHTML('<input type="checkbox" name="tabs" value="desk" id="id_tabs_1">', html)
    assertInHTML('<input type="checkbox" name="tabs" value="tickets" id="id_tabs_2" checked>', html)
    assertInHTML(
        '<input type="number" name="auto_close_days" value="5" min="1" max="365" required'
        ' id="id_auto_close_days">',
        html,
    )
    # Every tab has a page (home, desk, tickets, feedback, conversations, insights, coaching,
    # action plans, resource center).
    assert html.count('name="tabs"') == 9


def test_update_settings_and_tabs_drive_the_nav(world, as_user):
    c = as_user(world.admin)
    home, tickets, settings_ = (
        ("/w/support/", "Home"),
        ("/w/support/tickets/", "Tickets"),
        ("/w/support/settings/", "Settings"),
    )
    assert top_tabs(c) == [home, tickets, settings_]

    data = {"name": "  Customer support ", "tabs": ["home", "desk"], "auto_close_days": "30"}
    r = c.post(URL, data)
    assert r.status_code == 302
    assert r["Location"] == URL
    ws = Workspace.objects.get(pk=world.support.pk)
    assert (ws.name, ws.enabled_tabs, ws.auto_close_days) == (
        "Customer support",
        ["home", "desk"],
        30,
    )
    page = c.get(URL).content.decode()
    assert '<div class="msg success">Settings saved.</div>' in page
    assert '<span class="sr-only">Workspace:</span> Customer support <span' in page
    desk = ("/w/support/desk/", "Desk")
    assert top_tabs(c) == [home, desk, settings_]
    assert top_tabs(c, URL) == [home, desk, settings_]
    # Tickets is gone for everyone, even though their permissions would allow it. The coach
    # (manage_scorecards without manage_care) reaches Settings → Scorecards only.
    coach_settings = ("/w/support/settings/quality/scorecards/", "Settings")
    assert top_tabs(as_user(world.coach)) == [home, desk, coach_settings]

    # Tab order is canonical whatever the form sent; re-enabling Tickets brings the link back.
    r = c.post(URL, {"name": "Support", "tabs": ["tickets", "home"], "auto_close_days": "30"})
    assert r.status_code == 302
    assert Workspace.objects.get(pk=world.support.pk).enabled_tabs == ["home", "tickets"]
    assert top_tabs(c) == [home, tickets, settings_]
    assert top_tabs(as_user(world.coach)) == [home, tickets, coach_settings]
    # The other workspace is untouched.
    sales = Workspace.objects.get(pk=world.sales.pk)
    assert (sales.name, sales.enabled_tabs, sales.auto_close_days) == (
        "Sales",
        ["home", "tickets"],
        5,
    )


def _unchanged(world):
    ws = Workspace.objects.get(pk=world.support.pk)
    return (ws.name, ws.enabled_tabs, ws.auto_close_days) == ("Support", ["home", "tickets"], 5)


def test_auto_close_days_out_of_range_is_refused(world, as_user):
    c = as_user(world.admin)
    for days in ["0", "366", "-3"]:
        r = c.post(URL, {"name": "Renamed", "tabs": ["home"], "auto_close_days": days})
        assert r.status_code == 400
        html = r.content.decode()
        assertInHTML(
            '<ul class="errorlist" id="id_auto_close_days_error">'
            "<li>Must be between 1 and 365 days.</li></ul>",
            html,
        )
        # The form keeps what was typed, and nothing was saved.
        assert f'value="{days}"' in html
        assert _unchanged(world)
        assert "Settings saved." not in html


def test_bad_general_input_is_refused(world, as_user):
    c = as_user(world.admin)
    cases = [
        (
            {"name": "X", "tabs": ["home"], "auto_close_days": "abc"},
            "auto_close_days",
            "Enter a whole number.",
        ),
        ({"name": "X", "tabs": ["home"]}, "auto_close_days", "This field is required."),
        (
            {"name": "   ", "tabs": ["home"], "auto_close_days": "7"},
            "name",
            "This field is required.",
        ),
        (
            {"name": "X", "tabs": ["home", "casino"], "auto_close_days": "7"},
            "tabs",
            "Select a valid choice. casino is not one of the available choices.",
        ),
    ]
    for data, field, message in cases:
        r = c.post(URL, data)
        assert r.status_code == 400, field
        assertInHTML(
            f'<ul class="errorlist" id="id_{field}_error"><li>{message}</li></ul>',
            r.content.decode(),
        )
        assert _unchanged(world)


def test_every_tab_is_offered_and_an_unknown_one_is_refused(world, as_user):
    c = as_user(world.admin)
    html = c.get(URL).content.decode()
    assert 'value="action_plans"' in html
    assert 'value="resources"' in html
    r = c.post(URL, {"name": "Renamed", "tabs": ["home", "library"], "auto_close_days": "9"})
    assert r.status_code == 400
    assert "Select a valid choice. library is not one of the available choices." in (
        r.content.decode()
    )
    assert _unchanged(world)


def test_the_service_refuses_a_tab_without_a_page(world):
    from caredesk.core.errors import FieldErrors
    from caredesk.workspaces import services

    with pytest.raises(FieldErrors) as exc:
        services.workspace_update_settings(
            workspace=world.support, tabs=["home", "library"], name="Renamed"
        )
    assert exc.value.errors == {"tabs": "These tabs have no page yet: library."}
    assert _unchanged(world)
