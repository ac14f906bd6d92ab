"""An alert rule's criteria and actions are read by one set of typed schemas
(caredesk.feedback.schemas): the API's document shows them, the service validates by them, the
stored JSON is what they dump. Each refused rule is a 400 naming the criterion or action and
changes nothing; an accepted one is stored in the shape rules have always had."""

import pytest

from caredesk.feedback.evaluation import evaluate
from caredesk.feedback.models import AlertRule, AlertRuleHit
from caredesk.feedback.schemas import RuleActions, RuleCriteria
from caredesk.feedback.services import response_submit

RULES = "/api/v1/workspaces/support/alert-rules"
CASE = {"create_case": {}}


def rows() -> list:
    return list(AlertRule.objects.order_by("pk").values_list("pk", "name", "criteria", "actions"))


def send(client, body, method="post", url=RULES):
    return getattr(client, method)(url, body, content_type="application/json")


@pytest.fixture
def admin(world, api_client):
    return api_client(world.admin)


@pytest.mark.parametrize(
    "criteria, errors",
    [
        ({"scores": {"kind": "nps"}}, {"criteria.scores": "Must be a list."}),
        (
            {"scores": [{"min": 0, "max": 6}]},
            {"criteria.scores": "Each range needs a kind, min and max."},
        ),
        (
            {"scores": [{"kind": 7, "min": 0, "max": 6}]},
            {"criteria.scores": "Each range needs a kind, min and max."},
        ),
        (
            {"scores": [{"kind": "nps", "min": "low", "max": 6}]},
            {"criteria.scores": "Not a whole number: 'low'"},
        ),
        ({"scores": [{"kind": "nps", "min": 0}]}, {"criteria.scores": "Not a whole number: None"}),
        (
            {"scores": [{"kind": "nps", "min": True, "max": 6}]},
            {"criteria.scores": "Not a whole number: True"},
        ),
        (
            {"scores": [{"kind": "nps", "min": 1.5, "max": 6}]},
            {"criteria.scores": "Not a whole number: 1.5"},
        ),
        (
            {"nps_category": ["detractor", {"x": 1}]},
            {
                "criteria.nps_category": "Unknown category {'x': 1}; one of: detractor, passive, "
                "promoter"
            },
        ),
        ({"answers": ["reason"]}, {"criteria.answers": "Each condition must be an object."}),
        ({"answers": [{"value": "x"}]}, {"criteria.answers": "Each condition needs a question."}),
        (
            {"answers": [{"question": "reason", "op": "like", "value": "x"}]},
            {"criteria.answers": "Unknown op 'like'; one of: equals, contains"},
        ),
        (
            {"transaction": [{"field": "tier", "value": ""}]},
            {"criteria.transaction": "tier: a value is needed."},
        ),
        (
            {"transaction": [{"field": "tier", "value": ["a"]}]},
            {"criteria.transaction": "tier: a value is needed."},
        ),
        ({"keywords": ["refund", 3]}, {"criteria.keywords": "Keywords must be texts."}),
        ({"segment": "Lisbon"}, {"criteria.segment": "Not a whole number: 'Lisbon'"}),
        ({"segment": 999999}, {"criteria.segment": "No such segment."}),
        ({"mood": "x", "tone": "y"}, {"criteria": "Unknown criteria: mood, tone"}),
        # Rules written before "scores" are still read (StoredCriteria), but not written.
        ({"score_min": 0, "score_max": 6}, {"criteria": "Unknown criteria: score_max, score_min"}),
        (
            {"scores": 5, "keywords": [None], "segment": 999999},
            {
                "criteria.scores": "Must be a list.",
                "criteria.keywords": "Keywords must be texts.",
                "criteria.segment": "No such segment.",
            },
        ),
    ],
)
def test_bad_criteria_are_refused_by_name(world, admin, criteria, errors):
    before = rows()
    r = send(admin, {"name": "x", "criteria": criteria, "actions": CASE})
    assert r.status_code == 400, r.content
    assert r.json()["errors"] == errors
    assert rows() == before


@pytest.mark.parametrize(
    "actions, errors",
    [
        ({"create_case": "yes"}, {"actions.create_case": "Must be an object."}),
        (
            {"create_case": {"status": "pending"}},
            {
                "actions.create_case.status": "Unknown status 'pending'; one of: new, open, "
                "escalated, resolved, closed"
            },
        ),
        (
            {"create_case": {"segment": "Lisbon"}},
            {"actions.create_case.segment": "No such segment."},
        ),
        ({"create_case": {"segment": 999999}}, {"actions.create_case.segment": "No such segment."}),
        (
            {**CASE, "assign": {"to": "team"}},
            {"actions.assign.to": "One of: segment_manager, queue, user"},
        ),
        ({**CASE, "assign": {}}, {"actions.assign.to": "One of: segment_manager, queue, user"}),
        (
            {**CASE, "assign": {"to": "queue", "queue": "  "}},
            {"actions.assign.queue": "Name the queue."},
        ),
        ({**CASE, "assign": {"to": "user"}}, {"actions.assign.user": "A list of user ids."}),
        (
            {**CASE, "assign": {"to": "user", "user": 999999}},
            {"actions.assign.user": "No such user: 999999"},
        ),
        ({"notify": {"users": []}}, {"actions.notify.users": "Choose at least one user."}),
        ({"notify": {"users": "all"}}, {"actions.notify.users": "A list of user ids."}),
        ({"notify": {"users": [1.5]}}, {"actions.notify.users": "A list of user ids."}),
        ({"webhook": {"url": 42}}, {"actions.webhook.url": "An http:// or https:// address."}),
        (
            {"webhook": {"url": "https://x/" + "a" * 500}},
            {"actions.webhook.url": "An http:// or https:// address."},
        ),
        ({"sms": {}}, {"actions": "Unknown actions: sms"}),
        ({"create_case": None, "notify": None}, {"actions": "Choose at least one action."}),
        (
            {"assign": {"to": "nobody"}, "notify": {"users": []}},
            {
                "actions.assign": "Assigning needs the create a ticket action.",
                "actions.notify.users": "Choose at least one user.",
            },
        ),
    ],
)
def test_bad_actions_are_refused_by_name(world, admin, actions, errors):
    before = rows()
    r = send(admin, {"name": "x", "criteria": {}, "actions": actions})
    assert r.status_code == 400, r.content
    assert r.json()["errors"] == errors
    assert rows() == before


