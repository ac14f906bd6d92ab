"""Settings → Surveys (manage_care): list, create, change a survey and its translations through
the same services as the API; refusals; bad input shown next to its field, nothing changed."""

import re

from django.test import Client

from caredesk.feedback.models import AlertRule, Question, Survey, SurveyTranslation
from caredesk.feedback.services import survey_create

BASE = "/w/support/settings/surveys/"


def form(**fields) -> dict:
    """The form as a browser sends it: two question rows and every language's fields."""
    data = {
        "rows": "2",
        "kind": "custom",
        "name": "Delivery",
        "intro": "",
        "thank_you": "",
        "default_language": "en",
        "is_active": "1",
        "q0_key": "speed",
        "q0_kind": "rating",
        "q0_label": "How fast was it?",
        "q0_scale_min": "1",
        "q0_scale_max": "5",
        "q0_options": "",
        "q1_key": "reason",
        "q1_kind": "single",
        "q1_label": "Main reason",
        "q1_required": "1",
        "q1_scale_min": "1",
        "q1_scale_max": "5",
        "q1_options": "price = Price\nstaff = Staff",
    }
    for code in ("en", "pt-br", "it", "bg"):
        for name in ("title", "intro", "thank_you", "q0_label", "q0_options", "q1_label"):
            data[f"t_{code}_{name}"] = ""
        data[f"t_{code}_q1_options"] = ""
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


def test_create_a_survey_with_questions_and_translations(world, as_user):
    client = as_user(world.admin)
    page = client.get(BASE).content.decode()
    assert f'href="{BASE}"' in page and 'id="new-survey"' in page
    assert client.get(BASE + "new/").status_code == 200
    r = client.post(
        BASE + "new/",
        form(
            **{
                "t_pt-br_title": "Entrega",
                "t_pt-br_q0_label": "Quão rápido foi?",
                "t_pt-br_q1_label": "Motivo principal",
                "t_pt-br_q1_options": "Preço\nEquipe",
                "t_bg_q1_options": "\nПерсонал",
            }
        ),
    )
    assert r.status_code == 302 and r["Location"] == BASE
    survey = Survey.objects.get()
    assert (survey.kind, survey.name, survey.is_active) == ("custom", "Delivery", True)
    assert [
        (q.key, q.kind, q.required, q.scale_min, q.scale_max, q.options)
        for q in survey.questions.all()
    ] == [
        ("speed", "rating", False, 1, 5, []),
        (
            "reason",
            "single",
            True,
            1,
            5,
            [{"value": "price", "label": "Price"}, {"value": "staff", "label": "Staff"}],
        ),
    ]
    tr = {t.language: (t.title, t.labels) for t in SurveyTranslation.objects.all()}
    assert tr == {
        "pt-br": (
            "Entrega",
            {
                "speed": "Quão rápido foi?",
                "reason": "Motivo principal",
                "reason.price": "Preço",
                "reason.staff": "Equipe",
            },
        ),
        "bg": ("", {"reason.staff": "Персонал"}),
    }
    html = Client().get(f"/s/{survey.token}/?lang=pt").content.decode()
    assert "<h1>Entrega</h1>" in html and "Quão rápido foi?" in html and "Equipe" in html
    listing = client.get(BASE).content.decode()
    assert f'id="survey-{survey.pk}"' in listing
    assert "English, Português (Brasil), Български" in listing


def test_edit_a_survey_keeps_its_kind_and_replaces_questions(world, as_user):
    survey = survey_create(
        workspace=world.support,
        kind="nps",
        name="Store visit",
        translations={"it": {"title": "Visita al negozio"}},
    )
    client = as_user(world.admin)
    html = client.get(f"{BASE}{survey.pk}/").content.decode()
    assert 'value="Store visit"' in html and 'value="Visita al negozio"' in html
    r = client.post(
        f"{BASE}{survey.pk}/",
        form(
            kind="custom",  # ignored: the kind of a survey stays
            name="Store visit 2",
            is_active=None,
            q1_key="",
            q1_label="",
            q1_options="",
            **{"t_it_title": "Visita 2", "t_it_q0_label": "Quanto veloce?"},
        ),
    )
    assert r.status_code == 302
    survey.refresh_from_db()
    assert (survey.kind, survey.name, survey.is_active) == ("nps", "Store visit 2", False)
    assert list(survey.questions.values_list("key", flat=True)) == ["speed"]
    assert {t.language: (t.title, t.labels) for t in survey.translations.all()} == {
        "it": ("Visita 2", {"speed": "Quanto veloce?"})
    }
    assert Client().get(f"/s/{survey.token}/").status_code == 404  # switched off


