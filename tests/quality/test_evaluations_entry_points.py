"""Where evaluating starts: the activity details and the desk timeline (an Evaluate link for
evaluators, the score of an evaluated activity, read in one query for a whole timeline) and
the ticket dialog (evaluate the ticket)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from caredesk.quality.services import evaluation_create
from caredesk.workspaces.access import get_access

from .conftest import all_good, chat_for

W = "/w/support"


def evaluate(q, activity, answers=None, by=None):
    return evaluation_create(
        access=get_access(by or q.coach, "support"),
        scorecard_id=q.card.pk,
        activity_id=activity.pk,
        answers=answers or all_good(q),
    ).evaluation


def test_activity_details_offer_evaluate_and_show_the_score(q, as_user):
    coach, agent = as_user(q.coach), as_user(q.agent)
    url = f"{W}/journey/activities/{q.chat.pk}/"
    page = coach.get(url).content.decode()
    assert f'href="{W}/coaching/evaluate/?activity={q.chat.pk}"' in page
    assert "Evaluated:" not in page
    assert "/coaching/evaluate/" not in agent.get(url).content.decode()
    e = evaluate(q, q.chat, all_good(q, **{str(q.criteria[0]): {"value": 0}}))
    for client in (coach, agent):
        page = client.get(url).content.decode()
        assert f'href="{W}/coaching/evaluations/{e.pk}/"' in page and "Evaluated: 90" in page


def test_timeline_shows_scores_in_one_query(q, as_user, world):
    case = world.make_case(q.ws, segment=world.store1)
    chats = [q.chat] + [chat_for(q.ws, q.agent) for _ in range(3)]
    for chat in chats:
        chat.case = case
        chat.save()
    evaluations = [evaluate(q, chat, by=q.manager) for chat in chats[:3]]
    manager = as_user(q.manager)
    with CaptureQueriesContext(connection) as ctx:
        page = manager.get(f"{W}/journey/timeline/?record=case:{case.number}").content.decode()
    reads = [x["sql"] for x in ctx.captured_queries if '"quality_evaluation"' in x["sql"]]
    assert len(reads) == 1
    for e in evaluations:
        assert f'href="{W}/coaching/evaluations/{e.pk}/"' in page
    assert page.count("Evaluated: 100") == 3


def test_ticket_dialog_offers_to_evaluate_the_ticket(q, as_user, world):
    case = world.make_case(q.ws, segment=world.store1, owner=q.agent)
    url = f"{W}/tickets/{case.number}/"
    page = as_user(q.manager).get(url, HTTP_HX_REQUEST="true").content.decode()
    assert f'href="{W}/coaching/evaluate/?case={case.pk}"' in page
    page = as_user(q.admin).get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="ticket-quality"' in page
