"""The top bar: workspace switcher, app switcher (tabs and places), user menu."""

import re

from caredesk.workspaces.models import Workspace


def _menu(html: str, menu_id: str) -> list[tuple[str, str]]:
    panel = re.search(
        rf'<div class="menu-panel[^"]*" id="{menu_id}" hidden>(.*?)</div>', html, re.S
    )
    return re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', panel.group(1))


def test_app_switcher_shows_what_each_user_may_open(world, as_user):
    Workspace.objects.filter(pk=world.support.pk).update(
        enabled_tabs=["home", "desk", "tickets", "feedback"]
    )
    admin = as_user(world.admin).get("/w/support/").content.decode()
    assert _menu(admin, "app-menu") == [
        ("/w/support/", "Home"),
        ("/w/support/desk/", "Desk"),
        ("/w/support/tickets/", "Tickets"),
        ("/w/support/feedback/responses/", "Feedback"),
        ("/w/support/journey/customers/", "Customers"),
        ("/w/support/desk/supervisor/", "Supervisor view"),
        ("/w/support/settings/", "Settings"),
    ]
    agent = as_user(world.agent).get("/w/support/").content.decode()
    assert _menu(agent, "app-menu") == [
        ("/w/support/", "Home"),
        ("/w/support/desk/", "Desk"),
        ("/w/support/journey/customers/", "Customers"),
    ]
    # Every entry opens.
    for href, _label in _menu(admin, "app-menu"):
        assert as_user(world.admin).get(href).status_code == 200, href


def test_no_supervisor_entry_without_the_desk_tab(world, as_user):
    html = as_user(world.admin).get("/w/support/").content.decode()
    assert ("/w/support/desk/supervisor/", "Supervisor view") not in _menu(html, "app-menu")


def test_workspace_switcher_lists_the_users_workspaces(world, as_user):
    html = as_user(world.admin).get("/w/support/").content.decode()
    assert _menu(html, "ws-menu") == [("/w/sales/", "Sales"), ("/w/support/", "Support")]
    assert '<button type="button" class="ws-name" aria-expanded="false"' in html
    # manager is only in support; the other organization's workspaces never appear.
    html = as_user(world.manager).get("/w/support/").content.decode()
    assert _menu(html, "ws-menu") == [("/w/support/", "Support")]


def test_user_menu_has_profile_and_log_out(world, as_user):
    html = as_user(world.agent).get("/w/support/").content.decode()
    assert _menu(html, "user-menu") == [("/w/support/profile/", "Profile")]
    assert '<button type="submit" class="menu-item">Log out</button>' in html


def test_the_menus_speak_the_users_language(world, as_user):
    world.admin.language = "bg"
    world.admin.save()
    html = as_user(world.admin).get("/w/support/").content.decode()
    labels = [label for _href, label in _menu(html, "app-menu")]
    assert labels == ["Начало", "Заявки", "Клиенти", "Настройки"]
    assert _menu(html, "user-menu") == [("/w/support/profile/", "Профил")]
