"""The profile page: name, language and time zone, saved and used on the next page."""

import datetime as dt
import re

from caredesk.workspaces.models import User

URL = "/w/support/profile/"


def _lang(html: str) -> str:
    return re.search(r'<html lang="([^"]+)"', html).group(1)


def _saved(user) -> tuple:
    u = User.objects.get(pk=user.pk)
    return (u.first_name, u.last_name, u.language, u.time_zone)


def test_the_profile_shows_the_users_settings(world, as_user):
    r = as_user(world.manager).get(URL)
    html = r.content.decode()
    assert r.status_code == 200
    assert '<option value="" selected>The browser&#x27;s language</option>' in html
    assert '<option value="" selected>The workspace&#x27;s time zone</option>' in html
    assert 'name="first_name" value="Manager"' in html


def test_saved_language_and_zone_are_used_on_the_next_page(world, as_user):
    c = as_user(world.manager)
    case = world.make_case(world.support, segment=world.store2, days_ago=0, owner=world.manager)
    case.reported_at = dt.datetime(2026, 12, 5, 23, 30, tzinfo=dt.UTC)
    case.save(update_fields=["reported_at"])

    r = c.post(
        URL,
        {
            "first_name": " Marco ",
            "last_name": "Rossi",
            "language": "bg",
            "time_zone": "Europe/Sofia",
        },
    )

    assert (r.status_code, r["Location"]) == (302, URL)
    assert _saved(world.manager) == ("Marco", "Rossi", "bg", "Europe/Sofia")
    html = c.get("/w/support/", HTTP_ACCEPT_LANGUAGE="it").content.decode()
    assert _lang(html) == "bg"
    assert 'data-tz="Europe/Sofia"' in html
    assert "Marco Rossi" in html
    # The ticket reported at 23:30 UTC is shown in Sofia's time (UTC+2), in the bg format.
    assert "<td>06.12.2026 01:30</td>" in html
    # Back to the browser's language and the workspace's zone.
    c.post(URL, {"first_name": "Marco", "last_name": "Rossi", "language": "", "time_zone": ""})
    html = c.get("/w/support/", HTTP_ACCEPT_LANGUAGE="it").content.decode()
    assert (_lang(html), 'data-tz="UTC"' in html) == ("it", True)


def test_bad_input_is_refused_and_nothing_changes(world, as_user):
    c = as_user(world.manager)
    before = _saved(world.manager)
    for data, field_error in (
        ({"language": "fr", "time_zone": ""}, "Select a valid choice. fr is not one of"),
        ({"language": "", "time_zone": "Mars/Olympus"}, "Select a valid choice. Mars/Olympus"),
        ({"first_name": "x" * 151, "language": "", "time_zone": ""}, "at most 150 characters"),
    ):
        r = c.post(URL, {"first_name": "Changed", "last_name": "", **data})
        assert r.status_code == 400
        assert field_error in r.content.decode()
        assert _saved(world.manager) == before


def test_the_profile_outside_a_workspace(world, as_user):
    c = as_user(world.admin)  # a member of two workspaces: no workspace in the address
    r = c.get("/profile/")
    assert r.status_code == 200
    r = c.post("/profile/", {"first_name": "Ana", "last_name": "Silva", "language": "pt-br"})
    assert (r.status_code, r["Location"]) == (302, "/profile/")
    assert _saved(world.admin) == ("Ana", "Silva", "pt-br", "")
    assert _lang(c.get("/").content.decode()) == "pt-br"


def test_the_profile_needs_a_login(client):
    r = client.get("/profile/")
    assert r.status_code == 302
    assert r["Location"].startswith("/login/")
