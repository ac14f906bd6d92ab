"""Creating surveys (API), and the public page: custom questions, languages."""

import pytest
from django.test import Client

from caredesk.feedback.models import Question, Response, Survey, SurveyTranslation


def test_create_custom_survey_through_the_api(world, api_client):
    r = api_client(world.admin).post(
        "/api/v1/workspaces/support/surveys",
        {
            "kind": "custom",
            "name": "Onboarding",
            "default_language": "pt",
            "questions": [
                {
                    "key": "ease",
                    "kind": "rating",
                    "label": "Fácil?",
                    "scale_min": 0,
                    "scale_max": 10,
                },
                {"key": "via", "kind": "single", "label": "Como?", "options": ["app", "web"]},
            ],
            "translations": {"en": {"title": "Onboarding", "labels": {"ease": "Easy?"}}},
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["languages"] == ["pt", "en"]
    assert [q["key"] for q in body["questions"]] == ["ease", "via"]
    assert body["questions"][1]["options"] == [
        {"value": "app", "label": "app"},
        {"value": "web", "label": "web"},
    ]
    listed = api_client(world.agent).get("/api/v1/workspaces/support/surveys").json()
    assert [s["name"] for s in listed] == ["Onboarding"]


@pytest.mark.parametrize(
    "body, field",
    [
        ({"kind": "poll", "name": "x"}, "kind"),
        ({"kind": "nps", "name": " "}, "name"),
        ({"kind": "custom", "name": "x"}, "questions"),
        (
            {
                "kind": "custom",
                "name": "x",
                "questions": [{"key": "A B", "kind": "text", "label": "l"}],
            },
            "questions.0.key",
        ),
        (
            {
                "kind": "custom",
                "name": "x",
                "questions": [{"key": "a", "kind": "video", "label": "l"}],
            },
            "questions.0.kind",
        ),
        (
            {
                "kind": "custom",
                "name": "x",
                "questions": [{"key": "a", "kind": "text", "label": ""}],
            },
            "questions.0.label",
        ),
        (
            {
                "kind": "custom",
                "name": "x",
                "questions": [{"key": "a", "kind": "single", "label": "l", "options": ["x"]}],
            },
            "questions.0.options",
        ),
        (
            {
                "kind": "custom",
                "name": "x",
                "questions": [
                    {"key": "a", "kind": "rating", "label": "l", "scale_min": 3, "scale_max": 2}
                ],
            },
            "questions.0.scale_max",
        ),
        ({"kind": "nps", "name": "x", "default_language": "english"}, "default_language"),
        ({"kind": "nps", "name": "x", "translations": {"en": {"title": "t"}}}, "translations.en"),
        ({"kind": "nps", "name": "x", "send_on_case_resolve": True}, "send_on_case_resolve"),
    ],
)
def test_bad_survey_is_refused(world, api_client, body, field):
    r = api_client(world.admin).post(
        "/api/v1/workspaces/support/surveys", body, content_type="application/json"
    )
    assert r.status_code == 400, r.content
    assert field in r.json()["errors"]
    assert Survey.objects.count() == Question.objects.count() == 0


def test_only_one_survey_sent_on_resolve(world, api_client):
    client = api_client(world.admin)
    body = {"kind": "csat", "name": "After", "send_on_case_resolve": True}
    url = "/api/v1/workspaces/support/surveys"
    assert client.post(url, body, content_type="application/json").status_code == 201
    r = client.post(url, body, content_type="application/json")
    assert r.status_code == 400 and "send_on_case_resolve" in r.json()["errors"]


def test_creating_surveys_needs_manage_care(world, api_client):
    r = api_client(world.manager).post(
        "/api/v1/workspaces/support/surveys",
        {"kind": "nps", "name": "x"},
        content_type="application/json",
    )
    assert r.status_code == 403
    assert Survey.objects.count() == 0


# --------------------------------------------------------------------------- public page


def test_custom_page_in_default_language(custom):
    html = Client().get(f"/s/{custom.token}/").content.decode()
    assert '<html lang="en">' in html
    assert "<h1>Delivery</h1>" in html
    assert "Main reason" in html and "(required)" in html
    assert 'name="q_extras" value="app"' in html and 'type="checkbox"' in html
    assert 'name="score"' not in html


@pytest.mark.parametrize(
    "query, accept, lang",
    [
        ("?lang=pt", "", "pt-br"),
        ("", "pt-BR,pt;q=0.9,en;q=0.5", "pt-br"),
        ("", "bg,en;q=0.5", "bg"),
        ("?lang=de", "it", "it"),
        ("?lang=de", "de", "en"),
    ],
)
def test_language_from_query_or_accept_language(custom, query, accept, lang):
    html = Client().get(f"/s/{custom.token}/{query}", HTTP_ACCEPT_LANGUAGE=accept).content
    html = html.decode()
    assert f'<html lang="{lang}">' in html
    if lang == "pt-br":
        # Translated texts; a label without translation falls back to the default.
        assert "<h1>Entrega</h1>" in html and "Rapidez" in html and "Preço" in html
        assert "Main reason" in html and ">Enviar</button>" in html
        assert "(obrigatória)" in html
    if lang == "bg":
        # No Bulgarian texts for this survey: its own (English), in a Bulgarian page.
        assert "<h1>Delivery</h1>" in html and ">Изпрати</button>" in html


def test_submit_custom_page(custom, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        r = Client().post(
            f"/s/{custom.token}/?lang=pt",
            {
                "q_speed": "2",
                "q_reason": "price",
                "q_extras": ["web", "app"],
                "q_other": "<b>hi</b>",
            },
        )
    assert r.status_code == 200
    assert "Obrigado pela resposta" in r.content.decode()
    response = Response.objects.get()
    assert response.answers == {
        "speed": 2,
        "reason": "price",
        "extras": ["app", "web"],
        "other": "<b>hi</b>",
    }
    assert response.language == "pt-br"


def test_custom_page_errors_per_question_and_nothing_stored(custom):
    r = Client().post(f"/s/{custom.token}/", {"q_speed": "9", "q_other": "<script>x</script>"})
    assert r.status_code == 400
    html = r.content.decode()
    assert "The rating must be from 1 to 5." in html
    assert "An answer is required." in html
    assert "<script>x</script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
    assert Response.objects.count() == 0


def test_nps_page_in_portuguese(world, nps):
    SurveyTranslation.objects.create(survey=nps, language="pt", title="Visita à loja")
    html = Client().get(f"/s/{nps.token}/", HTTP_ACCEPT_LANGUAGE="pt-PT").content.decode()
    assert "Visita à loja" in html
    assert "Qual a probabilidade de você nos recomendar a um amigo ou colega?" in html
