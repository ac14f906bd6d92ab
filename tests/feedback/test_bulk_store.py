"""How the bulk intake stores a batch: on PostgreSQL by COPY through a staging table and
INSERT … ON CONFLICT DO NOTHING (caredesk.feedback.pg), elsewhere by the ORM. Both must store
exactly the same rows and answer exactly the same results, so these run on both databases;
the concurrent case needs two open transactions and runs on PostgreSQL only."""

import datetime as dt
import threading

import pytest
from django.db import connection, transaction

from caredesk.customers.models import Contact, ContactEmail
from caredesk.feedback.models import Response
from caredesk.feedback.services import response_submit, responses_ingest, survey_create


@pytest.fixture
def nps(world):
    return survey_create(
        workspace=world.support,
        kind="nps",
        name="Store visit",
        questions=[
            {"key": "reason", "kind": "single", "label": "Why", "options": ["price", "staff"]},
            {"key": "extras", "kind": "multiple", "label": "Used", "options": ["app", "web"]},
        ],
    )


def _ingest(survey, items, capture):
    with capture(execute=True):
        return responses_ingest(survey=survey, items=items)


def test_every_field_is_stored_as_sent(world, nps, django_capture_on_commit_callbacks):
    known = Contact.objects.create(organization=world.org, name="Ana")
    ContactEmail.objects.create(organization=world.org, contact=known, email="ana@x.pt")
    at = dt.datetime(2026, 5, 1, 10, 30, 15, 250000, tzinfo=dt.UTC)
    items = [
        {
            "external_id": "full",
            "score": 3,
            "comment": "  Não gostei — «muito» lento\n2nd line  ",
            "customer_email": " ANA@x.pt ",
            "segment": world.store1.pk,
            "transaction": {"order_id": "A-1", "total": 12.5, "paid": True, "n": 3, "x": None},
            "answers": {"reason": "price", "extras": ["web", "app"]},
            "responded_at": "2026-05-01T10:30:15.25Z",
            "language": "pt-BR",
        },
        {"score": 10},
        {"score": 7, "customer_email": "new@x.pt", "segment": "Lisbon Store 2"},
    ]
    before = dt.datetime.now(dt.UTC)
    result = _ingest(nps, items, django_capture_on_commit_callbacks)
    after = dt.datetime.now(dt.UTC)
    assert [r["status"] for r in result.results] == ["created"] * 3
    full, bare, new = (Response.objects.get(pk=r["id"]) for r in result.results)
    assert full.external_id == "full"
    assert (full.workspace_id, full.survey_id, full.score) == (world.support.pk, nps.pk, 3)
    assert full.comment == "Não gostei — «muito» lento\n2nd line"
    assert (full.customer_email, full.contact_id) == ("ana@x.pt", known.pk)
    assert (full.segment_id, full.segment_path) == (world.store1.pk, world.store1.path)
    assert full.transaction == {"order_id": "A-1", "total": 12.5, "paid": True, "n": 3, "x": None}
    assert full.answers == {"reason": "price", "extras": ["app", "web"]}
    assert full.responded_at == at
    assert full.language == "pt-br"
    assert full.case_id is None
    assert before <= full.created_at <= after
    assert full.evaluated_at is not None

    assert bare.external_id is None
    assert (bare.score, bare.comment, bare.customer_email, bare.contact_id) == (10, "", "", None)
    assert (bare.segment_id, bare.segment_path, bare.language) == (None, "", "")
    assert (bare.transaction, bare.answers) == ({}, {})
    assert before <= bare.responded_at <= after

    made = ContactEmail.objects.get(email="new@x.pt")
    assert (new.contact_id, new.segment_id) == (made.contact_id, world.store2.pk)
    assert result.created_ids == [full.pk, bare.pk, new.pk]
    assert full.pk < bare.pk < new.pk


