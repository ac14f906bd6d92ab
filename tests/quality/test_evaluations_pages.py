"""The evaluation pages through HTTP: evaluate a chat, a call, an email and a ticket beside
their transcripts; a refused form keeps every answer and names each error by its criterion;
the evaluation's page (pins on the transcript, the log, acknowledge, edit, change agent); the
list (an agent's own, filters, counts); and every refusal (403 without `evaluate`, 404 outside
what the user sees)."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from caredesk.care.models import Case, CaseComment, Origin
from caredesk.journey.models import Activity, MediaType
from caredesk.quality.models import (
    Answer,
    CalibrationSession,
    Evaluation,
    EvaluationChange,
)
from caredesk.quality.scorecards import scorecard_create
from caredesk.quality.services import evaluation_create
from caredesk.routing.models import Message
from caredesk.workspaces.access import Access, get_access

from .conftest import all_good

W = "/w/support/coaching"


def form_of(q, answers: dict, **extra) -> dict:
    """The evaluate form's fields for API-shaped answers."""
    data = {"scorecard": q.card.pk, "activity": q.chat.pk, "agent": q.agent.pk, **extra}
    for cid, a in answers.items():
        data[f"a{cid}"] = "na" if a.get("na") else a["value"]
        if a.get("comment"):
            data[f"c{cid}"] = a["comment"]
        if a.get("message_ref"):
            data[f"p{cid}"] = a["message_ref"]
    return data


def snapshot():
    return (
        Evaluation.objects.count(),
        Answer.objects.count(),
        EvaluationChange.objects.count(),
        Case.objects.count(),
        list(Evaluation.objects.values_list("score", "agent_id", "comment", "acknowledged_at")),
    )


def checked(html: str, name: str) -> str | None:
    m = re.search(rf'name="{name}" value="([^"]+)" checked', html)
    return m.group(1) if m else None


@pytest.fixture
def coach(q, as_user):
    return as_user(q.coach)


def evaluate(q, answers=None, **kw):
    return evaluation_create(
        access=get_access(q.coach, "support"),
        scorecard_id=q.card.pk,
        activity_id=kw.pop("activity", q.chat).pk,
        answers=answers or all_good(q),
        **kw,
    ).evaluation


# -- evaluate ----------------------------------------------------------------------------------


def test_evaluate_page_shows_transcript_beside_the_scorecard(q, coach):
    r = coach.get(f"{W}/evaluate/?activity={q.chat.pk}")
    assert r.status_code == 200
    html = r.content.decode()
    assert 'class="eval-layout"' in html
    for text in (
        "Hi, how can I help?",
        "Greeted the customer by name",
        "Resolution",
        "Chat quality",
    ):
        assert text in html
    # The activity's agent is chosen by default.
    assert f'<option value="{q.agent.pk}" selected>' in html


def test_evaluate_saves_and_opens_the_evaluation(q, coach):
    answers = all_good(q, **{str(q.criteria[0]): {"value": 0, "comment": "No name <b>used</b>"}})
    r = coach.post(f"{W}/evaluate/", form_of(q, answers, comment="Good otherwise"))
    e = Evaluation.objects.get()
    assert r.status_code == 302 and r["Location"] == f"{W}/evaluations/{e.pk}/"
    assert (e.score, e.passed, e.agent, e.evaluator, e.comment, e.source) == (
        90.0,
        True,
        q.agent,
        q.coach,
        "Good otherwise",
        "manual",
    )
    page = coach.get(r["Location"]).content.decode()
    assert 'id="score">90<' in page and 'id="verdict">Passed<' in page
    # Customer and evaluator text is escaped.
    assert "No name &lt;b&gt;used&lt;/b&gt;" in page and "<b>used</b>" not in page


def test_refused_form_keeps_every_answer_and_names_each_error(q, coach):
    greet, tone, identity, resolution, _bonus = q.criteria
    answers = all_good(q)
    del answers[str(greet)]  # unanswered
    answers[str(identity)] = {"na": True}  # N/A not allowed
    answers[str(tone)] = {"value": 2, "comment": "Curt reply"}
    before = snapshot()
    r = coach.post(f"{W}/evaluate/", form_of(q, answers, comment="Keep me"))
    assert r.status_code == 400
    assert snapshot() == before
    html = r.content.decode()
    for cid, message in ((greet, "An answer is required."), (identity, "N/A is not allowed")):
        block = html.split(f'id="criterion-{cid}"')[1].split('class="sc-criterion')[0]
        assert message in block
    assert html.count("has-error") == 2
    assert checked(html, f"a{tone}") == "2" and checked(html, f"a{resolution}") == "2"
    assert checked(html, f"a{identity}") is None  # the form offers no N/A there
    assert "Curt reply" in html and "Keep me" in html


