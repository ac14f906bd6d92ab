"""The documents follow their sources whatever writes them: services, the ORM, bulk paths,
edits and deletes; and `caredesk search-rebuild` writes the same documents again."""

import io

import pytest
from django.core.management import call_command

from caredesk.care import services as care
from caredesk.feedback.services import responses_ingest, survey_create
from caredesk.journey import services as journey
from caredesk.journey.models import Activity
from caredesk.routing.models import Message
from caredesk.search.models import SearchDocument
from caredesk.voice import services as voice
from caredesk.workspaces.access import Access

from .conftest import activity, chat, search_ids

pytestmark = pytest.mark.django_db


def kinds(user, ws, q):
    return sorted(h.kind for h in search_ids(user, ws, q))


def test_ticket_and_comment_through_the_services(world):
    admin = Access.system(world.support)
    case = world.make_case(world.support, segment=world.italy)
    assert kinds(world.admin, world.support, "dishwasher") == []
    care.case_comment_add(access=admin, case=case, body="The dishwasher leaks")
    assert kinds(world.admin, world.support, "dishwasher") == ["case_comment"]
    case.title = "Dishwasher replacement"
    case.save()
    assert kinds(world.admin, world.support, "dishwasher") == ["case", "case_comment"]
    case.title = "Oven"
    case.save()
    assert kinds(world.admin, world.support, "dishwasher") == ["case_comment"]


def test_note_email_comment_and_edits(world):
    case = world.make_case(world.support)
    note = journey.note_add(
        access=Access.system(world.support), body="Call back about the toaster", case=case
    )
    assert kinds(world.admin, world.support, "toaster") == ["note"]
    journey.activity_comment_add(
        access=Access.system(world.support), activity=note, body="toaster model T-1000"
    )
    assert kinds(world.admin, world.support, "toaster") == ["activity_comment", "note"]
    Activity.objects.filter(pk=note.pk).update(body="Call back about the kettle")
    assert kinds(world.admin, world.support, "toaster") == ["activity_comment"]
    assert kinds(world.admin, world.support, "kettle") == ["note"]
    email = activity(
        world.support, "email", "Subject line aside, the fridge hums", subject="Fridge"
    )
    assert kinds(world.admin, world.support, "fridge") == ["email"]
    email.delete()
    assert kinds(world.admin, world.support, "fridge") == []
    assert kinds(world.admin, world.support, "hums") == []


def test_call_transcript_through_the_telephony_service(world):
    result = voice.call_event_record(
        workspace=world.support, call_id="c-9", event="ringing", caller="+351912345678"
    )
    assert search_ids(world.admin, world.support, "router") == []
    voice.call_transcript_set(
        workspace=world.support,
        call_id="c-9",
        segments=[{"speaker": "customer", "text": "The router blinks red"}],
    )
    hits = search_ids(world.admin, world.support, "router blinks")
    assert [(h.kind, h.activity_id) for h in hits] == [("call", result.activity.pk)]


def test_chat_messages_find_their_activity_when_it_arrives(world):
    from caredesk.routing.models import Conversation
    from caredesk.routing.services import default_queue

    conv = Conversation.objects.create(workspace=world.support, queue=default_queue(world.support))
    Message.objects.create(conversation=conv, sender="customer", client_id="a", body="My parcel")
    Message.objects.create(conversation=conv, sender="system", client_id="b", body="parcel joined")
    # Before the journey has the chat, only the whole workspace finds it.
    assert [h.activity_id for h in search_ids(world.admin, world.support, "parcel")] == [None]
    act = activity(world.support, "chat", "", conversation=conv, agent=world.agent)
    assert [h.activity_id for h in search_ids(world.admin, world.support, "parcel")] == [act.pk]
    # The agent who handled the chat finds it through the activity.
    assert [h.kind for h in search_ids(world.agent, world.support, "parcel")] == ["chat_message"]
    msg = Message.objects.get(client_id="a")
    msg.body = "My letter"
    msg.save()
    assert search_ids(world.admin, world.support, "parcel") == []


def test_bulk_responses_are_indexed(world):
    survey = survey_create(workspace=world.support, kind="nps", name="NPS")
    result = responses_ingest(
        survey=survey,
        items=[{"score": 2, "comment": f"Slow delivery number {i}"} for i in range(30)]
        + [{"score": 9}],
    )
    assert len(result.results) == 31
    hits = search_ids(world.admin, world.support, "delivery")
    assert len(hits) == 30
    assert {h.kind for h in hits} == {"response"}
    # A score alone is no document.
    assert SearchDocument.objects.filter(source="response").count() == 30


def test_rebuild_writes_the_same_documents(scene):
    def snapshot():
        return sorted(
            SearchDocument.objects.values_list(
                "source", "source_id", "kind", "activity_id", "case_id", "response_id", "body"
            )
        )

    before = snapshot()
    SearchDocument.objects.all().delete()
    out = io.StringIO()
    call_command("search_rebuild", "--batch", "3", stdout=out)
    assert snapshot() == before
    text = out.getvalue()
    assert "message: 100%" in text
    assert f"{len(before)} documents indexed" in text
    assert len(search_ids(scene.w.admin, scene.w.support, "zebracorn")) == 14


def test_rebuild_refuses_an_unknown_source(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Unknown source 'nope'"):
        call_command("search_rebuild", "--source", "nope")


def test_chat_helper_scene(scene):
    # The scene's chat: one message with the word, indexed on the chat's activity.
    docs = SearchDocument.objects.filter(source="message", conversation_id=scene.conv_bg.pk)
    assert sorted(d.activity_id for d in docs) == [scene.chat_bg.pk, scene.chat_bg.pk]


def test_chat_helper(world):
    conv, act = chat(world.support, "alpha", "beta")
    assert [h.activity_id for h in search_ids(world.admin, world.support, "beta")] == [act.pk]
