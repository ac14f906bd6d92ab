"""Appeals through the pages: the agent appeals one criterion of an evaluation and the reviewer
accepts it (the score changes, the log keeps the original), accepts part of it, or rejects
it (nothing changes); who reviews; the list and its counts."""

import datetime as dt

import pytest

from caredesk.quality.appeals import appeals_to_review_count
from caredesk.quality.models import Answer, Appeal, AppealItem, Evaluation, EvaluationChange
from caredesk.quality.services import evaluation_create
from caredesk.workspaces.access import get_access
from caredesk.workspaces.models import Membership, Workspace

from ..conftest import client_for
from .conftest import all_good

W = "/w/support/coaching"


def evaluate(q, evaluator, activity, **over):
    return evaluation_create(
        access=get_access(evaluator, "support"),
        scorecard_id=q.card.pk,
        activity_id=activity.pk,
        answers=all_good(q, **over),
    ).evaluation


def answers_of(evaluation):
    return dict(Answer.objects.filter(evaluation=evaluation).values_list("criterion_id", "value"))


def log_of(evaluation):
    return list(
        EvaluationChange.objects.filter(evaluation=evaluation).values_list(
            "action", "criterion_id", "field", "old_value", "new_value", "reason"
        )
    )


def appeal_form(q, evaluation, changes: dict, comment="I did greet him by name"):
    """The appeal form as the page sends it: every answer as shown, some changed."""
    data = {"comment": comment}
    for a in Answer.objects.filter(evaluation=evaluation):
        if a.na:
            data[f"a{a.criterion_id}"] = "na"
        elif a.value is not None:
            data[f"a{a.criterion_id}"] = str(a.value)
        data[f"c{a.criterion_id}"] = ""
    for cid, (value, note) in changes.items():
        data[f"a{cid}"] = value
        data[f"c{cid}"] = note
    return data


@pytest.fixture
def graded(q):
    """The coach scored the agent's chat 80: no greeting by name (−1), tone 3 / 5 (−1)."""
    greet, tone = q.criteria[0], q.criteria[1]
    e = evaluate(q, q.coach, q.chat, **{str(greet): {"value": 0}, str(tone): {"value": 3}})
    assert (e.score, e.passed) == (80.0, True)
    return e


def test_the_agent_appeals_one_criterion_and_the_reviewer_accepts_it(q, as_user, graded):
    greet = q.criteria[0]
    agent = as_user(q.agent)
    page = agent.get(f"{W}/evaluations/{graded.pk}/appeal/")
    assert page.status_code == 200
    assert b"Appeal this evaluation" in page.content

    r = agent.post(
        f"{W}/evaluations/{graded.pk}/appeal/",
        appeal_form(q, graded, {greet: ("1", "Listen at 0:12")}),
    )
    appeal = Appeal.objects.get()
    assert r.status_code == 302
    assert r["Location"] == f"{W}/appeals/{appeal.pk}/"
    # Only the changed criterion is disputed; the manager of the agent's area reviews (the
    # coach has no segment of their own).
    assert (appeal.agent, appeal.reviewer, appeal.status, appeal.comment) == (
        q.agent,
        q.manager,
        "open",
        "I did greet him by name",
    )
    assert list(
        AppealItem.objects.values_list("criterion_id", "proposed_value", "proposed_na", "comment")
    ) == [(greet, 1, False, "Listen at 0:12")]

    manager = as_user(q.manager)
    shown = manager.get(f"{W}/appeals/{appeal.pk}/")
    assert shown.status_code == 200
    assert b'name="decision" value="accept"' in shown.content
    r = manager.post(
        f"{W}/appeals/{appeal.pk}/decide/",
        {"decision": "accept", "comment": "The name is in the first line."},
    )
    assert (r.status_code, r["Location"]) == (302, f"{W}/appeals/{appeal.pk}/")

    e = Evaluation.objects.get()
    assert (e.score, e.passed) == (90.0, True)
    assert answers_of(e)[greet] == 1
    appeal.refresh_from_db()
    assert (appeal.status, appeal.decided_by, appeal.score_before, appeal.score_after) == (
        "accepted",
        q.manager,
        80.0,
        90.0,
    )
    assert appeal.decision_comment == "The name is in the first line."
    assert list(AppealItem.objects.values_list("accepted", flat=True)) == [True]
    reason = "The name is in the first line."
    assert log_of(e) == [
        ("created", None, "score", "", "80", ""),
        ("appeal_accepted", greet, "answer", "No", "Yes", reason),
        ("appeal_accepted", None, "score", "80", "90", reason),
    ]
    # The agent sees the decision on the appeal's page; the original answer is kept there.
    seen = agent.get(f"{W}/appeals/{appeal.pk}/").content.decode()
    assert "Decided by Manager" in seen
    assert "The name is in the first line." in seen
    assert f'id="appeal-{appeal.pk}-item-{greet}"' in seen
    row = seen.split(f'id="appeal-{appeal.pk}-item-{greet}"')[1].split("</tr>")[0]
    # The evaluator's answer (No), the proposed one (Yes), the outcome.
    assert [cell.split(">", 1)[1].split("<")[0] for cell in row.split("<td")[1:4]] == [
        "Greeted the customer by name",
        "No",
        "",
    ]
    assert "<strong>Yes</strong>" in row and "Accepted" in row