def test_evaluating_your_own_work_or_a_stranger_names_the_agent(q, coach):
    before = snapshot()
    for agent in (q.coach.pk, q.world.outsider.pk, "x"):
        r = coach.post(f"{W}/evaluate/", form_of(q, all_good(q), agent=agent))
        assert r.status_code == 400
        assert 'class="field-error">' in r.content.decode().split('name="agent"')[1][:600]
    assert snapshot() == before


def test_posting_again_opens_the_stored_evaluation(q, coach):
    first = coach.post(f"{W}/evaluate/", form_of(q, all_good(q)))
    again = coach.post(
        f"{W}/evaluate/", form_of(q, all_good(q, **{str(q.criteria[0]): {"value": 0}}))
    )
    assert first["Location"] == again["Location"]
    assert Evaluation.objects.get().score == 100.0
    page = coach.get(f"{W}/evaluate/?activity={q.chat.pk}").content.decode()
    assert 'id="already-evaluated"' in page


def test_a_failing_evaluation_links_its_coaching_case(q, coach):
    answers = all_good(q, **{str(q.criteria[2]): {"value": 0}})
    r = coach.post(f"{W}/evaluate/", form_of(q, answers))
    case = Case.objects.get(origin=Origin.EVALUATION)
    page = coach.get(r["Location"]).content.decode()
    assert 'id="verdict">Failed<' in page
    assert "Verified the customer&#x27;s identity" in page.split('id="auto-failed"')[1][:400]
    assert f"#{case.number}</a>" in page.split('id="coaching-case"')[1][:400]


def test_pinned_comment_shows_on_its_transcript_line(q, coach):
    msg = Message.objects.filter(conversation=q.chat.conversation, sender="agent").get()
    tone = q.criteria[1]
    answers = all_good(
        q, **{str(tone): {"value": 3, "comment": "Too curt", "message_ref": str(msg.pk)}}
    )
    r = coach.post(f"{W}/evaluate/", form_of(q, answers))
    page = coach.get(r["Location"]).content.decode()
    line = page.split(f'id="line-{msg.pk}"')[1].split("</li>")[0]
    assert 'pinned"' in page.split(f'id="line-{msg.pk}"')[1][:80]
    assert "Tone" in line and "Too curt" in line and "3 / 5" in line
    assert f'href="#line-{msg.pk}"' in page


def test_preview_is_the_server_score(q, coach):
    version = q.card.current_version
    url = f"{W}/evaluate/preview/"
    greet, tone, identity, resolution, bonus = q.criteria
    r = coach.post(url, {"version": version.pk, f"a{greet}": "0"})
    assert r.status_code == 200
    assert 'id="preview-score">0<' in r.content.decode()
    assert "3 criteria left to answer" in r.content.decode()
    full = {f"a{greet}": "0", f"a{tone}": "5", f"a{identity}": "1", f"a{resolution}": "2"}
    r = coach.post(url, {"version": version.pk, **full})
    assert 'id="preview-score">90<' in r.content.decode() and "Passes" in r.content.decode()
    r = coach.post(url, {"version": version.pk, **full, f"a{identity}": "0"})
    assert 'id="preview-score">0<' in r.content.decode()
    assert "an auto-fail criterion failed" in r.content.decode()
    r = coach.post(url, {"version": version.pk, **full, f"a{bonus}": "7"})
    assert "Correct the answers" in r.content.decode()
    assert Evaluation.objects.count() == 0


def _card_for(q, media, name):
    return scorecard_create(
        access=Access.system(q.ws),
        name=name,
        sections=[
            {"title": "", "criteria": [{"question": "Polite", "weight": 1, "scale": "0_10"}]}
        ],
        pass_mark=70,
        media_types=[media],
    )


