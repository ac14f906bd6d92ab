"""Scorecard criteria that name an automatic check are prefilled on the evaluate page from
the activity's analysis, with the evidence beside them; the evaluator can change the answer;
no analysis, no prefill; the score is still quality.scoring's. The check is chosen in the
builder and the API, and refused on a scale other than yes/no."""

import re

import pytest

from caredesk.analysis.engine import Unit, analyse
from caredesk.analysis.models import Analysis
from caredesk.quality import scoring
from caredesk.quality.models import Answer, Evaluation, Scorecard
from caredesk.quality.scorecards import scorecard_create
from caredesk.routing.models import Message
from caredesk.workspaces.access import Access

from .conftest import chat_for

W = "/w/support/coaching"
LIST = "/w/support/settings/quality/scorecards/"

SECTIONS = [
    {
        "title": "Outcome",
        "criteria": [
            {"question": "Customer left satisfied", "weight": 2, "scale": "yes_no",
             "auto_check": "customer_not_negative"},
            {"question": "No escalation needed", "weight": 1, "scale": "yes_no",
             "auto_check": "no_escalation"},
            {"question": "Greeted the customer", "weight": 1, "scale": "yes_no",
             "auto_check": "greeting"},
            {"question": "Tone", "weight": 1, "scale": "1_5"},
        ],
    }
]  # fmt: skip


@pytest.fixture
def card(q):
    card = scorecard_create(
        access=Access.system(q.ws),
        name="Analysed chats",
        sections=SECTIONS,
        pass_mark=50,
        media_types=["chat"],
    )
    card.ids = [c["id"] for c in card.current_version.sections[0]["criteria"]]
    return card


def _angry_chat(q):
    chat = chat_for(q.ws, q.agent, text="My parcel is late <again>, this is terrible!")
    Message.objects.create(
        conversation=chat.conversation,
        sender="customer",
        client_id="c3",
        body="I want to speak to a manager. This is awful, useless service.",
    )
    return chat


def _analyse(activity) -> Analysis:
    """What the conversations pipeline stores: the engine's result on the chat's messages."""
    messages = activity.conversation.messages.order_by("created_at", "pk")
    result = analyse([Unit(m.body, m.sender) for m in messages], language="en")
    return Analysis.objects.create(
        workspace=activity.workspace,
        source="activity",
        source_id=activity.pk,
        media_type=activity.media_type,
        occurred_at=activity.occurred_at,
        **result.fields(),
    )


def _checked(html: str, cid: int) -> str | None:
    m = re.search(rf'name="a{cid}" value="([^"]+)" checked', html)
    return m.group(1) if m else None


def test_prefilled_from_the_analysis_with_the_evidence(q, card, as_user):
    chat = _angry_chat(q)
    analysis = _analyse(chat)
    assert analysis.end_sentiment < -0.05
    assert [s["kind"] for s in analysis.signals] == ["escalation"]
    page = as_user(q.coach).get(f"{W}/evaluate/?activity={chat.pk}&scorecard={card.pk}")
    assert page.status_code == 200
    html = page.content.decode()
    ended, escalation, greeting, tone = card.ids
    assert (_checked(html, ended), _checked(html, escalation), _checked(html, greeting)) == (
        "0",
        "0",
        "1",
    )
    assert _checked(html, tone) is None
    block = html.split(f'id="prefill-{escalation}"')[1].split("</div>")[0]
    assert "From the analysis" in block
    assert "The customer did not ask for a manager: No" in block
    assert "Message 4: “I want to speak to a manager." in block
    block = html.split(f'id="prefill-{ended}"')[1].split("</div>")[0]
    assert "The customer ended not negative: No" in block
    assert "Sentiment of the customer&#x27;s last messages: -" in block
    assert "“awful”" in block or "“useless”" in block
    block = html.split(f'id="prefill-{greeting}"')[1].split("</div>")[0]
    assert "The agent opened with a greeting: Yes" in block
    assert "Message 2: “Hi, how can I help?”" in block
    assert f'id="prefill-{tone}"' not in html
    # Customer text in the evidence is escaped like everywhere else.
    assert "<again>" not in html


