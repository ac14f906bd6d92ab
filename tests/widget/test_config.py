"""The widget's public endpoints: /chat/<key>/config.json (any origin may read it) and the
standalone chat page, with their 404s; and the per-workspace settings service."""

import pytest

from caredesk.core.errors import FieldErrors
from caredesk.routing import services as routing
from caredesk.webchat import services
from caredesk.webchat.models import WidgetSettings
from caredesk.workspaces import services as ws

pytestmark = pytest.mark.django_db

SURVEY = [
    {"key": "name", "label": "Your name", "type": "text", "required": True},
    {"key": "email", "label": "Email", "type": "email", "required": True},
    {"key": "topic", "label": "Topic", "type": "select"},
    {"key": "order", "label": "Order number", "type": "text", "required": False},
]


def test_config_of_a_workspace_with_the_defaults(world, client):
    r = client.get("/chat/acme.support/config.json", HTTP_ORIGIN="https://shop.example")
    assert r.status_code == 200
    assert r["Access-Control-Allow-Origin"] == "*"
    assert r["Content-Type"] == "application/json"
    assert r.json() == {
        "version": 1,
        "workspace": "acme.support",
        "language": "en",
        "catalogue": "/jsi18n/en/json/",
        "time_zone": "UTC",
        "title": "Chat with us",
        "greeting": "Hi! How can we help you today?",
        "fields": [
            {"key": "name", "label": "Your name", "type": "text", "required": False},
            {"key": "email", "label": "Email", "type": "email", "required": False},
        ],
        "socket": "/ws/v1/chat/acme.support/",
        "help": "/help/acme.support/search.json",
    }
    # Reading the defaults writes nothing.
    assert WidgetSettings.objects.count() == 0


def test_config_with_a_survey_whose_topic_offers_the_queues(world, client):
    routing.queue_create(workspace=world.support, name="Billing")
    routing.queue_create(workspace=world.support, name="Returns")
    routing.queue_create(workspace=world.sales, name="Quotes")  # another workspace's
    services.widget_settings_set(
        workspace=world.support, title="Acme help", greeting="<b>Hello</b>", pre_chat_fields=SURVEY
    )
    body = client.get("/chat/acme.support/config.json").json()
    assert (body["title"], body["greeting"]) == ("Acme help", "<b>Hello</b>")
    assert body["fields"] == [
        {"key": "name", "label": "Your name", "type": "text", "required": True},
        {"key": "email", "label": "Email", "type": "email", "required": True},
        {
            "key": "topic",
            "label": "Topic",
            "type": "select",
            "required": False,
            "options": ["Billing", "Returns"],
        },
        {"key": "order", "label": "Order number", "type": "text", "required": False},
    ]


def test_config_by_bare_workspace_slug_only_when_unique(world, client):
    # "sales" exists only in acme; "support" exists in acme and in other: ambiguous.
    r = client.get("/chat/sales/config.json")
    assert r.status_code == 200 and r.json()["workspace"] == "acme.sales"
    r = client.get("/chat/support/config.json")
    assert r.status_code == 404
    assert r.json() == {"detail": "No chat widget here."}
    assert r["Access-Control-Allow-Origin"] == "*"
    assert client.get("/chat/other.support/config.json").json()["workspace"] == "other.support"


@pytest.mark.parametrize(
    "key", ["nope.support", "acme.nope", "acme.", ".support", "nope", "acme.support.x"]
)
def test_config_of_an_unknown_workspace_is_404(world, client, key):
    r = client.get(f"/chat/{key}/config.json")
    assert r.status_code == 404
    assert r.json() == {"detail": "No chat widget here."}


def test_disabled_widget_is_404_for_config_and_page(world, client):
    services.widget_settings_set(workspace=world.support, enabled=False)
    assert client.get("/chat/acme.support/config.json").status_code == 404
    assert client.get("/chat/acme.support/").status_code == 404
    # The other workspace of the organization keeps its widget.
    assert client.get("/chat/acme.sales/config.json").status_code == 200


