"""Alert rules on the verbatim's sentiment and topics (the offline analysis): through the API
and the rule pages; a negative comment about cancelling opens a ticket with the evidence, a
positive one does not; a topic of another workspace or a bad bound is refused, naming the
field, and nothing is saved."""

import pytest

from caredesk.analysis.models import Topic
from caredesk.care.models import Case
from caredesk.feedback.models import AlertRule, AlertRuleHit, Response

RULES = "/api/v1/workspaces/support/alert-rules"


@pytest.fixture
def quiet(nps):
    """The NPS survey's default detractor rule off: a test sees only its own rule."""
    AlertRule.objects.filter(survey=nps).update(is_active=False)
    return nps


@pytest.fixture
def topics(world):
    cancel = Topic.objects.create(
        workspace=world.support,
        name="Cancellation",
        phrases={
            "en": ["cancel", "close my account"],
            "pt": ["cancelar"],
            "it": ["disdire"],
            "bg": ["откажа"],
        },
    )
    billing = Topic.objects.create(
        workspace=world.support, name="Billing", phrases={"en": ["charged"], "pt": ["cobrado"]}
    )
    refund = Topic.objects.create(
        workspace=world.support, parent=billing, name="Refund", phrases={"en": ["refund"]}
    )
    other = Topic.objects.create(workspace=world.sales, name="Cancellation", phrases={})
    return {"cancel": cancel, "billing": billing, "refund": refund, "other": other}


NEGATIVE_CANCEL = "Terrible service, nobody answers. I want to cancel my account!"
POSITIVE_CANCEL = "Great service, I will never cancel, thank you so much!"
NEGATIVE_OTHER = "Terrible service, the delivery was awful and late."


def _counts():
    return (AlertRule.objects.count(), Case.objects.count(), AlertRuleHit.objects.count())


