"""Bad input is a 4xx naming the field and changes nothing, on SQLite and on PostgreSQL alike:
NUL characters (which PostgreSQL cannot store), texts longer than their column (which SQLite
would store), counts over the caps, loose types (`true` is not 1), a bulk batch with bad
items (each answered on its own), and the chat socket (an error answer, not a dropped
connection)."""

import json

import pytest

from caredesk.audit.models import AuditEntry
from caredesk.care.models import Case, CaseComment, Tag
from caredesk.customers.models import Account, Contact, ContactEmail, ContactPhone
from caredesk.customers.services import contact_create
from caredesk.feedback.models import Response
from caredesk.feedback.services import survey_create
from caredesk.journey import services as journey
from caredesk.journey.models import Activity, ActivityComment
from caredesk.routing.models import Conversation, Message, Queue, Skill
from caredesk.voice.models import CallEvent

from .conftest import BASE, snapshot

NUL = "\x00"
NUL_MESSAGE = "Contains a NUL character (\\u0000), which cannot be stored."


def rows() -> dict:
    """Every table a refused request could have written to."""
    models = (
        Case,
        CaseComment,
        Tag,
        Case.tags.through,
        AuditEntry,
        Contact,
        ContactEmail,
        ContactPhone,
        Account,
        Response,
        Activity,
        Activity.tags.through,
        ActivityComment,
        Conversation,
        Message,
        Queue,
        Skill,
        CallEvent,
    )
    return {m._meta.label: m.objects.count() for m in models}


def send(client, method, url, body):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return getattr(client, method)(url, data, content_type="application/json")


@pytest.fixture
def scene(world, api_client):
    s = type("Scene", (), {})()
    s.api = api_client(world.admin)
    s.nps = survey_create(workspace=world.support, kind="nps", name="Store visit")
    s.rita = contact_create(organization=world.org, name="Rita", emails=["rita@example.com"])
    s.case = world.make_case(world.support, customer_email="rita@example.com")
    s.note = journey.activity_create(
        workspace=world.support, media_type="note", contact=s.rita, body="Called"
    )
    return s


def refused(s, method, path, body, status, errors):
    """Send, expect exactly `errors` with `status`, and that no table changed."""
    before = rows()
    r = send(s.api, method, f"{BASE}{path}", body)
    assert r.status_code == status, r.content
    assert r.json()["errors"] == errors
    assert rows() == before
    return r


TICKET = {"customer_email": "new@example.com", "comment": "Phone call"}


@pytest.mark.parametrize(
    "body, errors",
    [
        ({**TICKET, "comment": f"a{NUL}b"}, {"comment": NUL_MESSAGE}),
        ({**TICKET, "title": f"Broken{NUL}"}, {"title": NUL_MESSAGE}),
        ({**TICKET, "customer_comment": NUL}, {"customer_comment": NUL_MESSAGE}),
        ({**TICKET, "tags": ["vip", f"x{NUL}"]}, {"tags": f"{NUL_MESSAGE} ('x\\x00')"}),
        ({**TICKET, "title": "t" * 201}, {"title": "At most 200 characters."}),
        ({**TICKET, "tags": ["t" * 61]}, {"tags": f"At most 60 characters. ('{'t' * 36}...)"}),
        ({**TICKET, "tags": [f"t{i}" for i in range(51)]}, {"tags": "At most 50."}),
        (
            {**TICKET, "customer_email": "a" * 243 + "@example.com"},
            {"customer_email": "An email address is at most 254 characters."},
        ),
        ({**TICKET, "segment": True}, {"segment": "Input should be a valid integer"}),
        ({**TICKET, "segment": 2**63}, {"segment": f"Input should be at most {2**63 - 1}"}),
        ({**TICKET, "title": 5}, {"title": "Input should be a valid string"}),
    ],
)
def test_ticket_create_refuses_bad_text_and_counts(scene, body, errors):
    status = 422 if "Input should" in next(iter(errors.values())) else 400
    refused(scene, "post", "/tickets", body, status, errors)


def test_ticket_update_refuses_nul_and_changes_nothing(scene):
    before = snapshot(scene.case)
    refused(
        scene,
        "patch",
        f"/tickets/{scene.case.number}",
        {"comment": f"x{NUL}", "priority": "high"},
        400,
        {"comment": NUL_MESSAGE},
    )
    assert snapshot(scene.case) == before


