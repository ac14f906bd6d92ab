"""The widget's browser tests: a plain web server on another origin (the `browser` and
`asgi_server` fixtures are in tests/conftest.py)."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


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
