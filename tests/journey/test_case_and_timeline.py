"""Case linking from the summary panel, the timeline (order, switch, paging, quick notes) and
the activity details (move, tags, comments, transcripts), through HTTP."""

import datetime as dt

import pytest
from django.utils import timezone

from caredesk.audit.models import AuditEntry
from caredesk.care.models import Case
from caredesk.journey import services as journey
from caredesk.journey.models import Activity, ActivityComment
from caredesk.routing import services as routing

from .conftest import conv_url, summary_url


def link(agent, chat, contact):
    r = agent.post(conv_url(chat, "contact/link/"), {"contact": contact.pk})
    assert r.status_code == 200
    chat.refresh_from_db()


def moved_entries(case):
    return list(
        AuditEntry.objects.filter(object_type="case", object_id=case.pk, action="activity moved")
        .order_by("id")
        .values_list("field", "old_value", "new_value", "actor__username")
    )


# --------------------------------------------------------------------------- case


def test_add_case_from_the_chat(world, as_user, chat, ana):
    agent = as_user(world.agent)  # an agent: use_care only, no inbox access
    link(agent, chat, ana)
    r = agent.post(
        conv_url(chat, "case/new/"),
        {"title": "Refund not received", "priority": "high", "description": "Paid twice."},
    )
    assert r.status_code == 200
    assert r["HX-Retarget"] == "#j-summary"
    case = Case.objects.get(workspace=world.support, title="Refund not received")
    assert (case.origin, case.priority, case.status) == ("chat", "high", "new")
    assert case.contact_id == ana.pk
    assert case.customer_email == "ana.lima@example.com"
    assert case.customer_comment == "Paid twice."
    assert [c.body for c in case.comments.all()] == ["Paid twice."]
    activity = Activity.objects.get(conversation=chat)
    assert activity.case_id == case.pk
    label = f"Chat activity {activity.pk}"
    assert moved_entries(case) == [("activity", "", label, "agent")]
    assert AuditEntry.objects.filter(
        object_type="case", object_id=case.pk, action="created"
    ).exists()
    html = r.content.decode()
    assert f"Ticket #{case.number} added." in html
    assert f"/w/support/tickets/{case.number}/" in html  # linked case and recent cases


def test_add_case_for_an_unknown_visitor(world, as_user, chat):
    r = as_user(world.agent).post(
        conv_url(chat, "case/new/"), {"title": "Question", "priority": "low", "description": ""}
    )
    assert r.status_code == 200
    case = Case.objects.get(title="Question")
    assert (case.origin, case.contact_id, case.customer_email) == ("chat", None, "")
    assert [c.body for c in case.comments.all()] == ["Opened from chat."]
    assert Activity.objects.get(conversation=chat).case_id == case.pk


def test_add_case_with_bad_input_changes_nothing(world, as_user, chat):
    agent = as_user(world.agent)
    r = agent.post(conv_url(chat, "case/new/"), {"title": "  ", "priority": "urgent"})
    assert r.status_code == 400
    html = r.content.decode()
    assert "A title is required." in html
    assert "Unknown priority &#x27;urgent&#x27;" in html
    assert 'name="title" maxlength="200" value="  " class="invalid"' in html
    assert Case.objects.count() == 0
    assert Activity.objects.get(conversation=chat).case_id is None
    assert not AuditEntry.objects.exists()


def test_link_an_existing_case_by_search(world, as_user, chat, ana):
    agent = as_user(world.agent)
    link(agent, chat, ana)
    mine = world.make_case(world.support, customer_email="ana.lima@example.com")
    # the agent opened it earlier (from the desk): a ticket they see
    Case.objects.filter(pk=mine.pk).update(title="Broken screen", created_by=world.agent)
    r = agent.get(conv_url(chat, "case/search/"), {"q": "screen"})
    assert f'name="number" value="{mine.number}"' in r.content.decode()
    r = agent.get(conv_url(chat, "case/search/"), {"q": f"#{mine.number}"})
    assert f'name="number" value="{mine.number}"' in r.content.decode()
    r = agent.post(conv_url(chat, "case/link/"), {"number": mine.number})
    assert r.status_code == 200
    assert f"Linked to ticket #{mine.number}." in r.content.decode()
    activity = Activity.objects.get(conversation=chat)
    assert activity.case_id == mine.pk
    assert moved_entries(mine) == [("activity", "", f"Chat activity {activity.pk}", "agent")]
    # the activity is activity on the case: its inactivity clock restarts
    mine.refresh_from_db()
    assert timezone.now() - mine.last_activity_at < dt.timedelta(minutes=5)


