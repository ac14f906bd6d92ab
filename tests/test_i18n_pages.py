"""Which language and time zone a page is shown in (docs/i18n.md): the user's own, else their
browser's, else the workspace's; the scripts' catalogue per language."""

import json
import re

from caredesk.workspaces.models import User, Workspace


def _lang(html: str) -> str:
    return re.search(r'<html lang="([^"]+)"', html).group(1)


def _nav(html: str) -> list[str]:
    nav = re.search(r'<nav class="tabs">(.*?)</nav>', html, re.S).group(1)
    return [re.sub(r"\s+", " ", t).strip() for t in re.findall(r">([^<]+)</a>", nav)]


def test_the_users_own_language_wins_over_the_browser_and_the_workspace(world, as_user):
    User.objects.filter(pk=world.manager.pk).update(language="bg")
    Workspace.objects.filter(pk=world.support.pk).update(language="it")

    r = as_user(world.manager).get("/w/support/", HTTP_ACCEPT_LANGUAGE="pt-BR,pt;q=0.9")

    html = r.content.decode()
    assert (r.status_code, _lang(html), r["Content-Language"]) == (200, "bg", "bg")
    assert _nav(html)[0] == "Начало"
    assert "Accept-Language" in r["Vary"]


def test_without_a_language_of_their_own_the_browsers_is_used(world, as_user):
    Workspace.objects.filter(pk=world.support.pk).update(language="it")

    r = as_user(world.manager).get("/w/support/", HTTP_ACCEPT_LANGUAGE="fr-FR, pt;q=0.8")

    assert _lang(r.content.decode()) == "pt-br"
    assert _nav(r.content.decode())[0] == "Página inicial"


def test_a_browser_asking_for_none_of_ours_gets_the_workspaces_language(world, as_user):
    Workspace.objects.filter(pk=world.support.pk).update(language="it")

    r = as_user(world.manager).get("/w/support/", HTTP_ACCEPT_LANGUAGE="fr-FR,de;q=0.5")

    assert _lang(r.content.decode()) == "it"
    assert _nav(r.content.decode())[1] == "Ticket"


def test_the_page_carries_the_zone_and_the_formats_for_the_scripts(world, as_user):
    Workspace.objects.filter(pk=world.support.pk).update(time_zone="America/Sao_Paulo")
    User.objects.filter(pk=world.agent.pk).update(language="bg", time_zone="Europe/Sofia")

    manager = as_user(world.manager).get("/w/support/", HTTP_ACCEPT_LANGUAGE="pt-BR").content
    agent = as_user(world.agent).get("/w/support/").content.decode()

    assert 'data-tz="America/Sao_Paulo"' in manager.decode()
    assert 'data-datetime-format="d/m/Y H:i"' in manager.decode()
    assert 'data-tz="Europe/Sofia"' in agent
    assert 'data-datetime-format="d.m.Y H:i"' in agent
    assert '<script src="/jsi18n/bg/" defer></script>' in agent


def test_the_workspace_language_and_zone_are_settings(world, as_user):
    client = as_user(world.admin)
    ok = client.post(
        "/w/support/settings/",
        {
            "name": "Support",
            "tabs": ["home", "tickets"],
            "auto_close_days": 5,
            "language": "bg",
            "time_zone": "Europe/Sofia",
        },
    )
    assert ok.status_code == 302
    ws = Workspace.objects.get(pk=world.support.pk)
    assert (ws.language, ws.time_zone) == ("bg", "Europe/Sofia")


def test_an_unknown_language_or_zone_is_refused_and_nothing_changes(world, as_user):
    client = as_user(world.admin)
    for field, value in (("language", "fr"), ("time_zone", "Mars/Olympus")):
        data = {"name": "Renamed", "tabs": ["home"], "auto_close_days": 9, field: value}
        r = client.post("/w/support/settings/", data)
        assert r.status_code == 400
        assert "Select a valid choice." in r.content.decode()
    ws = Workspace.objects.get(pk=world.support.pk)
    assert (ws.name, ws.auto_close_days, ws.language, ws.time_zone) == ("Support", 5, "en", "UTC")


def test_the_scripts_catalogue_is_per_language_and_public(client):
    it = client.get("/jsi18n/it/")
    unknown = client.get("/jsi18n/xx/")

    assert it.status_code == 200
    assert it["Content-Type"].startswith("text/javascript")
    assert it["Cache-Control"] == "public, max-age=3600"
    assert "django.gettext" in it.content.decode()
    assert unknown.status_code == 200  # English: the source, no translations
    assert (
        json.dumps({}) in unknown.content.decode() or "newcatalog = {}" in unknown.content.decode()
    )