def test_calls_emails_and_tickets_are_evaluated_too(q, as_user):
    coach = as_user(q.manager)  # the Lisbon manager evaluates; the ticket is in their area
    now = timezone.now() - dt.timedelta(hours=2)
    call = Activity.objects.create(
        workspace=q.ws,
        media_type=MediaType.CALL,
        agent=q.agent,
        occurred_at=now,
        context={
            "transcript": [
                {"speaker": "customer", "text": "My router is down", "at": "00:00:03"},
                {"speaker": "agent", "text": "Let me check", "at": "00:00:09"},
            ]
        },
    )
    email = Activity.objects.create(
        workspace=q.ws, media_type=MediaType.EMAIL, agent=q.agent, occurred_at=now, body="Dear Ana"
    )
    case = q.world.make_case(q.ws, segment=q.world.store1, owner=q.agent)
    CaseComment.objects.create(case=case, author=q.agent, body="Called the customer back")
    for media, target, param, text in (
        ("call", call, "activity", "My router is down"),
        ("email", email, "activity", "Dear Ana"),
        ("ticket", case, "case", "Called the customer back"),
    ):
        card = _card_for(q, media, f"{media} card")
        cid = card.current_version.sections[0]["criteria"][0]["id"]
        page = coach.get(f"{W}/evaluate/?{param}={target.pk}")
        assert page.status_code == 200 and text in page.content.decode()
        r = coach.post(
            f"{W}/evaluate/",
            {param: target.pk, "scorecard": card.pk, "agent": q.agent.pk, f"a{cid}": "6"},
        )
        assert r.status_code == 302, r.content.decode()[:3000]
        e = Evaluation.objects.get(scorecard=card)
        assert (e.score, e.passed) == (60.0, False)
        assert text in coach.get(r["Location"]).content.decode()


def test_no_scorecard_applies(q, coach):
    q.card.active = False
    q.card.save()
    page = coach.get(f"{W}/evaluate/?activity={q.chat.pk}").content.decode()
    assert 'id="no-scorecard"' in page


# -- permissions on evaluate -----------------------------------------------------------------------


def test_evaluate_refusals(q, as_user, world):
    agent = as_user(q.agent)
    assert agent.get(f"{W}/evaluate/?activity={q.chat.pk}").status_code == 403
    before = snapshot()
    assert agent.post(f"{W}/evaluate/", form_of(q, all_good(q))).status_code == 403
    assert snapshot() == before
    outsider = as_user(world.outsider)
    assert outsider.get(f"{W}/evaluate/?activity={q.chat.pk}").status_code == 404
    # A chat on a ticket outside the manager's area: 404 for them.
    q.chat2.case = world.make_case(q.ws, segment=world.italy)
    q.chat2.save()
    before = snapshot()
    manager = as_user(q.manager)
    assert manager.get(f"{W}/evaluate/?activity={q.chat2.pk}").status_code == 404
    assert (
        manager.post(f"{W}/evaluate/", form_of(q, all_good(q), activity=q.chat2.pk)).status_code
        == 404
    )
    assert snapshot() == before


# -- the evaluation's page -----------------------------------------------------------------------


def test_agent_reads_and_acknowledges_their_own(q, as_user):
    e = evaluate(q)
    agent = as_user(q.agent)
    page = agent.get(f"{W}/evaluations/{e.pk}/").content.decode()
    assert 'id="acknowledge-form"' in page and 'id="edit-result"' not in page
    r = agent.post(f"{W}/evaluations/{e.pk}/acknowledge/")
    assert r.status_code == 302
    e.refresh_from_db()
    assert e.acknowledged_at is not None
    page = agent.get(f"{W}/evaluations/{e.pk}/").content.decode()
    assert 'id="acknowledged"' in page and "Acknowledged" in page.split('id="log"')[1]
    # The coach may not acknowledge for the agent.
    assert as_user(q.coach).post(f"{W}/evaluations/{e.pk}/acknowledge/").status_code == 403


def test_agents_never_see_others_or_calibration_evaluations(q, as_user, world):
    other = evaluate(q, activity=q.chat2)
    session = CalibrationSession.objects.create(
        workspace=q.ws,
        activity=q.chat,
        scorecard=q.card,
        version=q.card.current_version,
        started_by=q.admin,
    )
    calibration = evaluation_create(
        access=get_access(q.coach, "support"),
        scorecard_id=q.card.pk,
        answers=all_good(q),
        calibration=session,
    ).evaluation
    agent = as_user(q.agent)
    before = snapshot()
    for e in (other, calibration):
        assert agent.get(f"{W}/evaluations/{e.pk}/").status_code == 404
        assert agent.post(f"{W}/evaluations/{e.pk}/acknowledge/").status_code == 404
        assert agent.get(f"{W}/evaluations/{e.pk}/edit/").status_code == 404
    assert snapshot() == before
    assert as_user(world.outsider).get(f"{W}/evaluations/{other.pk}/").status_code == 404
    assert as_user(world.italy_manager).get(f"{W}/evaluations/{evaluate(q).pk}/").status_code == 404
    assert as_user(world.italy_manager).get(f"{W}/evaluations/{other.pk}/").status_code == 200
    # The coach sees their calibration evaluation, marked as such.
    page = as_user(q.coach).get(f"{W}/evaluations/{calibration.pk}/").content.decode()
    assert "Calibration</span>" in page and 'id="edit-result"' not in page