def test_partial_acceptance_applies_only_the_accepted_items(q, as_user, graded):
    greet, tone = q.criteria[0], q.criteria[1]
    agent = as_user(q.agent)
    r = agent.post(
        f"{W}/evaluations/{graded.pk}/appeal/",
        appeal_form(q, graded, {greet: ("1", ""), tone: ("5", "I was polite")}),
    )
    assert r.status_code == 302
    appeal = Appeal.objects.get()
    assert sorted(AppealItem.objects.values_list("criterion_id", "proposed_value")) == sorted(
        [(greet, 1), (tone, 5)]
    )
    r = as_user(q.manager).post(
        f"{W}/appeals/{appeal.pk}/decide/",
        {"decision": "partial", "accepted": [str(greet)], "comment": "Tone stays."},
    )
    assert r.status_code == 302
    e = Evaluation.objects.get()
    assert e.score == 90.0
    assert answers_of(e)[greet] == 1 and answers_of(e)[tone] == 3
    appeal.refresh_from_db()
    assert (appeal.status, appeal.score_before, appeal.score_after) == ("partial", 80.0, 90.0)
    assert dict(AppealItem.objects.values_list("criterion_id", "accepted")) == {
        greet: True,
        tone: False,
    }
    assert [row[:3] for row in log_of(e)] == [
        ("created", None, "score"),
        ("appeal_accepted", greet, "answer"),
        ("appeal_accepted", None, "score"),
    ]


def test_rejection_changes_nothing_on_the_evaluation(q, as_user, graded):
    greet = q.criteria[0]
    as_user(q.agent).post(
        f"{W}/evaluations/{graded.pk}/appeal/", appeal_form(q, graded, {greet: ("1", "")})
    )
    appeal = Appeal.objects.get()
    before = (answers_of(graded), log_of(graded), Evaluation.objects.values_list("score").get())
    r = as_user(q.manager).post(
        f"{W}/appeals/{appeal.pk}/decide/", {"decision": "reject", "comment": "No name said."}
    )
    assert r.status_code == 302
    after = (answers_of(graded), log_of(graded), Evaluation.objects.values_list("score").get())
    assert after == before
    appeal.refresh_from_db()
    assert (appeal.status, appeal.score_before, appeal.score_after) == ("rejected", 80.0, 80.0)
    assert list(AppealItem.objects.values_list("accepted", flat=True)) == [False]
    # Decided: a second decision is refused and changes nothing.
    r = as_user(q.manager).post(
        f"{W}/appeals/{appeal.pk}/decide/", {"decision": "accept", "comment": "Changed my mind"}
    )
    assert r.status_code == 400
    assert "This appeal was already decided." in r.content.decode()
    assert Appeal.objects.get().status == "rejected"
    # The agent may appeal again once the first one is decided.
    assert (
        as_user(q.agent)
        .get(f"{W}/evaluations/{graded.pk}/appeal/")
        .content.count(b"Appeal this evaluation")
        == 1
    )


