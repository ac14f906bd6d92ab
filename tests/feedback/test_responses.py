import pytest

from caredesk.care.models import Case, Origin
from caredesk.feedback.models import AlertRule, AlertRuleCase, Response
from caredesk.feedback.services import survey_create

from .conftest import stored


def test_nps_survey_gets_default_detractor_rule(nps):
    rule = AlertRule.objects.get(survey=nps)
    assert rule.criteria == {"scores": [{"kind": "nps", "min": 0, "max": 6}]}
    assert rule.actions["create_case"]["priority"] == "high"


def test_detractor_response_opens_a_ticket(world, nps, post):
    r = post(
        nps,
        {
            "score": 3,
            "comment": "Waited <b>40</b> minutes",
            "customer_email": "Ana@Example.com",
            "segment": world.store1.pk,
            "transaction": {"order": "A-17", "channel": "store"},
        },
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["score"] == 3 and body["customer_email"] == "ana@example.com"
    response = Response.objects.get(pk=body["id"])
    assert response.contact is not None
    case = Case.objects.get()
    assert case.origin == Origin.SURVEY_RESPONSE
    assert case.customer_comment == "Waited <b>40</b> minutes"
    assert case.priority == "high" and case.status == "new"
    assert case.segment == world.store1
    assert case.customer_email == "ana@example.com"
    assert case.created_by is None
    assert AlertRuleCase.objects.get().response == response


def test_anonymous_detractor_still_opens_a_ticket(nps, post):
    r = post(nps, {"score": 0, "comment": "Bad"})
    assert r.status_code == 201, r.content
    case = Case.objects.get()
    assert case.customer_email == "" and case.contact is None


def test_promoter_opens_no_ticket(nps, post):
    r = post(nps, {"score": 9, "comment": "Great"})
    assert r.status_code == 201, r.content
    assert stored() == (1, 0, 0, 0)


def test_retry_with_same_external_id_is_stored_once(nps, post):
    body = {"score": 3, "comment": "Slow", "external_id": "ext-1"}
    first = post(nps, body)
    second = post(nps, {**body, "score": 10, "comment": "changed"})
    assert first.status_code == 201, first.content
    assert second.status_code == 200, second.content
    assert second.json()["id"] == first.json()["id"]
    assert second.json()["score"] == 3
    assert stored() == (1, 1, 1, 1)


def test_reevaluating_a_response_opens_no_second_ticket(nps, post):
    from caredesk.feedback.evaluation import evaluate

    r = post(nps, {"score": 2})
    again = evaluate([r.json()["id"]])
    assert again.cases == [] and again.hits == 0
    assert stored() == (1, 1, 1, 1)


@pytest.mark.parametrize(
    "body, field",
    [
        ({"score": 11}, "score"),
        ({"score": -1}, "score"),
        ({}, "score"),
        ({"score": 5, "customer_email": "not-an-email"}, "customer_email"),
        ({"score": 5, "segment": 999999}, "segment"),
    ],
)
def test_bad_input_is_refused_and_nothing_stored(nps, post, body, field):
    r = post(nps, body)
    assert r.status_code == 400, r.content
    assert field in r.json()["errors"]
    assert r.json()["detail"]
    assert stored() == (0, 0, 0, 0)


def test_segment_of_another_organization_is_refused(world, nps, post):
    from caredesk.workspaces import services as ws

    foreign = ws.segment_create(organization=world.other_org, name="Elsewhere")
    r = post(nps, {"score": 2, "segment": foreign.pk})
    assert r.status_code == 400 and "segment" in r.json()["errors"]
    assert stored() == (0, 0, 0, 0)


def test_csat_range(world, post):
    csat = survey_create(workspace=world.support, kind="csat", name="After chat")
    assert post(csat, {"score": 0}).status_code == 400
    assert post(csat, {"score": 6}).status_code == 400
    assert post(csat, {"score": 1}).status_code == 201
    # CSAT has no default rule.
    assert stored() == (1, 0, 0, 0)


def test_agent_of_another_organization_gets_404(world, nps, post, api_client):
    r = post(nps, {"score": 3}, client=api_client(world.outsider))
    assert r.status_code == 404
    assert stored() == (0, 0, 0, 0)


def test_survey_of_another_workspace_is_404(world, post):
    sales = survey_create(workspace=world.sales, kind="nps", name="Sales NPS")
    r = post(sales, {"score": 3})
    assert r.status_code == 404
    assert stored() == (0, 0, 0, 0)


def test_survey_list(world, nps, api_client):
    r = api_client(world.agent).get("/api/v1/workspaces/support/surveys")
    assert r.status_code == 200, r.content
    [item] = r.json()
    assert item["id"] == nps.pk and item["kind"] == "nps"
    assert item["public_url"] == f"/s/{nps.token}/"


def test_unauthenticated_is_401(nps, client):
    r = client.post(
        f"/api/v1/workspaces/support/surveys/{nps.pk}/responses",
        {"score": 3},
        content_type="application/json",
    )
    assert r.status_code == 401