def test_negative_and_cancellation_opens_a_ticket_with_the_evidence_through_the_api(
    world, quiet, topics, api_client, post
):
    client = api_client(world.admin)
    r = client.post(
        RULES,
        {
            "name": "Angry cancellations",
            "criteria": {
                "sentiment": {"labels": ["negative"]},
                "topics": [topics["cancel"].pk],
            },
            "actions": {"create_case": {"priority": "critical"}},
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    assert r.json()["criteria"] == {
        "sentiment": {"labels": ["negative"]},
        "topics": [topics["cancel"].pk],
    }
    rule = AlertRule.objects.get(name="Angry cancellations")
    for comment in (NEGATIVE_CANCEL, POSITIVE_CANCEL, NEGATIVE_OTHER, ""):
        assert post(quiet, {"score": 2, "comment": comment}).status_code == 201
    hits = set(Response.objects.filter(rule_hits__rule=rule).values_list("comment", flat=True))
    assert hits == {NEGATIVE_CANCEL}
    case = Case.objects.get(origin="survey_response")
    assert case.priority == "critical"
    first = case.comments.order_by("pk").first().body
    assert "Opened by the alert rule “Angry cancellations”" in first
    assert "Sentiment negative (-" in first
    assert "“terrible”" in first.lower()
    assert "Topics: Cancellation (“cancel”)." in first


def test_a_score_bound_and_a_parent_topic(world, quiet, topics, api_client, post):
    client = api_client(world.admin)
    r = client.post(
        RULES,
        {
            "name": "Very unhappy about money",
            "criteria": {"sentiment": {"max": "-0.3"}, "topics": [str(topics["billing"].pk)]},
            "actions": {"create_case": {}},
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    assert r.json()["criteria"] == {
        "sentiment": {"max": -0.3},
        "topics": [topics["billing"].pk],
    }
    rule = AlertRule.objects.get(pk=r.json()["id"])
    # "Refund" is below "Billing": its hit counts for the rule.
    angry_refund = "Awful, the refund never came, this is a disgrace."
    mild = "The refund came a bit late but fine."
    for comment in (angry_refund, mild):
        post(quiet, {"score": 3, "comment": comment})
    hits = set(Response.objects.filter(rule_hits__rule=rule).values_list("comment", flat=True))
    assert hits == {angry_refund}


@pytest.mark.parametrize(
    "criteria,field",
    [
        ({"topics": ["other"]}, "criteria.topics"),
        ({"topics": [999999]}, "criteria.topics"),
        ({"sentiment": {"labels": ["furious"]}}, "criteria.sentiment"),
        ({"sentiment": {"max": 3}}, "criteria.sentiment"),
        ({"sentiment": {"min": 0.5, "max": -0.5}}, "criteria.sentiment"),
        ({"sentiment": {}}, "criteria.sentiment"),
        ({"sentiment": "negative"}, "criteria.sentiment"),
    ],
)
def test_bad_criteria_are_refused_through_the_api(world, topics, api_client, criteria, field):
    if criteria.get("topics") == ["other"]:
        criteria = {"topics": [topics["other"].pk]}  # a topic of the sales workspace
    before = _counts()
    r = api_client(world.admin).post(
        RULES,
        {"name": "x", "criteria": criteria, "actions": {"create_case": {}}},
        content_type="application/json",
    )
    assert r.status_code == 400, r.content
    assert list(r.json()["errors"]) == [field]
    assert _counts() == before


def test_rule_page_with_sentiment_and_topics(world, nps, quiet, topics, as_user, post):
    c = as_user(world.admin)
    page = c.get("/w/support/feedback/rules/new/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'name="sentiment_labels" value="negative"' in html
    assert f'<option value="{topics["refund"].pk}">\u00a0\u00a0\u00a0Refund</option>' in html
    # Only this workspace's topics are offered.
    offered = html.split('name="topics"')[1].split("</select>")[0]
    assert offered.count("<option") == 3
    assert ">Cancellation</option>" in offered and ">Billing</option>" in offered
    r = c.post(
        "/w/support/feedback/rules/new/",
        {
            "name": "Cancellations, negative",
            "is_active": "1",
            "sentiment_labels": ["negative"],
            "sentiment_max": "-0,1",
            "topics": [str(topics["cancel"].pk)],
            "create_case": "1",
            "case_priority": "high",
            "case_status": "new",
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    rule = AlertRule.objects.get(name="Cancellations, negative")
    assert rule.criteria == {
        "sentiment": {"labels": ["negative"], "max": -0.1},
        "topics": [topics["cancel"].pk],
    }
    detail = c.get(f"/w/support/feedback/rules/{rule.pk}/").content.decode()
    assert "the customer comment’s sentiment is negative" in detail.replace("'", "’").replace(
        "&#x27;", "’"
    )
    assert "the customer comment is about “Cancellation”" in detail
    # The edit form shows what is stored.
    edit = c.get(f"/w/support/feedback/rules/{rule.pk}/edit/").content.decode()
    assert 'name="sentiment_labels" value="negative" checked' in edit
    assert 'name="sentiment_max" value="-0.1"' in edit
    assert f'<option value="{topics["cancel"].pk}" selected>Cancellation</option>' in edit

    post(quiet, {"score": 1, "comment": NEGATIVE_CANCEL})
    post(quiet, {"score": 1, "comment": POSITIVE_CANCEL})
    assert list(Case.objects.values_list("customer_comment", flat=True)) == [NEGATIVE_CANCEL]


@pytest.mark.parametrize(
    "data,field",
    [
        ({"topics": ["other"]}, "criteria.topics"),
        ({"sentiment_labels": ["furious"]}, "criteria.sentiment"),
        ({"sentiment_max": "very"}, "criteria.sentiment"),
    ],
)
def test_rule_page_refuses_bad_criteria(world, nps, topics, as_user, data, field):
    if data.get("topics") == ["other"]:
        data = {"topics": [str(topics["other"].pk)]}
    before = _counts()
    r = as_user(world.admin).post(
        "/w/support/feedback/rules/new/", {"name": "x", "create_case": "1", **data}
    )
    assert r.status_code == 400
    assert f'<li data-field="{field}">' in r.content.decode()
    assert _counts() == before


def test_a_rule_without_analysis_criteria_does_not_analyse(world, quiet, post, monkeypatch):
    """Rules on scores alone never run the engine (it is not free at a million responses)."""
    from caredesk.feedback import verbatim

    def refuse(*args, **kwargs):
        raise AssertionError("analysed")

    monkeypatch.setattr(verbatim, "analyse", refuse)
    AlertRule.objects.filter(survey=quiet).update(is_active=True)
    assert post(quiet, {"score": 1, "comment": NEGATIVE_CANCEL}).status_code == 201
    assert Case.objects.count() == 1