def test_link_refuses_a_case_the_user_may_not_see(world, as_user, chat, ana):
    agent = as_user(world.agent)
    link(agent, chat, ana)
    other = world.make_case(world.support, customer_email="someone@example.com")
    # the customer's own ticket, in no area of the agent's: hidden from them like any other
    anas = world.make_case(world.support, customer_email="ana.lima@example.com")
    foreign_ws = world.make_case(world.sales, customer_email="ana.lima@example.com")
    for found in (other, anas):
        r = agent.get(conv_url(chat, "case/search/"), {"q": str(found.number)})
        assert f'value="{found.number}"' not in r.content.decode()
    for number in (other.number, anas.number, foreign_ws.number + 1000, "abc", ""):
        r = agent.post(conv_url(chat, "case/link/"), {"number": number})
        assert r.status_code == 400, number
        assert "No such ticket." in r.content.decode()
    assert Activity.objects.get(conversation=chat).case_id is None
    assert not AuditEntry.objects.filter(action="activity moved").exists()


def test_recent_cases_are_the_customers_last_five(world, as_user, chat, ana):
    agent = as_user(world.agent)
    link(agent, chat, ana)
    cases = [
        world.make_case(world.support, customer_email="ana.lima@example.com", days_ago=d)
        for d in range(7)
    ]
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(created_by=world.agent)
    world.make_case(world.support, customer_email="else@example.com")
    # Ana's newest ticket, but not one the agent may see
    hidden = world.make_case(world.support, customer_email="ana.lima@example.com")
    html = agent.get(summary_url(chat)).content.decode()
    section = html.split("Recent tickets", 1)[1].split("</ul>", 1)[0]
    shown = [c.number for c in cases if f"/w/support/tickets/{c.number}/" in section]
    assert shown == [c.number for c in cases[:5]]
    assert f"#{hidden.number}<" not in section
    assert section.index(f"#{cases[0].number}<") < section.index(f"#{cases[4].number}<")


# --------------------------------------------------------------------------- timeline


def make_activities(world, contact, case=None):
    now = timezone.now()
    email = journey.activity_create(
        workspace=world.support,
        media_type="email",
        contact=contact,
        subject="Invoice copy",
        body="Please send the invoice.",
        occurred_at=now - dt.timedelta(days=3),
    )
    call = journey.activity_create(
        workspace=world.support,
        media_type="call",
        contact=contact,
        case=case,
        body="Customer: my refund?",
        context={
            "call": {
                "caller": "+351912345678",
                "state": "ended",
                "events": {"ringing": "2026-01-05T10:00:00+00:00"},
                "wait_seconds": 12,
                "duration_seconds": 252,
            }
        },
        occurred_at=now - dt.timedelta(days=1),
    )
    survey = journey.activity_create(
        workspace=world.support,
        media_type="survey_response",
        contact=contact,
        subject="NPS 3",
        occurred_at=now - dt.timedelta(days=2),
    )
    return email, call, survey


def items_in(html):
    import re

    return [int(n) for n in re.findall(r"/journey/activities/(\d+)/", html)]