def test_criteria_of_another_survey_are_refused(world, custom, admin):
    before = rows()
    r = send(
        admin,
        {
            "name": "x",
            "survey": custom.pk,
            "criteria": {
                "scores": [{"kind": "effort", "min": 1, "max": 2}],
                "answers": [{"question": "colour", "value": "red"}],
            },
            "actions": CASE,
        },
    )
    assert r.status_code == 400
    assert r.json()["errors"] == {
        "criteria.scores": "No such score: 'effort'",
        "criteria.answers": "No such question: 'colour'",
    }
    assert rows() == before


def test_a_refused_edit_leaves_the_rule_as_it_was(world, nps, admin):
    rule = AlertRule.objects.get()
    before = rows()
    r = send(
        admin,
        {
            "name": "Edited",
            "criteria": {"scores": [{"kind": "nps", "min": 9, "max": 2}]},
            "actions": CASE,
        },
        method="put",
        url=f"{RULES}/{rule.pk}",
    )
    assert r.status_code == 400
    assert r.json()["errors"] == {"criteria.scores": "nps: min is above max."}
    assert rows() == before


def test_the_body_shape_is_still_a_422(world, admin):
    before = rows()
    for body in ({"name": "x", "criteria": None}, {"name": "x", "actions": ["create_case"]}):
        r = send(admin, body)
        assert r.status_code == 422, r.content
    assert rows() == before


def test_texts_of_digits_are_read_as_numbers_and_stored_as_always(world, admin):
    body = {
        "name": "Mixed",
        "criteria": {
            "scores": [{"kind": " nps ", "min": " 0", "max": "6", "note": "ignored"}],
            "nps_category": ["promoter", "detractor", "promoter"],
            "keywords": ["  muito   caro ", "", "muito caro"],
            "segment": str(world.lisbon.pk),
            "answers": None,
            "transaction": [{"field": "tier", "value": 3}],
        },
        "actions": {
            "create_case": {"priority": "", "status": None, "segment": str(world.italy.pk)},
            "assign": {"to": "user", "user": str(world.manager.pk), "queue": "unused"},
            "notify": {"users": [str(world.manager.pk), world.manager.pk]},
            "webhook": None,
        },
    }
    r = send(admin, body)
    assert r.status_code == 201, r.content
    stored = AlertRule.objects.get(name="Mixed")
    assert stored.criteria == {
        "scores": [{"kind": "nps", "min": 0, "max": 6}],
        "nps_category": ["detractor", "promoter"],
        "keywords": ["muito caro"],
        "segment": world.lisbon.pk,
        "transaction": [{"field": "tier", "op": "equals", "value": "3"}],
    }
    assert stored.actions == {
        "create_case": {"priority": "high", "status": "new", "segment": world.italy.pk},
        "assign": {"to": "user", "user": world.manager.pk},
        "notify": {"users": [world.manager.pk]},
    }
    assert r.json()["criteria"] == stored.criteria and r.json()["actions"] == stored.actions


def test_the_document_shows_the_models(world):
    from caredesk.api.v1 import api

    doc = api.get_openapi_schema(path_prefix="/api/v1")
    schemas = doc["components"]["schemas"]
    rule_in = schemas["RuleIn"]["properties"]
    assert set(rule_in["criteria"]["properties"]) == set(RuleCriteria.model_fields)
    assert rule_in["criteria"]["additionalProperties"] is False
    assert set(rule_in["actions"]["properties"]) == set(RuleActions.model_fields)
    assign = rule_in["actions"]["properties"]["assign"]["anyOf"][0]
    assert assign["discriminator"]["propertyName"] == "to"
    assert set(assign["discriminator"]["mapping"]) == {"segment_manager", "queue", "user"}
    rule_out = schemas["RuleOut"]["properties"]
    assert rule_out["criteria"] == {"$ref": "#/components/schemas/StoredCriteria"}
    assert rule_out["actions"] == {"$ref": "#/components/schemas/RuleActions"}
    assert "score_min" in schemas["StoredCriteria"]["properties"]


def test_a_rule_written_before_scores_is_still_answered_and_evaluated(world, nps, admin):
    AlertRule.objects.filter(survey=nps).update(is_active=False)
    old = AlertRule.objects.create(
        workspace=world.support,
        name="Old",
        criteria={"score_min": 0, "score_max": 3},
        actions={"create_case": {"priority": "high", "status": "new", "segment": "response"}},
    )
    listed = {r["name"]: r for r in admin.get(RULES).json()}
    assert listed["Old"]["criteria"] == {"score_min": 0, "score_max": 3}
    low, _ = response_submit(survey=nps, score=2)
    high, _ = response_submit(survey=nps, score=9)
    evaluate([low.pk, high.pk])
    assert list(AlertRuleHit.objects.filter(rule=old).values_list("response", flat=True)) == [
        low.pk
    ]
