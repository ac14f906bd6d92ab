"""The review queue: sampling rules (API and settings page), what each kind of rule samples
from known data, idempotence, bad rules refused with nothing written, who sees which items,
claim and skip, and an evaluation marking its item done (issue 13)."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from caredesk.audit.models import AuditEntry
from caredesk.customers.models import Contact
from caredesk.feedback.models import Response, Survey
from caredesk.journey.models import Activity
from caredesk.quality import sampling
from caredesk.quality.models import (
    CoachAssignment,
    ReviewItem,
    ReviewStatus,
    SamplingRule,
)
from caredesk.quality.scorecards import scorecard_create
from caredesk.quality.services import evaluation_create
from caredesk.workspaces.access import Access, get_access

from ..factories import make_case
from .conftest import CHAT_SECTIONS, all_good

API = "/api/v1/workspaces/support"


@pytest.fixture
def rq(q):
    """The quality scene with its two chats moved 60 days back, so every test below states
    exactly which activities exist in the current period."""
    old = timezone.now() - dt.timedelta(days=60)
    Activity.objects.filter(pk__in=[q.chat.pk, q.chat2.pk]).update(
        ended_at=old, started_at=old - dt.timedelta(minutes=50), occurred_at=old
    )
    q.now = timezone.now()
    q.start = sampling.period_start(q.now, 7)
    return q


def act(q, agent, *, ended=None, minutes=10, media="chat", contact=None, case=None, queue=""):
    ended = ended or q.start
    return Activity.objects.create(
        workspace=q.ws,
        media_type=media,
        agent=agent,
        contact=contact,
        case=case,
        queue_name=queue,
        started_at=ended - dt.timedelta(minutes=minutes),
        ended_at=ended,
        occurred_at=ended,
    )


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def patch(client, url, body):
    return client.patch(url, json.dumps(body), content_type="application/json")


def queued(q, **filters) -> set[int]:
    return set(
        ReviewItem.objects.filter(workspace=q.ws, **filters).values_list("activity_id", flat=True)
    )


def rule(q, **fields) -> SamplingRule:
    body = {"name": "Rule", "scorecard": q.card.pk, "kind": "per_agent", **fields}
    return sampling.rule_create(access=Access.system(q.ws), **body)


# -- per agent -------------------------------------------------------------------------------


def test_per_agent_picks_the_count_per_agent_in_the_period_never_evaluated_or_queued(
    rq, api_client
):
    q = rq
    mine = [act(q, q.agent) for _ in range(4)]
    theirs = [act(q, q.agent2) for _ in range(2)]
    before = act(q, q.agent, ended=q.start - dt.timedelta(minutes=1))  # the previous week
    call = act(q, q.agent, media="call")  # the chat scorecard applies to chats only
    running = Activity.objects.create(
        workspace=q.ws, media_type="chat", agent=q.agent, started_at=q.start
    )
    evaluated = act(q, q.agent)
    evaluation_create(
        access=get_access(q.coach, "support", require="evaluate"),
        scorecard_id=q.card.pk,
        activity_id=evaluated.pk,
        answers=all_good(q),
    )
    other_card = scorecard_create(
        access=Access.system(q.ws), name="Other", sections=CHAT_SECTIONS, media_types=["chat"]
    )
    ReviewItem.objects.create(
        workspace=q.ws, scorecard=q.card, activity=mine[0], agent=q.agent, reason="by hand"
    )

    r = post(
        api_client(q.manager),
        f"{API}/sampling-rules",
        {"name": "Two a week", "scorecard": q.card.pk, "kind": "per_agent", "count": 2},
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["count"], body["period_days"], body["media_types"], body["pending"]) == (
        2,
        7,
        [],
        4,
    )
    made = ReviewItem.objects.filter(rule_id=body["id"])
    assert made.filter(agent=q.agent).count() == 2
    assert made.filter(agent=q.agent2).count() == 2
    assert queued(q, rule_id=body["id"], agent=q.agent) <= {m.pk for m in mine[1:]}
    assert queued(q, rule_id=body["id"], agent=q.agent2) == {t.pk for t in theirs}
    for never in (before, call, running, evaluated, mine[0]):
        assert not made.filter(activity=never).exists()
    item = made.filter(agent=q.agent).first()
    assert item.reason == "Random sample: 2 per agent every 7 days"
    assert item.segment_path == q.world.store1.path
    assert made.filter(agent=q.agent2).first().segment_path == q.world.italy.path
    assert item.status == ReviewStatus.PENDING and item.assignee is None

    # Idempotent: running again adds nothing; the other scorecard's rule may queue the same.
    assert sampling.sample(q.ws) == 0
    assert made.count() == 4
    rule(q, name="Other card", scorecard=other_card.pk, count=1)
    assert ReviewItem.objects.filter(scorecard=other_card).count() == 2

    # A skipped item is replaced by another of the same agent's activities.
    item_skip = sampling.item_skip(access=Access.system(q.ws), item=item)
    assert item_skip.status == ReviewStatus.SKIPPED
    assert sampling.sample(q.ws) == 1
    assert made.filter(agent=q.agent).exclude(status=ReviewStatus.SKIPPED).count() == 2
    assert sampling.sample(q.ws) == 0


def test_per_agent_periods_and_the_task(rq):
    q = rq
    act(q, q.agent, ended=q.start - dt.timedelta(days=1))
    r = rule(q, count=3)
    assert ReviewItem.objects.filter(rule=r).count() == 0  # last period: not this one's
    # A week later, the activity of that time is in the period before: still not picked.
    later = [act(q, q.agent, ended=q.start + dt.timedelta(days=7, hours=h)) for h in (1, 2)]
    assert sampling.sample(q.ws, now=q.start + dt.timedelta(days=7, hours=3)) == 2
    assert queued(q, rule=r) == {a.pk for a in later}

    # The worker's hourly task runs the sampler over every workspace with an active rule.
    from django.utils.module_loading import autodiscover_modules
    from huey.contrib.djhuey import HUEY

    autodiscover_modules("tasks")
    from caredesk.quality.sampling_tasks import sample_review_queues

    assert any(name.endswith("sample_review_queues") for name in HUEY._registry._registry)
    act(q, q.agent2)
    sample_review_queues.call_local()
    assert ReviewItem.objects.filter(rule=r, agent=q.agent2).count() == 1


# -- detractor -------------------------------------------------------------------------------


def test_detractor_picks_activities_followed_by_a_detractor_answer(rq):
    q = rq
    nps = Survey.objects.create(workspace=q.ws, kind="nps", name="NPS")
    csat = Survey.objects.create(workspace=q.ws, kind="csat", name="CSAT")
    contacts = [Contact.objects.create(organization=q.world.org, name=f"C{i}") for i in range(6)]
    t = q.now - dt.timedelta(days=6)

    def answer(survey, score, at, contact=None, case=None):
        return Response.objects.create(
            workspace=q.ws, survey=survey, score=score, responded_at=at, contact=contact, case=case
        )

    # Same customer, a day later, NPS 3: picked.
    a1 = act(q, q.agent, ended=t, contact=contacts[0])
    answer(nps, 3, t + dt.timedelta(days=1), contacts[0])
    # NPS 9 (a promoter): not.
    a2 = act(q, q.agent, ended=t, contact=contacts[1])
    answer(nps, 9, t + dt.timedelta(hours=2), contacts[1])
    # Same customer but five days later (more than DETRACTOR_FOLLOW_DAYS): not.
    a3 = act(q, q.agent2, ended=t, contact=contacts[2])
    answer(nps, 2, t + dt.timedelta(days=5), contacts[2])
    # The same ticket, CSAT 1, five days later: picked (a ticket's answer has no window).
    case = make_case(q.ws)
    a4 = act(q, q.agent2, ended=t, case=case, contact=contacts[3])
    answer(csat, 1, t + dt.timedelta(days=5), case=case)
    # An answer given before the activity ended: not.
    a5 = act(q, q.agent, ended=t, contact=contacts[4])
    answer(nps, 0, t - dt.timedelta(hours=1), contacts[4])
    # CSAT 3 (not low): not; a call followed by NPS 1 (the rule takes chats): not.
    a6 = act(q, q.agent, ended=t, contact=contacts[5])
    answer(csat, 3, t + dt.timedelta(hours=1), contacts[5])
    a7 = act(q, q.agent, ended=t, contact=contacts[0], media="call")

    r = rule(q, name="Detractors", kind="detractor", media_types=["chat"])
    assert queued(q, rule=r) == {a1.pk, a4.pk}
    reasons = dict(ReviewItem.objects.filter(rule=r).values_list("activity_id", "reason"))
    assert reasons == {a1.pk: "Detractor answer: NPS 3", a4.pk: "Detractor answer: CSAT 1"}
    assert {a2.pk, a3.pk, a5.pk, a6.pk, a7.pk}.isdisjoint(queued(q))
    assert sampling.sample(q.ws) == 0


# -- longer than -----------------------------------------------------------------------------


def test_longer_than_picks_every_activity_over_the_minutes_in_the_period(rq):
    q = rq
    long1 = act(q, q.agent, minutes=25, ended=q.now - dt.timedelta(hours=2))
    long2 = act(q, q.agent2, minutes=21, ended=q.now - dt.timedelta(days=3))
    act(q, q.agent, minutes=20, ended=q.now - dt.timedelta(hours=2))  # not over 20
    act(q, q.agent, minutes=15, ended=q.now - dt.timedelta(hours=2))
    act(q, q.agent, minutes=40, ended=q.now - dt.timedelta(days=10))  # before the period
    act(q, q.agent, minutes=40, ended=q.now - dt.timedelta(hours=1), media="email")
    r = rule(q, name="Long", kind="longer_than", minutes=20)
    assert queued(q, rule=r) == {long1.pk, long2.pk}
    reasons = dict(ReviewItem.objects.filter(rule=r).values_list("activity_id", "reason"))
    assert reasons[long1.pk] == "Longer than 20 minutes: 25 minutes"
    assert sampling.sample(q.ws) == 0
    # Reasons are written in the workspace's language.
    q.ws.language = "pt-br"
    q.ws.save(update_fields=["language"])
    long4 = act(q, q.agent, minutes=33, ended=q.now - dt.timedelta(hours=1))
    assert sampling.sample(q.ws) == 1
    assert ReviewItem.objects.get(activity=long4).reason == "Mais de 20 minutos: 33 minutos"
    # Switched off, a rule samples nothing.
    sampling.rule_switch(access=Access.system(q.ws), rule=r, active=False)
    long3 = act(q, q.agent, minutes=30, ended=q.now - dt.timedelta(hours=1))
    assert sampling.sample(q.ws) == 0
    sampling.rule_switch(access=Access.system(q.ws), rule=r, active=True)
    assert queued(q, rule=r) == {long1.pk, long2.pk, long3.pk, long4.pk}


# -- rules: bad input and permissions --------------------------------------------------------


def _nothing_written(q):
    return (
        SamplingRule.objects.count(),
        ReviewItem.objects.count(),
        AuditEntry.objects.filter(object_type="samplingrule").count(),
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"scorecard": 999999}, "scorecard"),
        ({"kind": "sometimes"}, "kind"),
        ({"count": 0}, "count"),
        ({"count": 101}, "count"),
        ({"period_days": 0}, "period_days"),
        ({"minutes": 0}, "minutes"),
        ({"media_types": ["ticket"]}, "media_types"),
        ({"media_types": ["call"]}, "media_types"),  # the scorecard is for chats
        ({"name": "  "}, "name"),
    ],
)
def test_bad_rules_are_refused_naming_the_field_and_nothing_is_written(rq, api_client, body, field):
    q = rq
    act(q, q.agent)
    before = _nothing_written(q)
    r = post(
        api_client(q.manager),
        f"{API}/sampling-rules",
        {"name": "R", "scorecard": q.card.pk, "kind": "per_agent", **body},
    )
    assert r.status_code == 400, r.content
    assert field in r.json()["errors"]
    assert _nothing_written(q) == before


def test_rule_of_another_workspace_scorecard_and_patch_refused(rq, api_client):
    q = rq
    sales_card = scorecard_create(
        access=Access.system(q.world.sales), name="Sales", sections=CHAT_SECTIONS
    )
    client = api_client(q.manager)
    r = post(
        client,
        f"{API}/sampling-rules",
        {"name": "R", "scorecard": sales_card.pk, "kind": "detractor"},
    )
    assert (r.status_code, list(r.json()["errors"])) == (400, ["scorecard"])
    made = rule(q, name="Kept", count=2)
    before = _nothing_written(q)
    r = patch(client, f"{API}/sampling-rules/{made.pk}", {"count": 0, "name": "New"})
    assert (r.status_code, list(r.json()["errors"])) == (400, ["count"])
    made.refresh_from_db()
    assert (made.count, made.name) == (2, "Kept")
    assert _nothing_written(q) == before
    r = patch(client, f"{API}/sampling-rules/{made.pk}", {"count": 3, "name": "New"})
    assert (r.status_code, r.json()["count"], r.json()["name"]) == (200, 3, "New")
    assert list(
        AuditEntry.objects.filter(object_type="samplingrule", action="edited")
        .order_by("field")
        .values_list("field", "old_value", "new_value")
    ) == [("count", "2", "3"), ("name", "Kept", "New")]
    r = client.get(f"{API}/sampling-rules")
    assert [x["name"] for x in r.json()] == ["New"]
    assert client.delete(f"{API}/sampling-rules/{made.pk}").status_code == 204
    assert not SamplingRule.objects.filter(pk=made.pk).exists()
    # Rules of another workspace: 404.
    other = sampling.rule_create(
        access=Access.system(q.world.sales), name="S", scorecard=sales_card.pk, kind="detractor"
    )
    assert patch(client, f"{API}/sampling-rules/{other.pk}", {"count": 1}).status_code == 404
    assert client.delete(f"{API}/sampling-rules/{other.pk}").status_code == 404
    assert SamplingRule.objects.filter(pk=other.pk).exists()


def test_rules_need_manage_scorecards(rq, api_client, as_user):
    q = rq
    made = rule(q)
    before = _nothing_written(q)
    client = api_client(q.agent)
    assert client.get(f"{API}/sampling-rules").status_code == 403
    r = post(
        client, f"{API}/sampling-rules", {"name": "R", "scorecard": q.card.pk, "kind": "detractor"}
    )
    assert r.status_code == 403
    assert patch(client, f"{API}/sampling-rules/{made.pk}", {"count": 1}).status_code == 403
    assert client.delete(f"{API}/sampling-rules/{made.pk}").status_code == 403
    page = as_user(q.agent)
    base = "/w/support/settings/quality/review-rules/"
    assert page.get(base).status_code == 403
    assert (
        page.post(base, {"name": "R", "scorecard": q.card.pk, "kind": "detractor"}).status_code
        == 403
    )
    assert page.get(f"{base}{made.pk}/").status_code == 403
    assert page.post(f"{base}{made.pk}/active/", {"active": "0"}).status_code == 403
    assert page.post(f"{base}{made.pk}/delete/").status_code == 403
    assert _nothing_written(q) == before
    assert SamplingRule.objects.get(pk=made.pk).active is True


def test_settings_page_adds_edits_switches_and_deletes_rules(rq, as_user):
    q = rq
    long1 = act(q, q.agent, minutes=30, ended=q.now - dt.timedelta(hours=1))
    page = as_user(q.manager)
    base = "/w/support/settings/quality/review-rules/"
    r = page.get(base)
    assert r.status_code == 200
    assert "No review rules yet" in r.content.decode()
    # Bad input: the form again with the error, nothing saved.
    before = _nothing_written(q)
    r = page.post(
        base,
        {
            "name": "Long",
            "scorecard": q.card.pk,
            "kind": "longer_than",
            "count": 5,
            "period_days": 7,
            "minutes": 20,
            "media_types": ["call"],
            "active": "on",
        },
    )
    assert r.status_code == 400
    assert "does not apply to: call" in r.content.decode()
    assert _nothing_written(q) == before
    r = page.post(
        base,
        {
            "name": "Long <b>",
            "scorecard": q.card.pk,
            "kind": "longer_than",
            "count": 5,
            "period_days": 7,
            "minutes": 20,
            "active": "on",
        },
    )
    assert r.status_code == 302
    made = SamplingRule.objects.get()
    assert (made.name, made.kind, made.minutes, made.active) == (
        "Long <b>",
        "longer_than",
        20,
        True,
    )
    assert queued(q, rule=made) == {long1.pk}
    r = page.get(base)
    body = r.content.decode()
    assert "Long &lt;b&gt;" in body and "Long <b>" not in body
    assert "Every one longer than 20 minutes in the last 7 days (chat)" in body
    r = page.get(f"{base}{made.pk}/")
    assert r.status_code == 200
    r = page.post(
        f"{base}{made.pk}/",
        {
            "name": "Longer",
            "scorecard": q.card.pk,
            "kind": "longer_than",
            "count": 5,
            "period_days": 7,
            "minutes": 0,
            "active": "on",
        },
    )
    assert r.status_code == 400
    made.refresh_from_db()
    assert (made.name, made.minutes) == ("Long <b>", 20)
    r = page.post(
        f"{base}{made.pk}/",
        {
            "name": "Longer",
            "scorecard": q.card.pk,
            "kind": "longer_than",
            "count": 5,
            "period_days": 7,
            "minutes": 45,
            "active": "on",
        },
    )
    assert r.status_code == 302
    made.refresh_from_db()
    assert (made.name, made.minutes) == ("Longer", 45)
    assert page.post(f"{base}{made.pk}/active/", {"active": "0"}).status_code == 302
    made.refresh_from_db()
    assert made.active is False
    assert page.post(f"{base}{made.pk}/delete/").status_code == 302
    assert not SamplingRule.objects.exists()
    assert ReviewItem.objects.filter(activity=long1).exists()  # its items stay
    # Another workspace's rule: 404.
    sales_card = scorecard_create(
        access=Access.system(q.world.sales), name="S", sections=CHAT_SECTIONS
    )
    other = sampling.rule_create(
        access=Access.system(q.world.sales), name="S", scorecard=sales_card.pk, kind="detractor"
    )
    assert page.get(f"{base}{other.pk}/").status_code == 404
    assert page.post(f"{base}{other.pk}/delete/").status_code == 404


# -- the queue: who sees what, claim, skip, done ---------------------------------------------


@pytest.fixture
def items(rq):
    q = rq
    q.a1 = act(q, q.agent, minutes=30, ended=q.now - dt.timedelta(hours=3))
    q.a2 = act(q, q.agent2, minutes=40, ended=q.now - dt.timedelta(hours=2))
    q.rule = rule(q, name="Long chats", kind="longer_than", minutes=20)
    q.i1 = ReviewItem.objects.get(activity=q.a1)
    q.i2 = ReviewItem.objects.get(activity=q.a2)
    # The coach coaches agent2 only; the manager runs Lisbon (agent's store).
    CoachAssignment.objects.create(workspace=q.ws, coach=q.coach, agent=q.agent2)
    return q


def ids(response) -> list[int]:
    return [x["id"] for x in response.json()]


def test_the_queue_shows_only_what_the_user_may_see(items, api_client, as_user):
    q = items
    url = f"{API}/review-queue"
    assert ids(api_client(q.admin).get(url)) == [q.i1.pk, q.i2.pk]
    assert ids(api_client(q.manager).get(url)) == [q.i1.pk]
    assert ids(api_client(q.coach).get(url)) == [q.i2.pk]
    assert api_client(q.agent).get(url).status_code == 403
    assert api_client(q.agent).get(f"{url}/counts").status_code == 403
    assert api_client(q.coach).get(f"{url}/counts").json() == {
        "pending": 1,
        "mine": 0,
        "done_week": 0,
    }
    # Filters.
    admin = api_client(q.admin)
    assert ids(admin.get(f"{url}?agent={q.agent2.pk}")) == [q.i2.pk]
    assert ids(admin.get(f"{url}?rule={q.rule.pk}&media_type=chat")) == [q.i1.pk, q.i2.pk]
    assert ids(admin.get(f"{url}?media_type=call")) == []
    r = admin.get(f"{url}?status=maybe")
    assert (r.status_code, list(r.json()["errors"])) == (400, ["status"])
    item = admin.get(f"{url}?agent={q.agent.pk}").json()[0]
    assert item["activity"]["duration_seconds"] == 1800
    assert item["reason"] == "Longer than 20 minutes: 30 minutes"
    assert item["agent"]["username"] == "agent"

    page = "/w/support/coaching/review/"
    r = as_user(q.coach).get(page)
    assert r.status_code == 200
    body = r.content.decode()
    assert f'id="review-{q.i2.pk}"' in body and f'id="review-{q.i1.pk}"' not in body
    assert "Longer than 20 minutes: 40 minutes" in body
    r = as_user(q.manager).get(page)
    body = r.content.decode()
    assert f'id="review-{q.i1.pk}"' in body and f'id="review-{q.i2.pk}"' not in body
    r = as_user(q.admin).get(f"{page}?agent={q.agent2.pk}")
    body = r.content.decode()
    assert f'id="review-{q.i2.pk}"' in body and f'id="review-{q.i1.pk}"' not in body
    assert as_user(q.admin).get(f"{page}?status=maybe").status_code == 400
    assert as_user(q.agent).get(page).status_code == 403
    # Items outside the user's visibility: 404, nothing changed.
    assert post(api_client(q.coach), f"{url}/{q.i1.pk}/claim", {}).status_code == 404
    assert post(api_client(q.coach), f"{url}/{q.i1.pk}/skip", {}).status_code == 404
    assert as_user(q.coach).post(f"{page}{q.i1.pk}/claim/").status_code == 404
    assert as_user(q.coach).post(f"{page}{q.i1.pk}/skip/").status_code == 404
    assert post(api_client(q.agent), f"{url}/{q.i1.pk}/claim", {}).status_code == 403
    assert as_user(q.agent).post(f"{page}{q.i1.pk}/skip/").status_code == 403
    q.i1.refresh_from_db()
    assert (q.i1.status, q.i1.assignee_id) == (ReviewStatus.PENDING, None)


def test_claim_skip_and_an_evaluation_marks_the_item_done(items, api_client, as_user):
    q = items
    url = f"{API}/review-queue"
    coach, admin = api_client(q.coach), api_client(q.admin)
    r = post(coach, f"{url}/{q.i2.pk}/claim", {})
    assert (r.status_code, r.json()["assignee"]["username"]) == (200, "coach")
    assert post(coach, f"{url}/{q.i2.pk}/claim", {}).status_code == 200  # again: a no-op
    assert coach.get(f"{url}/counts").json() == {"pending": 1, "mine": 1, "done_week": 0}
    assert ids(coach.get(f"{url}?mine=true")) == [q.i2.pk]
    # Someone else's claim: refused, naming the field, nothing changed.
    r = post(admin, f"{url}/{q.i2.pk}/claim", {})
    assert (r.status_code, list(r.json()["errors"])) == (400, ["assignee"])
    r = post(admin, f"{url}/{q.i2.pk}/skip", {})
    assert (r.status_code, list(r.json()["errors"])) == (400, ["assignee"])
    r = as_user(q.admin).post(f"/w/support/coaching/review/{q.i2.pk}/skip/")
    assert r.status_code == 400
    q.i2.refresh_from_db()
    assert (q.i2.status, q.i2.assignee_id) == (ReviewStatus.PENDING, q.coach.pk)

    # The page: the manager claims then skips agent's item.
    page = as_user(q.manager)
    r = page.post(f"/w/support/coaching/review/{q.i1.pk}/claim/")
    assert r.status_code == 302
    q.i1.refresh_from_db()
    assert q.i1.assignee_id == q.manager.pk
    r = page.get("/w/support/coaching/review/?mine=1")
    assert "Give back" in r.content.decode()
    r = page.post(f"/w/support/coaching/review/{q.i1.pk}/skip/")
    assert r.status_code == 302
    q.i1.refresh_from_db()
    assert q.i1.status == ReviewStatus.SKIPPED
    r = post(admin, f"{url}/{q.i1.pk}/claim", {})
    assert (r.status_code, list(r.json()["errors"])) == (400, ["status"])
    assert ids(admin.get(f"{url}?status=skipped")) == [q.i1.pk]

    # An evaluation of that activity with that scorecard marks the item done.
    result = evaluation_create(
        access=get_access(q.coach, "support", require="evaluate"),
        scorecard_id=q.card.pk,
        activity_id=q.a2.pk,
        answers=all_good(q),
    )
    q.i2.refresh_from_db()
    assert (q.i2.status, q.i2.evaluation_id) == (ReviewStatus.DONE, result.evaluation.pk)
    assert coach.get(f"{url}/counts").json() == {"pending": 0, "mine": 0, "done_week": 1}
    assert ids(coach.get(f"{url}?status=done")) == [q.i2.pk]
    assert sampling.sample(q.ws) == 0  # evaluated: never queued again


def test_review_counts_for_home(items):
    q = items
    coach = get_access(q.coach, "support")
    assert sampling.review_counts(coach) == {"pending": 1, "mine": 0, "done_week": 0}
    sampling.item_claim(access=coach, item=q.i2)
    assert sampling.review_counts(coach) == {"pending": 1, "mine": 1, "done_week": 0}
    assert sampling.review_counts(get_access(q.agent, "support")) == {
        "pending": 0,
        "mine": 0,
        "done_week": 0,
    }
    assert sampling.review_counts(get_access(q.admin, "support"))["pending"] == 2
