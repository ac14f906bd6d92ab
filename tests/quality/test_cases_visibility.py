"""A coaching case is about one agent's work: an agent colleague, even one with the ticket
inbox, the Excel export and a management area over the agent's store, never sees, counts,
exports, finds or is told live about it; the coach, the area's manager and admins do."""

import pytest

from caredesk.care.models import Case, CaseComment, CaseShare, Origin
from caredesk.quality.services import evaluation_create
from caredesk.workspaces.access import get_access

from . import cases_scene
from .cases_scene import inbox_numbers, list_numbers, list_total, xlsx_numbers

API = "/api/v1/workspaces/support"


@pytest.fixture
def cc(q):
    return cases_scene.build(q)


def test_the_ticket_list_counts_and_dialog_leave_the_colleague_out(cc, as_user):
    colleague = as_user(cc.colleague)
    html = colleague.get("/w/support/tickets/").content.decode()
    assert list_numbers(html) == [cc.ticket.number]
    assert list_total(html) == 1
    html = colleague.get("/w/support/tickets/", {"coaching": "1"}).content.decode()
    assert (list_numbers(html), list_total(html)) == ([], 0)
    assert colleague.get(f"/w/support/tickets/{cc.case.number}/").status_code == 404
    assert colleague.get("/w/support/tickets/", {"open": cc.case.number}).status_code == 404
    # Nor its journey page or timeline.
    assert colleague.get(f"/w/support/journey/cases/{cc.case.number}/").status_code == 404
    r = colleague.get("/w/support/journey/timeline/", {"record": f"case:{cc.case.number}"})
    assert r.status_code == 404
    for user in (cc.coach, cc.manager, cc.admin):
        client = as_user(user)
        html = client.get("/w/support/tickets/", {"coaching": "1"}).content.decode()
        assert (list_numbers(html), list_total(html)) == ([cc.case.number], 1), user
        r = client.get(f"/w/support/tickets/{cc.case.number}/", HTTP_HX_REQUEST="true")
        assert r.status_code == 200, user


def test_the_inbox_and_its_counts_leave_the_colleague_out(cc, as_user):
    colleague = as_user(cc.colleague)
    for origins in ("all", "coaching"):
        r = colleague.get("/w/support/tickets/inbox/", {"view": "all", "origins": origins})
        html = r.content.decode()
        assert cc.case.number not in inbox_numbers(html)
        assert f'id="inbox-{cc.case.number}"' not in html
    html = colleague.get("/w/support/tickets/inbox/", {"view": "all", "origins": "all"})
    assert inbox_numbers(html.content.decode()) == [cc.ticket.number]
    for user in (cc.coach, cc.manager, cc.admin):
        r = as_user(user).get("/w/support/tickets/inbox/", {"view": "all", "origins": "coaching"})
        assert inbox_numbers(r.content.decode()) == [cc.case.number], user


def test_the_excel_export_leaves_the_colleague_out(cc, as_user):
    r = as_user(cc.colleague).get("/w/support/tickets/export.xlsx")
    assert xlsx_numbers(r) == [cc.ticket.number]
    r = as_user(cc.admin).get("/w/support/tickets/export.xlsx", {"coaching": "1"})
    assert xlsx_numbers(r) == [cc.case.number]
    r = as_user(cc.manager).get("/w/support/tickets/export.xlsx")
    assert sorted(xlsx_numbers(r)) == sorted([cc.case.number, cc.ticket.number])


def test_the_api_list_summary_export_and_read_leave_the_colleague_out(cc, api_client):
    colleague = api_client(cc.colleague)
    items = colleague.get(f"{API}/tickets").json()["items"]
    assert [t["number"] for t in items] == [cc.ticket.number]
    assert colleague.get(f"{API}/tickets", {"coaching": "1"}).json()["items"] == []
    assert colleague.get(f"{API}/tickets/summary").json()["total"] == 1
    assert colleague.get(f"{API}/tickets/summary", {"coaching": "1"}).json()["total"] == 0
    assert xlsx_numbers(colleague.get(f"{API}/tickets/export.xlsx")) == [cc.ticket.number]
    for path in ("", "/comments", "/logs"):
        assert colleague.get(f"{API}/tickets/{cc.case.number}{path}").status_code == 404
    coach = api_client(cc.coach)
    (item,) = coach.get(f"{API}/tickets", {"coaching": "1"}).json()["items"]
    assert (item["number"], item["origin"], item["about_agent"]["id"]) == (
        cc.case.number,
        Origin.EVALUATION,
        cc.agent.pk,
    )
    assert coach.get(f"{API}/tickets/summary", {"coaching": "1"}).json() == {
        "new": 1,
        "open": 0,
        "escalated": 0,
        "resolved": 0,
        "closed": 0,
        "total": 1,
    }


