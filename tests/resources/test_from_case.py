"""“Write an article” from a resolved ticket or an ended conversation: the exact prefilled
draft, the stored source, the buttons, and refusals for what the writer may not see."""

import pytest
from django.urls import reverse

from caredesk.care import services as care
from caredesk.journey.models import Activity, MediaType
from caredesk.resources.models import Article
from caredesk.routing import services as routing
from caredesk.routing.models import Conversation, Message
from caredesk.workspaces.access import get_access
from caredesk.workspaces.permissions import Perm


def url(name, *args):
    return reverse(name, args=["support", *args])


@pytest.fixture
def solved(world):
    case = world.make_case(
        world.support, segment=world.store1, customer_comment="My parcel never arrived."
    )
    case.title = "Parcel not delivered"
    case.save()
    manager = get_access(world.manager, "support", require=Perm.INBOX_ACCESS)
    care.case_update(access=manager, case=case, comment="Asked the carrier.", status="open")
    care.case_update(
        access=manager,
        case=case,
        comment="Reshipped with tracking; the carrier had lost it.",
        status="resolved",
        resolution_reason="resolved_contacted",
        resolution_note="Reshipped.",
    )
    return case


def test_a_resolved_ticket_prefills_the_draft(world, as_user, solved):
    c = as_user(world.manager)
    page = c.get(url("article_create") + f"?case={solved.number}")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'name="title" value="Parcel not delivered"' in body
    expected = (
        "## Problem\n\nMy parcel never arrived.\n\n## Solution\n\n"
        "Reshipped.\n\nReshipped with tracking; the carrier had lost it.\n"
    )
    assert f">{expected}</textarea>" in body
    r = c.post(
        url("article_create"),
        {
            "case": solved.number,
            "title": "Parcel not delivered",
            "body": expected,
            "language": "en",
            "audience": "internal",
            "status": "draft",
        },
    )
    assert r.status_code == 302
    a = Article.objects.get()
    assert (a.source_case_id, a.translations.get().body) == (solved.pk, expected.strip("\n"))


def test_the_ticket_dialog_offers_it_to_writers_only(world, as_user, solved):
    ticket = reverse("ticket_detail", args=["support", solved.number])
    hx = {"HTTP_HX_REQUEST": "true"}
    assert 'id="write-article"' in as_user(world.manager).get(ticket, **hx).content.decode()
    # The agent owning the ticket reads it, without the button.
    type(solved).objects.filter(pk=solved.pk).update(owner=world.agent)
    page = as_user(world.agent).get(ticket, **hx)
    assert page.status_code == 200 and "Reshipped" in page.content.decode()
    assert 'id="write-article"' not in page.content.decode()
    reopened = world.make_case(world.support, segment=world.store1)
    other = reverse("ticket_detail", args=["support", reopened.number])
    assert 'id="write-article"' not in as_user(world.manager).get(other, **hx).content.decode()


def test_an_open_ticket_or_one_outside_the_area_is_refused(world, as_user, solved):
    c = as_user(world.manager)
    open_case = world.make_case(world.support, segment=world.store1)
    r = c.get(url("article_create") + f"?case={open_case.number}")
    assert r.status_code == 400 and "case: Only a resolved or closed ticket" in r.content.decode()
    italy = world.make_case(world.support, segment=world.italy, status="resolved")
    assert c.get(url("article_create") + f"?case={italy.number}").status_code == 404
    r = c.post(
        url("article_create"),
        {
            "case": italy.number,
            "title": "x",
            "language": "en",
            "audience": "internal",
            "status": "draft",
        },
    )
    assert r.status_code == 404
    assert c.get(url("article_create") + "?case=abc").status_code == 400
    assert Article.objects.count() == 0


@pytest.fixture
def ended_chat(world):
    queue = routing.queue_create(workspace=world.support, name="Orders")
    conv = Conversation.objects.create(
        workspace=world.support, queue=queue, status="ended", language="it"
    )
    for i, (sender, body) in enumerate(
        [
            ("customer", "Ciao, I can't log in to my account."),
            ("customer", "It says my password is wrong."),
            ("agent", "Let me check."),
            ("customer", "Ok"),
            ("agent", "Use 'Forgot password' on the login page."),
            ("agent", "The link is valid for one hour."),
            ("system", "Chat ended"),
        ]
    ):
        author = world.agent if sender == "agent" else None
        Message.objects.create(
            conversation=conv, sender=sender, author=author, client_id=f"m{i}", body=body
        )
    return Activity.objects.create(
        workspace=world.support,
        media_type=MediaType.CHAT,
        conversation=conv,
        agent=world.agent,
        started_at=conv.created_at,
        ended_at=conv.created_at,
    )


def test_an_ended_conversation_prefills_the_draft(world, as_user, ended_chat):
    body = (
        as_user(world.coach)
        .get(url("article_create") + f"?activity={ended_chat.pk}")
        .content.decode()
    )
    assert 'name="title" value="Ciao, I can&#x27;t log in to my account."' in body
    expected = (
        "## Problem\n\nCiao, I can&#x27;t log in to my account.\n\n"
        "It says my password is wrong.\n\n"
        "## Solution\n\nUse &#x27;Forgot password&#x27; on the login page.\n\n"
        "The link is valid for one hour.\n"
    )
    assert f">{expected}</textarea>" in body
    assert '<option value="it" selected>' in body


def test_the_activity_page_offers_it_to_writers_only(world, as_user, ended_chat):
    page = reverse("journey_activity", args=["support", ended_chat.pk])
    assert 'id="article-from-activity"' in as_user(world.coach).get(page).content.decode()
    assert 'id="article-from-activity"' not in as_user(world.agent).get(page).content.decode()


def test_a_conversation_of_another_workspace_is_not_found(world, as_user, ended_chat):
    Activity.objects.filter(pk=ended_chat.pk).update(workspace=world.sales)
    assert (
        as_user(world.coach).get(url("article_create") + f"?activity={ended_chat.pk}").status_code
        == 404
    )


def test_an_agent_cannot_open_the_editor(world, as_user, solved):
    assert (
        as_user(world.agent).get(url("article_create") + f"?case={solved.number}").status_code
        == 403
    )
