"""Every Feedback page and Settings → Surveys in each language: status 200, the language's
words (none of the English ones), dates in the language's format."""

import datetime as dt

import pytest

from caredesk.feedback.models import AlertRule, Response
from caredesk.workspaces.models import User

ENGLISH = (
    "Survey responses",
    "Alert rules",
    "Every survey",
    "All responses",
    "Save survey",
    "Save rule",
    "New survey",
    "Customer comment",
    "When all of these match",
    "create a ticket",
    "Public page",
)
WORDS = {
    "pt-br": ("Pesquisas", "Alertas de ação", "05/12/2026 09:48"),
    "it": ("Sondaggi", "Regole di avviso", "05/12/2026 09:48"),
    "bg": ("Анкети", "Правила за сигнал", "05.12.2026 09:48"),
}


@pytest.mark.parametrize("language", ["pt-br", "it", "bg"])
def test_feedback_pages_speak_the_users_language(world, nps, post, as_user, language):
    world.support.enabled_tabs = ["home", "tickets", "feedback"]
    world.support.save()
    post(nps, {"score": 3, "comment": "Lento", "segment": world.store2.pk})
    response = Response.objects.get()
    Response.objects.filter(pk=response.pk).update(
        responded_at=dt.datetime(2026, 12, 5, 9, 48, tzinfo=dt.UTC)
    )
    rule = AlertRule.objects.get()
    User.objects.filter(pk=world.admin.pk).update(language=language)
    client = as_user(world.admin)
    surveys, rules, date = WORDS[language]
    W = "/w/support"
    pages = [
        f"{W}/feedback/responses/",
        f"{W}/feedback/responses/{response.pk}/",
        f"{W}/feedback/surveys/",
        f"{W}/feedback/surveys/{nps.pk}/",
        f"{W}/feedback/rules/",
        f"{W}/feedback/rules/{rule.pk}/",
        f"{W}/feedback/rules/{rule.pk}/edit/",
        f"{W}/feedback/rules/new/",
        f"{W}/settings/surveys/",
        f"{W}/settings/surveys/new/",
        f"{W}/settings/surveys/{nps.pk}/",
    ]
    for url in pages:
        r = client.get(url)
        html = r.content.decode()
        assert r.status_code == 200, url
        assert f'<html lang="{language}"' in html, url
        for english in ENGLISH:
            assert english not in html, (url, english)
    html = client.get(f"{W}/feedback/responses/").content.decode()
    assert date in html and surveys in html and rules in html
    assert date in client.get(f"{W}/feedback/responses/{response.pk}/").content.decode()
