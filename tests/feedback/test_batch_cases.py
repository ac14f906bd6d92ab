"""Evaluating a batch opens its tickets in a few statements (caredesk.care.bulk): the same
cases, first comments and audit entries as opening them one response at a time through
care.services.case_create, consecutive numbers, and nothing new when evaluated again."""

import pytest

from caredesk import events
from caredesk.audit.models import AuditEntry
from caredesk.care.models import Case, CaseComment
from caredesk.customers.models import Contact, ContactEmail
from caredesk.customers.services import contacts_for_emails
from caredesk.events import bus
from caredesk.feedback import evaluation
from caredesk.feedback.evaluation import evaluate
from caredesk.feedback.models import AlertRule, AlertRuleCase, AlertRuleHit, Response
from caredesk.feedback.services import responses_ingest, rule_create
from caredesk.workspaces.models import Workspace


@pytest.fixture
def rules(world, nps):
    """The NPS survey's detractor rule (ticket in the response's segment, assigned to its
    manager) plus: a fixed-segment ticket assigned to a chosen user, a ticket with no owner
    choice (the segment's only manager, if any), and one assigned to a queue."""
    rule_create(
        workspace=world.support,
        name="Refunds",
        criteria={"keywords": ["refund"]},
        actions={
            "create_case": {"priority": "critical", "status": "open", "segment": world.store2.pk},
            "assign": {"to": "user", "user": world.manager2.pk},
        },
    )
    rule_create(
        workspace=world.support,
        name="Closed right away",
        criteria={"keywords": ["thanks"]},
        actions={"create_case": {"priority": "low", "status": "closed"}},
    )
    rule_create(
        workspace=world.support,
        name="To billing",
        criteria={"keywords": ["invoice"]},
        actions={"create_case": {}, "assign": {"to": "queue", "queue": "Billing"}},
    )
    return nps


ITEMS = [
    {"score": 2, "comment": "slow", "customer_email": "Known@Example.com", "segment": "Italy"},
    {"score": 9, "comment": "great"},
    {"score": 0, "comment": "I want a refund", "customer_email": "new1@example.com"},
    {"score": 5, "comment": "<b>bad</b>", "segment": "Lisbon Store 1"},
    {"score": 3, "comment": "refund please", "customer_email": "new1@example.com"},
    {"score": 6, "comment": "", "customer_email": "new2@example.com", "segment": "Lisbon"},
    {"score": 8, "comment": "thanks, invoice attached", "segment": "Lisbon Store 2"},
    {"score": 1, "comment": "meh", "segment": "Lisbon Store 2"},
]


def ingest(world, survey) -> list[int]:
    contacts_for_emails(organization=world.org, emails=["known@example.com"])
    result = responses_ingest(survey=survey, items=ITEMS)
    assert result.count("created") == len(ITEMS)
    return result.created_ids  # their evaluation task runs only on commit: never, here


def snapshot(world) -> list[tuple]:
    """Every case of the workspace with its comments and audit entries, ids left out."""
    out = []
    for case in Case.objects.filter(workspace=world.support).order_by("number"):
        comments = list(
            CaseComment.objects.filter(case=case).order_by("id").values_list("author", "body")
        )
        audit = list(
            AuditEntry.objects.filter(object_type="case", object_id=case.pk)
            .order_by("id")
            .values_list("actor", "action", "field", "old_value", "new_value")
        )
        link = AlertRuleCase.objects.get(case=case)
        out.append(
            (
                case.number,
                link.rule.name,
                link.response_id,
                case.title,
                case.contact_id,
                case.customer_email,
                case.source_segment_id,
                case.segment_id,
                case.segment_path,
                case.owner_id,
                case.priority,
                case.status,
                case.origin,
                case.reported_at,
                case.customer_comment,
                case.created_by_id,
                case.closed_at is not None,
                case.resolution_reason,
                comments,
                audit,
            )
        )
    return out


def wipe(world, ids, counter):
    """Forget the evaluation: no case, hit, link or audit entry; the counter as before."""
    AuditEntry.objects.filter(object_type="case").delete()
    AlertRuleCase.objects.all().delete()
    AlertRuleHit.objects.all().delete()
    Case.objects.all().delete()
    Response.objects.filter(pk__in=ids).update(evaluated_at=None)
    Workspace.objects.filter(pk=world.support.pk).update(next_case_number=counter)


def counter(world) -> int:
    return Workspace.objects.values_list("next_case_number", flat=True).get(pk=world.support.pk)


def test_a_batch_opens_the_same_cases_as_one_by_one(world, rules):
    ids = ingest(world, rules)
    first = counter(world)
    # new2's contact is gone by the time the rules run: the batch makes it again.
    Contact.objects.filter(emails__email="new2@example.com").delete()

    outcome = evaluate(ids)
    batch = snapshot(world)

    # 6 detractors, 2 refunds, 1 thanks, 1 invoice; numbers consecutive in the batch's order.
    assert [c.number for c in outcome.cases] == list(range(first, first + 10))
    assert [row[0] for row in batch] == list(range(first, first + 10))
    assert counter(world) == first + 10
    # The intake made new1's contact (once), the batch new2's; the cases use them.
    assert Contact.objects.count() == 3
    new2 = ContactEmail.objects.get(email="new2@example.com").contact_id
    assert [row[4] for row in batch if row[5] == "new2@example.com"] == [new2]
    new1 = ContactEmail.objects.get(email="new1@example.com").contact_id
    assert [row[4] for row in batch if row[5] == "new1@example.com"] == [new1] * 4
    by_rule = [(row[1], row[10], row[11], row[9]) for row in batch]
    assert by_rule[2] == ("Refunds", "critical", "open", world.manager2.pk)
    assert ("Closed right away", "low", "closed", None) in by_rule

    wipe(world, ids, first)
    for pk in ids:  # one response at a time: the case_create path
        evaluate([pk])
    assert snapshot(world) == batch
    assert Contact.objects.count() == 3


