"""`caredesk serve`: the ASGI server (HTTP + websockets) and the task worker, together.

Both run as child processes so a crash in one is seen, and Ctrl-C / SIGTERM stops both."""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve HTTP and websockets with uvicorn and run the task worker, until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
        parser.add_argument("--no-worker", action="store_true", help="do not start the task worker")

    def handle(self, *args, host, port, workers, no_worker, **options):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "caredesk.settings"),
        }
        children = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "uvicorn",
                    "caredesk.asgi:application",
                    "--host",
                    host,
                    "--port",
                    str(port),
                    "--workers",
                    str(workers),
                    "--lifespan",
                    "off",
                    "--no-server-header",
                    # Chat frames are a few hundred bytes of JSON: compressing each one costs
                    # more CPU (on both ends) than the bytes it saves.
                    "--ws-per-message-deflate",
                    "false",
                    # The client's address and scheme come from X-Forwarded-For/-Proto only when
                    # a trusted proxy sent them (uvicorn's default trusts 127.0.0.1 alone).
                    *(
                        ["--forwarded-allow-ips", settings.CAREDESK_TRUSTED_PROXY]
                        if settings.CAREDESK_TRUSTED_PROXY
                        else []
                    ),
                ],
                env=env,
            )
        ]
        if not no_worker:
            children.append(
                subprocess.Popen([sys.executable, "-m", "caredesk", "run_huey"], env=env)
            )
        self.stdout.write(f"caredesk serving on http://{host}:{port}/ (Ctrl-C to stop)")

        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping and all(c.poll() is None for c in children):
                time.sleep(0.2)
        finally:
            for c in children:
                if c.poll() is None:
                    c.send_signal(signal.SIGINT if c is children[0] else signal.SIGTERM)
            deadline = time.monotonic() + 15
            for c in children:
                try:
                    c.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    c.kill()
                    # Reaped before "stopped" is said: nothing of ours outlives the command.
                    c.wait()
        failed = [c for c in children if c.returncode not in (0, -signal.SIGINT, -signal.SIGTERM)]
        if failed and not stopping:
            raise SystemExit(1)
        self.stdout.write("caredesk stopped")
