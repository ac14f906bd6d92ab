import pytest

from caredesk.care.models import Case
from caredesk.feedback.services import response_submit, survey_create

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def detractor_case(world, django_capture_on_commit_callbacks):
    """A ticket opened by the default NPS detractor rule from a response with a comment,
    transaction data and markup in the customer's words."""
    survey = survey_create(workspace=world.support, kind="nps", name="Store <visit>")
    with django_capture_on_commit_callbacks(execute=True):
        response, _ = response_submit(
            survey=survey,
            score=3,
            comment="Rude staff <script>alert(1)</script>",
            customer_email="ana@example.com",
            segment_id=world.lisbon.pk,
            transaction_data={"order_id": "A-1001", "channel": "store <b>"},
        )
    case = Case.objects.get(rule_sources__response=response)
    return case, response
