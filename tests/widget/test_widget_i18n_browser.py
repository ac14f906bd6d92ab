"""The chat widget in the customer's language, by keyboard, in Chromium: an Italian customer
(browser locale it-IT) on a site that embeds the widget opens it from the keyboard, fills the
pre-chat form, chats with an agent and closes it, everything in Italian, times as HH:MM in the
workspace's zone; `?lang=it` on the chat page wins over an English browser (and is remembered
without it); the same widget in English; axe-core on the open panel.
Screenshots: test-artifacts/widget-i18n-*.png."""

import re
from zoneinfo import ZoneInfo

from caredesk.routing.models import Conversation, Message
from caredesk.webchat import services
from caredesk.workspaces.models import Workspace
from tests.browser import accessibility_problems, marks, page_errors, screenshots

from .test_widget_browser import Desk, agent, widget

pytestmark = marks
shot = screenshots("widget-i18n-")

FIELDS = [
    {"key": "name", "label": "Your name", "type": "text", "required": True},
    {"key": "email", "label": "Email", "type": "email", "required": True},
    {
        "key": "topic",
        "label": "Topic",
        "labels": {"it": "Argomento", "pt-br": "Assunto", "bg": "Тема"},
        "type": "select",
        "options": ["Ordini", "Resi"],
    },
]

SHOP = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Negozio Acme</title></head>
<body><h1>Il tuo carrello</h1><p>2 articoli</p><a href="#checkout">Checkout</a>
<script src="%(server)s/static/caredesk/widget.js" data-workspace="acme.support" async></script>
</body></html>
"""


def setup(world):
    Workspace.objects.filter(pk=world.support.pk).update(time_zone="Europe/Rome")
    services.widget_settings_set(workspace=world.support, pre_chat_fields=FIELDS)


def active_in_widget(page) -> str:
    """The aria-label, id or text of the element focused inside the widget's shadow root."""
    return page.evaluate(
        """() => {
          const a = document.querySelector('[data-caredesk-widget]').shadowRoot.activeElement;
          return a ? (a.getAttribute('aria-label') || a.id || a.textContent) : '';
        }"""
    )