@pytest.mark.parametrize(
    "body, errors",
    [
        ({"name": f"Ri{NUL}ta"}, {"name": NUL_MESSAGE}),
        ({"name": "n" * 201}, {"name": "At most 200 characters."}),
        ({"emails": [f"x{NUL}@example.com"]}, {"emails": f"{NUL_MESSAGE} ('x\\x00@example.com')"}),
        ({"emails": [f"c{i}@example.com" for i in range(21)]}, {"emails": "At most 20."}),
        ({"phones": [f"+35191234{i:04}" for i in range(21)]}, {"phones": "At most 20."}),
        (
            {"emails": ["a" * 243 + "@example.com"]},
            {"emails": "An email address is at most 254 characters."},
        ),
    ],
)
def test_customer_create_refuses_bad_text_and_counts(scene, body, errors):
    refused(scene, "post", "/customers", body, 400, errors)


def test_customer_update_refuses_too_many_emails(scene):
    refused(
        scene,
        "patch",
        f"/customers/{scene.rita.pk}",
        {"emails": [f"r{i}@example.com" for i in range(21)]},
        400,
        {"emails": "At most 20."},
    )
    assert list(scene.rita.emails.values_list("email", flat=True)) == ["rita@example.com"]


def test_a_list_body_is_not_an_empty_customer(scene):
    refused(
        scene,
        "post",
        "/customers",
        [None, None],
        422,
        {"body": "The body must be a JSON object."},
    )


@pytest.mark.parametrize(
    "path", ["/customers?q=%00", "/accounts?q=a%00", "/tickets?customer_email=%00"]
)
def test_search_parameters_refuse_nul(scene, path):
    r = scene.api.get(f"{BASE}{path}")
    assert r.status_code == 400, r.content
    field = path.split("?")[1].split("=")[0]
    assert r.json()["errors"] == {field: NUL_MESSAGE}


def test_json_without_nan_nor_deep_nesting(scene):
    refused(
        scene,
        "post",
        "/tickets",
        '{"customer_email": "a@example.com", "comment": NaN}',
        400,
        {"body": "Cannot parse request body"},
    )
    refused(scene, "post", "/tickets", "[" * 100_000, 400, {"body": "Cannot parse request body"})


RESPONSES = "/surveys/{}/responses"


@pytest.mark.parametrize(
    "body, status, errors",
    [
        ({"score": 9, "comment": f"ok{NUL}"}, 400, {"comment": NUL_MESSAGE}),
        ({"score": 9, "external_id": f"r{NUL}1"}, 400, {"external_id": NUL_MESSAGE}),
        ({"score": 9, "transaction": {"order": f"A{NUL}"}}, 400, {"transaction": NUL_MESSAGE}),
        ({"score": 9, "transaction": {f"or{NUL}der": "A1"}}, 400, {"transaction": NUL_MESSAGE}),
        (
            {"score": 9, "transaction": {f"k{i}": i for i in range(51)}},
            400,
            {"transaction": "At most 50 keys."},
        ),
        ({"score": True}, 422, {"score": "Input should be a valid integer"}),
        ({"score": 9, "segment": True}, 422, {"segment": "Input should be a valid integer"}),
        ({"score": 9, "language": True}, 422, {"language": "Input should be a valid string"}),
        ({"comment": "no score"}, 400, {"score": "A score from 0 to 10 is needed."}),
        (
            {"score": 9, "responded_at": "0001-01-01T00:00:00+01:00"},
            400,
            {"responded_at": "Out of the range of dates that can be stored."},
        ),
        (
            {"score": 9, "customer_email": "r" * 243 + "@example.com"},
            400,
            {"customer_email": "An email address is at most 254 characters."},
        ),
    ],
)
def test_response_refuses_bad_input(scene, body, status, errors):
    refused(scene, "post", RESPONSES.format(scene.nps.pk), body, status, errors)


def test_bulk_answers_each_item_and_stores_the_good_ones(scene):
    before = rows()
    items = [
        {"score": 9, "language": True},
        {"score": 8, "comment": f"x{NUL}"},
        {"score": True},
        {"score": 9, "answers": {"a": [[[[[[["deep"]]]]]]]}},
        [None, None],
        {"score": 10, "external_id": "good-1"},
    ]
    r = send(scene.api, "post", f"{BASE}{RESPONSES.format(scene.nps.pk)}/bulk", items)
    assert r.status_code == 200, r.content
    body = r.json()
    good = Response.objects.get(external_id="good-1")
    assert (body["created"], body["duplicate"], body["error"]) == (1, 0, 5)
    assert body["results"] == [
        {
            "index": 0,
            "status": "error",
            "id": None,
            "errors": {"language": "Not a language code like en or pt-br: True"},
        },
        {"index": 1, "status": "error", "id": None, "errors": {"comment": NUL_MESSAGE}},
        {
            "index": 2,
            "status": "error",
            "id": None,
            "errors": {"score": "Not a whole number: True"},
        },
        {
            "index": 3,
            "status": "error",
            "id": None,
            "errors": {"answers": "Nested more than 5 levels deep."},
        },
        {"index": 4, "status": "error", "id": None, "errors": {"item": "An object."}},
        {"index": 5, "status": "created", "id": good.pk, "errors": None},
    ]
    assert rows() == {**before, "feedback.Response": before["feedback.Response"] + 1}


