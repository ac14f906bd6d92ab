"""The ticket list's Response ID column is read for the whole page at once."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from caredesk.care.models import Case
from caredesk.feedback.services import response_submit, survey_create


def _detractors(capture, survey, start, n):
    for k in range(start, start + n):
        with capture(execute=True):  # rules run after the response is committed
            response_submit(survey=survey, score=2, comment=f"bad {k}", external_id=f"r-{k}")


def _list_queries(client) -> tuple[int, bytes]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/w/support/tickets/")
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content


def test_response_ids_cost_the_same_queries_for_2_and_12_tickets(
    world, as_user, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    survey = survey_create(workspace=world.support, kind="nps", name="Stores NPS")
    client = as_user(world.admin)
    _detractors(capture, survey, 0, 2)
    assert Case.objects.filter(workspace=world.support).count() == 2
    few, _ = _list_queries(client)
    _detractors(capture, survey, 2, 10)
    assert Case.objects.filter(workspace=world.support).count() == 12
    many, html = _list_queries(client)
    assert many == few
    first = Case.objects.filter(workspace=world.support).order_by("number").first()
    rid = first.rule_sources.get().response_id
    assert f'href="/w/support/feedback/responses/{rid}/"'.encode() in html
