"""Settings → Chat widget (manage_care): the page, its refusals, bad input shown with nothing
changed, and a saved change reaching the widget's public config."""

import re

import pytest
from pytest_django.asserts import assertInHTML

from caredesk.webchat import services
from caredesk.webchat.models import WidgetSettings

pytestmark = pytest.mark.django_db

URL = "/w/support/settings/chat-widget/"
LANGS = ("en", "pt_br", "it", "bg")


def post_data(*, title="Chat with us", greeting="Hi!", enabled=True, texts=None, fields=()):
    """The form as the page sends it: the widget's texts and one formset row per field, plus
    the blank row of a new field."""
    data = {"title": title, "greeting": greeting}
    if enabled:
        data["enabled"] = "on"
    for lang in LANGS:
        data[f"title_{lang}"] = (texts or {}).get(lang, {}).get("title", "")
        data[f"greeting_{lang}"] = (texts or {}).get(lang, {}).get("greeting", "")
    rows = [*fields, {}]
    data.update(
        {
            "f-TOTAL_FORMS": str(len(rows)),
            "f-INITIAL_FORMS": str(len(fields)),
            "f-MIN_NUM_FORMS": "0",
            "f-MAX_NUM_FORMS": "10",
        }
    )
    for n, row in enumerate(rows):
        data[f"f-{n}-key"] = row.get("key", "")
        data[f"f-{n}-label"] = row.get("label", "")
        data[f"f-{n}-type"] = row.get("type", "text")
        data[f"f-{n}-options"] = row.get("options", "")
        if row.get("required"):
            data[f"f-{n}-required"] = "on"
        if row.get("delete"):
            data[f"f-{n}-DELETE"] = "on"
        for lang in LANGS:
            data[f"f-{n}-label_{lang}"] = row.get("labels", {}).get(lang, "")
    return data


def _state():
    return list(
        WidgetSettings.objects.values_list(
            "enabled", "title", "greeting", "texts", "pre_chat_fields"
        )
    )


def test_without_manage_care_the_page_and_its_saving_are_refused(world, as_user, client):
    for user in (world.agent, world.coach, world.manager):
        c = as_user(user)
        assert c.get(URL).status_code == 403
        assert c.post(URL, post_data(title="Hacked")).status_code == 403
    # Another organization's admin changes their own "support", never Acme's.
    assert as_user(world.outsider).post(URL, post_data(title="Theirs")).status_code == 302
    assert client.get("/chat/other.support/config.json").json()["title"] == "Theirs"
    assert client.get(URL).status_code == 302  # to the log-in
    assert client.post(URL, post_data(title="Hacked")).status_code == 302
    assert not WidgetSettings.objects.filter(workspace=world.support).exists()
    assert client.get("/chat/acme.support/config.json").json()["title"] == "Chat with us"


def test_the_page_shows_the_settings_the_snippet_and_the_demo(world, as_user):
    services.widget_settings_set(
        workspace=world.support,
        title="Acme help",
        texts={"it": {"title": "Aiuto Acme"}},
        pre_chat_fields=[
            {
                "key": "topic",
                "label": "Topic",
                "labels": {"it": "Argomento"},
                "type": "select",
                "required": True,
            }
        ],
    )
    r = as_user(world.admin).get(URL)
    assert r.status_code == 200
    html = r.content.decode()
    assert '<a href="/w/support/settings/chat-widget/" class="active" aria-current="page">' in html
    assert (
        "&lt;script src=&quot;http://testserver/static/caredesk/widget.js&quot; "
        "data-workspace=&quot;acme.support&quot; async&gt;&lt;/script&gt;</textarea>"
    ) in html
    assert 'href="/chat/acme.support/demo/"' in html
    assert 'href="/chat/acme.support/demo/?lang=it"' in html
    assertInHTML(
        '<input type="text" name="title" value="Acme help" maxlength="100" required id="id_title">',
        html,
    )
    assertInHTML(
        '<input type="text" name="title_it" value="Aiuto Acme" maxlength="100" id="id_title_it">',
        html,
    )
    assertInHTML(
        '<input type="text" name="f-0-label_it" value="Argomento" maxlength="100"'
        ' id="id_f-0-label_it">',
        html,
    )
    assertInHTML('<input type="checkbox" name="enabled" id="id_enabled" checked>', html)
    # The sections of Settings list it.
    nav = re.search(r'<nav class="side-nav"[^>]*>(.*?)</nav>', html, re.S).group(1)
    assert "Chat widget" in nav
    settings_html = as_user(world.admin).get("/w/support/settings/").content.decode()
    assert 'href="/w/support/settings/chat-widget/"' in settings_html


