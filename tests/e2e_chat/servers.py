"""Real app processes for end-to-end chat tests and bench/chat.py: a database of their own
(a subprocess cannot see pytest-django's test database), `caredesk serve --no-worker` on free
ports, HTTP login for session cookies, and a small JSON websocket client."""

import asyncio
import http.cookiejar
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import websockets

ROOT = Path(__file__).resolve().parents[2]
CAREDESK = str(Path(sys.executable).with_name("caredesk"))
SETTINGS = "tests.e2e_chat.server_settings"
PASSWORD = "pw-e2e-12345678"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Database:
    """A fresh database for the servers: a SQLite file in `workdir`, or, when `database_url`
    is given (PostgreSQL), a database `name` on that server, created here and dropped by
    `drop()`. `redis_url` switches the servers' channel layer to Redis."""

    def __init__(
        self,
        workdir: Path,
        *,
        name: str,
        database_url: str = "",
        redis_url: str = "",
        settings: str = SETTINGS,
        extra_env: dict | None = None,
    ):
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.name = name
        self.redis_url = redis_url
        self.vendor = "postgresql" if database_url else "sqlite"
        if database_url:
            parsed = urllib.parse.urlparse(database_url)
            self.url = parsed._replace(path=f"/{name}").geturl()
            self.admin_url = parsed._replace(path="/postgres").geturl()
        else:
            self.url = ""
            self.path = self.workdir / "caredesk.sqlite3"
        drop = ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "DEBUG")
        self.env = {k: v for k, v in os.environ.items() if k not in drop}
        self.env.update(
            DJANGO_SETTINGS_MODULE=settings,
            PYTHONPATH=str(ROOT),
            SECRET_KEY="e2e-only-not-a-secret",
            CAREDESK_VAR_DIR=str(self.workdir),
            ALLOWED_HOSTS="127.0.0.1,localhost",
            LOG_LEVEL="WARNING",
            PYTHONUNBUFFERED="1",
            CAREDESK_E2E_PREFIX=f"e2e{os.getpid()}",
            CAREDESK_QUEUE_NAME=f"e2e{os.getpid()}",
            # Crowds of customers from one address (this machine): no per-address limit.
            CAREDESK_CHAT_STARTS_PER_MINUTE="0",
            CAREDESK_SURVEY_POSTS_PER_MINUTE="0",
        )
        if database_url:
            self.env["DATABASE_URL"] = self.url
        if redis_url:
            self.env["REDIS_URL"] = redis_url
        self.env.update(extra_env or {})

    @property
    def multi_process(self) -> bool:
        """Several app processes can share work only with PostgreSQL and a Redis layer."""
        return self.vendor == "postgresql" and bool(self.redis_url)

    def create(self) -> None:
        if self.vendor == "postgresql":
            import psycopg

            with psycopg.connect(self.admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
                conn.execute(f'CREATE DATABASE "{self.name}"')
        self.run("migrate", "--no-input", "-v", "0")

    def drop(self) -> None:
        if self.vendor == "postgresql":
            import psycopg

            with psycopg.connect(self.admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def run(self, *args: str, stdin: str | None = None) -> str:
        out = subprocess.run(
            [CAREDESK, *args], env=self.env, cwd=ROOT, input=stdin, capture_output=True, text=True
        )
        if out.returncode != 0:
            raise RuntimeError(f"caredesk {' '.join(args)} failed:\n{out.stdout}\n{out.stderr}")
        return out.stdout

    def seed(self, spec: dict) -> None:
        """Create the organization, workspaces, queues and agents of `spec` (see seed.py)."""
        out = subprocess.run(
            [sys.executable, "-m", "tests.e2e_chat.seed"],
            env=self.env,
            cwd=ROOT,
            input=json.dumps({"password": PASSWORD, **spec}),
            capture_output=True,
            text=True,
        )
        if out.returncode != 0:
            raise RuntimeError(f"seed failed:\n{out.stdout}\n{out.stderr}")

    def query(self, sql: str, params=()) -> list[tuple]:
        """Read the servers' database directly (`%s` placeholders on both vendors)."""
        if self.vendor == "postgresql":
            import psycopg

            with psycopg.connect(self.url, autocommit=True) as conn:
                return conn.execute(sql, params).fetchall()
        with sqlite3.connect(self.path, timeout=20) as conn:
            return conn.execute(sql.replace("%s", "?"), params).fetchall()


class Server:
    """`caredesk serve --no-worker --port N` as a real process (it runs uvicorn as a child)."""

    def __init__(self, db: Database, port: int | None = None, *, label: str = "app"):
        self.db = db
        self.port = port or free_port()
        self.log_path = db.workdir / f"{label}-{self.port}.log"
        self.proc: subprocess.Popen | None = None

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def ws(self, path: str) -> str:
        return f"ws://127.0.0.1:{self.port}{path}"

    def start(self, timeout: float = 30) -> "Server":
        self.launch()
        return self.wait_ready(timeout)

    def launch(self) -> None:
        log = open(self.log_path, "w")  # noqa: SIM115 - the child writes to it until stop()
        self.proc = subprocess.Popen(
            [CAREDESK, "serve", "--no-worker", "--port", str(self.port)],
            env=self.db.env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()

    def wait_ready(self, timeout: float = 30) -> "Server":
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited:\n{self.log()}")
            try:
                urllib.request.urlopen(f"{self.http}/login/", timeout=2).close()
                return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"server did not start in {timeout}s:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self) -> None:
        stop_all([self])


def stop_all(servers: list[Server]) -> None:
    """SIGTERM every server at once (`serve` stops its uvicorn child too), then wait."""
    running = [s.proc for s in servers if s.proc is not None and s.proc.poll() is None]
    for proc in running:
        proc.send_signal(signal.SIGTERM)
    for proc in running:
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def login(server: Server, username: str, password: str = PASSWORD) -> str:
    """Log in through the login form; returns the Cookie header of the session."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(f"{server.http}/login/").close()
    csrf = next(c.value for c in jar if c.name == "csrftoken")
    data = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": csrf}
    ).encode()
    request = urllib.request.Request(
        f"{server.http}/login/", data=data, headers={"Referer": f"{server.http}/login/"}
    )
    opener.open(request).close()
    if not any(c.name == "sessionid" for c in jar):
        raise RuntimeError(f"login of {username} failed")
    return "; ".join(f"{c.name}={c.value}" for c in jar)


class Socket:
    """A JSON websocket client: `send(type=..., ...)`, `recv()` the next message."""

    def __init__(self, conn):
        self.conn = conn

    @classmethod
    async def open(cls, server: Server, path: str, cookie: str | None = None) -> "Socket":
        headers = {"Origin": server.http}
        if cookie:
            headers["Cookie"] = cookie
        conn = await websockets.connect(
            server.ws(path), additional_headers=headers, max_size=2**22, open_timeout=20
        )
        return cls(conn)

    async def send(self, **message) -> None:
        await self.conn.send(json.dumps(message))

    async def recv(self, timeout: float = 20) -> dict:
        return json.loads(await asyncio.wait_for(self.conn.recv(), timeout))

    async def close(self) -> None:
        await self.conn.close()