def test_bad_appeals_are_refused_by_field_and_write_nothing(q, as_user, graded):
    greet, tone, identity, resolution, bonus = q.criteria
    agent = as_user(q.agent)
    url = f"{W}/evaluations/{graded.pk}/appeal/"
    cases = [
        # N/A where it is not allowed.
        (appeal_form(q, graded, {greet: ("na", "")}), f"items.{greet}"),
        # A value outside the scale.
        (appeal_form(q, graded, {resolution: ("7", "")}), f"items.{resolution}"),
        (appeal_form(q, graded, {tone: ("x", "")}), f"items.{tone}"),
        # Nothing disputed.
        (appeal_form(q, graded, {}), "items"),
        # A comment is required.
        (appeal_form(q, graded, {greet: ("1", "")}, comment="  "), "comment"),
    ]
    for data, field in cases:
        r = agent.post(url, data)
        assert r.status_code == 400, field
        assert Appeal.objects.count() == 0 and AppealItem.objects.count() == 0
    # The answers the agent sent are kept on the page, with the error next to the criterion.
    r = agent.post(url, appeal_form(q, graded, {greet: ("na", "")}))
    body = r.content.decode()
    assert "N/A is not allowed for this criterion." in body
    # N/A where it is allowed is a proposal like any other.
    r = agent.post(url, appeal_form(q, graded, {tone: ("na", "Not applicable")}))
    assert r.status_code == 302
    assert list(AppealItem.objects.values_list("proposed_value", "proposed_na")) == [(None, True)]


def test_only_the_agent_evaluated_may_appeal(q, as_user, graded):
    greet = q.criteria[0]
    data = appeal_form(q, graded, {greet: ("1", "")})
    url = f"{W}/evaluations/{graded.pk}/appeal/"
    # The evaluator and the manager see it but may not appeal it; agent2 does not see it.
    assert as_user(q.coach).post(url, data).status_code == 403
    assert as_user(q.manager).post(url, data).status_code == 403
    assert as_user(q.agent2).post(url, data).status_code == 404
    assert Appeal.objects.count() == 0


def test_the_deadline_counts_from_the_evaluation(q, as_user, graded):
    greet = q.criteria[0]
    # Made 8 days ago: past the default window of 7 days.
    Evaluation.objects.filter(pk=graded.pk).update(
        created_at=graded.created_at - dt.timedelta(days=8)
    )
    graded.refresh_from_db()
    agent = as_user(q.agent)
    url = f"{W}/evaluations/{graded.pk}/appeal/"
    page = agent.get(url).content.decode()
    assert "Appeal this evaluation" not in page
    assert "The time to appeal this evaluation ended on" in page
    r = agent.post(url, appeal_form(q, graded, {greet: ("1", "")}))
    assert r.status_code == 400
    assert "The time to appeal this evaluation ended on" in r.content.decode()
    assert Appeal.objects.count() == 0
    # A longer window lets the agent appeal again.
    Workspace.objects.filter(pk=q.ws.pk).update(appeal_days=10)
    assert agent.post(url, appeal_form(q, graded, {greet: ("1", "")})).status_code == 302
    assert Appeal.objects.count() == 1


def test_a_second_open_appeal_is_refused(q, as_user, graded):
    greet, tone = q.criteria[0], q.criteria[1]
    agent = as_user(q.agent)
    url = f"{W}/evaluations/{graded.pk}/appeal/"
    assert agent.post(url, appeal_form(q, graded, {greet: ("1", "")})).status_code == 302
    r = agent.post(url, appeal_form(q, graded, {tone: ("5", "")}))
    assert r.status_code == 400
    assert "This evaluation already has an open appeal." in r.content.decode()
    assert (Appeal.objects.count(), AppealItem.objects.count()) == (1, 1)


