"""Issue 12: a ticket created by any path (the desk, the public survey page, the API, the
manual form) gets a segment and an owner, through care.services.CaseDrafts and the workspace's
"segment of a new ticket" setting. Each test goes through the public surface."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from caredesk.care.bulk import cases_create_many
from caredesk.care.models import Case
from caredesk.care.services import NewCase
from caredesk.feedback.services import survey_create
from caredesk.workspaces.access import Access
from caredesk.workspaces.models import Membership, Workspace
from tests.journey.conftest import conv_url

API = "/api/v1/workspaces/support"


def add_ticket_from_desk(client, chat, title="Refund not received"):
    r = client.post(
        conv_url(chat, "case/new/"),
        {"title": title, "priority": "high", "description": "Paid twice."},
    )
    assert r.status_code == 200, r.content
    return Case.objects.get(workspace__slug="support", title=title)


def set_order(world, *sources, default=None):
    Workspace.objects.filter(pk=world.support.pk).update(
        case_segment_order=list(sources), default_segment=default
    )


def api_numbers(client) -> list[int]:
    r = client.get(f"{API}/tickets")
    assert r.status_code == 200, r.content
    return [t["number"] for t in r.json()["items"]]


# -- the desk -------------------------------------------------------------------------------


def test_desk_ticket_takes_the_queue_segment_and_the_agent_owns_it(
    world, as_user, api_client, chat, ana
):
    chat.queue.segment = world.store1
    chat.queue.save()
    agent = as_user(world.agent)
    agent.post(conv_url(chat, "contact/link/"), {"contact": ana.pk})

    case = add_ticket_from_desk(agent, chat)

    assert (case.segment, case.source_segment, case.segment_path) == (
        world.store1,
        world.store1,
        world.store1.path,
    )
    assert case.owner == world.agent
    assert case.created_by == world.agent
    # The agent's own open tickets: on the desk and on Home, each opening its dialog.
    desk = agent.get("/w/support/desk/").content.decode()
    assert 'My open tickets <span class="count">1</span>' in desk
    assert f'href="/w/support/tickets/{case.number}/"' in desk
    home = agent.get("/w/support/").content.decode()
    assert f'<a href="/w/support/tickets/{case.number}/">#{case.number}</a>' in home
    # Its area's manager (Lisbon, above Store 1) sees it; Italy's does not.
    assert case.number in api_numbers(api_client(world.manager))
    assert case.number not in api_numbers(api_client(world.italy_manager))


def test_desk_ticket_without_queue_segment_takes_the_agents_default_segment(world, as_user, chat):
    Membership.objects.filter(workspace=world.support, user=world.agent).update(
        default_segment=world.store2
    )
    case = add_ticket_from_desk(as_user(world.agent), chat)
    assert case.segment == world.store2
    # The agent handles the chat: they own it, though Store 2 has two managers.
    assert case.owner == world.agent


def test_the_workspace_order_decides_between_sources(world, as_user, chat):
    chat.queue.segment = world.store1
    chat.queue.save()
    Membership.objects.filter(workspace=world.support, user=world.agent).update(
        default_segment=world.italy
    )
    set_order(world, "agent", "queue")
    case = add_ticket_from_desk(as_user(world.agent), chat, "Agent first")
    assert case.segment == world.italy

    set_order(world, "queue", "agent")
    case = add_ticket_from_desk(as_user(world.agent), chat, "Queue first")
    assert case.segment == world.store1

    # No source used: the workspace's default segment; no default either: none.
    set_order(world, default=world.lisbon)
    assert add_ticket_from_desk(as_user(world.agent), chat, "Default").segment == world.lisbon
    set_order(world)
    assert add_ticket_from_desk(as_user(world.agent), chat, "Nothing").segment is None


# -- the public survey page -----------------------------------------------------------------


def post_survey(survey, django_capture_on_commit_callbacks, email="ana@example.com", score="2"):
    with django_capture_on_commit_callbacks(execute=True):
        r = Client().post(
            f"/s/{survey.token}/",
            {"score": score, "comment": "Rude staff", "customer_email": email},
        )
    assert r.status_code == 200, r.content


def test_survey_detractor_takes_the_survey_segment_and_its_manager(
    world, api_client, django_capture_on_commit_callbacks
):
    nps = survey_create(
        workspace=world.support, kind="nps", name="Store visit", segment=world.italy.pk
    )
    post_survey(nps, django_capture_on_commit_callbacks)
    case = Case.objects.get(workspace=world.support)
    assert (case.origin, case.segment, case.owner) == (
        "survey_response",
        world.italy,
        world.italy_manager,  # Italy's only manager, as a manual ticket would get
    )
    assert api_numbers(api_client(world.italy_manager)) == [case.number]
    assert api_numbers(api_client(world.manager)) == []


def test_survey_detractor_takes_the_customers_segment_then_the_default(
    world, api_client, django_capture_on_commit_callbacks
):
    nps = survey_create(workspace=world.support, kind="nps", name="Store visit")
    set_order(world, "survey", "contact", default=world.store1)
    # A first detractor: no survey segment, no earlier ticket: the default segment.
    post_survey(nps, django_capture_on_commit_callbacks)
    first = Case.objects.get(workspace=world.support)
    assert first.segment == world.store1
    assert first.owner is None  # Store 1 has no manager of its own
    # The customer's ticket is moved to Lisbon; their next one follows it there.
    r = api_client(world.admin).patch(
        f"{API}/tickets/{first.number}",
        {"segment": world.lisbon.pk, "comment": "Lisbon handles her"},
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    post_survey(nps, django_capture_on_commit_callbacks, score="1")
    second = Case.objects.filter(workspace=world.support).exclude(pk=first.pk).get()
    assert (second.segment, second.owner) == (world.lisbon, world.manager)
    assert second.number in api_numbers(api_client(world.manager))


def test_survey_create_refuses_a_segment_of_another_organization(world):
    other = world.other_org.segments.create(name="Elsewhere", path="/999/")
    with pytest.raises(Exception) as refused:
        survey_create(workspace=world.support, kind="nps", name="X", segment=other.pk)
    assert getattr(refused.value, "errors", None) == {"segment": "No such segment."}


# -- the API and the manual form ------------------------------------------------------------


def test_api_ticket_without_segment_takes_the_creators_default_segment(world, api_client):
    Membership.objects.filter(workspace=world.support, user=world.coach).update(
        default_segment=world.italy
    )
    r = api_client(world.coach).post(
        f"{API}/tickets",
        {"customer_email": "x@example.com", "comment": "Phoned in"},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["segment"]["id"] == world.italy.pk
    assert body["owner"]["id"] == world.italy_manager.pk
    # Named explicitly, the path's segment wins over every source.
    r = api_client(world.coach).post(
        f"{API}/tickets",
        {"customer_email": "x@example.com", "comment": "Phoned in", "segment": world.lisbon.pk},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    assert (r.json()["segment"]["id"], r.json()["owner"]["id"]) == (
        world.lisbon.pk,
        world.manager.pk,
    )


def test_manual_form_ticket_takes_the_workspace_default_segment(world, as_user):
    set_order(world, "queue", "survey", default=world.lisbon)
    r = as_user(world.admin).post(
        "/w/support/tickets/new/",
        {"customer_email": "y@example.com", "priority": "low", "status": "new", "comment": "Hi"},
    )
    assert r.status_code in (200, 302), r.content
    case = Case.objects.get(workspace=world.support, customer_email="y@example.com")
    assert (case.segment, case.owner) == (world.lisbon, world.manager)


# -- the batch path -------------------------------------------------------------------------


def _batch(world, n: int) -> list[NewCase]:
    return [
        NewCase(
            customer_email=f"c{i % 3}@example.com",
            comment="batch",
            survey_segment_id=world.italy.pk if i % 2 else None,
        )
        for i in range(n)
    ]


def test_the_batch_reads_sources_per_distinct_key_not_per_row(world):
    set_order(world, "survey", "contact", "agent", default=world.store2)
    access = Access.system(Workspace.objects.get(pk=world.support.pk))

    def queries(n):
        with CaptureQueriesContext(connection) as ctx:
            results = cases_create_many(access=access, items=_batch(world, n))
        assert all(isinstance(r, Case) for r in results)
        # The reads (SQLite's bulk INSERTs are split by its parameter limit; PostgreSQL COPYs).
        reads = [q for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
        return len(reads), results

    queries(4)  # the customers' contacts exist from here on
    small, _ = queries(4)
    large, results = queries(40)
    assert large == small
    by_segment = {r.segment_id for r in results}
    assert by_segment == {world.italy.pk, world.store2.pk}