def test_evaluating_a_batch_again_creates_nothing(world, rules):
    ids = ingest(world, rules)
    first = counter(world)
    assert len(evaluate(ids).cases) == 10
    before = (snapshot(world), Contact.objects.count(), AuditEntry.objects.count())

    again = evaluate(ids)
    assert again.cases == [] and again.hits == 0 and again.evaluated == 0
    # Even with the hits gone and the responses unevaluated again: the links hold.
    AlertRuleHit.objects.all().delete()
    Response.objects.filter(pk__in=ids).update(evaluated_at=None)
    again = evaluate(ids)
    assert again.cases == [] and again.hits == 10
    assert (snapshot(world), Contact.objects.count(), AuditEntry.objects.count()) == before
    assert counter(world) == first + 10


def test_a_case_for_a_pair_linked_meanwhile_is_dropped(world, rules):
    """Another evaluation linked the pair between our read and our insert: its case stays,
    ours goes with its comment and audit entries."""
    ids = ingest(world, rules)
    evaluate(ids)
    kept = snapshot(world)
    detractor = AlertRule.objects.get(survey=rules)
    pairs = [(detractor.pk, ids[0]), (detractor.pk, ids[2])]
    batch = evaluation._Batch(survey_names={rules.pk: rules.name})
    outcome = evaluation.Outcome()
    opened = evaluation._open_cases_bulk(
        pairs,
        {detractor.pk: detractor},
        {r.pk: r for r in Response.objects.filter(pk__in=ids)},
        batch,
        outcome,
    )
    assert opened == {} and outcome.cases == []
    assert snapshot(world) == kept
    assert (
        Case.objects.count() == 10 and AuditEntry.objects.filter(object_type="case").count() == 40
    )


def test_a_rule_that_cannot_open_its_case_leaves_the_others(world, rules, caplog):
    """The fixed segment of the Refunds rule is gone: its hits are recorded, no case; the
    batch's other cases are opened."""
    AlertRule.objects.filter(name="Refunds").update(
        actions={"create_case": {"priority": "critical", "status": "open", "segment": 999999}}
    )
    ids = ingest(world, rules)
    first = counter(world)
    outcome = evaluate(ids)
    assert len(outcome.cases) == 8 and outcome.hits == 10
    assert sorted(Case.objects.values_list("number", flat=True)) == list(range(first, first + 8))
    assert not AlertRuleCase.objects.filter(rule__name="Refunds").exists()
    assert AlertRuleHit.objects.filter(rule__name="Refunds").count() == 2
    assert "could not open a case" in caplog.text


def test_contacts_for_emails(world):
    known = contacts_for_emails(organization=world.org, emails=["a@example.com"])["a@example.com"]
    got = contacts_for_emails(
        organization=world.org, emails=["a@example.com", "b@example.com", "b@example.com", ""]
    )
    assert set(got) == {"a@example.com", "b@example.com"}
    assert got["a@example.com"].pk == known.pk
    assert Contact.objects.filter(organization=world.org).count() == 2
    again = contacts_for_emails(organization=world.org, emails=["b@example.com"])
    assert again["b@example.com"].pk == got["b@example.com"].pk
    assert ContactEmail.objects.filter(organization=world.org).count() == 2
    # Another organization's contact with the same email is a different contact.
    other = contacts_for_emails(organization=world.other_org, emails=["a@example.com"])
    assert other["a@example.com"].pk != known.pk


def test_a_batch_emits_one_event_per_case_delivered_after_commit(
    world, rules, monkeypatch, django_capture_on_commit_callbacks
):
    sent = []

    class Layer:
        async def group_send(self, group, message):
            sent.append((group, message))

    monkeypatch.setattr("caredesk.events.bus.get_channel_layer", lambda: Layer())
    ids = ingest(world, rules)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        outcome = evaluate(ids)
    assert sent == []  # nothing before commit
    # The whole batch is one emit: one after-commit callback (and one trip to the layer).
    [batch] = [
        c
        for c in callbacks
        if getattr(c, "func", None) is bus._committed
        and {type(e) for _, e in c.args[0]} == {events.CaseCreated}
    ]
    batch()
    group = f"workspace.{world.support.pk}"
    assert sent == [
        (
            group,
            {
                "type": "workspace.event",
                "event": {"type": "case.created", "number": c.number, "status": c.status},
                # what the consumer needs to send it only to whoever sees the ticket
                "audience": {
                    "case": c.pk,
                    "segment_path": c.segment_path,
                    "owner": c.owner_id,
                    "created_by": None,
                    "about_agent": None,
                },
            },
        )
        for c in outcome.cases
    ]
