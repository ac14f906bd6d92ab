"""Content-Security-Policy on every page (and the chat page's own), HSTS over HTTPS, and the
HTTPS settings taken from the environment."""

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, override_settings

from caredesk.feedback.services import survey_create

TEMPLATES = Path(__file__).resolve().parents[2] / "caredesk" / "templates"

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'self'",
}


def policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


def test_pages_carry_the_policy(world, as_user):
    nps = survey_create(workspace=world.support, kind="nps", name="Visit")
    admin = as_user(world.admin)
    for client, url in [
        (Client(), "/login/"),
        (Client(), f"/s/{nps.token}/"),
        (admin, "/w/support/"),
        (admin, "/w/support/tickets/"),
        (admin, "/w/support/settings/queues/"),
        (admin, "/w/support/feedback/rules/new/"),
        (admin, "/w/support/desk/"),
    ]:
        r = client.get(url)
        assert r.status_code == 200, url
        assert policy(r) == POLICY, url
        assert r["X-Frame-Options"] == "DENY", url
        assert r["X-Content-Type-Options"] == "nosniff", url
    # An API answer carries it too (it costs nothing and covers a JSON opened as a page).
    r = admin.get("/api/v1/workspaces/support/tickets")
    assert r.status_code == 200
    assert policy(r) == POLICY


def test_the_chat_page_may_be_framed_by_any_site_and_styles_with_its_nonce(world):
    r = Client().get("/chat/acme.support/")
    assert r.status_code == 200
    got = policy(r)
    nonce = re.search(r'<script nonce="([^"]+)" src="/static/caredesk/widget\.js', r.text)[1]
    assert got == {
        **POLICY,
        "frame-ancestors": "*",
        "script-src": f"'self' 'nonce-{nonce}'",
        "style-src": f"'self' 'nonce-{nonce}'",
    }
    assert "X-Frame-Options" not in r
    # A fresh nonce per page.
    again = Client().get("/chat/acme.support/")
    assert f"'nonce-{nonce}'" not in again["Content-Security-Policy"]


def test_templates_have_no_inline_code_or_style_the_policy_would_block():
    """What CSP refuses without a nonce: inline event handlers, style="" attributes,
    <style> and <script> blocks. Pages say it in static files and data attributes."""
    offences = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        if path.name == "email.html":
            # An email's HTML is read by mail clients, never served under the policy, and
            # most of them honour only inline styles.
            continue
        text = path.read_text()
        for pattern in (
            r"\son[a-z]+\s*=",
            r"\sstyle\s*=",
            r"<style(?![^>]*\bnonce=)",
            r"<script(?![^>]*\b(?:src|nonce)=)",
            r"javascript:",
        ):
            offences += [
                f"{path.relative_to(TEMPLATES)}: {m[0]}" for m in re.finditer(pattern, text)
            ]
    assert offences == []


def test_hsts_only_over_https(world):
    with override_settings(SECURE_HSTS_SECONDS=31536000):
        plain = Client().get("/login/")
        assert "Strict-Transport-Security" not in plain
        secure = Client().get("/login/", secure=True)
        assert secure["Strict-Transport-Security"] == "max-age=31536000"


@override_settings(
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
    SECURE_SSL_REDIRECT=True,
    SESSION_COOKIE_SECURE=True,
    CSRF_COOKIE_SECURE=True,
    SECURE_HSTS_SECONDS=600,
)
def test_behind_a_tls_proxy_http_is_redirected_and_cookies_are_secure(world):
    r = Client().get("/login/?next=/w/support/")
    assert r.status_code == 301
    assert r["Location"] == "https://testserver/login/?next=/w/support/"
    c = Client()
    r = c.get("/login/", HTTP_X_FORWARDED_PROTO="https")
    assert r.status_code == 200
    assert r["Strict-Transport-Security"] == "max-age=600"
    assert r.cookies["csrftoken"]["secure"] is True
    r = c.post(
        "/login/",
        {"username": "agent", "password": "pw-12345678"},
        HTTP_X_FORWARDED_PROTO="https",
    )
    assert r.status_code == 302
    assert r.cookies["sessionid"]["secure"] is True
    assert r.cookies["sessionid"]["httponly"] is True


