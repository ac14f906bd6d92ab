"""The Desk's pages in each language (issue 12): the desk, the customer panel of a chat and of
a call, the supervisor view and Settings → Queues and skills answer 200 in pt-BR, it and bg,
with the words of the glossary and the locale's date format, and no English left of the
strings checked."""

import pytest

from caredesk.customers.services import contact_create
from caredesk.voice import services as voice
from caredesk.workspaces.models import User
from tests.journey.conftest import start_chat

WORDS = {
    # language: (desk, chat panel, call panel, supervisor view, queue settings, date format)
    "pt-br": (
        ["Conversas em andamento", "Meus tickets abertos", "Carga", "Encerrar conversa"],
        ["Resumo da conversa", "Em andamento", "Vincular a um ticket existente", "Novo ticket"],
        ["Detalhes da chamada", "Tickets recentes", "Abrir jornada do cliente"],
        ["Painel do supervisor", "Filas", "Agentes"],
        ["Filas e habilidades", "Adicionar fila", "Capacidade"],
        r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}",
    ),
    "it": (
        ["Conversazioni in corso", "I miei ticket aperti", "Carico", "Termina conversazione"],
        ["Riepilogo della conversazione", "In corso", "Collega a un ticket esistente"],
        ["Dettagli della chiamata", "Ticket recenti", "Apri percorso del cliente"],
        ["Pannello supervisore", "Code", "Operatori"],
        ["Code e competenze", "Aggiungi coda", "Capacità"],
        r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}",
    ),
    "bg": (
        ["Текущи разговори", "Моите отворени заявки", "Натоварване", "Приключи разговора"],
        ["Обобщение на разговора", "Текущ", "Свържи със съществуваща заявка", "Нова заявка"],
        ["Подробности за обаждането", "Последни заявки", "Отвори пътешествието на клиента"],
        ["Табло на супервайзъра", "Опашки", "Агенти"],
        ["Опашки и умения", "Добави опашка", "Капацитет"],
        r"\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}",
    ),
}
ENGLISH = [
    "Tasks in progress",
    "Conversations in progress",
    "My open tickets",
    "End conversation",
    "Conversation summary",
    "Link to an existing ticket",
    "Call details",
    "Recent tickets",
    "Supervisor view",
    "Queues and skills",
    "Add queue",
    "Start time",
]


@pytest.mark.parametrize("lang", ["pt-br", "it", "bg"])
def test_the_desk_pages_speak_the_users_language(world, as_user, lang):
    import re

    desk_words, chat_words, call_words, sup_words, settings_words, date = WORDS[lang]
    User.objects.filter(pk__in=[world.agent.pk, world.admin.pk]).update(language=lang)
    chat = start_chat(world, pre_chat={"name": "Rita", "topic": "Billing"})
    contact_create(organization=world.org, name="Rita Lopes", phones=["+351912345678"])
    call = voice.call_event_record(
        workspace=world.support,
        call_id="c-1",
        event="answered",
        caller="+351 912 345 678",
        queue="Billing",
        agent="agent",
    ).activity
    agent, admin = as_user(world.agent), as_user(world.admin)
    pages = [
        (agent.get("/w/support/desk/"), desk_words),
        (agent.get(f"/w/support/desk/conversations/{chat.public_token}/summary/"), chat_words),
        (agent.get(f"/w/support/desk/calls/{call.pk}/summary/"), call_words),
        (admin.get("/w/support/desk/supervisor/"), sup_words),
        (admin.get("/w/support/settings/queues/"), settings_words),
    ]
    for response, words in pages:
        assert response.status_code == 200
        html = response.content.decode()
        for word in words:
            assert word in html, (response.request["PATH_INFO"], word)
        for english in ENGLISH:
            assert f">{english}<" not in html, (response.request["PATH_INFO"], english)
    # Dates and times in the locale's one format (the chat's start, the call's answer).
    assert re.search(date, pages[1][0].content.decode())
    assert re.search(date, pages[2][0].content.decode())
