"""`caredesk mail-inbound`: receive customer replies over SMTP until stopped."""

import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand

from caredesk.mail.smtp import controller

DEFAULT_PORT = 2525


class Command(BaseCommand):
    help = "Run the SMTP server that stores customers' replies on their tickets."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=settings.CAREDESK_SMTP_HOST)
        parser.add_argument("--port", type=int, default=settings.CAREDESK_SMTP_PORT or DEFAULT_PORT)

    def handle(self, *args, host, port, **options):
        server = controller(host, port)
        server.start()
        self.stdout.write(
            f"Receiving mail for *@{settings.CAREDESK_REPLY_DOMAIN} on {host}:{port}",
        )
        self.stdout.flush()
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        try:
            stop.wait()
        finally:
            server.stop()