def test_the_page_in_italian(world, as_user):
    html = as_user(world.admin).get(URL, HTTP_ACCEPT_LANGUAGE="it").content.decode()
    assert "<h1>Widget della chat</h1>" in html
    assert "Provalo su una pagina demo" in html
    assert '<label for="id_title_it">Titolo in Italiano' in html


@pytest.mark.parametrize(
    "change, message",
    [
        ({"title": ""}, "This field is required."),
        ({"title": "x" * 101}, "Ensure this value has at most 100 characters (it has 101)."),
        (
            {"fields": [{"key": "Order No", "label": "Order"}]},
            "Field 1: the key is 1 to 40 lower-case letters, digits or _, starting with a letter.",
        ),
        (
            {"fields": [{"key": "size", "label": "Size", "type": "select"}]},
            "Field size: a list needs options (only topic offers the queues by itself).",
        ),
        (
            {"fields": [{"key": "a", "label": "A"}, {"key": "a", "label": "B"}]},
            "Field 2: the key a is used twice.",
        ),
        ({"fields": [{"key": "order", "label": ""}]}, "Field order: the label is text of 1"),
    ],
)
def test_bad_input_is_shown_and_nothing_changes(world, as_user, client, change, message):
    services.widget_settings_set(workspace=world.support, title="Before")
    before = _state()
    data = post_data(
        title=change.get("title", "After"),
        texts={"it": {"title": "Dopo"}},
        fields=change.get("fields", ()),
    )
    r = as_user(world.admin).post(URL, data)
    assert r.status_code == 400
    html = r.content.decode()
    assert "Nothing was saved: correct what is marked below." in html
    assert message in html
    assert _state() == before
    assert client.get("/chat/acme.support/config.json?lang=it").json()["title"] == "Before"


def test_a_saved_change_reaches_the_widgets_config(world, as_user, client):
    c = as_user(world.admin)
    data = post_data(
        title="  Acme help ",
        greeting="Hello!",
        texts={"it": {"title": "Aiuto Acme", "greeting": "Ciao!"}, "bg": {"title": "Помощ"}},
        fields=[
            {"key": "name", "label": "Your name", "required": True},
            {"key": "email", "label": "Email", "type": "email", "delete": True},
            {
                "key": "topic",
                "label": "Topic",
                "type": "select",
                "options": "Billing\n\n Returns \n",
                "labels": {"it": "Argomento"},
            },
        ],
    )
    r = c.post(URL, data)
    assert (r.status_code, r["Location"]) == (302, URL)
    assert '<div class="msg success">Chat widget saved.</div>' in c.get(URL).content.decode()

    it = client.get("/chat/acme.support/config.json?lang=it").json()
    assert (it["title"], it["greeting"]) == ("Aiuto Acme", "Ciao!")
    assert it["fields"] == [
        {"key": "name", "label": "Il tuo nome", "type": "text", "required": True},
        {
            "key": "topic",
            "label": "Argomento",
            "type": "select",
            "required": False,
            "options": ["Billing", "Returns"],
        },
    ]
    bg = client.get("/chat/acme.support/config.json?lang=bg").json()
    assert (bg["title"], bg["greeting"]) == ("Помощ", "Hello!")
    en = client.get("/chat/acme.support/config.json").json()
    assert (en["title"], [f["label"] for f in en["fields"]]) == (
        "Acme help",
        ["Your name", "Topic"],
    )

    # Turned off: the widget's config and pages answer 404; on again, they are back.
    off = post_data(title="Acme help", enabled=False)
    assert c.post(URL, off).status_code == 302
    assert client.get("/chat/acme.support/config.json").status_code == 404
    assert client.get("/chat/acme.support/").status_code == 404
    assert c.post(URL, post_data(title="Acme help")).status_code == 302
    assert client.get("/chat/acme.support/config.json").json()["fields"] == []