def test_who_may_decide(q, as_user, graded):
    greet = q.criteria[0]
    as_user(q.agent).post(
        f"{W}/evaluations/{graded.pk}/appeal/", appeal_form(q, graded, {greet: ("1", "")})
    )
    appeal = Appeal.objects.get()
    url = f"{W}/appeals/{appeal.pk}/decide/"
    data = {"decision": "accept", "comment": "ok"}
    # The agent holds no review_appeals; the coach evaluated it; agent2 and the Italy
    # manager do not see it.
    assert as_user(q.agent).post(url, data).status_code == 403
    assert as_user(q.coach).post(url, data).status_code == 403
    assert as_user(q.agent2).post(url, data).status_code == 404
    assert as_user(q.world.italy_manager).post(url, data).status_code == 404
    assert Appeal.objects.get().status == "open"
    assert Evaluation.objects.get().score == 80.0
    # Bad decisions name their field and change nothing.
    manager = as_user(q.manager)
    for bad, field_text in (
        ({"decision": "maybe", "comment": "x"}, "Choose accept, partial or reject."),
        ({"decision": "accept", "comment": " "}, "Say why you decide so."),
        ({"decision": "partial", "comment": "x"}, "Choose the criteria you accept."),
        (
            {"decision": "partial", "comment": "x", "accepted": [str(q.criteria[3])]},
            "Only criteria this appeal disputes can be accepted.",
        ),
    ):
        r = manager.post(url, bad)
        assert r.status_code == 400
        assert field_text in r.content.decode()
        assert Appeal.objects.get().status == "open"
        assert Evaluation.objects.get().score == 80.0
    # The evaluator decides when the workspace names them arbitrator.
    Workspace.objects.filter(pk=q.ws.pk).update(appeal_arbitrator=q.coach)
    assert as_user(q.coach).post(url, data).status_code == 302
    assert Appeal.objects.get().decided_by == q.coach


def test_the_reviewer_is_the_arbitrator_else_the_evaluators_manager(q, as_user):
    greet = q.criteria[0]
    # The coach's own segment is Italy: its manager reviews the coach's evaluations.
    Membership.objects.filter(workspace=q.ws, user=q.coach).update(default_segment=q.world.italy)
    e1 = evaluate(q, q.coach, q.chat, **{str(greet): {"value": 0}})
    agent = as_user(q.agent)
    agent.post(f"{W}/evaluations/{e1.pk}/appeal/", appeal_form(q, e1, {greet: ("1", "")}))
    assert Appeal.objects.get(evaluation=e1).reviewer == q.world.italy_manager
    # A named arbitrator comes first.
    Workspace.objects.filter(pk=q.ws.pk).update(appeal_arbitrator=q.world.manager2)
    e2 = evaluate(q, q.admin, q.chat, **{str(greet): {"value": 0}})
    agent.post(f"{W}/evaluations/{e2.pk}/appeal/", appeal_form(q, e2, {greet: ("1", "")}))
    assert Appeal.objects.get(evaluation=e2).reviewer == q.world.manager2
    # The arbitrator sees the appeal (and decides it) though the agent is outside their area.
    r = as_user(q.world.manager2).get(f"{W}/appeals/{Appeal.objects.get(evaluation=e2).pk}/")
    assert r.status_code == 200