def test_an_italian_customer_chats_in_italian_by_keyboard(world, asgi_server, other_site, browser):
    from playwright.sync_api import expect

    setup(world)
    ana = agent(world)
    other_site.pages["/cart"] = SHOP % {"server": asgi_server.url}
    context = browser.new_context(locale="it-IT", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    errors = page_errors(page)
    page.goto(f"{other_site.url}/cart")

    launcher = page.get_by_role("button", name="Apri la chat: Chatta con noi")
    expect(launcher).to_be_visible()
    expect(launcher).to_have_attribute("aria-expanded", "false")
    # The keyboard: Tab past the page's link to the launcher, Enter opens the panel and puts
    # the focus in the form's first field.
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert active_in_widget(page) == "Apri la chat: Chatta con noi"
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Chatta con noi")
    expect(dialog).to_be_visible()
    expect(launcher).to_have_attribute("aria-expanded", "true")
    assert active_in_widget(page) == "cdw-name"
    expect(widget(page, ".root")).to_have_attribute("lang", "it")
    expect(widget(page, ".greeting")).to_have_text("Ciao! Come possiamo aiutarti oggi?")
    expect(widget(page, "label[for=cdw-name]")).to_have_text("Il tuo nome *")
    expect(widget(page, "label[for=cdw-email]")).to_have_text("Email *")
    expect(widget(page, "label[for=cdw-topic]")).to_have_text("Argomento (facoltativo)")
    expect(widget(page, "#cdw-topic option").first).to_have_text("Scegli…")

    # Tab and Shift+Tab stay inside the open panel.
    page.keyboard.press("Shift+Tab")
    assert active_in_widget(page) == "Chiudi la chat"
    page.keyboard.press("Shift+Tab")
    assert active_in_widget(page) == "Avvia la chat"
    page.keyboard.press("Tab")
    assert active_in_widget(page) == "Chiudi la chat"
    page.keyboard.press("Tab")
    assert active_in_widget(page) == "cdw-name"
    assert accessibility_problems(page) == []
    shot(page, "it-form")

    # The form's errors, the browser's and the server's, in Italian.
    page.get_by_role("button", name="Avvia la chat").click()
    expect(widget(page, "#cdw-name-err")).to_have_text("Il tuo nome: campo obbligatorio.")
    expect(widget(page, "#cdw-email-err")).to_have_text("Email: campo obbligatorio.")
    page.get_by_label("Il tuo nome").fill("Giulia Romano")
    page.get_by_label("Email").fill("giulia@example")
    page.get_by_label("Argomento").select_option("Resi")
    page.get_by_role("button", name="Avvia la chat").click()
    expect(widget(page, "#cdw-email-err")).to_have_text(
        "Email: inserisci un indirizzo email valido."
    )
    assert Conversation.objects.count() == 0
    shot(page, "it-form-errors")
    page.get_by_label("Email").fill("giulia@example.com")
    page.get_by_role("button", name="Avvia la chat").click()
    expect(widget(page, ".status")).to_have_text("In attesa di un operatore…")
    conv = Conversation.objects.get()
    assert (conv.language, conv.pre_chat["topic"]) == ("it", "Resi")

    desk = Desk(asgi_server, ana)
    desk.send(type="presence", presence="available")
    desk.send(type="accept", offer=desk.recv("offer", conversation=conv.public_token)["offer"])
    desk.recv("accepted")
    expect(widget(page, ".status")).to_have_text("Stai chattando con Ana Silva")
    expect(page.get_by_role("button", name="Termina la chat")).to_be_visible()

    box = page.get_by_label("Messaggio")
    expect(box).to_have_attribute("placeholder", "Scrivi il tuo messaggio…")
    box.fill("Vorrei restituire le scarpe.")
    box.press("Enter")
    mine = widget(page, ".msg.me")
    expect(mine).to_have_attribute("data-state", "sent")
    stored = Message.objects.get(sender="customer")
    hhmm = stored.created_at.astimezone(ZoneInfo("Europe/Rome")).strftime("%H:%M")
    expect(mine.locator(".meta")).to_have_text(f"{hhmm} · Inviato")
    assert re.fullmatch(r"\d\d:\d\d", hhmm)
    assert desk.recv("message")["body"] == "Vorrei restituire le scarpe."

    desk.send(type="typing", conversation=conv.public_token, typing=True)
    expect(widget(page, ".typing")).to_have_text("Ana Silva sta scrivendo…")
    desk.send(type="message", conversation=conv.public_token, client_id="a-1", body="Certo!")
    expect(widget(page, ".msg.them .bubble")).to_have_text("Certo!")
    desk.send(type="read", conversation=conv.public_token, up_to=stored.pk)
    expect(mine.locator(".meta")).to_have_text(f"{hhmm} · Letto")
    assert accessibility_problems(page) == []
    shot(page, "it-chat")

    # Escape closes the panel and gives the focus back to the launcher.
    box.press("Escape")
    expect(dialog).to_be_hidden()
    assert active_in_widget(page) == "Apri la chat: Chatta con noi"
    expect(launcher).to_have_attribute("aria-expanded", "false")

    # The close button does the same; and a reload keeps the language the chat began in.
    page.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    page.get_by_role("button", name="Chiudi la chat").click()
    expect(dialog).to_be_hidden()
    assert active_in_widget(page) == "Apri la chat: Chatta con noi"
    expect(page.get_by_role("button", name="Termina la chat")).to_be_hidden()
    desk.close()
    assert errors == []
    context.close()


def test_lang_in_the_address_wins_over_an_english_browser(world, asgi_server, browser):
    from playwright.sync_api import expect

    setup(world)
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    errors = page_errors(page)
    page.goto(f"{asgi_server.url}/chat/acme.support/?lang=it")
    expect(page.get_by_role("heading", name="Chatta con noi")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "it")
    expect(page.get_by_role("button", name="Avvia la chat")).to_be_visible()
    page.get_by_label("Il tuo nome").fill("Marco")
    page.get_by_label("Email").fill("marco@example.com")
    page.get_by_role("button", name="Avvia la chat").click()
    expect(widget(page, ".status")).to_have_text("In attesa di un operatore…")
    page.get_by_label("Messaggio").fill("Buongiorno")
    page.get_by_label("Messaggio").press("Enter")
    expect(widget(page, ".msg.me .meta")).to_contain_text("Inviato")
    assert Conversation.objects.get().language == "it"
    assert accessibility_problems(page) == []
    shot(page, "it-page")
    # Without ?lang= now, the widget remembers the language of the customer's chat (the
    # server told it: `started`), over the English browser.
    page.goto(f"{asgi_server.url}/chat/acme.support/")
    expect(page.get_by_role("heading", name="Chatta con noi")).to_be_visible()
    expect(widget(page, ".status")).to_have_text("In attesa di un operatore…")
    expect(widget(page, ".msg.me .bubble")).to_have_text("Buongiorno")
    assert errors == []
    context.close()


def test_the_same_widget_in_english(world, asgi_server, other_site, browser):
    from playwright.sync_api import expect

    setup(world)
    other_site.pages["/cart"] = SHOP % {"server": asgi_server.url}
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    errors = page_errors(page)
    page.goto(f"{other_site.url}/cart")
    page.get_by_role("button", name="Open chat: Chat with us").click()
    expect(page.get_by_role("dialog", name="Chat with us")).to_be_visible()
    expect(widget(page, "label[for=cdw-name]")).to_have_text("Your name *")
    expect(widget(page, "label[for=cdw-topic]")).to_have_text("Topic (optional)")
    assert accessibility_problems(page) == []
    shot(page, "en-form")
    page.get_by_label("Your name").fill("Grace")
    page.get_by_label("Email").fill("grace@example.com")
    page.get_by_role("button", name="Start chat").click()
    expect(widget(page, ".status")).to_have_text("Waiting for an agent…")
    page.get_by_label("Message").fill("Hello")
    page.get_by_label("Message").press("Enter")
    expect(widget(page, ".msg.me .meta")).to_contain_text("Sent")
    assert Conversation.objects.get().language == "en"
    shot(page, "en-chat")
    assert errors == []
    context.close()