def test_results_name_the_row_of_each_item(world, nps, django_capture_on_commit_callbacks):
    first = _ingest(nps, [{"score": 1, "external_id": "e-3"}], django_capture_on_commit_callbacks)
    stored_id = first.results[0]["id"]
    items = [{"score": n % 11, "external_id": f"e-{n}"} for n in range(500)]
    items += [{"score": n % 11, "comment": f"no id {n}"} for n in range(500)]
    result = _ingest(nps, items, django_capture_on_commit_callbacks)
    assert result.count("created") == 999 and result.count("duplicate") == 1
    assert result.results[3] == {"index": 3, "status": "duplicate", "id": stored_id}
    rows = dict(Response.objects.values_list("pk", "external_id"))
    comments = dict(Response.objects.values_list("pk", "comment"))
    for n, res in enumerate(result.results[:500]):
        assert rows[res["id"]] == f"e-{n}"
    for n, res in enumerate(result.results[500:]):
        assert (rows[res["id"]], comments[res["id"]]) == (None, f"no id {n}")
    assert Response.objects.count() == 1000
    assert Response.objects.filter(evaluated_at=None).count() == 0


def test_two_batches_in_one_transaction(world, nps, django_capture_on_commit_callbacks):
    """The PostgreSQL staging table is emptied by each batch, not only at commit."""
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        a = responses_ingest(survey=nps, items=[{"score": 1, "external_id": "a"}, {"score": 2}])
        b = responses_ingest(survey=nps, items=[{"score": 3, "external_id": "b"}, {"score": 4}])
        again = responses_ingest(survey=nps, items=[{"score": 5, "external_id": "a"}])
    assert [r["status"] for r in a.results + b.results] == ["created"] * 4
    assert again.results == [{"index": 0, "status": "duplicate", "id": a.results[0]["id"]}]
    assert sorted(Response.objects.values_list("score", flat=True)) == [1, 2, 3, 4]


@pytest.mark.django_db(transaction=True)
def test_an_external_id_stored_meanwhile_by_another_request(world, nps):
    """Another request has stored external_id "x" but not committed yet when this batch
    arrives: the batch waits for it, and answers "x" with that request's response."""
    if connection.vendor != "postgresql":
        pytest.skip("needs two open write transactions at once (PostgreSQL)")
    inserted, release = threading.Event(), threading.Event()
    other: dict = {}

    def other_request():
        try:
            with transaction.atomic():
                other["response"], _ = response_submit(survey=nps, score=9, external_id="x")
                inserted.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=other_request)
    thread.start()
    assert inserted.wait(10)
    result: dict = {}

    def this_request():
        try:
            result["r"] = responses_ingest(
                survey=nps,
                items=[{"score": 1, "external_id": "y"}, {"score": 2, "external_id": "x"}],
            )
        finally:
            connection.close()

    batch = threading.Thread(target=this_request)
    batch.start()
    batch.join(0.5)
    assert batch.is_alive()  # waiting for the other transaction's "x"
    release.set()
    thread.join(10)
    batch.join(10)
    res = result["r"].results
    assert res[1] == {"index": 1, "status": "duplicate", "id": other["response"].pk}
    assert res[0]["status"] == "created"
    assert result["r"].created_ids == [res[0]["id"]]
    assert sorted(Response.objects.values_list("external_id", "score")) == [("x", 9), ("y", 1)]


def test_a_batch_that_hits_a_stored_external_id_goes_through_the_staging_table(world, nps):
    """PostgreSQL: the direct COPY fails on the (survey, external_id) constraint, the batch
    is inserted again through the staging table with ON CONFLICT DO NOTHING; twice in one
    transaction, so the staging table must not keep the first batch's rows."""
    if connection.vendor != "postgresql":
        pytest.skip("the COPY path is PostgreSQL's")
    from caredesk.feedback import pg
    from caredesk.feedback.services import Intake

    first, _ = response_submit(survey=nps, score=9, external_id="taken")
    intake = Intake(nps)

    def rows(*items):
        return [intake.row(intake.clean(item), None) for item in items]

    with transaction.atomic():
        a = pg.responses_insert(rows({"score": 1, "external_id": "taken"}, {"score": 2}))
        b = pg.responses_insert(rows({"score": 3}, {"score": 4, "external_id": "taken"}))
        c = pg.responses_insert(rows({"score": 5, "external_id": "new"}))
    assert a[0] is None and b[1] is None
    assert [a[1], b[0], c[0]] == sorted([a[1], b[0], c[0]])
    stored = dict(Response.objects.values_list("pk", "score"))
    assert stored == {first.pk: 9, a[1]: 2, b[0]: 3, c[0]: 5}
