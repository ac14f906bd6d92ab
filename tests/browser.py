"""What the browser tests share: Chromium under Playwright (Debian's, at /usr/bin/chromium),
screenshots in test-artifacts/, a user logged in for a browser context, page errors, and an
in-process ASGI server. The `browser` and `asgi_server` fixtures built on these are in
tests/conftest.py; a browser test module sets `pytestmark = marks`."""

import asyncio
import json
import shutil
import socket
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import OperationalError, connection, connections
from django.test import Client

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
NO_CHROMIUM = f"Chromium is not installed at {CHROMIUM}"
# How long Playwright's `expect` waits for what must show: 15 s, not its default 5 s. Other
# work may share the machine's two cores (CI beside other jobs, load average 6-8), where a
# page, a websocket round trip and a database write can take seconds; `expect` returns as soon
# as the condition holds, so a generous bound costs nothing.
EXPECT_TIMEOUT_MS = 15_000

marks = [
    pytest.mark.browser,
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason=NO_CHROMIUM),
]


def allow_sync_orm(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the test
    # itself (fixtures, checks) are still synchronous and safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@contextmanager
def chromium():
    """A headless Chromium. On the way out, besides closing it, the database connections of
    this thread are closed: ORM calls made while Playwright's sync API runs get their own
    connection (its greenlet has its own context), and PostgreSQL refuses to drop the test
    database at the end of the session while one is open."""
    if not shutil.which(CHROMIUM):
        pytest.skip(NO_CHROMIUM)
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="the playwright package is not installed"
    )
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        sync_api.expect.set_options(timeout=EXPECT_TIMEOUT_MS)
        try:
            yield b
        finally:
            sync_api.expect.set_options(timeout=5_000)  # Playwright's default
            b.close()
            connections.close_all()


def screenshots(prefix, *, full_page=False):
    """`shot(page_or_locator, name)`, which saves test-artifacts/{prefix}{name}.png (a prefix
    may name a folder: "feedback/")."""

    def shot(target, name):
        path = ARTIFACTS / f"{prefix}{name}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        target.screenshot(path=str(path), **({"full_page": True} if full_page else {}))

    return shot


def session_cookie(user) -> str:
    """The session cookie's value of `user`, logged in with the test Client."""
    c = Client()
    for attempt in range(50):
        try:
            c.force_login(user)
            break
        except OperationalError:
            # SQLite's shared in-memory test database locks whole tables, without waiting,
            # while a server thread writes (e.g. the widget's navigation).
            if attempt == 49:
                raise
            time.sleep(0.1)
    return c.cookies[settings.SESSION_COOKIE_NAME].value


def logged_in_page(browser, user, url, **context_options):
    """A page of a new browser context that carries `user`'s session for the site at `url`."""
    context = browser.new_context(**context_options)
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session_cookie(user), "url": url}]
    )
    return context.new_page()


def page_errors(page, errors=None) -> list:
    """The list that collects the page's uncaught errors (`errors` when given, so that several
    pages can share one)."""
    errors = [] if errors is None else errors
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


class Socket:
    """A JSON websocket client of the server at `url` (http://…), on `path`, as the widget's
    and the desk's scripts are; past the server's hello."""

    def __init__(self, url, path, **connect_options):
        from websockets.sync.client import connect

        self.ws = connect(url.replace("http", "ws", 1) + path, origin=url, **connect_options)
        self.recv("hello")

    def send(self, **message):
        self.ws.send(json.dumps(message))

    def recv(self, kind, **match):
        """The next message of this type (and these fields); others are skipped."""
        while True:
            message = json.loads(self.ws.recv(timeout=15))
            if message["type"] == kind and all(message.get(k) == v for k, v in match.items()):
                return message

    def close(self):
        self.ws.close()


class AsgiServer:
    """uvicorn serving caredesk.asgi.application in a thread of the test process, against the
    test database, like live_server does (pytest-django's live_server speaks WSGI only; the
    desk and the widget need their websockets)."""

    def __init__(self, port=0):
        import uvicorn

        from caredesk.asgi import application

        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        # A restart binds the same port again while the old connections are in TIME_WAIT.
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", port))
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.config = uvicorn.Config(application, lifespan="off", log_level="warning")
        self.server = uvicorn.Server(self.config)
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.loop = None

    def _run(self):
        with asyncio.Runner(loop_factory=self.config.get_loop_factory()) as runner:
            runner.run(self._serve())

    async def _serve(self):
        self.loop = asyncio.get_running_loop()
        await self.server.serve(sockets=[self.sock])

    def start(self):
        self.thread.start()
        for _ in range(1000):
            if self.server.started:
                break
            time.sleep(0.01)
        else:
            raise RuntimeError("uvicorn did not start")
        # The first request loads the URLconf (every view and API module): pay for it here,
        # not inside a browser step's timeout.
        try:
            urllib.request.urlopen(f"{self.url}/chat/-/config.json", timeout=60).close()
        except urllib.error.HTTPError as exc:
            assert exc.code == 404
        return self

    def stop(self):
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()

    def publish(self, group, message):
        """group_send from the server's own event loop (the in-memory channel layer lives
        there), as the voice app does when a telephony event comes in."""
        from channels.layers import get_channel_layer

        layer = get_channel_layer()
        asyncio.run_coroutine_threadsafe(layer.group_send(group, message), self.loop).result(5)


class RestartableServer:
    """The server, which a test may stop (every websocket drops) and start again on the same
    port, as a network outage or a deploy looks to the desk and the widget."""

    def __init__(self):
        self.current = AsgiServer().start()
        self.port, self.url = self.current.port, self.current.url

    def stop(self):
        if self.current is not None:
            self.current.stop()
            self.current = None

    def start(self):
        self.current = AsgiServer(self.port).start()

    def publish(self, group, message):
        self.current.publish(group, message)


def server_connections_mark():
    """Now, by PostgreSQL's clock (None on another database), for server_connections_end."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT clock_timestamp()")
        return cursor.fetchone()[0]


def server_connections_end(started):
    """The server's worker threads keep their database connections after it stops, and
    PostgreSQL will not drop the test database while one is open: end those opened since
    `started` (the test's own connections are older)."""
    if started is not None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                " AND backend_start > %s",
                [started],
            )
    connections.close_all()


def accessibility_problems(page, *, impacts=("serious", "critical")) -> list[str]:
    """axe-core (bundled by axe-playwright-python, no CDN) on the page as it is now: one line
    per violation of the given impacts, naming the rule and the elements, so an assertion
    `== []` says what to fix."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(" ".join(map(str, n["target"])) for n in v["nodes"][:5])
        for v in results.response["violations"]
        if v.get("impact") in impacts
    ]
