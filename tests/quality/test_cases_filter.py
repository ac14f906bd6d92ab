"""The coaching filter (coaching=1 / 0) of the ticket list, its counts, the Excel export and
the API, exact; the inbox's coaching view; the ticket dialog of a coaching case."""

import pytest

from caredesk.care.models import Case, CaseShare, CaseTodo, Origin
from caredesk.quality.coaching_cases import coaching_case_create
from caredesk.workspaces.access import get_access

from . import cases_scene
from .cases_scene import inbox_numbers, list_numbers, list_total, xlsx_numbers

API = "/api/v1/workspaces/support"


@pytest.fixture
def cc(q):
    cc = cases_scene.build(q)
    cc.manual = coaching_case_create(
        access=get_access(cc.coach, "support"),
        agent_id=cc.agent2.pk,
        comment="Listen to the call of Tuesday together",
    )
    Case.objects.filter(pk=cc.manual.pk).update(status="open")
    cc.alert = cc.world.make_case(cc.ws, segment=cc.world.lisbon, origin="alert")
    return cc


def test_the_list_filter_counts_and_export_are_exact(cc, as_user):
    admin = as_user(cc.admin)
    html = admin.get("/w/support/tickets/", {"coaching": "1"}).content.decode()
    assert list_numbers(html) == [cc.manual.number, cc.case.number]
    assert list_total(html) == 2
    assert 'data-status="new">\n      <span class="n">1</span>' in html
    assert 'data-status="open">\n      <span class="n">1</span>' in html
    # The Coaching view is the current entry of the sub-navigation; its rows name the agent.
    assert 'id="coaching-link" class="active" aria-current="page"' in html
    assert "About Agent2" in html and "About Agent<" in html
    assert 'name="coaching" value="1"' in html  # kept by the filter form
    html = admin.get("/w/support/tickets/", {"coaching": "0"}).content.decode()
    assert list_numbers(html) == [cc.alert.number, cc.ticket.number]
    html = admin.get("/w/support/tickets/", {"coaching": "1", "status": "open"}).content.decode()
    assert list_numbers(html) == [cc.manual.number]
    r = admin.get("/w/support/tickets/export.xlsx", {"coaching": "1"})
    assert xlsx_numbers(r) == [cc.manual.number, cc.case.number]
    r = admin.get("/w/support/tickets/export.xlsx", {"coaching": "0"})
    assert xlsx_numbers(r) == [cc.alert.number, cc.ticket.number]


def test_a_bad_coaching_value_is_named(cc, as_user, api_client):
    r = as_user(cc.admin).get("/w/support/tickets/", {"coaching": "yes"})
    assert r.status_code == 400
    assert "Not 1 (yes) or 0 (no): &#x27;yes&#x27;" in r.content.decode()
    r = api_client(cc.admin).get(f"{API}/tickets", {"coaching": "yes"})
    assert (r.status_code, r.json()["errors"]) == (
        400,
        {"coaching": "Not 1 (yes) or 0 (no): 'yes'"},
    )
    r = as_user(cc.admin).get("/w/support/tickets/export.xlsx", {"coaching": "2"})
    assert r.status_code == 400


def test_the_api_filter_is_exact(cc, api_client):
    admin = api_client(cc.admin)
    items = admin.get(f"{API}/tickets", {"coaching": "1"}).json()["items"]
    assert [(t["number"], t["origin"], t["about_agent"]["id"]) for t in items] == [
        (cc.manual.number, Origin.COACHING, cc.agent2.pk),
        (cc.case.number, Origin.EVALUATION, cc.agent.pk),
    ]
    items = admin.get(f"{API}/tickets", {"coaching": "0"}).json()["items"]
    assert [(t["number"], t["about_agent"]) for t in items] == [
        (cc.alert.number, None),
        (cc.ticket.number, None),
    ]
    assert admin.get(f"{API}/tickets/summary", {"coaching": "1"}).json() == {
        "new": 1,
        "open": 1,
        "escalated": 0,
        "resolved": 0,
        "closed": 0,
        "total": 2,
    }
    r = admin.get(f"{API}/tickets/export.xlsx", {"coaching": "1"})
    assert xlsx_numbers(r) == [cc.manual.number, cc.case.number]


