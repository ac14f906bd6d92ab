"""A real ASGI server (uvicorn, in a thread of the test process) for the widget's browser
tests: pytest-django's live_server speaks WSGI only, and the widget needs the websocket. It
serves caredesk.asgi.application against the test database, like live_server does."""

import os
import shutil
import socket
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.db import connections

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the test
# itself (fixtures, checks) are still synchronous and safe.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


class AsgiServer:
    def __init__(self, port=0):
        import uvicorn

        from caredesk.asgi import application

        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", port))
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            application, lifespan="off", log_level="warning", ws="websockets-sansio"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True
        )

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


class RestartableServer:
    """The server, which a test may stop (every websocket drops) and start again on the same
    port, as a network outage or a deploy looks to the widget."""

    def __init__(self):
        self.current = AsgiServer().start()
        self.port, self.url = self.current.port, self.current.url

    def stop(self):
        if self.current is not None:
            self.current.stop()
            self.current = None

    def start(self):
        self.current = AsgiServer(self.port).start()


@pytest.fixture
def asgi_server(transactional_db):
    server = RestartableServer()
    try:
        yield server
    finally:
        server.stop()
        # Connections opened by the server's threads and by ORM calls made while Playwright
        # runs; PostgreSQL refuses to drop the test database while any is open.
        connections.close_all()


class _PageHandler(BaseHTTPRequestHandler):
    pages: dict[str, str] = {}

    def do_GET(self):
        body = self.pages.get(self.path.split("?")[0])
        if body is None:
            self.send_error(404)
            return
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def other_site():
    """A plain web server on another origin (localhost, another port) serving the HTML pages
    put in its `pages` dict: a customer's site that embeds the widget."""
    handler = type("Pages", (_PageHandler,), {"pages": {}})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    httpd.url = f"http://localhost:{httpd.server_address[1]}"
    httpd.pages = handler.pages
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def browser():
    if not shutil.which(CHROMIUM):
        pytest.skip(f"Chromium is not installed at {CHROMIUM}")
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="the playwright package is not installed"
    )
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield b
        b.close()


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"widget-{name}.png"))