def test_bad_input_is_shown_next_to_its_field_and_nothing_changes(world, as_user):
    survey = survey_create(workspace=world.support, kind="csat", name="After")
    client = as_user(world.admin)
    r = client.post(
        f"{BASE}{survey.pk}/",
        form(name="  ", q0_key="Bad Key!", q1_options="only-one", **{"t_pt-br_title": "X"}),
    )
    assert r.status_code == 400
    html = r.content.decode()
    assert '<span class="error" id="err-name">A survey needs a name.</span>' in html
    assert (
        '<span class="error" id="err-q0-key">A key of a-z, 0-9, _ or - (not score/comment).</span>'
        in html
    )
    assert 'name="q0_key" value="Bad Key!"' in html and 'aria-invalid="true"' in html
    assert 'value="X"' in html  # what was typed is kept
    survey.refresh_from_db()
    assert survey.name == "After"
    assert Question.objects.count() == SurveyTranslation.objects.count() == 0
    # The same in Portuguese for a Portuguese admin.
    world.admin.language = "pt-br"
    world.admin.save(update_fields=["language"])
    html = client.post(BASE + "new/", form(name="")).content.decode()
    assert '<span class="error" id="err-name">Uma pesquisa precisa de um nome.</span>' in html
    assert Survey.objects.count() == 1


def test_a_choice_with_one_option_is_refused_on_its_row(world, as_user):
    r = as_user(world.admin).post(BASE + "new/", form(q1_options="price"))
    assert r.status_code == 400
    assert re.search(
        r'<span class="error" id="err-q1-options">A choice needs at least two options.</span>',
        r.content.decode(),
    )
    assert Survey.objects.count() == 0 and AlertRule.objects.count() == 0


def test_only_manage_care_may_see_or_change_surveys(world, as_user):
    survey = survey_create(workspace=world.support, kind="nps", name="Store visit")
    for user in (world.manager, world.agent, world.coach):
        client = as_user(user)
        assert client.get(BASE).status_code == 403
        assert client.get(BASE + "new/").status_code == 403
        assert client.post(BASE + "new/", form()).status_code == 403
        assert client.post(f"{BASE}{survey.pk}/", form(name="Taken")).status_code == 403
    assert Survey.objects.count() == 1 and Survey.objects.get().name == "Store visit"
    # Another organization's admin: their own "support" workspace, not our survey.
    outsider = as_user(world.outsider)
    assert outsider.post(f"{BASE}{survey.pk}/", form(name="Taken")).status_code == 404
    assert Survey.objects.get().name == "Store visit"


def test_the_segment_of_a_survey(world, as_user):
    survey = survey_create(workspace=world.support, kind="nps", name="Store visit")
    client = as_user(world.admin)
    assert (
        f'<option value="{world.lisbon.pk}"' in client.get(f"{BASE}{survey.pk}/").content.decode()
    )
    r = client.post(f"{BASE}{survey.pk}/", form(segment=str(world.lisbon.pk)))
    assert r.status_code == 302
    survey.refresh_from_db()
    assert survey.segment_id == world.lisbon.pk
    r = client.post(f"{BASE}{survey.pk}/", form(name="Other", segment="999999"))
    assert r.status_code == 400
    assert '<span class="error" id="err-segment">No such segment.</span>' in r.content.decode()
    survey.refresh_from_db()
    assert (survey.name, survey.segment_id) == ("Delivery", world.lisbon.pk)