def test_timeline_newest_first_with_quick_note(world, as_user, chat, ana):
    agent = as_user(world.agent)
    link(agent, chat, ana)
    email, call, survey = make_activities(world, ana)
    chat_activity = Activity.objects.get(conversation=chat)
    html = agent.get(summary_url(chat)).content.decode()
    assert items_in(html) == [chat_activity.pk, call.pk, survey.pk, email.pk]
    for icon in ("m-chat", "m-call", "m-email", "m-survey_response"):
        assert f'j-icon {icon}"' in html

    r = agent.post(
        "/w/support/journey/timeline/note/",
        {"record": f"contact:{ana.pk}", "conv": chat.public_token, "body": "Wants a callback <b>"},
    )
    assert r.status_code == 200
    note = Activity.objects.get(media_type="note")
    assert (note.contact_id, note.body, note.agent, note.direction) == (
        ana.pk,
        "Wants a callback <b>",
        world.agent,
        "internal",
    )
    html = r.content.decode()
    assert items_in(html)[0] == note.pk
    assert "Wants a callback &lt;b&gt;" in html


def test_quick_note_goes_on_the_chats_case_too(world, as_user, chat, ana):
    agent = as_user(world.agent)
    link(agent, chat, ana)
    agent.post(conv_url(chat, "case/new/"), {"title": "T", "priority": "low", "description": "d"})
    case = Case.objects.get(title="T")
    Case.objects.filter(pk=case.pk).update(last_activity_at=timezone.now() - dt.timedelta(days=4))
    agent.post("/w/support/journey/timeline/note/", {"conv": chat.public_token, "body": "noted"})
    note = Activity.objects.get(media_type="note")
    assert (note.contact_id, note.case_id) == (ana.pk, case.pk)
    case.refresh_from_db()
    assert timezone.now() - case.last_activity_at < dt.timedelta(minutes=5)


def test_empty_quick_note_is_refused(world, as_user, chat, ana):
    agent = as_user(world.agent)
    r = agent.post("/w/support/journey/timeline/note/", {"conv": chat.public_token, "body": "x"})
    assert r.status_code == 400  # unknown visitor, no case: nowhere to put it
    assert "Link a customer or a ticket to keep notes" in r.content.decode()
    link(agent, chat, ana)
    r = agent.post("/w/support/journey/timeline/note/", {"conv": chat.public_token, "body": "  "})
    assert r.status_code == 400
    assert "The note cannot be empty." in r.content.decode()
    assert not Activity.objects.filter(media_type="note").exists()


def test_switch_between_case_contact_and_account(world, as_user, chat, ana):
    from caredesk.customers import services as customers

    acme = customers.account_create(organization=world.org, name="Acme Corp")
    customers.contact_update(contact=ana, account_id=acme.pk)
    colleague = customers.contact_create(organization=world.org, name="Rui", account_id=acme.pk)
    agent = as_user(world.agent)
    link(agent, chat, ana)
    agent.post(conv_url(chat, "case/new/"), {"title": "T", "priority": "low", "description": "d"})
    case = Case.objects.get(title="T")
    email, call, survey = make_activities(world, ana)
    other = journey.activity_create(workspace=world.support, media_type="email", contact=colleague)
    chat_activity = Activity.objects.get(conversation=chat)

    html = agent.get(summary_url(chat)).content.decode()
    assert f'<option value="case:{case.number}">Ticket: #{case.number} T</option>' in html
    assert f'<option value="contact:{ana.pk}" selected>Customer: Ana Lima</option>' in html
    assert f'<option value="account:{acme.pk}">Account: Acme Corp</option>' in html

    url = "/w/support/journey/timeline/"
    r = agent.get(url, {"conv": chat.public_token, "record": f"case:{case.number}"})
    assert items_in(r.content.decode()) == [chat_activity.pk]
    r = agent.get(url, {"conv": chat.public_token, "record": f"account:{acme.pk}"})
    assert items_in(r.content.decode()) == [
        other.pk,
        chat_activity.pk,
        call.pk,
        survey.pk,
        email.pk,
    ]
    r = agent.get(url, {"conv": chat.public_token, "record": f"contact:{ana.pk}"})
    assert items_in(r.content.decode()) == [chat_activity.pk, call.pk, survey.pk, email.pk]


