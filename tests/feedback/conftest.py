import pytest

from caredesk.care.models import Case
from caredesk.feedback.models import AlertRuleCase, AlertRuleHit, Response
from caredesk.feedback.services import survey_create


@pytest.fixture
def nps(world):
    return survey_create(workspace=world.support, kind="nps", name="Store visit")


@pytest.fixture
def custom(world):
    return survey_create(
        workspace=world.support,
        kind="custom",
        name="Delivery",
        questions=[
            {"key": "speed", "kind": "rating", "label": "Speed", "scale_min": 1, "scale_max": 5},
            {
                "key": "reason",
                "kind": "single",
                "label": "Main reason",
                "required": True,
                "options": [
                    {"value": "price", "label": "Price"},
                    {"value": "staff", "label": "Staff"},
                ],
            },
            {
                "key": "extras",
                "kind": "multiple",
                "label": "What did you use?",
                "options": ["app", "web", "store"],
            },
            {"key": "other", "kind": "text", "label": "Anything else?"},
        ],
        translations={
            "pt": {
                "title": "Entrega",
                "labels": {"speed": "Rapidez", "reason.price": "Preço"},
                "thank_you": "Obrigado pela resposta",
            }
        },
    )


@pytest.fixture
def post(world, api_client, django_capture_on_commit_callbacks):
    """POST to the survey API as an integration; the rule task (huey immediate) runs on
    commit."""
    client = api_client(world.admin)

    def send(survey, body, *, client=client, workspace="support", bulk=False):
        url = f"/api/v1/workspaces/{workspace}/surveys/{survey.pk}/responses"
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                url + ("/bulk" if bulk else ""), body, content_type="application/json"
            )

    return send


def stored():
    return (
        Response.objects.count(),
        Case.objects.count(),
        AlertRuleCase.objects.count(),
        AlertRuleHit.objects.count(),
    )
