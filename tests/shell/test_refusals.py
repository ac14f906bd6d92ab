"""A refusal says in words what is missing and whom to ask, and writes no traceback."""

import logging

from caredesk.workspaces import services as ws


def test_a_refused_page_names_what_is_missing_and_whom_to_ask(world, as_user):
    r = as_user(world.agent).get("/w/support/tickets/")
    html = r.content.decode()
    assert r.status_code == 403
    assert "You need access to tickets. Ask an admin of this workspace: Admin." in html
    assert "inbox_access" not in html


def test_the_admins_are_named_by_name_and_grants_count(world, as_user):
    world.admin.first_name, world.admin.last_name = "Ana", "Silva"
    world.admin.save()
    ws.permission_set(
        workspace=world.support, user=world.coach, permission="manage_care", granted=True
    )
    r = as_user(world.agent).get("/w/support/settings/")
    assert r.status_code == 403
    assert (
        "You need permission to manage this workspace."
        " Ask an admin of this workspace: Ana Silva, Coach." in r.content.decode()
    )


def test_a_workspace_without_admins_sends_to_the_organization(world, as_user):
    world.admin.memberships.filter(workspace=world.support).delete()
    r = as_user(world.agent).get("/w/support/tickets/")
    assert "You need access to tickets. Ask an admin of your organization." in r.content.decode()


def test_the_refusal_is_in_the_users_language(world, as_user):
    world.agent.language = "it"
    world.agent.save()
    r = as_user(world.agent).get("/w/support/tickets/")
    assert "inbox_access" not in r.content.decode()
    assert '<html lang="it"' in r.content.decode()


def test_a_403_writes_one_warning_line_without_a_traceback(world, as_user, caplog):
    caplog.set_level(logging.INFO)
    r = as_user(world.agent).get("/w/support/tickets/")
    assert r.status_code == 403
    records = [rec for rec in caplog.records if rec.levelno >= logging.WARNING]
    assert [(rec.levelname, rec.getMessage()) for rec in records] == [
        ("WARNING", "Forbidden: /w/support/tickets/")
    ]
    assert all(rec.exc_info is None for rec in caplog.records)
    assert "Traceback" not in caplog.text