def test_timeline_pages_with_load_more(world, as_user, ana):
    base = timezone.now()
    made = [
        journey.activity_create(
            workspace=world.support,
            media_type="note",
            direction="internal",
            contact=ana,
            body=f"n{i}",
            occurred_at=base - dt.timedelta(minutes=i),
        )
        for i in range(60)
    ]
    # stored late but older than all: still last
    late = journey.activity_create(
        workspace=world.support,
        media_type="email",
        contact=ana,
        occurred_at=base - dt.timedelta(days=9),
    )
    agent = as_user(world.agent)
    html = agent.get(f"/w/support/journey/contacts/{ana.pk}/").content.decode()
    first = items_in(html)
    assert first == [a.pk for a in made[:50]]
    assert "Load more" in html
    more = f"before={made[49].pk}&amp;items=1"
    assert more in html
    r = agent.get(
        "/w/support/journey/timeline/",
        {"record": f"contact:{ana.pk}", "before": made[49].pk, "items": 1},
    )
    second = items_in(r.content.decode())
    assert second == [a.pk for a in made[50:]] + [late.pk]
    assert "Load more" not in r.content.decode()


def test_timeline_records_are_checked(world, as_user, ana):
    from caredesk.customers import services as customers

    foreign = customers.contact_create(organization=world.other_org, name="F")
    agent = as_user(world.agent)
    url = "/w/support/journey/timeline/"
    assert agent.get(url, {"record": f"contact:{foreign.pk}"}).status_code == 404
    assert agent.get(url, {"record": "contact:abc"}).status_code == 404
    assert agent.get(url, {"record": "nothing:1"}).status_code == 404
    hidden = world.make_case(world.support)
    assert agent.get(url, {"record": f"case:{hidden.number}"}).status_code == 404
    assert as_user(world.admin).get(url, {"record": f"case:{hidden.number}"}).status_code == 200
    assert agent.get(url, {"conv": "nope"}).status_code == 404


# --------------------------------------------------------------------------- activity details


def test_activity_details_move_audited_on_both_cases(world, as_user, chat, ana):
    agent = as_user(world.agent)
    link(agent, chat, ana)
    first = world.make_case(world.support, customer_email="ana.lima@example.com")
    second = world.make_case(world.support, customer_email="ana.lima@example.com")
    # tickets the agent opened, so tickets they see
    Case.objects.filter(pk__in=[first.pk, second.pk]).update(created_by=world.agent)
    agent.post(conv_url(chat, "case/link/"), {"number": first.number})
    activity = Activity.objects.get(conversation=chat)

    r = agent.get(f"/w/support/journey/activities/{activity.pk}/")
    assert r.status_code == 200
    html = r.content.decode()
    assert f"#{first.number}</b>" in html
    assert f'<option value="{second.number}">' in html

    r = agent.post(f"/w/support/journey/activities/{activity.pk}/move/", {"number": second.number})
    assert r.status_code == 200
    assert r["HX-Trigger"] == "journey-activity-changed"
    assert f"Moved to ticket #{second.number}." in r.content.decode()
    activity.refresh_from_db()
    assert activity.case_id == second.pk
    label = f"Chat activity {activity.pk}"
    assert moved_entries(first) == [
        ("activity", "", label, "agent"),
        ("activity", label, "", "agent"),
    ]
    assert moved_entries(second) == [("activity", "", label, "agent")]

    hidden = world.make_case(world.support, customer_email="x@example.com")
    r = agent.post(f"/w/support/journey/activities/{activity.pk}/move/", {"number": hidden.number})
    assert r.status_code == 400
    assert "No such ticket." in r.content.decode()
    activity.refresh_from_db()
    assert activity.case_id == second.pk
    assert moved_entries(hidden) == []


def test_tags_add_and_remove(world, as_user, chat):
    agent = as_user(world.agent)
    activity = Activity.objects.get(conversation=chat)
    url = f"/w/support/journey/activities/{activity.pk}/tags/"
    for name in ("refund", "vip"):
        r = agent.post(url, {"tag": name})
        assert r.status_code == 200
    assert sorted(activity.tags.values_list("name", flat=True)) == ["refund", "vip"]
    html = r.content.decode()
    assert 'aria-label="Remove tag refund"' in html

    r = agent.post(url, {"remove": "refund"})
    assert r.status_code == 200
    assert list(activity.tags.values_list("name", flat=True)) == ["vip"]

    r = agent.post(url, {"tag": "   "})
    assert r.status_code == 400
    assert "A tag is text of 1 to 60 characters." in r.content.decode()
    r = agent.post(url, {"remove": "nope"})
    assert r.status_code == 400
    assert "This activity has no such tag." in r.content.decode()
    assert list(activity.tags.values_list("name", flat=True)) == ["vip"]


