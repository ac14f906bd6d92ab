"""The chat widget in the customer's language (docs/i18n.md): `?lang=`, else what we know of
the customer (`known`, remembered by the widget from their chat or customer record), else
their browser's, else the workspace's; the workspace's texts per language and the built-in
ones translated; the scripts' catalogue as JSON for the widget on other sites; the language
of a chat remembered on it and given to its customer record."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from caredesk.asgi import application
from caredesk.customers.models import Contact
from caredesk.journey import services as journey
from caredesk.routing.models import Conversation
from caredesk.webchat import services
from caredesk.workspaces.access import get_access
from caredesk.workspaces.models import Workspace
from tests.waiting import WAIT, close, receive

SURVEY = [
    {
        "key": "name",
        "label": "Your name",
        "type": "text",
        "required": True,
    },
    {
        "key": "order",
        "label": "Order number",
        "labels": {"it": "Numero d'ordine", "pt-br": "Número do pedido"},
        "type": "text",
        "required": True,
    },
]


def config(client, query="", **headers):
    r = client.get(f"/chat/acme.support/config.json{query}", **headers)
    assert r.status_code == 200
    return r.json()


def _texts(body):
    return body["language"], body["title"], body["greeting"], [f["label"] for f in body["fields"]]


@pytest.mark.django_db
def test_built_in_texts_speak_the_customers_language(world, client):
    assert _texts(config(client, "?lang=it")) == (
        "it",
        "Chatta con noi",
        "Ciao! Come possiamo aiutarti oggi?",
        ["Il tuo nome", "Email"],
    )
    assert _texts(config(client, "?lang=pt-BR")) == (
        "pt-br",
        "Converse conosco",
        "Olá! Como podemos ajudar você hoje?",
        ["Seu nome", "E-mail"],
    )
    bg = config(client, "?lang=bg")
    assert _texts(bg) == (
        "bg",
        "Пишете ни в чата",
        "Здравейте! С какво можем да помогнем днес?",
        ["Вашето име", "Имейл"],
    )
    assert (bg["catalogue"], bg["time_zone"]) == ("/jsi18n/bg/json/", "UTC")


@pytest.mark.django_db
def test_the_workspaces_own_texts_per_language_fall_back_to_its_default(world, client):
    services.widget_settings_set(
        workspace=world.support,
        title="Acme help",
        greeting="Hello there",
        texts={"it": {"title": "Aiuto Acme", "greeting": ""}, "bg": {"greeting": "Здравейте"}},
        pre_chat_fields=SURVEY,
    )
    assert _texts(config(client, "?lang=it")) == (
        "it",
        "Aiuto Acme",
        "Hello there",  # no Italian greeting: the workspace's own default, not a built-in
        ["Il tuo nome", "Numero d'ordine"],
    )
    assert _texts(config(client, "?lang=bg")) == (
        "bg",
        "Acme help",
        "Здравейте",
        ["Вашето име", "Order number"],
    )
    assert _texts(config(client)) == (
        "en",
        "Acme help",
        "Hello there",
        ["Your name", "Order number"],
    )


@pytest.mark.django_db
def test_which_language_lang_then_known_then_browser_then_workspace(world, client):
    Workspace.objects.filter(pk=world.support.pk).update(language="bg")
    italian_browser = {"HTTP_ACCEPT_LANGUAGE": "it-IT,it;q=0.9,en;q=0.5"}
    assert config(client, "?lang=pt&known=bg", **italian_browser)["language"] == "pt-br"
    assert config(client, "?known=pt-br", **italian_browser)["language"] == "pt-br"
    assert config(client, "?lang=xx&known=zz", **italian_browser)["language"] == "it"
    assert config(client, "", HTTP_ACCEPT_LANGUAGE="fr-FR,de;q=0.5")["language"] == "bg"
    assert config(client, "")["language"] == "bg"


@pytest.mark.django_db
def test_the_catalogue_as_json_for_any_site(client):
    r = client.get("/jsi18n/it/json/", HTTP_ORIGIN="https://shop.example")
    assert r.status_code == 200
    assert r["Content-Type"] == "application/json"
    assert r["Access-Control-Allow-Origin"] == "*"
    assert r["Cache-Control"] == "public, max-age=3600"
    body = r.json()
    assert body["catalog"]["Start chat"] == "Avvia la chat"
    assert body["catalog"]["Waiting for an agent…"] == "In attesa di un operatore…"
    assert body["plural"] == "(n != 1)"
    assert client.get("/jsi18n/pt-br/json/").json()["plural"] == "(n > 1)"
    assert client.get("/jsi18n/xx/json/").json()["catalog"] == {}  # English, the source


@pytest.mark.django_db
def test_the_chat_page_and_its_noscript_are_in_the_customers_language(world, client):
    html = client.get("/chat/acme.support/?lang=bg").content.decode()
    assert '<html lang="bg">' in html
    assert "<title>Пишете ни в чата · Support</title>" in html
    assert "Чатът изисква JavaScript. Моля, включете го и презаредете страницата." in html
    html = client.get("/chat/acme.support/", HTTP_ACCEPT_LANGUAGE="it").content.decode()
    assert '<html lang="it">' in html


@pytest.mark.django_db
def test_the_demo_page_embeds_the_widget_with_its_snippet(world, client):
    r = client.get("/chat/acme.support/demo/?lang=it")
    assert r.status_code == 200
    html = r.content.decode()
    nonce = r["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert (
        f'<script nonce="{nonce}" src="/static/caredesk/widget.js" '
        'data-workspace="acme.support" async></script>'
    ) in html
    assert '<html lang="it">' in html
    assert "<h1>Una pagina di esempio del tuo sito</h1>" in html
    assert '<a href="?lang=bg" lang="bg">Български</a>' in html
    services.widget_settings_set(workspace=world.support, enabled=False)
    assert client.get("/chat/acme.support/demo/").status_code == 404
    assert client.get("/chat/acme.nope/demo/").status_code == 404


# --- the chat socket: the language of a chat ---------------------------------------------


async def _chat(accept_language: bytes = b""):
    headers = [(b"origin", b"https://shop.example"), (b"host", b"127.0.0.1:8000")]
    if accept_language:
        headers.append((b"accept-language", accept_language))
    comm = WebsocketCommunicator(application, "/ws/v1/chat/acme.support/", headers=headers)
    connected, _ = await comm.connect(timeout=WAIT)
    assert connected
    await receive(comm, "hello")
    return comm


@pytest.mark.django_db(transaction=True)
async def test_a_chat_remembers_its_language_and_speaks_it_in_errors(world):
    await sync_to_async(services.widget_settings_set)(
        workspace=world.support, pre_chat_fields=SURVEY
    )
    comm = await _chat()
    await comm.send_json_to({"type": "start", "pre_chat": {"name": " "}, "language": "it"})
    assert await receive(comm, "error") == {
        "type": "error",
        "field": "pre_chat.name",
        "message": "Il tuo nome: campo obbligatorio.",
    }
    await comm.send_json_to(
        {"type": "start", "pre_chat": {"name": "Rita", "order": "A-1"}, "language": "it"}
    )
    started = await receive(comm, "started")
    assert started["language"] == "it"
    await close(comm)

    # A language we do not speak, or none: the browser's, else the workspace's.
    comm = await _chat(b"bg-BG,bg;q=0.9")
    await comm.send_json_to(
        {"type": "start", "pre_chat": {"name": "Ivan", "order": "B-2"}, "language": "xx"}
    )
    assert (await receive(comm, "started"))["language"] == "bg"
    await close(comm)
    comm = await _chat()
    await comm.send_json_to({"type": "start", "pre_chat": {"name": "Ann", "order": "C-3"}})
    assert (await receive(comm, "started"))["language"] == "en"
    await close(comm)

    languages = await sync_to_async(
        lambda: list(Conversation.objects.order_by("id").values_list("language", flat=True))
    )()
    assert languages == ["it", "bg", "en"]


@pytest.mark.django_db(transaction=True)
async def test_linking_the_chat_gives_its_language_to_a_customer_without_one(world):
    await sync_to_async(services.widget_settings_set)(workspace=world.support, pre_chat_fields=[])
    comm = await _chat()
    await comm.send_json_to({"type": "start", "pre_chat": {}, "language": "pt-br"})
    token = (await receive(comm, "started"))["conversation"]

    def link():
        conversation = Conversation.objects.get(public_token=token)
        rita = Contact.objects.create(organization=world.org, name="Rita")
        ivan = Contact.objects.create(organization=world.org, name="Ivan", language="bg")
        access = get_access(world.admin, "support")
        journey.conversation_set_contact(access=access, conversation=conversation, contact=rita)
        rita.refresh_from_db()
        # A customer who has a language keeps it.
        journey.conversation_set_contact(access=access, conversation=conversation, contact=ivan)
        ivan.refresh_from_db()
        return rita.language, ivan.language

    assert await sync_to_async(link)() == ("pt-br", "bg")

    # Resuming, the widget is told the customer's language now: their record's.
    await comm.send_json_to({"type": "resume", "conversation": token})
    assert (await receive(comm, "history"))["language"] == "bg"
    await close(comm)
