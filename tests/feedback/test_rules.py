"""Alert rules: each criterion, each action, one case per response and rule."""

import pytest
from django.core import mail

from caredesk.care.models import Case, CaseComment
from caredesk.feedback.evaluation import evaluate
from caredesk.feedback.models import AlertNotification, AlertRule, AlertRuleHit, Response
from caredesk.feedback.services import rule_create, survey_create


@pytest.fixture
def csat(world):
    return survey_create(workspace=world.support, kind="csat", name="After chat")


@pytest.fixture
def quiet(nps):
    """Switch the NPS survey's default detractor rule off, so a test sees only its own rule."""
    AlertRule.objects.filter(survey=nps).update(is_active=False)
    return nps


def make_rule(world, criteria, actions=None, **kw):
    return rule_create(
        workspace=world.support,
        name=kw.pop("name", "Test rule"),
        criteria=criteria,
        actions=actions or {"create_case": {"priority": "critical", "status": "open"}},
        **kw,
    )


def matched(rule) -> set:
    return {
        c for c in Response.objects.filter(rule_hits__rule=rule).values_list("comment", flat=True)
    }


def send_all(post, survey, bodies):
    for body in bodies:
        r = post(survey, body)
        assert r.status_code == 201, r.content


def test_score_range_per_kind(world, quiet, csat, post):
    rule = make_rule(world, {"scores": [{"kind": "csat", "min": 1, "max": 2}]})
    send_all(post, csat, [{"score": 1, "comment": "c1"}, {"score": 3, "comment": "c3"}])
    # An NPS 2 is not a CSAT score.
    send_all(post, quiet, [{"score": 2, "comment": "n2"}])
    assert matched(rule) == {"c1"}


def test_nps_category(world, quiet, post):
    rule = make_rule(world, {"nps_category": ["passive", "promoter"]})
    send_all(post, quiet, [{"score": s, "comment": f"s{s}"} for s in (6, 7, 8, 9, 10)])
    assert matched(rule) == {"s7", "s8", "s9", "s10"}


def test_rating_question_range_and_answers(world, custom, post):
    rule = make_rule(
        world,
        {
            "scores": [{"kind": "speed", "min": 1, "max": 2}],
            "answers": [
                {"question": "reason", "op": "equals", "value": "price"},
                {"question": "extras", "op": "contains", "value": "app"},
            ],
        },
        survey_id=custom.pk,
    )
    base = {"speed": 1, "reason": "price", "extras": ["app", "web"]}
    send_all(
        post,
        custom,
        [
            {"answers": base, "comment": "all"},
            {"answers": {**base, "speed": 3}, "comment": "too fast"},
            {"answers": {**base, "reason": "staff"}, "comment": "staff"},
            {"answers": {**base, "extras": ["web"]}, "comment": "no app"},
        ],
    )
    assert matched(rule) == {"all"}


def test_answer_text_contains_ignores_case(world, custom, post):
    rule = make_rule(
        world, {"answers": [{"question": "other", "op": "contains", "value": "refund"}]}
    )
    send_all(
        post,
        custom,
        [
            {"answers": {"reason": "price", "other": "I want a REFUND now"}, "comment": "yes"},
            {"answers": {"reason": "price", "other": "fine"}, "comment": "no"},
        ],
    )
    assert matched(rule) == {"yes"}


@pytest.mark.parametrize(
    "keywords, comment, hit",
    [
        (["não"], "NÃO gostei do atendimento", True),
        (["não"], "nao gostei", False),  # accents matter
        (["não"], "Atendimento nãofoi bom", False),  # whole words only
        (["лошо"], "Много ЛОШО обслужване!", True),
        (["лошо"], "лошото беше", False),
        (["pessimo"], "Servizio Pessimo.", True),
        (["pessimo"], "servizio pessimista", False),
        (["muito caro"], "Achei  MUITO\ncaro, sinceramente", True),
        (["muito caro"], "muito barato e caro", False),
        (["late", "rude"], "The driver was rude", True),
    ],
)
def test_keywords(world, quiet, post, keywords, comment, hit):
    rule = make_rule(world, {"keywords": keywords})
    send_all(post, quiet, [{"score": 5, "comment": comment}])
    assert matched(rule) == ({comment} if hit else set())


def test_segment_subtree(world, quiet, post):
    rule = make_rule(world, {"segment": world.lisbon.pk})
    send_all(
        post,
        quiet,
        [
            {"score": 5, "comment": "store2", "segment": world.store2.pk},
            {"score": 5, "comment": "lisbon", "segment": world.lisbon.pk},
            {"score": 5, "comment": "italy", "segment": world.italy.pk},
            {"score": 5, "comment": "none"},
        ],
    )
    assert matched(rule) == {"store2", "lisbon"}