def test_home_counts_leave_the_colleague_out(cc, as_user):
    html = as_user(cc.colleague).get("/w/support/").content.decode()
    assert '<span class="n">1</span><span>Total</span>' in html
    html = as_user(cc.manager).get("/w/support/").content.decode()
    assert '<span class="n">2</span><span>Total</span>' in html


def test_the_desk_search_and_moves_do_not_reach_it(cc, as_user, api_client):
    colleague = as_user(cc.colleague)
    token = cc.chat2.conversation.public_token
    r = colleague.get(
        f"/w/support/journey/conversations/{token}/case/search/", {"q": str(cc.case.number)}
    )
    assert r.status_code == 200 and f"#{cc.case.number}" not in r.content.decode()
    r = api_client(cc.colleague).post(
        f"{API}/activities/{cc.chat2.pk}/move",
        {"ticket": cc.case.number},
        content_type="application/json",
    )
    assert (r.status_code, r.json()["errors"]) == (400, {"ticket": "No such ticket."})
    cc.chat2.refresh_from_db()
    assert cc.chat2.case_id is None


def test_handling_an_activity_of_a_coaching_case_does_not_open_it(cc, as_user):
    # The colleague's chat ends up on the coaching case (moved there by the coach).
    type(cc.chat2).objects.filter(pk=cc.chat2.pk).update(case=cc.case)
    colleague = as_user(cc.colleague)
    assert colleague.get(f"/w/support/tickets/{cc.case.number}/").status_code == 404
    # An ordinary ticket they handled a chat of still opens for them.
    type(cc.chat2).objects.filter(pk=cc.chat2.pk).update(case=cc.ticket)
    assert colleague.get(f"/w/support/tickets/{cc.ticket.number}/").status_code in (200, 302)


def test_it_is_never_given_or_shared_to_a_colleague_who_does_not_coach(cc, api_client, as_user):
    manager = api_client(cc.manager)
    before = (Case.objects.get(pk=cc.case.pk).owner_id, CaseComment.objects.count())
    r = manager.patch(
        f"{API}/tickets/{cc.case.number}",
        {"comment": "to the store", "owner": cc.colleague.pk, "segment": cc.world.store1.pk},
        content_type="application/json",
    )
    assert r.status_code == 400
    assert r.json()["errors"] == {
        "owner": "Agent2 does not coach; a coaching case is owned only by coaches."
    }
    assert (Case.objects.get(pk=cc.case.pk).owner_id, CaseComment.objects.count()) == before
    r = as_user(cc.manager).post(
        f"/w/support/tickets/{cc.case.number}/share/",
        {"user": cc.colleague.pk},
        HTTP_HX_REQUEST="true",
    )
    assert r.status_code == 400
    assert "Agent2 does not coach; a coaching case is shared only with coaches." in (
        r.content.decode()
    )
    assert not CaseShare.objects.filter(case=cc.case).exists()


def test_a_failing_evaluation_without_a_named_coach_skips_managers_who_do_not_coach(q):
    cases_scene.build(q, coach_named=False)
    # Lisbon Store 1's only manager is agent2, who does not evaluate: nobody owns the case.
    assert (q.case.owner_id, q.case.about_agent_id) == (None, q.agent.pk)
    # The Lisbon manager (evaluate, area over the store) sees it; agent2 does not.
    assert Case.objects.visible_to(get_access(q.manager, "support")).filter(pk=q.case.pk)
    assert not Case.objects.visible_to(get_access(q.agent2, "support")).filter(pk=q.case.pk)


def test_the_agent_it_is_about_does_not_see_it_unless_shared(cc, as_user):
    from caredesk.workspaces import services as ws
    from caredesk.workspaces.permissions import Perm

    ws.permission_set(workspace=cc.ws, user=cc.agent, permission=Perm.INBOX_ACCESS, granted=True)
    agent = as_user(cc.agent)
    assert agent.get(f"/w/support/tickets/{cc.case.number}/").status_code == 404
    CaseShare.objects.create(case=cc.case, user=cc.agent, shared_by=cc.coach)
    r = agent.get(f"/w/support/tickets/{cc.case.number}/", HTTP_HX_REQUEST="true")
    assert r.status_code == 200


def test_a_second_agents_failing_evaluation_is_hidden_from_the_first(cc, as_user):
    """Both ways round: agent2's own coaching case is seen by its coach, not by the agent."""
    coach = get_access(cc.coach, "support")
    evaluation_create(
        access=coach,
        scorecard_id=cc.card.pk,
        activity_id=cc.chat2.pk,
        answers=cases_scene.failing(cc),
    )
    other = Case.objects.get(about_agent=cc.agent2)
    assert other.origin == Origin.EVALUATION
    # The agent (no inbox) cannot list tickets at all, nor open it.
    assert as_user(cc.agent).get("/w/support/tickets/").status_code == 403
    assert as_user(cc.agent).get(f"/w/support/tickets/{other.number}/").status_code == 403
