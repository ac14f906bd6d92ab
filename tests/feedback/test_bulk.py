"""POST …/responses/bulk: per-item results, idempotent by external_id, one evaluation batch."""

import pytest

from caredesk.care.models import Case
from caredesk.feedback.models import Response

from .conftest import stored


def test_created_duplicate_and_error_items(world, nps, post):
    first = post(nps, {"score": 9, "external_id": "old"}).json()["id"]
    body = [
        {"score": 2, "comment": "slow", "external_id": "a", "segment": "Lisbon Store 1"},
        {"score": 10, "external_id": "old"},
        {"score": 11, "customer_email": "nope", "external_id": "bad"},
        {"score": 3, "external_id": "a"},  # the same external_id again in the batch
        {"score": 7, "transaction": {"order_id": "A-1", "channel": "web"}},
        "not an object",
        {"score": 5, "answers": {"nope": 1}},
        {"score": 5, "colour": "red"},
    ]
    r = post(nps, body, bulk=True)
    assert r.status_code == 200, r.content
    out = r.json()
    assert (out["created"], out["duplicate"], out["error"]) == (2, 2, 4)
    res = out["results"]
    assert [x["status"] for x in res] == [
        "created",
        "duplicate",
        "error",
        "duplicate",
        "created",
        "error",
        "error",
        "error",
    ]
    assert [x["index"] for x in res] == list(range(8))
    assert res[1]["id"] == first
    assert res[3]["id"] == res[0]["id"]
    assert set(res[2]["errors"]) == {"score", "customer_email"}
    assert res[2]["id"] is None
    assert res[5]["errors"] == {"item": "An object."}
    assert res[6]["errors"] == {"answers": "Unknown question: nope"}
    assert res[7]["errors"] == {"colour": "Unknown field: colour"}
    a = Response.objects.get(pk=res[0]["id"])
    assert (a.score, a.segment, a.segment_path) == (2, world.store1, world.store1.path)
    assert a.evaluated_at is not None
    assert Response.objects.get(pk=res[4]["id"]).transaction == {
        "order_id": "A-1",
        "channel": "web",
    }
    assert Response.objects.count() == 3
    assert Case.objects.get().customer_comment == "slow"

    # The whole batch again: nothing new.
    again = post(nps, body, bulk=True).json()
    assert (again["created"], again["duplicate"], again["error"]) == (1, 3, 4)
    assert Response.objects.count() == 3 + 1  # the item without external_id is stored again
    assert Case.objects.count() == 1


def test_contacts_are_linked_once_per_email(world, nps, post):
    from caredesk.customers.models import Contact

    body = [{"score": 9, "customer_email": e} for e in ("A@x.pt", "a@x.pt", "b@x.pt")]
    assert post(nps, body, bulk=True).json()["created"] == 3
    a1, a2, b = Response.objects.order_by("id")
    assert a1.contact_id == a2.contact_id != b.contact_id
    assert Contact.objects.count() == 2


@pytest.mark.parametrize(
    "body, message",
    [
        ({"score": 1}, "A JSON list of responses."),
        ([{"score": 1}] * 1001, "At most 1000 responses per request."),
        (None, "A JSON list of responses."),
    ],
)
def test_bad_body_is_refused(nps, post, body, message):
    r = post(nps, body, bulk=True)
    assert r.status_code == 400
    assert r.json()["errors"] == {"items": message}
    assert stored() == (0, 0, 0, 0)


def test_not_json(world, nps, api_client):
    r = api_client(world.admin).post(
        f"/api/v1/workspaces/support/surveys/{nps.pk}/responses/bulk",
        "{nope",
        content_type="application/json",
    )
    assert r.status_code == 400 and r.json()["errors"] == {"items": "The body is not JSON."}


def test_other_organization_gets_404(world, nps, post, api_client):
    r = post(nps, [{"score": 1}], bulk=True, client=api_client(world.outsider))
    assert r.status_code == 404
    assert stored() == (0, 0, 0, 0)


def test_closed_survey(world, nps, post):
    nps.is_active = False
    nps.save()
    r = post(nps, [{"score": 1}], bulk=True)
    assert r.json()["results"][0]["errors"] == {"survey": "This survey is closed."}
    assert stored() == (0, 0, 0, 0)


def test_custom_answers_validated(world, custom, post):
    r = post(
        custom,
        [
            {"answers": {"reason": "price", "speed": 5, "extras": ["web", "app"], "other": "ok"}},
            {"answers": {"speed": 6, "extras": ["bike"], "other": 3}},
            {"score": 5, "answers": {"reason": "staff"}},
            {"answers": {"reason": "free"}},
        ],
        bulk=True,
    )
    res = r.json()["results"]
    assert res[0]["status"] == "created"
    assert res[1]["errors"] == {
        "answers.speed": "The rating must be from 1 to 5.",
        "answers.reason": "An answer is required.",
        "answers.extras": "Not an option: 'bike'",
        "answers.other": "A text.",
    }
    assert res[2]["errors"] == {"score": "This questionnaire has no score; use answers."}
    assert res[3]["errors"] == {"answers.reason": "Not one of: price, staff"}
    stored_answers = Response.objects.get().answers
    # Multiple choices are kept in the question's option order.
    assert stored_answers == {
        "reason": "price",
        "speed": 5,
        "extras": ["app", "web"],
        "other": "ok",
    }


@pytest.mark.parametrize(
    "item, field",
    [
        ({"score": 5, "responded_at": "yesterday"}, "responded_at"),
        ({"score": 5, "responded_at": "2999-01-01T00:00:00Z"}, "responded_at"),
        ({"score": 5, "segment": "Nowhere"}, "segment"),
        ({"score": 5, "external_id": "x" * 201}, "external_id"),
        ({"score": 5, "transaction": {"a": {"b": 1}}}, "transaction"),
        ({"score": 5, "language": "Portuguese!"}, "language"),
        ({"score": "5.5"}, "score"),
        ({"score": True}, "score"),
        ({"score": 5, "comment": "x" * 5001}, "comment"),
    ],
)
def test_each_bad_field_is_named(nps, post, item, field):
    res = post(nps, [item], bulk=True).json()["results"][0]
    assert res["status"] == "error" and list(res["errors"]) == [field]
    assert stored() == (0, 0, 0, 0)


def test_duplicate_segment_names_need_the_id(world, nps, post):
    from caredesk.workspaces import services as ws

    ws.segment_create(organization=world.org, name="Lisbon Store 1", parent=world.italy)
    res = post(nps, [{"score": 5, "segment": "lisbon store 1"}], bulk=True).json()["results"][0]
    assert res["errors"] == {
        "segment": "Several segments are called 'lisbon store 1'; send its id."
    }


def test_evaluating_a_batch_leaves_nothing_in_the_queue_store(world, nps, post):
    # Huey keeps a task's return value until someone reads it; nobody does, so it must not
    # keep them (one per evaluated batch, for ever).
    from huey.contrib.djhuey import HUEY

    detractor = post(nps, [{"score": 1, "comment": "bad"}], bulk=True)

    assert detractor.json()["created"] == 1
    assert Case.objects.count() == 1  # the evaluation task ran (immediate mode in tests)
    assert HUEY.storage.result_store_size() == 0