def test_transaction_fields(world, quiet, post):
    rule = make_rule(
        world,
        {
            "transaction": [
                {"field": "channel", "op": "equals", "value": "store"},
                {"field": "order", "op": "contains", "value": "vip"},
            ]
        },
    )
    send_all(
        post,
        quiet,
        [
            {"score": 5, "comment": "yes", "transaction": {"channel": "store", "order": "A-VIP-1"}},
            {"score": 5, "comment": "web", "transaction": {"channel": "web", "order": "VIP"}},
            {"score": 5, "comment": "none", "transaction": {}},
        ],
    )
    assert matched(rule) == {"yes"}


def test_all_criteria_must_match(world, quiet, post):
    rule = make_rule(world, {"nps_category": ["detractor"], "keywords": ["slow"]})
    send_all(
        post,
        quiet,
        [
            {"score": 2, "comment": "so slow"},
            {"score": 9, "comment": "slow but fine"},
            {"score": 2, "comment": "rude"},
        ],
    )
    assert matched(rule) == {"so slow"}


def test_rule_of_another_survey_does_not_match(world, quiet, csat, post):
    rule = make_rule(world, {}, survey_id=csat.pk)
    send_all(post, quiet, [{"score": 1, "comment": "nps"}])
    send_all(post, csat, [{"score": 1, "comment": "csat"}])
    assert matched(rule) == {"csat"}


def test_inactive_rule_does_nothing(world, nps, post):
    AlertRule.objects.update(is_active=False)
    send_all(post, nps, [{"score": 0}])
    assert Case.objects.count() == 0 and AlertRuleHit.objects.count() == 0
    assert Response.objects.get().evaluated_at is not None


# --------------------------------------------------------------------------- actions


def test_create_case_with_fixed_segment_priority_status(world, quiet, post):
    make_rule(
        world,
        {"keywords": ["broken"]},
        {"create_case": {"priority": "low", "status": "open", "segment": world.italy.pk}},
    )
    send_all(post, quiet, [{"score": 8, "comment": "It was broken", "segment": world.store1.pk}])
    case = Case.objects.get()
    assert (case.priority, case.status, case.segment) == ("low", "open", world.italy)
    assert case.customer_comment == "It was broken"


def test_assign_segment_manager_first_by_username(world, quiet, post):
    make_rule(world, {}, {"create_case": {}, "assign": {"to": "segment_manager"}})
    send_all(post, quiet, [{"score": 3, "segment": world.store2.pk}])
    # store2 is managed by manager and manager2: the first by username.
    assert Case.objects.get().owner == world.manager


def test_assign_fixed_user_and_queue(world, quiet, post):
    make_rule(
        world,
        {"segment": world.italy.pk},
        {"create_case": {}, "assign": {"to": "user", "user": world.italy_manager.pk}},
        name="to user",
    )
    make_rule(
        world,
        {"segment": world.store1.pk},
        {"create_case": {}, "assign": {"to": "queue", "queue": "Callbacks"}},
        name="to queue",
    )
    send_all(
        post,
        quiet,
        [
            {"score": 3, "segment": world.italy.pk, "comment": "it"},
            {"score": 3, "segment": world.store1.pk, "comment": "pt"},
        ],
    )
    it = Case.objects.get(customer_comment="it")
    pt = Case.objects.get(customer_comment="pt")
    assert it.owner == world.italy_manager
    assert pt.owner is None
    assert "Queue: Callbacks." in CaseComment.objects.get(case=pt).body


def test_assign_fixed_user_who_does_not_manage_the_segment_is_noted(world, quiet, post):
    make_rule(world, {}, {"create_case": {}, "assign": {"to": "user", "user": world.coach.pk}})
    send_all(post, quiet, [{"score": 3, "segment": world.store1.pk}])
    case = Case.objects.get()
    assert case.owner is None
    assert "Not assigned to Coach: not a manager of the segment." in case.comments.get().body


def test_a_notification_is_written_in_its_readers_language(world, quiet, post):
    world.manager.email, world.manager.language = "manager@acme.test", "bg"
    world.manager.save()
    world.coach.email = "coach@acme.test"  # no language of their own: the workspace's
    world.coach.save()
    world.support.language = "it"
    world.support.save()
    make_rule(
        world,
        {"keywords": ["rude"]},
        {"create_case": {}, "notify": {"users": [world.manager.pk, world.coach.pk]}},
        name="Rude",
    )
    post(quiet, {"score": 4, "comment": "Rude staff", "customer_email": "ana@x.pt"})
    by_reader = {m.to[0]: m for m in mail.outbox}
    number = Case.objects.get().number
    bg = by_reader["manager@acme.test"]
    assert bg.subject == "[caredesk] Rude: оценка 4"
    assert bg.body.startswith(
        "Правилото за сигнал „Rude“ съвпадна с отговор на Store visit.\n\nОценка: 4\n"
        f"Коментар на клиента: Rude staff\nКлиент: ana@x.pt\nЗаявка: № {number}\n\n"
    )
    it = by_reader["coach@acme.test"]
    assert it.subject == "[caredesk] Rude: punteggio 4"
    assert "Commento del cliente: Rude staff" in it.body


