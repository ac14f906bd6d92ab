"""A response's evaluation is not lost with its task: the response is stored with a
PendingEvaluation row in one transaction, the worker's sweep evaluates the responses whose
task never ran, a retried submission queues the evaluation again, and however many of these
ask for it, each detractor gets exactly one ticket.

Responses posted here without django_capture_on_commit_callbacks never run their task (the
test's transaction never commits): as if the app process had died right after its commit."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from caredesk.care.models import Case
from caredesk.feedback import evaluation
from caredesk.feedback.models import AlertRuleCase, PendingEvaluation, Response
from caredesk.feedback.tasks import evaluate_pending_at_start, evaluate_pending_responses

from .conftest import stored


@pytest.fixture
def lost(world, api_client):
    """POST as an integration whose evaluation task is lost."""
    client = api_client(world.admin)

    def send(survey, body, *, bulk=False):
        url = f"/api/v1/workspaces/support/surveys/{survey.pk}/responses" + (
            "/bulk" if bulk else ""
        )
        return client.post(url, body, content_type="application/json")

    return send


def pending() -> list[int]:
    return sorted(PendingEvaluation.objects.values_list("response_id", flat=True))


def age(seconds: int) -> None:
    """Every response stored `seconds` earlier than it was."""
    Response.objects.update(created_at=timezone.now() - dt.timedelta(seconds=seconds))


def test_the_sweep_gives_a_lost_evaluation_its_ticket_once(nps, lost, settings):
    settings.CAREDESK_EVALUATION_GRACE_SECONDS = 60
    detractor = lost(nps, {"score": 2, "comment": "slow"})
    promoter = lost(nps, {"score": 10})
    assert (detractor.status_code, promoter.status_code) == (201, 201)
    ids = [detractor.json()["id"], promoter.json()["id"]]
    assert pending() == ids
    assert stored() == (2, 0, 0, 0)

    # Within the grace period the response's own task may still be on its way.
    evaluate_pending_responses()
    assert pending() == ids and stored() == (2, 0, 0, 0)

    age(61)
    evaluate_pending_responses()
    assert pending() == []
    assert stored() == (2, 1, 1, 1)
    case = Case.objects.get()
    assert AlertRuleCase.objects.get().response_id == ids[0]
    assert case.customer_comment == "slow"
    assert Response.objects.filter(evaluated_at=None).count() == 0

    # The sweep again, the lost task arriving late, a worker starting: nothing new.
    evaluate_pending_responses()
    assert evaluation.evaluate(ids).evaluated == 0
    evaluate_pending_at_start()
    assert stored() == (2, 1, 1, 1)


def test_a_starting_worker_sweeps_without_waiting_for_the_grace_period(nps, lost, settings):
    settings.CAREDESK_EVALUATION_GRACE_SECONDS = 3600
    lost(nps, {"score": 0}, bulk=False)
    lost(nps, [{"score": 1}, {"score": 9}, {"score": 6}], bulk=True)
    assert len(pending()) == 4
    evaluate_pending_responses()
    assert len(pending()) == 4
    evaluate_pending_at_start()
    assert pending() == []
    assert stored() == (4, 3, 3, 3)


def test_a_retried_post_of_a_lost_evaluation_evaluates_it(
    nps, lost, post, settings, django_capture_on_commit_callbacks
):
    settings.CAREDESK_EVALUATION_GRACE_SECONDS = 3600
    first = lost(nps, {"score": 3, "external_id": "r-1"})
    assert first.status_code == 201 and stored() == (1, 0, 0, 0)

    again = post(nps, {"score": 3, "external_id": "r-1"})
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert pending() == [] and stored() == (1, 1, 1, 1)

    # Once evaluated, a retry queues nothing.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert post(nps, {"score": 3, "external_id": "r-1"}).status_code == 200
    assert callbacks == [] and stored() == (1, 1, 1, 1)


def test_a_retried_batch_evaluates_the_lost_ones_it_answers_as_duplicates(nps, lost, post):
    items = [
        {"score": 0, "external_id": "b-1"},
        {"score": 10, "external_id": "b-2"},
        {"score": 5, "external_id": "b-3"},
    ]
    first = lost(nps, items, bulk=True)
    assert first.json()["created"] == 3 and stored() == (3, 0, 0, 0)

    # The retry carries one new response too; the batch repeats b-3.
    again = post(nps, [*items, {"score": 4, "external_id": "b-4"}, items[2]], bulk=True)
    body = again.json()
    assert (body["created"], body["duplicate"], body["error"]) == (1, 4, 0)
    assert pending() == [] and stored() == (4, 3, 3, 3)
    assert sorted(Case.objects.values_list("title", flat=True)) == [
        "Store visit: score 0",
        "Store visit: score 4",
        "Store visit: score 5",
    ]


@pytest.mark.django_db(transaction=True)
def test_two_evaluations_of_the_same_responses_at_once_make_one_ticket_each(
    world, nps, lost, monkeypatch
):
    """Both have read the responses as pending before either writes: the one that commits
    second takes none of them (its transaction waits for the first on PostgreSQL's row locks,
    on SQLite's write lock) and acts on nothing."""
    # Committed at once here (no test transaction): the tasks must not run.
    monkeypatch.setattr("caredesk.feedback.tasks.evaluate_responses", lambda ids: None)
    ids = [lost(nps, {"score": s}).json()["id"] for s in (0, 3, 6, 8, 10)]
    assert pending() == ids
    both_read = threading.Barrier(2, timeout=20)
    real_read = evaluation._read

    def read(response_ids, *, pending):
        rows = real_read(response_ids, pending=pending)
        both_read.wait()
        return rows

    monkeypatch.setattr(evaluation, "_read", read)
    outcomes: list = []

    def worker():
        try:
            outcomes.append(evaluation.evaluate(ids))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(outcomes) == 2
    assert sorted(o.evaluated for o in outcomes) == [0, 5]
    assert sorted(len(o.cases) for o in outcomes) == [0, 3]
    assert stored() == (5, 3, 3, 3)
    assert pending() == []


def test_a_bulk_writer_that_recomputes_leaves_its_responses_to_the_sweep(
    nps, api_client, world, django_capture_on_commit_callbacks
):
    """Inside `events.recomputing()` (the demo seeder) no evaluation task is queued per
    response: the rows stay pending and the worker's sweep at its start evaluates them."""
    from caredesk import events

    client = api_client(world.admin)
    url = f"/api/v1/workspaces/support/surveys/{nps.pk}/responses"
    with events.recomputing(), django_capture_on_commit_callbacks(execute=True):
        r = client.post(url, {"score": 1, "comment": "late"}, content_type="application/json")
    assert r.status_code == 201
    assert pending() == [r.json()["id"]]
    assert stored() == (1, 0, 0, 0)

    # Outside it, the commit queues the task (run at once by the tests' huey).
    with django_capture_on_commit_callbacks(execute=True):
        r2 = client.post(url, {"score": 2}, content_type="application/json")
    assert pending() == [r.json()["id"]]
    assert stored() == (2, 1, 1, 1)

    evaluate_pending_at_start()
    assert pending() == []
    assert stored() == (2, 2, 2, 2)
    assert r2.status_code == 201