def test_comments(world, as_user, chat):
    agent = as_user(world.agent)
    activity = Activity.objects.get(conversation=chat)
    url = f"/w/support/journey/activities/{activity.pk}/comments/"
    r = agent.post(url, {"body": "Customer <i>angry</i>"})
    assert r.status_code == 200
    assert list(ActivityComment.objects.values_list("body", "author__username")) == [
        ("Customer <i>angry</i>", "agent")
    ]
    assert "Customer &lt;i&gt;angry&lt;/i&gt;" in r.content.decode()
    r = agent.post(url, {"body": " "})
    assert r.status_code == 400
    assert "The comment cannot be empty." in r.content.decode()
    assert ActivityComment.objects.count() == 1


def test_activity_content_per_media_type(world, as_user, chat, ana):
    agent = as_user(world.agent)
    routing.message_post(conversation=chat, sender="customer", client_id="c1", body="<b>hi</b>")
    routing.message_post(
        conversation=chat, sender="agent", client_id="a1", body="Hello!", author=world.agent
    )
    activity = Activity.objects.get(conversation=chat)
    html = agent.get(f"/w/support/journey/activities/{activity.pk}/").content.decode()
    assert "&lt;b&gt;hi&lt;/b&gt;" in html and "<b>hi</b>" not in html
    assert html.index("&lt;b&gt;hi") < html.index("Hello!")
    assert "<dt>Queue</dt><dd>Billing</dd>" in html

    email, call, survey = make_activities(world, ana)
    html = agent.get(f"/w/support/journey/activities/{call.pk}/").content.decode()
    assert "<dt>Caller</dt><dd>+351912345678</dd><dt>State</dt><dd>Ended</dd>" in html
    assert "<dt>Wait</dt><dd>12s</dd><dt>Duration</dt><dd>4m 12s</dd>" in html
    assert "<dt>Ringing</dt><dd>5 Jan 2026, 10:00</dd>" in html
    assert "Customer: my refund?" in html
    html = agent.get(f"/w/support/journey/activities/{email.pk}/").content.decode()
    assert "<dt>Subject</dt><dd>Invoice copy</dd>" in html
    assert "Please send the invoice." in html


def test_activity_of_another_workspace_is_404(world, as_user, ana):
    other = journey.activity_create(workspace=world.sales, media_type="email", contact=ana)
    assert as_user(world.agent).get(f"/w/support/journey/activities/{other.pk}/").status_code == 404
    r = as_user(world.agent).post(f"/w/support/journey/activities/{other.pk}/tags/", {"tag": "x"})
    assert r.status_code == 404
    assert not other.tags.exists()


# --------------------------------------------------------------------------- journey pages