def test_the_list_counts_by_status_and_filters(q, as_user):
    greet, tone = q.criteria[0], q.criteria[1]
    agent = as_user(q.agent)
    manager = as_user(q.manager)
    # Four evaluations of the agent's work by four evaluators, each appealed.
    made = []
    for evaluator in (q.coach, q.admin, q.world.manager2, q.world.italy_manager):
        e = evaluate(q, evaluator, q.chat, **{str(greet): {"value": 0}, str(tone): {"value": 3}})
        agent.post(
            f"{W}/evaluations/{e.pk}/appeal/",
            appeal_form(q, e, {greet: ("1", ""), tone: ("5", "")}),
        )
        made.append(Appeal.objects.get(evaluation=e))
    assert [a.reviewer for a in made] == [q.manager] * 4
    assert appeals_to_review_count(get_access(q.manager, "support")) == 4
    decisions = [
        {"decision": "accept", "comment": "ok"},
        {"decision": "partial", "comment": "half", "accepted": [str(greet)]},
        {"decision": "reject", "comment": "no"},
    ]
    for appeal, data in zip(made, decisions, strict=False):
        assert manager.post(f"{W}/appeals/{appeal.pk}/decide/", data).status_code == 302
    assert appeals_to_review_count(get_access(q.manager, "support")) == 1
    assert appeals_to_review_count(get_access(q.coach, "support")) == 0
    assert appeals_to_review_count(get_access(q.agent, "support")) == 0

    r = manager.get(f"{W}/appeals/")
    assert r.status_code == 200
    counts = {value: n for value, _label, n, _link in r.context["stat_links"]}
    assert counts == {"open": 1, "accepted": 1, "partial": 1, "rejected": 1}
    assert r.context["listed"].counts["total"] == 4
    assert r.context["to_review"] == 1
    # Each count links to the list filtered by its status.
    for value, _label, n, link in r.context["stat_links"]:
        listed = manager.get(link)
        assert [a.status for a in listed.context["page"].items] == [value] * n
    mine = manager.get(f"{W}/appeals/?mine=1")
    assert [a.pk for a in mine.context["page"].items] == [made[3].pk]
    # The agent sees their own four; agent2 none; the coach only the one they evaluated.
    assert agent.get(f"{W}/appeals/").context["listed"].counts["total"] == 4
    assert as_user(q.agent2).get(f"{W}/appeals/").context["listed"].counts["total"] == 0
    coach = as_user(q.coach).get(f"{W}/appeals/")
    assert [a.pk for a in coach.context["page"].items] == [made[0].pk]
    # Filters by agent and reviewer; a bad filter names itself.
    by_agent = manager.get(f"{W}/appeals/?agent={q.agent2.pk}")
    assert by_agent.context["listed"].counts["total"] == 0
    by_reviewer = manager.get(f"{W}/appeals/?reviewer={q.manager.pk}&status=open")
    assert [a.pk for a in by_reviewer.context["page"].items] == [made[3].pk]
    bad = manager.get(f"{W}/appeals/?status=maybe&agent=x")
    assert bad.status_code == 400
    assert set(bad.context["filter_errors"]) == {"status", "agent"}


def test_the_panel_on_the_evaluation_page_needs_only_evaluation_and_access(q, rf, graded):
    """The evaluation's page (another area) includes quality/_appeal_panel.html with its own
    context: the agent gets the form, the reviewer the decide form, anyone else neither."""
    from django.template.loader import render_to_string

    def panel(user):
        request = rf.get("/")
        request.user = user
        access = get_access(user, "support")
        return render_to_string(
            "quality/_appeal_panel.html",
            {"evaluation": graded, "access": access, "workspace": access.workspace},
            request=request,
        )

    assert 'class="appeal-form"' in panel(q.agent)
    assert 'class="appeal-form"' not in panel(q.manager)
    greet = q.criteria[0]
    client_for(q.agent).post(
        f"{W}/evaluations/{graded.pk}/appeal/", appeal_form(q, graded, {greet: ("1", "")})
    )
    assert 'class="decide-form' in panel(q.manager)
    assert 'class="decide-form' not in panel(q.coach)  # the evaluator
    shown = panel(q.agent)
    assert 'class="decide-form' not in shown and 'class="appeal-form"' not in shown
    assert "Your appeal is open: a reviewer will decide it." in shown
