"""An alert rule's webhook may not target this machine or a private network: refused when
the rule is saved (400 naming the field, nothing stored) and when the worker delivers
(recorded on the delivery, not retried, nothing sent), including a name that resolves to
such an address only by delivery time (DNS rebinding); CAREDESK_WEBHOOK_ALLOW_PRIVATE lets
an installation allow them."""

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from caredesk.feedback import webhook_target
from caredesk.feedback.models import AlertRule, WebhookDelivery
from caredesk.feedback.services import rule_create

from .test_webhooks import run_scheduled

RULES = "/api/v1/workspaces/support/alert-rules"


class Listener:
    """A local HTTP server recording what reaches it; answers `status` (and a Location)."""

    def __init__(self, status=204, location=None):
        self.calls = []
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers["Content-Length"]))
                listener.calls.append(dict(self.headers))
                self.send_response(status)
                if location:
                    self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_GET = do_POST

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_port
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def listener():
    made = []

    def make(**kwargs):
        made.append(Listener(**kwargs))
        return made[-1]

    yield make
    for item in made:
        item.close()


@pytest.fixture
def dns(monkeypatch):
    """Names resolved by a table the test controls (a list of answers per name, one per
    lookup, the last one repeating); records every lookup."""

    class Fake:
        answers: dict[str, list[str]] = {}
        lookups: list[str] = []

    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host not in Fake.answers:
            return real(host, port, *args, **kwargs)
        Fake.lookups.append(host)
        queue = Fake.answers[host]
        address = queue.pop(0) if len(queue) > 1 else queue[0]
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        return [(family, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(webhook_target.socket, "getaddrinfo", getaddrinfo)
    Fake.answers, Fake.lookups = {}, []
    return Fake


def create(client, url):
    return client.post(
        RULES,
        {"name": "Hook", "criteria": {}, "actions": {"webhook": {"url": url}}},
        content_type="application/json",
    )


@pytest.mark.parametrize(
    "url, why",
    [
        ("http://127.0.0.1:8000/hook", "127.0.0.1 is a loopback address"),
        ("http://127.1.2.3/hook", "127.1.2.3 is a loopback address"),
        ("https://10.0.0.8/hook", "10.0.0.8 is a private address"),
        ("http://172.16.5.4/", "172.16.5.4 is a private address"),
        ("http://192.168.1.1/", "192.168.1.1 is a private address"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
        ("http://0.0.0.0:9/", "0.0.0.0 is an unspecified address"),
        ("http://224.0.0.1/", "224.0.0.1 is a multicast address"),
        ("http://240.0.0.1/", "240.0.0.1 is a reserved address"),
        ("http://100.64.0.1/", "100.64.0.1 is not a public address"),
        ("http://[::1]:8000/", "::1 is a loopback address"),
        ("http://[::]/", ":: is an unspecified address"),
        ("http://[fe80::1]/", "fe80::1 is a link-local address"),
        ("http://[fc00::1]/", "fc00::1 is a private address"),
        ("http://[ff02::1]/", "ff02::1 is a multicast address"),
        ("http://[::ffff:127.0.0.1]/", "::ffff:127.0.0.1 is a loopback address"),
        ("http://[::ffff:a00:1]/", "::ffff:a00:1 is a private address"),
        ("http://[::ffff:169.254.169.254]/", "::ffff:169.254.169.254 is a link-local address"),
        ("http://[64:ff9b::a9fe:a9fe]/", "64:ff9b::a9fe:a9fe is a link-local address"),
        ("http://[2002:7f00:1::]/", "2002:7f00:1:: is a loopback address"),
        ("http://localhost:8000/", "localhost is this machine"),
        ("http://api.localhost/", "api.localhost is this machine"),
    ],
)
def test_saving_an_internal_target_is_refused(world, api_client, url, why):
    before = list(AlertRule.objects.values_list("pk", "actions"))
    r = create(api_client(world.admin), url)
    assert r.status_code == 400
    assert r.json()["errors"] == {"actions.webhook.url": f"Not allowed: {why}."}
    assert list(AlertRule.objects.values_list("pk", "actions")) == before


def test_a_name_resolving_to_an_internal_address_is_refused(world, api_client, dns):
    dns.answers["hooks.example.test"] = ["10.1.2.3"]
    before = AlertRule.objects.count()
    r = create(api_client(world.admin), "https://hooks.example.test/in")
    assert r.status_code == 400
    assert r.json()["errors"] == {
        "actions.webhook.url": "Not allowed: hooks.example.test resolves to 10.1.2.3, "
        "a private address."
    }
    assert AlertRule.objects.count() == before


def test_a_public_target_is_saved(world, api_client, dns):
    dns.answers["hooks.example.test"] = ["93.184.215.14"]
    r = create(api_client(world.admin), "https://hooks.example.test/in")
    assert r.status_code == 201, r.content
    assert r.json()["actions"] == {"webhook": {"url": "https://hooks.example.test/in"}}
    # Public literal addresses too, v4 and v6.
    assert create(api_client(world.admin), "http://93.184.215.15:8080/x").status_code == 201
    assert create(api_client(world.admin), "http://[2001:db8::1]/x").status_code == 400
    assert create(api_client(world.admin), "http://[2606:4700::1]/x").status_code == 201


def test_the_rule_page_refuses_too(world, as_user):
    before = AlertRule.objects.count()
    r = as_user(world.admin).post(
        "/w/support/feedback/rules/new/", {"name": "x", "webhook_url": "http://127.0.0.1/x"}
    )
    assert r.status_code == 400
    assert '<li data-field="actions.webhook.url">' in r.content.decode()
    assert "Not allowed: 127.0.0.1 is a loopback address." in r.content.decode()
    assert AlertRule.objects.count() == before


def test_the_setting_allows_internal_targets(world, api_client, settings):
    settings.CAREDESK_WEBHOOK_ALLOW_PRIVATE = True
    r = create(api_client(world.admin), "http://127.0.0.1:8000/hook")
    assert r.status_code == 201, r.content


def hook_rule(world, url):
    """A rule whose URL is stored as it is (one saved before targets were checked, or by a
    name that resolved to a public address then)."""
    AlertRule.objects.update(is_active=False)
    rule = rule_create(
        workspace=world.support,
        name="Hook",
        criteria={},
        actions={"webhook": {"url": "https://93.184.215.14/placeholder"}},
    )
    AlertRule.objects.filter(pk=rule.pk).update(actions={"webhook": {"url": url}})
    return rule


def test_delivery_to_an_internal_address_is_refused_and_not_retried(
    world, nps, post, listener, django_capture_on_commit_callbacks
):
    hook = listener()
    url = f"http://127.0.0.1:{hook.port}/hook"
    hook_rule(world, url)
    post(nps, {"score": 0, "comment": "secret"})
    assert run_scheduled(django_capture_on_commit_callbacks) == 0
    delivery = WebhookDelivery.objects.get()
    assert (delivery.url, delivery.attempt, delivery.status_code, delivery.succeeded) == (
        url,
        1,
        None,
        False,
    )
    assert delivery.error == (
        "Refused: 127.0.0.1 is a loopback address "
        "(set CAREDESK_WEBHOOK_ALLOW_PRIVATE=1 to allow it)."
    )
    assert delivery.next_at is None
    assert hook.calls == []


def test_dns_rebinding_is_refused_at_delivery(
    world, nps, post, listener, dns, django_capture_on_commit_callbacks
):
    hook = listener()
    # Public when the rule was saved, the local listener by the time the worker delivers.
    dns.answers["rebind.example.test"] = ["93.184.215.14"]
    client_url = f"http://rebind.example.test:{hook.port}/hook"
    from caredesk.feedback.services import rule_create as create_rule

    AlertRule.objects.update(is_active=False)
    create_rule(
        workspace=world.support, name="Hook", criteria={}, actions={"webhook": {"url": client_url}}
    )
    dns.answers["rebind.example.test"] = ["127.0.0.1"]
    post(nps, {"score": 0})
    delivery = WebhookDelivery.objects.get()
    assert delivery.error == (
        "Refused: rebind.example.test resolves to 127.0.0.1, a loopback address "
        "(set CAREDESK_WEBHOOK_ALLOW_PRIVATE=1 to allow it)."
    )
    assert delivery.next_at is None
    assert hook.calls == []


def test_delivery_connects_to_the_address_it_checked(
    world, nps, post, listener, dns, settings, django_capture_on_commit_callbacks
):
    """One lookup per attempt, and the connection goes to its answer: a second lookup
    (which here would answer another address) is never made."""
    settings.CAREDESK_WEBHOOK_ALLOW_PRIVATE = True
    hook = listener()
    dns.answers["hook.example.test"] = ["127.0.0.1", "192.0.2.1"]
    hook_rule(world, f"http://hook.example.test:{hook.port}/hook")
    post(nps, {"score": 0})
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status_code, delivery.succeeded, delivery.error) == (204, True, "")
    assert dns.lookups == ["hook.example.test"]
    assert [c["Host"] for c in hook.calls] == [f"hook.example.test:{hook.port}"]


def test_redirects_are_not_followed(
    world, nps, post, listener, settings, django_capture_on_commit_callbacks
):
    settings.CAREDESK_WEBHOOK_ALLOW_PRIVATE = True
    inside = listener()
    outside = listener(status=302, location=f"http://127.0.0.1:{inside.port}/admin")
    hook_rule(world, f"http://127.0.0.1:{outside.port}/hook")
    post(nps, {"score": 0})
    # A 3xx is a failed attempt like any other: retried, never followed.
    assert run_scheduled(django_capture_on_commit_callbacks) == 4
    rows = list(WebhookDelivery.objects.order_by("attempt"))
    assert [(d.attempt, d.status_code, d.error, d.succeeded) for d in rows] == [
        (n, 302, "HTTP 302", False) for n in range(1, 6)
    ]
    assert len(outside.calls) == 5
    assert inside.calls == []