def test_the_inbox_coaching_view(cc, as_user):
    coach = as_user(cc.coach)
    html = coach.get("/w/support/tickets/inbox/", {"origins": "coaching"}).content.decode()
    assert inbox_numbers(html) == [cc.manual.number, cc.case.number]
    assert 'id="new-coaching-case" href="/w/support/coaching/cases/new/"' in html
    assert "?view=mine&amp;origins=coaching" in html  # the views keep the coaching filter
    html = coach.get(
        "/w/support/tickets/inbox/", {"origins": "coaching", "view": "mine"}
    ).content.decode()
    # The coach owns the evaluation's case (named coach of the agent) and opened the manual
    # one, which went to agent2's manager (Italy), not to them.
    assert inbox_numbers(html) == [cc.case.number]
    # The feedback-only inbox does not list them.
    html = coach.get("/w/support/tickets/inbox/", {"view": "all"}).content.decode()
    assert inbox_numbers(html) == []
    # A user without evaluate gets the feedback inbox for origins=coaching, and no toggle.
    html = as_user(cc.colleague).get("/w/support/tickets/inbox/", {"origins": "coaching"})
    html = html.content.decode()
    assert inbox_numbers(html) == [] and 'id="coaching-toggle"' not in html
    assert 'id="coaching-link"' not in html


def test_the_dialog_shows_the_agent_and_the_evaluation(cc, as_user):
    r = as_user(cc.coach).get(f"/w/support/tickets/{cc.case.number}/", HTTP_HX_REQUEST="true")
    html = r.content.decode()
    assert '<dd class="about-agent" id="about-agent">About Agent</dd>' in html
    assert f'<tr data-evaluation="{cc.evaluation.pk}">' in html
    assert "<td>Chat quality</td>" in html or ">Chat quality</a>" in html
    assert "Failed (auto-fail)" in html
    assert '<td class="n">0.0</td>' in html
    # Not offered for a coaching case itself; offered on any other ticket.
    assert 'id="open-coaching-case"' not in html
    r = as_user(cc.manager).get(f"/w/support/tickets/{cc.alert.number}/", HTTP_HX_REQUEST="true")
    assert (
        f'id="open-coaching-case" href="/w/support/coaching/cases/new/?ticket={cc.alert.number}"'
        in r.content.decode()
    )
    # The manual case has no evaluation attached.
    r = as_user(cc.coach).get(f"/w/support/tickets/{cc.manual.number}/", HTTP_HX_REQUEST="true")
    assert "No evaluation is attached to this coaching case." in r.content.decode()


def test_a_coaching_case_is_worked_like_any_ticket(cc, as_user):
    coach = as_user(cc.coach)
    base = f"/w/support/tickets/{cc.case.number}"
    r = coach.post(
        f"{base}/",
        {
            "priority": "high",
            "status": "open",
            "segment": str(cc.case.segment_id),
            "owner": str(cc.coach.pk),
            "comment": "First session booked",
        },
        HTTP_HX_REQUEST="true",
    )
    assert r.status_code == 200
    r = coach.post(f"{base}/todos/", {"text": "Role-play the greeting"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200
    r = coach.post(f"{base}/share/", {"user": cc.manager.pk}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200
    case = Case.objects.get(pk=cc.case.pk)
    assert (case.status, case.priority, case.owner_id) == ("open", "high", cc.coach.pk)
    assert list(CaseTodo.objects.filter(case=case).values_list("text", flat=True)) == [
        "Role-play the greeting"
    ]
    assert list(CaseShare.objects.filter(case=case).values_list("user_id", flat=True)) == [
        cc.manager.pk
    ]
    html = coach.get(f"{base}/", HTTP_HX_REQUEST="true").content.decode()
    assert "First session booked" in html and "Shared with" in html


def test_its_owner_is_any_coach_never_the_agent(cc, api_client, as_user):
    manager = api_client(cc.manager)
    path = f"{API}/tickets/{cc.case.number}"
    # manager2 manages Lisbon Store 2, not the case's store: a coach may still own it.
    r = manager.patch(
        path,
        {"comment": "Over to you", "owner": cc.world.manager2.pk},
        content_type="application/json",
    )
    assert (r.status_code, r.json()["owner"]["id"]) == (200, cc.world.manager2.pk)
    # Moving it to another segment keeps its coach.
    r = manager.patch(
        path, {"comment": "Moved", "segment": cc.world.store2.pk}, content_type="application/json"
    )
    assert (r.status_code, r.json()["owner"]["id"]) == (200, cc.world.manager2.pk)
    before = Case.objects.filter(pk=cc.case.pk).values_list("owner_id", "segment_id").get()
    r = manager.patch(path, {"comment": "x", "owner": cc.agent.pk}, content_type="application/json")
    assert (r.status_code, r.json()["errors"]) == (
        400,
        {"owner": "A coaching case cannot be given to the agent it is about."},
    )
    assert Case.objects.filter(pk=cc.case.pk).values_list("owner_id", "segment_id").get() == before
    # The dialog offers the coaches (members who evaluate), not the agent nor agent2.
    html = as_user(cc.admin).get(f"/w/support/tickets/{cc.case.number}/", HTTP_HX_REQUEST="true")
    owners = html.content.decode().split('id="f-owner"', 1)[1].split("</select>", 1)[0]
    import re

    names = re.findall(r'<option value="\d+"[^>]*>([^<]+)</option>', owners)
    assert names == ["Admin", "Coach", "Italymgr", "Manager", "Manager2"]