def test_notify_users_by_email_once(world, quiet, post):
    world.manager.email = "manager@acme.test"
    world.manager.save()
    world.coach.email = "coach@acme.test"
    world.coach.save()
    rule = make_rule(
        world,
        {"keywords": ["rude"]},
        {"notify": {"users": [world.manager.pk, world.coach.pk]}},
        name="Rude <staff>",
    )
    r = post(quiet, {"score": 4, "comment": "Rude staff", "customer_email": "ana@x.pt"})
    assert sorted(m.to[0] for m in mail.outbox) == ["coach@acme.test", "manager@acme.test"]
    message = mail.outbox[0]
    assert message.subject == "[caredesk] Rude <staff>: score 4"
    assert "Rude staff" in message.body and "ana@x.pt" in message.body
    assert f"/w/support/feedback/responses/{r.json()['id']}/" in message.body
    assert AlertNotification.objects.filter(rule=rule).count() == 2
    assert Case.objects.count() == 0
    # Evaluated again: nobody is emailed twice.
    evaluate([r.json()["id"]])
    assert len(mail.outbox) == 2


def test_one_case_per_response_and_rule_however_often_evaluated(world, nps, post):
    r = post(nps, {"score": 1, "external_id": "x"})
    post(nps, {"score": 1, "external_id": "x"})
    rid = r.json()["id"]
    for _ in range(3):
        evaluate([rid])
    assert Case.objects.count() == 1 and AlertRuleHit.objects.count() == 1


def test_run_on_past_responses(world, nps, as_user, django_capture_on_commit_callbacks):
    AlertRule.objects.update(is_active=False)
    from caredesk.feedback.services import responses_ingest

    with django_capture_on_commit_callbacks(execute=True):
        responses_ingest(
            survey=nps,
            items=[
                {"score": 1, "comment": "old", "responded_at": "2026-01-10T10:00:00Z"},
                {"score": 1, "comment": "older", "responded_at": "2025-12-01T10:00:00Z"},
                {"score": 9, "comment": "happy", "responded_at": "2026-01-11T10:00:00Z"},
            ],
        )
    assert Case.objects.count() == 0
    rule = AlertRule.objects.get(survey=nps)
    client = as_user(world.admin)
    url = f"/w/support/feedback/rules/{rule.pk}/run/"
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post(url, {"date_from": "2026-01-01", "date_to": "2026-01-31"})
    assert r.status_code == 302
    assert list(Case.objects.values_list("customer_comment", flat=True)) == ["old"]
    # Run again over everything: the one already handled is not handled twice.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"date_from": "2025-01-01", "date_to": "2026-12-31"})
    assert sorted(Case.objects.values_list("customer_comment", flat=True)) == ["old", "older"]
    r = client.post(url, {"date_from": "2026-02-01", "date_to": "2026-01-01"})
    assert r.status_code == 400 and "The end is before the start." in r.content.decode()
    r = client.post(url, {"date_from": "", "date_to": "x"})
    assert r.status_code == 400
    assert Case.objects.count() == 2


def test_score_criteria_in_one_batch_of_both_kinds(world, quiet, csat):
    """One evaluation batch with NPS and CSAT responses: each rule is offered only the scores
    it accepts, and a range wider than the scale still matches every score in it."""
    from caredesk.feedback.services import response_submit

    wide = make_rule(world, {"scores": [{"kind": "nps", "min": -50, "max": 500}]}, name="Wide")
    low_csat = make_rule(world, {"scores": [{"kind": "csat", "min": 1, "max": 2}]}, name="Low")
    both = make_rule(
        world,
        {"scores": [{"kind": "nps", "min": 5, "max": 8}], "nps_category": ["detractor"]},
        name="Both",
    )
    anyone = make_rule(world, {"keywords": ["slow"]}, name="Keyword")
    ids = [response_submit(survey=quiet, score=s, comment=f"n{s} slow")[0].pk for s in range(11)]
    ids += [response_submit(survey=csat, score=s, comment=f"c{s}")[0].pk for s in range(1, 6)]
    outcome = evaluate(ids)
    assert matched(wide) == {f"n{s} slow" for s in range(11)}
    assert matched(low_csat) == {"c1", "c2"}
    assert matched(both) == {"n5 slow", "n6 slow"}
    assert matched(anyone) == {f"n{s} slow" for s in range(11)}
    assert outcome.hits == 11 + 2 + 2 + 11
    # Tickets are numbered response by response, each response's rules in id order.
    from caredesk.feedback.models import AlertRuleCase

    pairs = list(
        AlertRuleCase.objects.order_by("case__number").values_list("response_id", "rule_id")
    )
    assert len(pairs) == 26 and pairs == sorted(pairs)
    assert pairs[:3] == [(ids[0], wide.pk), (ids[0], anyone.pk), (ids[1], wide.pk)]
