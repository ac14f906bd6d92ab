"""Opting out of the weekly digest: by the email's signed link (no log-in, a confirmation
first) or by the profile's checkbox; a forged or altered link is refused."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.test import Client

from caredesk.insights.digest import opt_out_token, send_digest
from caredesk.insights.models import DigestOptOut

WEEK = dt.date(2026, 11, 23)


@pytest.fixture
def managers(world):
    world.manager.email = "manager@acme.test"
    world.manager.save()
    world.admin.email = "admin@acme.test"
    world.admin.save()
    return world


def _opt_out_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/digest/opt-out/[^/\s]+/)", message.body).group(1)


def test_opt_out_by_the_emails_link(managers):
    send_digest(managers.support, WEEK)
    message = next(m for m in mail.outbox if m.to == ["manager@acme.test"])
    link = _opt_out_link(message)
    assert link in message.extra_headers["List-Unsubscribe"]
    anonymous = Client(enforce_csrf_checks=False)

    page = anonymous.get(link)
    assert page.status_code == 200
    assert (
        "Stop sending the weekly digest of Support to manager@acme.test?" in page.content.decode()
    )
    assert not DigestOptOut.objects.exists()  # a GET (a mail scanner) changes nothing

    done = anonymous.post(link)
    assert done.status_code == 200
    assert "you will no longer receive the weekly digest of Support" in done.content.decode()
    assert list(DigestOptOut.objects.values_list("user__username", "workspace__slug")) == [
        ("manager", "support")
    ]
    mail.outbox.clear()
    assert send_digest(managers.support, WEEK + dt.timedelta(days=7)) == 1
    assert [m.to for m in mail.outbox] == [["admin@acme.test"]]
    assert "already do not receive" in anonymous.get(link).content.decode()


def test_the_opt_out_page_speaks_the_members_language(managers):
    managers.manager.language = "it"
    managers.manager.save()
    token = opt_out_token(managers.support, managers.manager)
    html = Client().get(f"/digest/opt-out/{token}/").content.decode()
    assert '<html lang="it"' in html


@pytest.mark.parametrize(
    "token",
    ["nonsense", "eyJ3IjoxLCJ1IjoxfQ:forged:signature", "x" * 300],
)
def test_a_forged_link_is_refused(managers, token):
    r = Client().post(f"/digest/opt-out/{token}/")
    assert r.status_code == 400
    assert "This link is not valid" in r.content.decode()
    assert not DigestOptOut.objects.exists()


def test_an_altered_link_is_refused(managers):
    token = opt_out_token(managers.support, managers.manager)
    altered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert Client().post(f"/digest/opt-out/{altered}/").status_code == 400
    assert not DigestOptOut.objects.exists()


def test_a_token_of_another_organization_pair_is_refused(managers):
    # A workspace of another organization with a member of this one: never valid.
    token = opt_out_token(managers.other_ws, managers.manager)
    assert Client().post(f"/digest/opt-out/{token}/").status_code == 400


def _profile_form(client, **changes):
    data = {"first_name": "Manager", "last_name": "", "language": "", "time_zone": ""}
    data.update(changes)
    return client.post("/w/support/profile/", data)


def test_opt_out_and_back_in_by_the_profile(managers, as_user):
    client = as_user(managers.manager)
    html = client.get("/w/support/profile/").content.decode()
    assert re.search(r'<input type="checkbox" name="digest"[^>]* checked', html)

    assert _profile_form(client).status_code == 302  # unchecked
    assert DigestOptOut.objects.filter(user=managers.manager, workspace=managers.support).exists()
    html = client.get("/w/support/profile/").content.decode()
    assert not re.search(r'<input type="checkbox" name="digest"[^>]* checked', html)

    assert _profile_form(client, digest="on").status_code == 302
    assert not DigestOptOut.objects.exists()


def test_no_digest_checkbox_for_an_agent_nor_outside_a_workspace(managers, as_user):
    assert (
        'name="digest"' not in as_user(managers.agent).get("/w/support/profile/").content.decode()
    )
    assert 'name="digest"' not in as_user(managers.manager).get("/profile/").content.decode()
    _profile_form(as_user(managers.agent))
    assert not DigestOptOut.objects.exists()
