"""The case-management inbox: the dialog of a case from a response (response, history), triage
(share, to-dos, discussion, resolution reason), visibility of shared cases, the inbox page
with its counts per owner and segment, and the API fields."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from caredesk.audit.models import AuditEntry
from caredesk.care.models import Case, CaseComment, CaseShare, CaseTodo
from caredesk.care.selectors import cases_visible
from caredesk.journey.models import Activity
from caredesk.journey.services import activity_create
from caredesk.workspaces.access import get_access

from .conftest import HX

INBOX = "/w/support/tickets/inbox/"


def detail(case):
    return f"/w/support/tickets/{case.number}/"


def audit(case):
    return list(
        AuditEntry.objects.filter(object_type="case", object_id=case.pk)
        .order_by("id")
        .values_list("action", "field", "old_value", "new_value")
    )


# --------------------------------------------------------------------------- case ↔ response


def test_dialog_of_a_case_from_a_response_shows_it_escaped(world, as_user, detractor_case):
    case, response = detractor_case
    html = as_user(world.manager).get(detail(case), **HX).content.decode()
    link = f'href="/w/support/feedback/responses/{response.pk}/"'
    assert html.count(link) == 2  # the Response ID fact and the "Open response" button
    assert "Store &lt;visit&gt;" in html
    assert "Rude staff &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    assert "order_id" in html and "A-1001" in html
    assert "store &lt;b&gt;" in html and "store <b>" not in html
    assert 'data-tab="update" class="active"' in html and 'id="panel-response"' in html


def test_dialog_shows_the_customers_other_cases_and_journey(world, as_user, detractor_case):
    case, _ = detractor_case
    other = world.make_case(world.support, segment=world.lisbon, customer_email="ana@example.com")
    hidden = world.make_case(world.support, segment=world.italy, customer_email="ana@example.com")
    activity_create(
        workspace=world.support,
        media_type="call",
        direction="inbound",
        contact=case.contact,
        subject="Called about <the> order",
    )
    html = as_user(world.manager).get(detail(case), **HX).content.decode()
    history = html.split('data-panel="history"')[1].split('data-panel="log"')[0]
    assert f"#{other.number}</a>" in history
    assert f"#{hidden.number}<" not in history  # outside the manager's area
    assert "Called about &lt;the&gt; order" in history


def test_a_manual_case_has_no_response_tab(world, as_user):
    case = world.make_case(world.support, segment=world.lisbon)
    html = as_user(world.admin).get(detail(case), **HX).content.decode()
    assert 'data-tab="response"' not in html
    assert "/feedback/responses/" not in html


# --------------------------------------------------------------------------- resolution


def resolve(client, case, **fields):
    data = {
        "priority": case.priority,
        "status": "resolved",
        "segment": case.segment_id or "",
        "owner": case.owner_id or "",
        "comment": "Called her",
        **fields,
    }
    return client.post(detail(case), data, **HX)


@pytest.mark.parametrize(
    "fields, error",
    [
        ({}, "A resolution reason is required to set the status to resolved"),
        ({"resolution_reason": "fixed"}, "Unknown resolution_reason &#x27;fixed&#x27;"),
        ({"resolution_reason": "other"}, "Say what the resolution was (reason: other)."),
        (
            {"status": "open", "resolution_reason": "duplicate"},
            "A resolution reason is given only when the status becomes resolved or closed.",
        ),
    ],
)
def test_resolution_reason_refusals_change_nothing(world, as_user, fields, error):
    case = world.make_case(world.support, segment=world.lisbon, owner=world.manager)
    r = resolve(as_user(world.manager), case, **fields)
    assert r.status_code == 400
    assert error in r.content.decode()
    case.refresh_from_db()
    assert (case.status, case.resolution_reason) == ("new", "")
    assert audit(case) == [] and CaseComment.objects.filter(case=case).count() == 0


def test_resolve_with_a_reason_then_reopen_clears_it(world, as_user):
    case = world.make_case(world.support, segment=world.lisbon, owner=world.manager)
    client = as_user(world.manager)
    r = resolve(client, case, resolution_reason="other", resolution_note="Refund <given>")
    assert r.status_code == 200
    assert "Other — Refund &lt;given&gt;" in r.content.decode()
    case.refresh_from_db()
    assert (case.status, case.resolution_reason, case.resolution_note) == (
        "resolved",
        "other",
        "Refund <given>",
    )
    r = resolve(client, case, status="open", resolution_reason="other")
    assert r.status_code == 200
    case.refresh_from_db()
    assert (case.status, case.resolution_reason, case.resolution_note) == ("open", "", "")
    assert audit(case) == [
        ("updated", "status", "new", "resolved"),
        ("updated", "resolution_reason", "", "other"),
        ("updated", "resolution_note", "", "Refund <given>"),
        ("updated", "status", "resolved", "open"),
        ("updated", "resolution_reason", "other", ""),
        ("updated", "resolution_note", "Refund <given>", ""),
    ]


def test_editing_a_case_resolved_before_reasons_existed_needs_none(world, as_user):
    case = world.make_case(world.support, segment=world.lisbon, status="resolved")
    r = resolve(as_user(world.admin), case, priority="high")
    assert r.status_code == 200
    case.refresh_from_db()
    assert (case.priority, case.resolution_reason) == ("high", "")


# --------------------------------------------------------------------------- sharing


def test_share_lets_a_colleague_see_and_work_the_case(world, as_user):
    italy = world.make_case(world.support, segment=world.italy, owner=world.italy_manager)
    mgr = as_user(world.manager)
    assert mgr.get(detail(italy), **HX).status_code == 404
    r = as_user(world.admin).post(detail(italy) + "share/", {"user": world.manager.pk}, **HX)
    assert r.status_code == 200 and "Shared with Manager." in r.content.decode()
    assert mgr.get(detail(italy), **HX).status_code == 200
    assert italy.number in [c.number for c in mgr.get("/w/support/tickets/").context["page"].items]
    r = mgr.post(detail(italy) + "todos/", {"text": "Call back"}, **HX)
    assert r.status_code == 200
    assert audit(italy) == [
        ("shared", "shared with", "", "manager"),
        ("to-do added", "to-do", "", "Call back"),
    ]
    # Unshared: gone again.
    r = as_user(world.admin).post(detail(italy) + "unshare/", {"user": world.manager.pk}, **HX)
    assert r.status_code == 200
    assert mgr.get(detail(italy), **HX).status_code == 404
    assert audit(italy)[-1] == ("unshared", "shared with", "manager", "")


def test_visibility_has_no_duplicates_when_several_branches_match(world):
    case = world.make_case(world.support, segment=world.store2, owner=world.manager)
    for user in (world.manager, world.manager2, world.coach):
        CaseShare.objects.create(case=case, user=user)
    for user in (world.manager, world.manager2, world.coach):
        access = get_access(user, "support")
        assert list(cases_visible(access).values_list("pk", flat=True)) == [case.pk]
        assert cases_visible(access).count() == 1
    assert cases_visible(get_access(world.italy_manager, "support")).count() == 0


@pytest.mark.parametrize(
    "who, error",
    [
        ("", "No such colleague."),
        ("999999", "No such colleague."),
        ("OUTSIDER", "No such colleague."),
        ("AGENT", "Agent has no access to the tickets of this workspace."),
        ("OWNER", "Manager owns this ticket already."),
        ("SHARED", "This ticket is already shared with Coach."),
    ],
)
def test_share_refusals_change_nothing(world, as_user, who, error):
    case = world.make_case(world.support, segment=world.lisbon, owner=world.manager)
    CaseShare.objects.create(case=case, user=world.coach)
    user_id = {
        "OUTSIDER": world.outsider.pk,
        "AGENT": world.agent.pk,
        "OWNER": world.manager.pk,
        "SHARED": world.coach.pk,
    }.get(who, who)
    r = as_user(world.admin).post(detail(case) + "share/", {"user": user_id}, **HX)
    assert r.status_code == 400
    assert error in r.content.decode()
    assert list(CaseShare.objects.values_list("user", flat=True)) == [world.coach.pk]
    assert audit(case) == []


def test_unshare_of_someone_not_shared_is_refused(world, as_user):
    case = world.make_case(world.support, segment=world.lisbon)
    r = as_user(world.admin).post(detail(case) + "unshare/", {"user": world.coach.pk}, **HX)
    assert r.status_code == 400
    assert "This ticket is not shared with that user." in r.content.decode()


# --------------------------------------------------------------------------- to-dos, notes


def test_todos_add_done_and_reopen(world, as_user):
    case = world.make_case(world.support, segment=world.lisbon)
    client = as_user(world.manager)
    due = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    r = client.post(detail(case) + "todos/", {"text": "Refund <order>", "due_date": due}, **HX)
    assert r.status_code == 200
    assert "Refund &lt;order&gt;" in r.content.decode()
    todo = CaseTodo.objects.get()
    assert (todo.text, todo.due_date.isoformat(), todo.done) == ("Refund <order>", due, False)
    r = client.post(detail(case) + f"todos/{todo.pk}/", {"done": "1"}, **HX)
    assert r.status_code == 200
    todo.refresh_from_db()
    assert (todo.done, todo.done_by) == (True, world.manager)
    r = client.post(detail(case) + f"todos/{todo.pk}/", {"done": "1"}, **HX)
    assert r.status_code == 400 and "This to-do is already done." in r.content.decode()
    client.post(detail(case) + f"todos/{todo.pk}/", {"done": "0"}, **HX)
    todo.refresh_from_db()
    assert (todo.done, todo.done_by, todo.done_at) == (False, None, None)
    assert [a[0] for a in audit(case)] == ["to-do added", "to-do done", "to-do reopened"]


@pytest.mark.parametrize(
    "text, due, error",
    [
        ("  ", "", "Say what is to be done."),
        ("x" * 501, "", "A to-do is at most 500 characters."),
        ("Call", "tomorrow", "Not a date (YYYY-MM-DD): &#x27;tomorrow&#x27;"),
        ("Call", "2000-01-01", "The due date cannot be in the past."),
    ],
)
def test_todo_refusals_change_nothing(world, as_user, text, due, error):
    case = world.make_case(world.support, segment=world.lisbon)
    r = as_user(world.admin).post(detail(case) + "todos/", {"text": text, "due_date": due}, **HX)
    assert r.status_code == 400
    assert error in r.content.decode()
    assert CaseTodo.objects.count() == 0 and audit(case) == []


def test_todo_of_another_case_is_not_found(world, as_user):
    a = world.make_case(world.support, segment=world.lisbon)
    b = world.make_case(world.support, segment=world.lisbon)
    todo = CaseTodo.objects.create(case=b, text="x")
    r = as_user(world.admin).post(detail(a) + f"todos/{todo.pk}/", {"done": "1"}, **HX)
    assert r.status_code == 400 and "No such to-do on this ticket." in r.content.decode()
    todo.refresh_from_db()
    assert todo.done is False


def test_a_comment_alone_is_an_update_and_the_dialog_has_one_comment_box(world, as_user):
    case = world.make_case(world.support, segment=world.lisbon, owner=world.manager)
    client = as_user(world.manager)
    html = client.get(detail(case), **HX).content.decode()
    # One comment box in the dialog (the update's); the old "Add note" form is gone.
    assert html.count("<textarea") == 2  # the comment and the email's message
    assert html.count('name="comment"') == 1 and "Add note" not in html
    assert client.post(detail(case) + "discuss/", {"body": "x"}, **HX).status_code == 404
    fields = {"priority": case.priority, "status": case.status, "segment": world.lisbon.pk}
    fields["owner"] = world.manager.pk
    r = client.post(detail(case), {**fields, "comment": "Can you <b>call</b>?"}, **HX)
    assert r.status_code == 200 and "Can you &lt;b&gt;call&lt;/b&gt;?" in r.content.decode()
    r = client.post(detail(case), {**fields, "comment": "  "}, **HX)
    assert r.status_code == 400 and "A comment is required with every update." in r.content.decode()
    assert list(CaseComment.objects.values_list("body", flat=True)) == ["Can you <b>call</b>?"]
    assert AuditEntry.objects.filter(field__gt="").count() == 0


@pytest.mark.parametrize(
    "path, data",
    [
        ("share/", {"user": "1"}),
        ("unshare/", {"user": "1"}),
        ("todos/", {"text": "x"}),
    ],
)
def test_triage_permissions(world, as_user, path, data):
    lisbon = world.make_case(world.support, segment=world.lisbon)
    italy = world.make_case(world.support, segment=world.italy)
    assert as_user(world.agent).post(detail(lisbon) + path, data, **HX).status_code == 403
    assert as_user(world.manager).post(detail(italy) + path, data, **HX).status_code == 404
    assert as_user(world.outsider).post(detail(lisbon) + path, data, **HX).status_code == 404
    assert as_user(world.admin).get(detail(lisbon) + path).status_code == 405
    assert CaseShare.objects.count() == CaseTodo.objects.count() == 0
    assert CaseComment.objects.count() == 0 and AuditEntry.objects.count() == 0


# --------------------------------------------------------------------------- inbox page


@pytest.fixture
def inbox_scene(world):
    mk = world.make_case
    today = timezone.localdate()
    s = type("S", (), {})()
    s.fresh = mk(world.support, segment=world.lisbon, owner=world.manager, origin="survey_response")
    s.late = mk(
        world.support, segment=world.lisbon, owner=world.manager, origin="alert", days_ago=10
    )
    s.todo_late = mk(world.support, segment=world.store2, owner=world.manager2, origin="alert")
    CaseTodo.objects.create(case=s.todo_late, text="x", due_date=today - dt.timedelta(days=1))
    s.todo_ok = mk(world.support, segment=world.store2, owner=world.manager2, origin="alert")
    CaseTodo.objects.create(case=s.todo_ok, text="y", due_date=today)
    CaseTodo.objects.create(
        case=s.todo_ok, text="z", due_date=today - dt.timedelta(days=3), done=True
    )
    s.looped = mk(
        world.support, segment=world.lisbon, owner=world.manager, origin="alert", status="resolved"
    )
    activity_create(
        workspace=world.support, media_type="email", direction="outbound", case=s.looped
    )
    s.not_looped = mk(
        world.support, segment=world.lisbon, owner=world.manager, origin="alert", status="closed"
    )
    activity_create(
        workspace=world.support, media_type="email", direction="inbound", case=s.not_looped
    )
    s.italy = mk(world.support, segment=world.italy, owner=world.italy_manager, origin="alert")
    s.unassigned = mk(world.support, segment=None, origin="alert", days_ago=5)
    s.manual = mk(world.support, segment=world.lisbon, owner=world.manager, origin="manual")
    return s


def summary(response, kind):
    return [
        (r.label, r.open, r.overdue, r.looped, r.total) for r in response.context["summary"][kind]
    ]


def test_inbox_counts_per_owner_and_segment(world, as_user, inbox_scene):
    r = as_user(world.admin).get(INBOX)
    assert r.status_code == 200
    assert summary(r, "owners") == [
        ("Italymgr", 1, 0, 0, 1),
        ("Manager", 2, 1, 1, 4),
        ("Manager2", 2, 1, 0, 2),
        ("Unassigned", 1, 1, 0, 1),
    ]
    assert summary(r, "segments") == [
        ("Italy", 1, 0, 0, 1),
        ("Lisbon", 2, 1, 1, 4),
        ("Lisbon Store 2", 2, 1, 0, 2),
        ("No segment", 1, 1, 0, 1),
    ]
    t = r.context["owner_total"]
    assert (t.open, t.overdue, t.looped, t.total) == (6, 3, 1, 8)
    html = r.content.decode()
    assert 'id="summary-owners"' in html and 'id="summary-segments"' in html


def test_inbox_lists_and_views(world, as_user, inbox_scene):
    s = inbox_scene
    client = as_user(world.admin)

    def listed(**params):
        r = client.get(INBOX, params)
        assert r.status_code == 200
        return [c.number for c in r.context["listing"].items]

    n = lambda *cases: [c.number for c in cases]  # noqa: E731
    assert listed() == n(s.italy, s.todo_ok, s.todo_late, s.fresh, s.unassigned, s.late)
    assert listed(view="overdue") == n(s.todo_late, s.unassigned, s.late)
    assert listed(view="done") == n(s.not_looped, s.looped)
    assert listed(view="all", origins="all")[0] == s.manual.number
    assert s.manual.number not in listed(view="all")
    r = client.get(INBOX)
    rows = {c.number: c for c in r.context["listing"].items}
    assert rows[s.todo_ok.number].open_todos == 1
    assert rows[s.todo_late.number].is_overdue and not rows[s.todo_ok.number].is_overdue
    assert f'<tr id="inbox-{s.late.number}" data-number="{s.late.number}" class="overdue">' in (
        r.content.decode()
    )


def test_inbox_mine_and_shared_views(world, as_user, inbox_scene):
    s = inbox_scene
    CaseShare.objects.create(case=s.italy, user=world.manager2)
    client = as_user(world.manager2)
    r = client.get(INBOX, {"view": "mine"})
    assert [c.number for c in r.context["listing"].items] == [
        s.italy.number,
        s.todo_ok.number,
        s.todo_late.number,
    ]
    r = client.get(INBOX, {"view": "shared"})
    assert [c.number for c in r.context["listing"].items] == [s.italy.number]
    assert r.context["listing"].items[0].share_count == 1


def test_inbox_counts_follow_visibility(world, as_user, inbox_scene):
    r = as_user(world.italy_manager).get(INBOX)
    assert summary(r, "owners") == [("Italymgr", 1, 0, 0, 1)]


def test_inbox_bad_view_and_permissions(world, as_user, inbox_scene):
    r = as_user(world.admin).get(INBOX, {"view": "urgent"})
    assert r.status_code == 400
    assert "There is no inbox view “urgent”; the open tickets are shown." in r.content.decode()
    assert as_user(world.agent).get(INBOX).status_code == 403
    r = as_user(world.outsider).get(INBOX)
    assert r.status_code == 200 and r.context["listing"].items == []
    assert as_user(world.outsider).get("/w/sales/tickets/inbox/").status_code == 404


def test_inbox_query_count_does_not_grow_with_cases(world, as_user, inbox_scene):
    client = as_user(world.admin)
    client.get(INBOX)  # warm the session

    def count():
        with CaptureQueriesContext(connection) as q:
            assert client.get(INBOX).status_code == 200
        return len(q)

    before = count()
    for i in range(30):
        c = world.make_case(
            world.support,
            segment=world.store2 if i % 2 else world.lisbon,
            owner=world.manager2 if i % 2 else world.manager,
            origin="alert",
        )
        CaseTodo.objects.create(case=c, text="t")
        CaseShare.objects.create(case=c, user=world.coach)
    assert count() == before
    assert before <= 14


# --------------------------------------------------------------------------- API


def test_api_shows_resolution_shares_and_todos(world, api_client):
    case = world.make_case(world.support, segment=world.lisbon, owner=world.manager)
    CaseShare.objects.create(case=case, user=world.coach, shared_by=world.admin)
    CaseTodo.objects.create(case=case, text="late", due_date=timezone.localdate() - dt.timedelta(1))
    api = api_client(world.admin)
    base = f"/api/v1/workspaces/support/tickets/{case.number}"
    item = api.get(base).json()
    assert item["resolution_reason"] == "" and item["resolution_note"] == ""
    assert [(s["user"]["username"], s["shared_by"]["username"]) for s in item["shares"]] == [
        ("coach", "admin")
    ]
    assert [(t["text"], t["done"], t["overdue"]) for t in item["todos"]] == [("late", False, True)]
    r = api.patch(
        base,
        {"status": "resolved", "comment": "ok"},
        content_type="application/json",
    )
    assert r.status_code == 400
    assert list(r.json()["errors"]) == ["resolution_reason"]
    assert Case.objects.get(pk=case.pk).status == "new"
    r = api.patch(
        base,
        {"status": "resolved", "comment": "ok", "resolution_reason": "resolved_contacted"},
        content_type="application/json",
    )
    assert r.status_code == 200
    assert (r.json()["status"], r.json()["resolution_reason"]) == ("resolved", "resolved_contacted")
    listed = api.get("/api/v1/workspaces/support/tickets").json()["items"]
    assert listed[0]["shares"][0]["user"]["username"] == "coach"
    assert Activity.objects.count() == 0