@pytest.mark.parametrize(
    "body, errors",
    [
        ("[" * 100_000, {"items": "The body is nested too deeply."}),
        ("[NaN]", {"items": "The body has NaN, which is not a JSON number."}),
        (
            "[" + ",".join(['{"score": 9}'] * 1001) + "]",
            {"items": "At most 1000 responses per request."},
        ),
    ],
)
def test_bulk_refuses_a_body_it_cannot_read(scene, body, errors):
    refused(scene, "post", f"{RESPONSES.format(scene.nps.pk)}/bulk", body, 400, errors)


@pytest.mark.parametrize(
    "path, body, errors",
    [
        ("/activities", {"body": f"n{NUL}", "contact": "{rita}"}, {"body": NUL_MESSAGE}),
        ("/activities/{note}/tags", {"tag": f"t{NUL}"}, {"tag": NUL_MESSAGE}),
        ("/activities/{note}/comments", {"body": f"c{NUL}"}, {"body": NUL_MESSAGE}),
        ("/activities/{note}/ticket", {"title": f"T{NUL}"}, {"title": NUL_MESSAGE}),
        ("/activities/{note}/ticket", {"title": "t" * 201}, {"title": "At most 200 characters."}),
    ],
)
def test_journey_refuses_nul_and_lengths(scene, path, body, errors):
    body = {k: scene.rita.pk if v == "{rita}" else v for k, v in body.items()}
    refused(scene, "post", path.format(note=scene.note.pk), body, 400, errors)


def test_an_activity_has_at_most_50_tags(scene):
    tags = [Tag.objects.create(workspace=scene.note.workspace, name=f"t{i}") for i in range(50)]
    scene.note.tags.set(tags)
    refused(
        scene,
        "post",
        f"/activities/{scene.note.pk}/tags",
        {"tag": "one-more"},
        400,
        {"tag": "An activity has at most 50 tags."},
    )
    # One it has already is no new tag.
    r = send(scene.api, "post", f"{BASE}/activities/{scene.note.pk}/tags", {"tag": "t0"})
    assert r.status_code == 200, r.content


@pytest.mark.parametrize(
    "body, errors",
    [
        (
            {"call_id": f"c{NUL}", "event": "ringing", "caller": "+351912345678"},
            {"call_id": NUL_MESSAGE},
        ),
        (
            {"call_id": "c1", "event": "ringing", "caller": "+351912345678", "queue": f"q{NUL}"},
            {"queue": NUL_MESSAGE},
        ),
        (
            {"call_id": "c1", "event": "ringing", "caller": "+351912345678", "agent": f"a{NUL}"},
            {"agent": NUL_MESSAGE},
        ),
        (
            {
                "call_id": "c1",
                "event": "ringing",
                "caller": "+351912345678",
                "at": "2026-13-45T10:00:00Z",
            },
            {"at": "An ISO 8601 date and time, e.g. 2026-11-23T15:01:00Z."},
        ),
        (
            {
                "call_id": "c1",
                "event": "ringing",
                "caller": "+351912345678",
                "at": "0001-01-01T00:00:00+01:00",
            },
            {"at": "Out of the range of dates that can be stored."},
        ),
    ],
)
def test_call_events_refuse_nul(scene, body, errors):
    refused(scene, "post", "/calls/events", body, 400, errors)


def test_queue_and_skill_names_refuse_nul(scene):
    refused(scene, "post", "/skills", {"name": f"pt{NUL}"}, 400, {"name": NUL_MESSAGE})
    refused(scene, "post", "/queues", {"name": f"q{NUL}"}, 400, {"name": NUL_MESSAGE})
    r = scene.api.get(f"{BASE}/conversations?queue=%00")
    assert r.status_code == 400, r.content
    assert r.json()["errors"] == {"queue": NUL_MESSAGE}
