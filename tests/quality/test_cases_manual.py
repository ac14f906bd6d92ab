"""Opening a coaching case by hand: the page (from an activity, a ticket, the inbox) and
POST /api/v1/workspaces/{ws}/coaching-cases; bad input named with nothing written; refused
without `evaluate`."""

import re

import pytest

from caredesk.audit.models import AuditEntry
from caredesk.care.models import Case, CaseComment, Origin
from caredesk.quality.models import CoachAssignment

NEW = "/w/support/coaching/cases/new/"
API = "/api/v1/workspaces/support/coaching-cases"


@pytest.fixture
def scene(q):
    CoachAssignment.objects.create(workspace=q.ws, coach=q.coach, agent=q.agent)
    return q


def written():
    return (Case.objects.count(), CaseComment.objects.count(), AuditEntry.objects.count())


def selected_agent(html: str) -> str:
    m = re.search(r'<option value="(\d+)" selected>', html)
    return m.group(1) if m else ""


def test_from_an_activity_the_agent_is_proposed_and_the_case_opens(scene, as_user):
    coach = as_user(scene.coach)
    r = coach.get(NEW, {"activity": scene.chat.pk})
    html = r.content.decode()
    assert r.status_code == 200
    assert selected_agent(html) == str(scene.agent.pk)
    assert 'id="coaching-source"' in html
    r = coach.post(
        NEW,
        {
            "agent": scene.agent.pk,
            "title": "",
            "comment": "Greets without the name",
            "activity": scene.chat.pk,
        },
    )
    case = Case.objects.get(origin=Origin.COACHING)
    assert r.status_code == 302
    assert r["Location"] == f"/w/support/tickets/?open={case.number}"
    assert (case.about_agent, case.owner, case.created_by, case.title, case.customer_email) == (
        scene.agent,
        scene.coach,
        scene.coach,
        "Coaching: Agent",
        "",
    )
    assert case.segment == scene.world.store1
    (comment,) = CaseComment.objects.filter(case=case)
    assert comment.body == f"Greets without the name\n\nChat {scene.chat.pk}"


def test_from_a_ticket_the_agent_of_its_chat_is_proposed(scene, as_user):
    ticket = scene.world.make_case(scene.ws, segment=scene.world.store1)
    type(scene.chat).objects.filter(pk=scene.chat.pk).update(case=ticket)
    coach = as_user(scene.manager)
    html = coach.get(NEW, {"ticket": ticket.number}).content.decode()
    assert selected_agent(html) == str(scene.agent.pk)
    assert f"From ticket #{ticket.number}" in html
    r = coach.post(
        NEW,
        {"agent": scene.agent.pk, "comment": "Promised a refund", "ticket": ticket.number},
    )
    assert r.status_code == 302
    case = Case.objects.get(origin=Origin.COACHING)
    assert CaseComment.objects.get(case=case).body == f"Promised a refund\n\n#{ticket.number}"


@pytest.mark.parametrize(
    "post, field, message",
    [
        ({"agent": "", "comment": "x"}, "agent", "No such member of this workspace."),
        ({"agent": "999999", "comment": "x"}, "agent", "No such member of this workspace."),
        ({"agent": "AGENT", "comment": " "}, "comment", "Say what the coaching is about."),
        ({"agent": "AGENT", "comment": "x", "activity": "999999"}, "activity", "No such activity."),
        ({"agent": "AGENT", "comment": "x", "ticket": "999999"}, "ticket", "No such ticket."),
        (
            {"agent": "AGENT", "comment": "x", "evaluation": "999999"},
            "evaluation",
            "No such evaluation.",
        ),
        (
            {"agent": "AGENT", "comment": "x", "title": "t" * 201},
            "title",
            "At most 200 characters.",
        ),
    ],
)
def test_bad_input_is_named_and_nothing_is_written(scene, as_user, post, field, message):
    post = {k: (str(scene.agent.pk) if v == "AGENT" else v) for k, v in post.items()}
    before = written()
    r = as_user(scene.coach).post(NEW, post)
    assert r.status_code == 400
    html = r.content.decode()
    assert "The coaching case was not opened." in html
    assert message in html
    assert written() == before


def test_refused_without_evaluate(scene, as_user, api_client):
    before = written()
    agent = as_user(scene.agent)
    assert agent.get(NEW).status_code == 403
    r = agent.post(NEW, {"agent": scene.agent2.pk, "comment": "x"})
    assert r.status_code == 403
    r = api_client(scene.agent).post(
        API, {"agent": scene.agent2.pk, "comment": "x"}, content_type="application/json"
    )
    assert r.status_code == 403
    assert "You need permission to evaluate agents." in r.json()["detail"]
    assert written() == before
    # Outside the organization: the workspace does not exist for them.
    assert as_user(scene.world.outsider).get("/w/sales/coaching/cases/new/").status_code == 404


def test_the_api_opens_one(scene, api_client):
    coach = api_client(scene.coach)
    r = coach.post(
        API,
        {"agent": scene.agent.pk, "comment": "Tone on the phone", "title": "Tone"},
        content_type="application/json",
    )
    assert r.status_code == 201
    body = r.json()
    case = Case.objects.get(origin=Origin.COACHING)
    assert (body["number"], body["origin"], body["title"], body["owner"]["id"]) == (
        case.number,
        "coaching",
        "Tone",
        scene.coach.pk,
    )
    assert body["about_agent"] == {"id": scene.agent.pk, "username": "agent", "name": "Agent"}


@pytest.mark.parametrize(
    "payload, field, status",
    [
        # A missing or mistyped field is the API's 422; a value the service refuses a 400.
        ({"comment": "x"}, "agent", 422),
        ({"agent": "7", "comment": "x"}, "agent", 422),
        ({"agent": 999999, "comment": "x"}, "agent", 400),
        ({"agent": "AGENT", "comment": ""}, "comment", 400),
        ({"agent": "AGENT", "comment": "x", "activity": 999999}, "activity", 400),
        ({"agent": "AGENT", "comment": "x", "ticket": 999999}, "ticket", 400),
        ({"agent": "AGENT", "comment": "x", "title": "t" * 201}, "title", 400),
    ],
)
def test_the_api_names_bad_input_and_writes_nothing(scene, api_client, payload, field, status):
    payload = {k: (scene.agent.pk if v == "AGENT" else v) for k, v in payload.items()}
    before = written()
    r = api_client(scene.coach).post(API, payload, content_type="application/json")
    assert r.status_code == status
    assert set(r.json()["errors"]) == {field}
    assert written() == before


def test_an_activity_of_another_workspace_is_no_such_activity(scene, api_client):
    from .conftest import chat_for

    elsewhere = chat_for(scene.world.sales, scene.world.admin)
    r = api_client(scene.admin).post(
        API,
        {"agent": scene.agent.pk, "comment": "x", "activity": elsewhere.pk},
        content_type="application/json",
    )
    assert (r.status_code, r.json()["errors"]) == (400, {"activity": "No such activity."})


def test_the_activity_dialog_and_inbox_offer_it_to_evaluators_only(scene, as_user):
    path = f"/w/support/journey/activities/{scene.chat.pk}/"
    html = as_user(scene.coach).get(path, HTTP_HX_REQUEST="true").content.decode()
    assert f'href="{NEW}?activity={scene.chat.pk}"' in html
    html = as_user(scene.agent).get(path, HTTP_HX_REQUEST="true").content.decode()
    assert NEW not in html
    html = as_user(scene.coach).get("/w/support/tickets/", {"coaching": "1"}).content.decode()
    assert f'id="new-coaching-case" href="{NEW}"' in html
