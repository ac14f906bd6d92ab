"""The customer's side speaks the customer's language (docs/i18n.md): the survey page, its
thanks page and the invitation email use ?lang=, else what we know of the customer (their
customer record's language), else their browser's, else the workspace's; the survey's own
texts come from its translation in that language, else its defaults."""

import re

import pytest
from django.core import mail
from django.test import Client

from caredesk import events
from caredesk.customers.models import Contact, ContactEmail
from caredesk.feedback.models import Invitation, Response, SurveyTranslation
from caredesk.feedback.services import survey_create
from caredesk.workspaces.models import Workspace


@pytest.fixture
def csat(world):
    survey = survey_create(
        workspace=world.support,
        kind="csat",
        name="How did we do?",
        send_on_case_resolve=True,
        questions=[
            {
                "key": "reason",
                "kind": "single",
                "label": "Main reason",
                "options": [
                    {"value": "speed", "label": "Speed"},
                    {"value": "kindness", "label": "Kindness"},
                ],
            }
        ],
        translations={
            "it": {
                "title": "Come siamo andati?",
                "labels": {"reason": "Motivo principale", "reason.speed": "Rapidità"},
            },
            "pt-BR": {"title": "Como nos saímos?", "thank_you": "Valeu pela resposta!"},
        },
    )
    return survey


def customer(world, email, language):
    contact = Contact.objects.create(organization=world.org, name="Ana", language=language)
    ContactEmail.objects.create(organization=world.org, contact=contact, email=email)
    return contact


def invite(world, csat, capture, *, email="ana@x.pt", language=""):
    contact = customer(world, email, language)
    case = world.make_case(world.support, segment=world.store2, customer_email=email)
    case.contact = contact
    case.save(update_fields=["contact"])
    with capture(execute=True):
        events.emit(
            events.CaseResolved(workspace=case.workspace_id, case=case.pk, actor=None).about(case)
        )
    return Invitation.objects.get(case=case)


def page(survey, invitation=None, query="", accept=""):
    params = [f"i={invitation.token}"] if invitation else []
    if query:
        params.append(query)
    url = f"/s/{survey.token}/" + ("?" + "&".join(params) if params else "")
    return Client().get(url, HTTP_ACCEPT_LANGUAGE=accept).content.decode()


def test_the_customers_own_language_beats_their_browser(
    world, csat, django_capture_on_commit_callbacks
):
    invitation = invite(world, csat, django_capture_on_commit_callbacks, language="it")
    html = page(csat, invitation, accept="bg,en;q=0.5")
    assert '<html lang="it">' in html
    assert "<h1>Come siamo andati?</h1>" in html
    assert "<legend>Quanto è soddisfatto?</legend>" in html
    assert "Molto insoddisfatto" in html and "Molto soddisfatto" in html
    # The question and one option translated; the other option falls back to the default.
    assert "Motivo principale" in html and "Rapidità" in html and "Kindness" in html
    assert ">Invia</button>" in html


def test_lang_in_the_address_beats_what_we_know(world, csat, django_capture_on_commit_callbacks):
    invitation = invite(world, csat, django_capture_on_commit_callbacks, language="it")
    html = page(csat, invitation, query="lang=pt", accept="bg")
    assert '<html lang="pt-br">' in html
    assert "<h1>Como nos saímos?</h1>" in html
    assert "<legend>Qual é o seu nível de satisfação?</legend>" in html


def test_the_browser_then_the_workspace(world, csat):
    assert '<html lang="bg">' in page(csat, accept="bg,en;q=0.5")
    assert "<legend>Колко сте доволни?</legend>" in page(csat, accept="bg")
    Workspace.objects.filter(pk=world.support.pk).update(language="it")
    html = page(csat, accept="de-DE,de;q=0.9")
    assert '<html lang="it">' in html and "<h1>Come siamo andati?</h1>" in html
    Workspace.objects.filter(pk=world.support.pk).update(language="en")
    html = page(csat)
    assert '<html lang="en">' in html and "<legend>How satisfied are you?</legend>" in html


def test_answers_errors_and_thanks_in_portuguese(world, csat):
    client = Client(HTTP_ACCEPT_LANGUAGE="pt-BR")
    r = client.post(f"/s/{csat.token}/", {"score": "9"})
    assert r.status_code == 400
    html = r.content.decode()
    assert "A nota deve ser de 1 a 5." in html
    assert Response.objects.count() == 0
    r = client.post(f"/s/{csat.token}/", {"score": "4", "q_reason": "speed"})
    assert r.status_code == 200
    html = r.content.decode()
    assert "<h1>Obrigado!</h1>" in html and "Valeu pela resposta!" in html
    assert Response.objects.get().language == "pt-br"


def test_invitation_email_in_the_customers_language(
    world, csat, django_capture_on_commit_callbacks
):
    invitation = invite(world, csat, django_capture_on_commit_callbacks, language="it")
    [message] = mail.outbox
    assert message.subject == "Come siamo andati?"
    case = invitation.case
    assert message.body.startswith("Buongiorno,\n\nVorremmo sapere come abbiamo gestito")
    assert f"il suo ticket n. {case.number}. Basta un clic:" in message.body
    assert re.search(rf"/s/{csat.token}/\?i={invitation.token}\n\nGrazie\.$", message.body)


def test_invitation_email_without_a_known_language_takes_the_workspaces(
    world, csat, django_capture_on_commit_callbacks
):
    Workspace.objects.filter(pk=world.support.pk).update(language="bg")
    invite(world, csat, django_capture_on_commit_callbacks, language="")
    [message] = mail.outbox
    # No Bulgarian texts in the survey: its own title, the email's words in Bulgarian.
    assert message.subject == "How did we do?"
    assert message.body.startswith("Здравейте,\n\nБихме искали да знаем как се справихме")


def test_an_answered_invitation_keeps_the_language_it_was_answered_in(
    world, csat, django_capture_on_commit_callbacks
):
    invitation = invite(world, csat, django_capture_on_commit_callbacks, language="it")
    r = Client().post(f"/s/{csat.token}/?i={invitation.token}&lang=bg", {"score": "5"})
    assert r.status_code == 200 and "<h1>Благодарим!</h1>" in r.content.decode()
    assert Response.objects.get().language == "bg"
    # Opened again later, without ?lang=: the language of the answer, not the record's.
    r = Client().get(f"/s/{csat.token}/?i={invitation.token}")
    assert r.status_code == 409
    assert "Тази анкета вече е попълнена. Благодарим!" in r.content.decode()


def test_a_survey_whose_texts_are_in_portuguese(world):
    survey = survey_create(
        workspace=world.support, kind="nps", name="Visita à loja", default_language="pt"
    )
    SurveyTranslation.objects.create(survey=survey, language="en", title="Store visit")
    assert "<h1>Visita à loja</h1>" in page(survey, accept="pt-BR")
    assert "<h1>Store visit</h1>" in page(survey, accept="en")
