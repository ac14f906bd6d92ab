"""The inactivity rule: a ticket untouched (record and activities) for the workspace's N days
closes by itself, with an audit entry; anything touched since stays open."""

import datetime as dt
import os
import sqlite3

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from caredesk.audit.models import AuditEntry
from caredesk.care import services
from caredesk.care.models import Case
from caredesk.care.tasks import close_inactive_cases
from caredesk.workspaces.access import get_access


def _ago(days, hours=0):
    return timezone.now() - dt.timedelta(days=days, hours=hours)


def test_stale_ticket_is_closed_with_audit_and_comment(world, capsys):
    stale = world.make_case(
        world.support,
        segment=world.lisbon,
        status="open",
        reported_at=_ago(9),
        last_activity_at=_ago(5, 1),
    )
    fresh = world.make_case(
        world.support,
        segment=world.lisbon,
        status="open",
        reported_at=_ago(9),
        last_activity_at=_ago(4, 23),
    )
    already = world.make_case(world.support, status="closed", last_activity_at=_ago(30))

    call_command("close_inactive_cases")

    assert "closed 1 inactive ticket(s)" in capsys.readouterr().out
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert stale.status == "closed" and stale.closed_at is not None
    assert fresh.status == "open" and fresh.closed_at is None
    entries = list(
        AuditEntry.objects.filter(object_type="case", object_id=stale.pk).values_list(
            "actor", "action", "field", "old_value", "new_value"
        )
    )
    assert entries == [(None, "auto_closed", "status", "open", "closed")]
    assert list(stale.comments.values_list("body", flat=True)) == [
        "Closed automatically after 5 days without activity."
    ]
    assert not AuditEntry.objects.filter(object_id__in=[fresh.pk, already.pk]).exists()


def test_rule_uses_each_workspace_setting(world):
    world.sales.auto_close_days = 2
    world.sales.save()
    in_sales = world.make_case(world.sales, status="new", last_activity_at=_ago(3))
    in_support = world.make_case(world.support, status="new", last_activity_at=_ago(3))

    assert close_inactive_cases.call_local() == 1

    assert Case.objects.get(pk=in_sales.pk).status == "closed"
    assert Case.objects.get(pk=in_support.pk).status == "new"


def test_an_update_or_comment_resets_the_clock(world):
    updated = world.make_case(
        world.support, segment=world.lisbon, status="open", last_activity_at=_ago(10)
    )
    commented = world.make_case(
        world.support, segment=world.lisbon, status="open", last_activity_at=_ago(10)
    )
    access = get_access(world.admin, "support")
    services.case_update(
        access=access, case=updated, comment="Called the customer", priority="high"
    )
    services.case_comment_add(access=access, case=commented, body="Waiting for the courier")

    call_command("close_inactive_cases")

    assert Case.objects.get(pk=updated.pk).status == "open"
    assert Case.objects.get(pk=commented.pk).status == "open"


def test_periodic_task_is_registered_with_the_worker():
    from huey.contrib.djhuey import HUEY

    # The worker asks huey which periodic tasks are due: ours every 10 minutes. (Other
    # modules' minute tasks are due too, once a test has imported their module.)
    def due(minute):
        return [t.name for t in HUEY.read_periodic(dt.datetime(2026, 1, 1, 12, minute))]

    assert "close_inactive_cases" in due(0) and "close_inactive_cases" in due(10)
    assert "close_inactive_cases" not in due(5)


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="SQLite's read snapshots")
@pytest.mark.django_db(transaction=True)
def test_a_commit_by_another_process_during_the_scan_does_not_fail_the_rule(world):
    # More than one page of the scan (500), so a cursor stays open while tickets close.
    first = world.make_case(world.support, status="open", last_activity_at=_ago(6))
    stale = [first] + Case.objects.bulk_create(
        Case(
            workspace=world.support,
            number=first.number + 1 + n,
            customer_email=first.customer_email,
            status="open",
            reported_at=_ago(9),
            last_activity_at=_ago(6),
        )
        for n in range(510)
    )
    other = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None, timeout=20)
    committed = []

    def commit_after_the_scan(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not committed and sql.startswith("SELECT") and '"care_case"' in sql:
            # Another process (the app, the other worker thread) commits a write meanwhile.
            other.execute("UPDATE care_case SET title = 'changed' WHERE id = ?", (stale[0].pk,))
            committed.append(sql)
        return result

    with connection.execute_wrapper(commit_after_the_scan):
        assert services.cases_close_inactive() == 511
    other.close()
    assert committed
    assert set(Case.objects.values_list("status", flat=True)) == {"closed"}