def settings_under(env: dict) -> dict:
    """caredesk.settings imported in a fresh interpreter with this environment."""
    code = (
        "import json, caredesk.settings as s; print(json.dumps({k: getattr(s, k, None) for k in"
        " ['SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_SSL_REDIRECT',"
        " 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_PROXY_SSL_HEADER',"
        " 'CSRF_TRUSTED_ORIGINS', 'CAREDESK_TRUSTED_PROXY', 'CAREDESK_WEBHOOK_ALLOW_PRIVATE']}))"
    )
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CAREDESK_", "SECURE_", "CSRF_")) and k != "DJANGO_SETTINGS_MODULE"
    }
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**base, "SECRET_KEY": "x", "CAREDESK_VAR_DIR": base.get("TMPDIR", "/tmp"), **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


@pytest.mark.parametrize(
    "env, expected",
    [
        (
            {},
            {
                "SESSION_COOKIE_SECURE": False,
                "CSRF_COOKIE_SECURE": False,
                "SECURE_SSL_REDIRECT": False,
                "SECURE_HSTS_SECONDS": 0,
                "SECURE_HSTS_INCLUDE_SUBDOMAINS": False,
                "SECURE_PROXY_SSL_HEADER": None,
                "CSRF_TRUSTED_ORIGINS": [],
                "CAREDESK_TRUSTED_PROXY": "",
                "CAREDESK_WEBHOOK_ALLOW_PRIVATE": False,
            },
        ),
        (
            {
                "CAREDESK_HTTPS": "1",
                "CAREDESK_TRUSTED_PROXY": "10.0.0.5, 10.0.0.6",
                "CSRF_TRUSTED_ORIGINS": "https://care.example.com",
                "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
            },
            {
                "SESSION_COOKIE_SECURE": True,
                "CSRF_COOKIE_SECURE": True,
                "SECURE_SSL_REDIRECT": True,
                "SECURE_HSTS_SECONDS": 31536000,
                "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
                "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
                "CSRF_TRUSTED_ORIGINS": ["https://care.example.com"],
                "CAREDESK_TRUSTED_PROXY": "10.0.0.5,10.0.0.6",
                "CAREDESK_WEBHOOK_ALLOW_PRIVATE": False,
            },
        ),
        (
            {"CAREDESK_HTTPS": "1", "SECURE_HSTS_SECONDS": "3600", "CAREDESK_NO_SSL_REDIRECT": "1"},
            {
                "SESSION_COOKIE_SECURE": True,
                "CSRF_COOKIE_SECURE": True,
                "SECURE_SSL_REDIRECT": False,
                "SECURE_HSTS_SECONDS": 3600,
                "SECURE_HSTS_INCLUDE_SUBDOMAINS": False,
                "SECURE_PROXY_SSL_HEADER": None,
                "CSRF_TRUSTED_ORIGINS": [],
                "CAREDESK_TRUSTED_PROXY": "",
                "CAREDESK_WEBHOOK_ALLOW_PRIVATE": False,
            },
        ),
    ],
)
def test_https_settings_from_the_environment(env, expected):
    assert settings_under(env) == expected


@pytest.mark.parametrize(
    "proxy, expected",
    [("", []), ("10.0.0.5,10.0.1.0/24", ["--forwarded-allow-ips", "10.0.0.5,10.0.1.0/24"])],
)
def test_serve_trusts_forwarded_headers_only_from_the_named_proxy(
    monkeypatch, settings, proxy, expected
):
    """uvicorn takes the client's address and scheme from X-Forwarded-For/-Proto only from
    the addresses given to --forwarded-allow-ips (by default 127.0.0.1 alone)."""
    from django.core.management import call_command

    from caredesk.core.management.commands import serve

    started = []

    class Child:
        returncode = 0

        def __init__(self, args, env):
            started.append(args)

        def poll(self):
            return 0

        def wait(self, timeout=None):
            return 0

    monkeypatch.setattr(serve.subprocess, "Popen", Child)
    monkeypatch.setattr(serve.signal, "signal", lambda *a: None)
    settings.CAREDESK_TRUSTED_PROXY = proxy
    call_command("serve", "--no-worker", stdout=io.StringIO())
    [uvicorn] = started
    assert uvicorn[:4] == [sys.executable, "-m", "uvicorn", "caredesk.asgi:application"]
    if expected:
        at = uvicorn.index("--forwarded-allow-ips")
        assert uvicorn[at : at + 2] == expected
    else:
        assert "--forwarded-allow-ips" not in uvicorn
