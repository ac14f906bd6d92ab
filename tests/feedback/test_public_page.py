import pytest
from django.test import Client

from caredesk.care.models import Case, Origin
from caredesk.feedback.models import Response
from caredesk.feedback.services import survey_create


@pytest.fixture
def nps(world):
    return survey_create(workspace=world.support, kind="nps", name="Store <visit>")


def test_page_shows_the_nps_scale(nps):
    r = Client().get(f"/s/{nps.token}/")
    assert r.status_code == 200
    html = r.content.decode()
    assert 'name="viewport"' in html
    assert "Store &lt;visit&gt;" in html
    for n in range(11):
        assert f'value="{n}"' in html


def test_submit_creates_response_and_ticket(nps, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        r = Client(enforce_csrf_checks=False).post(
            f"/s/{nps.token}/",
            {"score": "3", "comment": "Rude <script>x</script>", "customer_email": "a@b.pt"},
        )
    assert r.status_code == 200
    assert "Thank you" in r.content.decode()
    response = Response.objects.get()
    assert response.score == 3 and response.customer_email == "a@b.pt"
    case = Case.objects.get()
    assert case.origin == Origin.SURVEY_RESPONSE
    assert case.customer_comment == "Rude <script>x</script>"


def test_errors_are_shown_and_customer_text_escaped(nps):
    r = Client().post(
        f"/s/{nps.token}/",
        {"score": "12", "comment": "<script>alert(1)</script>", "customer_email": "nope"},
    )
    assert r.status_code == 400
    html = r.content.decode()
    assert "The score must be from 0 to 10" in html
    assert "Not a valid email address" in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert Response.objects.count() == 0


def test_csat_page_and_unknown_token(world):
    csat = survey_create(workspace=world.support, kind="csat", name="After chat")
    html = Client().get(f"/s/{csat.token}/").content.decode()
    assert 'value="5"' in html and 'value="0"' not in html and 'value="6"' not in html
    assert Client().get("/s/not-a-token/").status_code == 404