def test_config_is_read_only(world, client):
    r = client.post("/chat/acme.support/config.json", {})
    assert r.status_code == 405
    assert WidgetSettings.objects.count() == 0


def test_chat_page_renders_the_widget_in_page_mode(world, client):
    services.widget_settings_set(workspace=world.support, title="Acme <help>")
    r = client.get("/chat/acme.support/")
    assert r.status_code == 200
    html = r.content.decode()
    assert '<main id="caredesk-chat"></main>' in html
    # The script carries the page's CSP nonce, which the widget gives its stylesheet.
    nonce = r["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert (
        f'<script nonce="{nonce}" src="/static/caredesk/widget.js" data-workspace="acme.support" '
        'data-mode="page" data-container="caredesk-chat"></script>'
    ) in html
    assert "<title>Acme &lt;help&gt; · Support</title>" in html
    assert 'name="viewport" content="width=device-width, initial-scale=1' in html
    assert "X-Frame-Options" not in r  # a site may show the page in an iframe
    # The bare slug works when it is unique, and names the workspace in full for the widget.
    r = client.get("/chat/sales/")
    assert r.status_code == 200 and 'data-workspace="acme.sales"' in r.content.decode()


@pytest.mark.parametrize("key", ["support", "acme.nope", "nope.support"])
def test_chat_page_of_unknown_or_ambiguous_workspace_is_404(world, client, key):
    assert client.get(f"/chat/{key}/").status_code == 404


def test_widget_script_is_served(world, client):
    r = client.get("/static/caredesk/widget.js")
    assert r.status_code == 200
    body = b"".join(r.streaming_content) if r.streaming else r.content
    assert b"window.caredesk = api;" in body


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 101}, "title"),
        ({"greeting": "x" * 501}, "greeting"),
        ({"enabled": "yes"}, "enabled"),
        ({"pre_chat_fields": {"key": "name"}}, "pre_chat_fields"),
        ({"pre_chat_fields": [{"key": "Name", "label": "Name"}]}, "pre_chat_fields"),
        ({"pre_chat_fields": [{"key": "a", "label": ""}]}, "pre_chat_fields"),
        ({"pre_chat_fields": [{"key": "a", "label": "A", "type": "date"}]}, "pre_chat_fields"),
        ({"pre_chat_fields": [{"key": "a", "label": "A", "type": "select"}]}, "pre_chat_fields"),
        (
            {"pre_chat_fields": [{"key": "a", "label": "A"}, {"key": "a", "label": "B"}]},
            "pre_chat_fields",
        ),
        (
            {"pre_chat_fields": [{"key": "a", "label": "A", "type": "select", "options": [3]}]},
            "pre_chat_fields",
        ),
        (
            {"pre_chat_fields": [{"key": f"k{i}", "label": "K"} for i in range(11)]},
            "pre_chat_fields",
        ),
    ],
)
def test_bad_settings_are_refused_and_change_nothing(world, kwargs, field):
    services.widget_settings_set(workspace=world.support, title="Before")
    with pytest.raises(FieldErrors) as exc:
        services.widget_settings_set(workspace=world.support, **kwargs)
    assert list(exc.value.errors) == [field]
    saved = WidgetSettings.objects.get(workspace=world.support)
    assert (saved.title, saved.enabled) == ("Before", True)
    assert saved.pre_chat_fields == WidgetSettings().pre_chat_fields


def test_settings_are_per_workspace(world, client):
    other = ws.workspace_create(organization=world.org, slug="retail", name="Retail")
    services.widget_settings_set(workspace=other, pre_chat_fields=[])
    assert client.get("/chat/acme.retail/config.json").json()["fields"] == []
    assert len(client.get("/chat/acme.support/config.json").json()["fields"]) == 2