def test_journey_pages(world, as_user, ana):
    from caredesk.customers import services as customers
    from caredesk.workspaces import services as ws

    acme = customers.account_create(organization=world.org, name="Acme <Corp>")
    customers.contact_update(contact=ana, account_id=acme.pk)
    case = world.make_case(world.support, customer_email="ana.lima@example.com")
    email, call, survey = make_activities(world, ana, case=None)
    journey.activity_move(
        access=__import__("caredesk.workspaces.access", fromlist=["x"]).get_access(
            world.admin, "support"
        ),
        activity=call,
        case=case,
    )
    agent, admin = as_user(world.agent), as_user(world.admin)
    r = agent.get(f"/w/support/journey/contacts/{ana.pk}/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "Acme &lt;Corp&gt;" in html
    # the call is on a ticket the agent cannot see, so it is not on their view of the journey
    assert items_in(html) == [survey.pk, email.pk]
    r = agent.get(f"/w/support/journey/accounts/{acme.pk}/")
    assert r.status_code == 200
    assert items_in(r.content.decode()) == [survey.pk, email.pk]
    for page in (f"contacts/{ana.pk}", f"accounts/{acme.pk}"):
        r = admin.get(f"/w/support/journey/{page}/")
        assert items_in(r.content.decode()) == [call.pk, survey.pk, email.pk]
    # tickets follow ticket visibility: the admin sees it, the agent does not
    r = admin.get(f"/w/support/journey/cases/{case.number}/")
    assert r.status_code == 200
    assert items_in(r.content.decode()) == [call.pk]
    assert agent.get(f"/w/support/journey/cases/{case.number}/").status_code == 404
    # other organization / no use_care
    assert as_user(world.outsider).get(f"/w/support/journey/contacts/{ana.pk}/").status_code == 404
    nobody = ws.user_create(organization=world.org, username="nobody", password="pw-12345678")
    assert as_user(nobody).get(f"/w/support/journey/contacts/{ana.pk}/").status_code == 403


def test_chat_cases_follow_the_auto_close_rule(world, as_user, chat, ana):
    from caredesk.care.services import cases_close_inactive

    agent = as_user(world.agent)
    link(agent, chat, ana)
    agent.post(
        conv_url(chat, "case/new/"), {"title": "Busy", "priority": "low", "description": "d"}
    )
    quiet = start_chat_case(world, agent, "Quiet")
    busy = Case.objects.get(title="Busy")
    six_days_ago = timezone.now() - dt.timedelta(days=6)
    Case.objects.filter(pk__in=[busy.pk, quiet.pk]).update(last_activity_at=six_days_ago)
    # work on the busy case's chat (a comment on its activity) restarts its clock
    activity = Activity.objects.get(conversation=chat)
    r = agent.post(
        f"/w/support/journey/activities/{activity.pk}/comments/", {"body": "still on it"}
    )
    assert r.status_code == 200
    assert cases_close_inactive() == 1
    busy.refresh_from_db()
    quiet.refresh_from_db()
    assert (busy.status, quiet.status) == ("new", "closed")


def start_chat_case(world, agent, title):
    from .conftest import start_chat

    other = start_chat(world, pre_chat={"topic": "Billing"})
    r = agent.post(conv_url(other, "case/new/"), {"title": title, "priority": "low"})
    assert r.status_code == 200
    return Case.objects.get(title=title)


def test_title_search_uses_the_trigram_index(world, chat):
    # On PostgreSQL, care migration 0006 indexes upper(title) with trigrams, the expression
    # Django writes for `title__icontains`. At 1,000,000 tickets a search for words no title
    # has took ~1 s through the dates index, and ~3 ms with this one (bench/README.md).
    from django.db import connection

    from caredesk.workspaces.access import get_access

    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no trigram index: the search scans")
    model = world.make_case(world.support, customer_email="ana.lima@example.com")
    columns = [f.column for f in Case._meta.concrete_fields if f.column not in ("id", "number")]
    with connection.cursor() as cursor:
        # Enough tickets of other titles that reading them all would cost the planner more.
        cursor.execute(
            f"INSERT INTO care_case (number, {', '.join(columns)})"
            f" SELECT {model.number} + g, {', '.join(columns)}"
            " FROM care_case, generate_series(1, 5000) g WHERE id = %s",
            [model.pk],
        )
        # New GIN entries wait in the index's pending list, which the planner prices as a
        # scan of its own (VACUUM would merge them); and the table is still small enough that
        # a sequential scan can look cheaper on some runs. Neither is the question here.
        cursor.execute("SELECT gin_clean_pending_list('care_case_title_trgm'::regclass)")
        cursor.execute("ANALYZE care_case")
    access = get_access(world.admin, "support")
    query = (
        Case.objects.visible_to(access)
        .filter(title__icontains="zzq screen")
        .order_by("-reported_at")
    )
    sql, params = query[:20].query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # the test's transaction only
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "care_case_title_trgm" in plan, plan