def test_the_evaluator_changes_a_prefilled_answer_and_scoring_decides(q, card, as_user):
    chat = _angry_chat(q)
    _analyse(chat)
    ended, escalation, greeting, tone = card.ids
    c = as_user(q.coach)
    r = c.post(
        f"{W}/evaluate/",
        {
            "scorecard": card.pk,
            "activity": chat.pk,
            "agent": q.agent.pk,
            f"a{ended}": "1",  # the evaluator overrides the analysis
            f"a{escalation}": "0",
            f"a{greeting}": "1",
            f"a{tone}": "3",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    evaluation = Evaluation.objects.get(scorecard=card)
    stored = Answer.objects.filter(evaluation=evaluation)
    answers = dict(stored.values_list("criterion_id", "value"))
    assert answers == {ended: 1, escalation: 0, greeting: 1, tone: 3}
    criteria = scoring.criteria_of(evaluation.version.sections)
    expected = scoring.score(
        criteria,
        {
            ended: scoring.Given(value=1),
            escalation: scoring.Given(value=0),
            greeting: scoring.Given(value=1),
            tone: scoring.Given(value=3),
        },
        evaluation.version.pass_mark,
    )
    assert (evaluation.score, evaluation.passed) == (expected.score, expected.passed)
    assert evaluation.score == pytest.approx(100 * (2 + 0 + 1 + 0.5) / 5)


def test_a_refused_form_keeps_what_the_evaluator_chose(q, card, as_user):
    chat = _angry_chat(q)
    _analyse(chat)
    ended, escalation, greeting, tone = card.ids
    r = as_user(q.coach).post(
        f"{W}/evaluate/",
        {"scorecard": card.pk, "activity": chat.pk, "agent": q.agent.pk, f"a{ended}": "1"},
    )
    assert r.status_code == 400
    html = r.content.decode()
    # Not replaced by the analysis' answers: what was posted stays, the rest is unanswered.
    assert (_checked(html, ended), _checked(html, escalation), _checked(html, greeting)) == (
        "1",
        None,
        None,
    )
    assert Evaluation.objects.filter(scorecard=card).count() == 0


def test_no_analysis_no_prefill(q, card, as_user):
    chat = _angry_chat(q)
    html = as_user(q.coach).get(f"{W}/evaluate/?activity={chat.pk}&scorecard={card.pk}")
    html = html.content.decode()
    assert all(_checked(html, cid) is None for cid in card.ids)
    assert "sc-prefill" not in html and "From the analysis" not in html


def test_a_happy_chat_is_prefilled_yes(q, card, as_user):
    chat = chat_for(q.ws, q.agent, text="Thank you, that was great, really helpful!")
    _analyse(chat)
    html = as_user(q.coach).get(f"{W}/evaluate/?activity={chat.pk}&scorecard={card.pk}")
    html = html.content.decode()
    ended, escalation, greeting, _tone = card.ids
    assert (_checked(html, ended), _checked(html, escalation), _checked(html, greeting)) == (
        "1",
        "1",
        "1",
    )


def _builder_form(**over) -> dict:
    data = {
        "name": "Checked",
        "pass_mark": "80",
        "media_types": ["chat"],
        "sections": "1",
        "s0_title": "All",
        "s0_n": "2",
        "c0_0_question": "Customer happy at the end",
        "c0_0_weight": "1",
        "c0_0_scale": "yes_no",
        "c0_0_auto_check": "customer_not_negative",
        "c0_1_question": "No repetition",
        "c0_1_weight": "1",
        "c0_1_scale": "yes_no",
        "c0_1_auto_check": "no_repetition",
    }
    data.update(over)
    return data


def test_builder_chooses_the_check_and_refuses_it_on_another_scale(q, as_user):
    c = as_user(q.admin)
    page = c.get(f"{LIST}new/").content.decode()
    assert 'name="c0_0_auto_check"' in page
    assert '<option value="no_escalation">The customer did not ask for a manager</option>' in page
    r = c.post(f"{LIST}new/", _builder_form())
    assert r.status_code == 302, r.content.decode()[:3000]
    card = Scorecard.objects.get(name="Checked")
    assert [c["auto_check"] for c in card.current_version.sections[0]["criteria"]] == [
        "customer_not_negative",
        "no_repetition",
    ]
    edit = c.get(r["Location"]).content.decode()
    assert '<option value="no_repetition" selected>' in edit

    before = Scorecard.objects.count()
    r = c.post(f"{LIST}new/", _builder_form(name="Bad", c0_1_scale="1_5"))
    assert r.status_code == 400
    assert 'id="err-c0_1_auto_check">An automatic check answers yes or no' in r.content.decode()
    r = c.post(f"{LIST}new/", _builder_form(name="Bad", c0_1_auto_check="mind_reading"))
    assert r.status_code == 400
    assert 'id="err-c0_1_auto_check">Unknown automatic check' in r.content.decode()
    assert Scorecard.objects.count() == before


def test_api_shows_and_validates_the_check(q, api_client):
    client = api_client(q.admin)
    base = "/api/v1/workspaces/support/scorecards"
    body = {
        "name": "API checked",
        "pass_mark": 80,
        "media_types": ["chat"],
        "sections": [
            {
                "title": "All",
                "criteria": [
                    {"question": "No escalation", "scale": "yes_no", "auto_check": "no_escalation"},
                    {"question": "Tone", "scale": "1_5"},
                ],
            }
        ],
    }
    r = client.post(base, body, content_type="application/json")
    assert r.status_code == 201, r.content
    criteria = r.json()["sections"][0]["criteria"]
    assert [c["auto_check"] for c in criteria] == ["no_escalation", ""]
    before = Scorecard.objects.count()
    body["name"] = "Bad"
    body["sections"][0]["criteria"][1]["auto_check"] = "greeting"
    r = client.post(base, body, content_type="application/json")
    assert r.status_code == 400
    assert list(r.json()["errors"]) == ["sections.0.criteria.1.auto_check"]
    assert Scorecard.objects.count() == before