def test_edit_result_prefilled_reason_required_and_logged(q, coach, as_user):
    e = evaluate(q)
    greet, tone = q.criteria[0], q.criteria[1]
    page = coach.get(f"{W}/evaluations/{e.pk}/edit/").content.decode()
    assert checked(page, f"a{greet}") == "1" and checked(page, f"a{tone}") == "5"
    form = form_of(q, all_good(q, **{str(greet): {"value": 0}}))
    form.pop("agent"), form.pop("activity"), form.pop("scorecard")
    before = snapshot()
    r = coach.post(f"{W}/evaluations/{e.pk}/edit/", {**form, "reason": " "})
    assert r.status_code == 400 and snapshot() == before
    html = r.content.decode()
    assert checked(html, f"a{greet}") == "0"  # what was sent, kept
    assert 'class="field-error">Say why the result changes.' in html
    r = coach.post(f"{W}/evaluations/{e.pk}/edit/", {**form, "reason": "Listened again"})
    assert r.status_code == 302
    e.refresh_from_db()
    assert e.score == 90.0
    assert list(
        EvaluationChange.objects.filter(evaluation=e, action="edited").values_list(
            "criterion_id", "field", "old_value", "new_value", "reason", "actor"
        )
    ) == [
        (greet, "answer", "Yes", "No", "Listened again", q.coach.pk),
        (None, "score", "100", "90", "Listened again", q.coach.pk),
    ]
    log = coach.get(f"{W}/evaluations/{e.pk}/").content.decode().split('id="log"')[1]
    assert "Result edited" in log and "Listened again" in log
    assert (
        "Greeted the customer by name: Answer" in log and 'Yes</span> → <span class="new">No' in log
    )
    # The agent may read it but not edit it.
    assert as_user(q.agent).get(f"{W}/evaluations/{e.pk}/edit/").status_code == 403
    assert (
        as_user(q.agent).post(f"{W}/evaluations/{e.pk}/edit/", {**form, "reason": "x"}).status_code
        == 403
    )


def test_change_agent_needs_a_reason_and_is_logged(q, coach, as_user):
    e = evaluate(q)
    url = f"{W}/evaluations/{e.pk}/agent/"
    before = snapshot()
    r = coach.post(url, {"agent": q.agent2.pk, "reason": ""})
    assert r.status_code == 400 and snapshot() == before
    assert "Say why the result changes." in r.content.decode().split('id="change-agent"')[1]
    assert as_user(q.agent).post(url, {"agent": q.agent2.pk, "reason": "x"}).status_code == 403
    assert snapshot() == before
    r = coach.post(url, {"agent": q.agent2.pk, "reason": "Transferred"})
    assert r.status_code == 302
    e.refresh_from_db()
    assert e.agent == q.agent2
    assert as_user(q.agent).get(f"{W}/evaluations/{e.pk}/").status_code == 404
    assert as_user(q.agent2).get(f"{W}/evaluations/{e.pk}/").status_code == 200


# -- the list --------------------------------------------------------------------------------------


def test_agent_list_is_their_own_unacknowledged_first(q, as_user):
    mine = evaluate(q)
    evaluate(q, activity=q.chat2)
    page = as_user(q.agent).get(f"{W}/evaluations/").content.decode()
    assert "My evaluations" in page
    assert 'id="to-acknowledge"' in page
    assert page.count('id="evaluation-') == 2  # in "to acknowledge" and in the list
    assert f'id="evaluation-{mine.pk}"' in page
    assert 'name="agent"' not in page  # no agent filter for their own list


def test_coach_list_filters_and_counts(q, coach):
    evaluate(q)
    failed = evaluate(
        q, activity=q.chat2, answers=all_good(q, **{str(q.criteria[2]): {"value": 0}})
    )
    page = coach.get(f"{W}/evaluations/").content.decode()
    counts = page.split('id="counts"')[1].split("</div>")[0]
    assert re.findall(r'class="n">(\d+)<', counts) == ["2", "1", "1", "2"]
    page = coach.get(f"{W}/evaluations/?passed=no").content.decode()
    assert re.findall(r'id="evaluation-(\d+)"', page) == [str(failed.pk)]
    page = coach.get(f"{W}/evaluations/?agent={q.agent2.pk}").content.decode()
    assert re.findall(r'id="evaluation-(\d+)"', page) == [str(failed.pk)]
    r = coach.get(f"{W}/evaluations/?date_from=not-a-date&passed=maybe")
    assert r.status_code == 400
    assert 'name="date_from" value="not-a-date" class="invalid"' in r.content.decode()
