"""The `caredesk` console command: api-token, seed-demo and serve, run as real processes."""

import http.cookiejar
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command

from caredesk.care.models import COACHING_ORIGINS, Case
from caredesk.workspaces.models import ApiToken, Organization, Segment, User

CAREDESK = str(Path(sys.executable).with_name("caredesk"))


def test_api_token_prints_a_working_token_on_its_last_line(world, capsys):
    call_command("api_token", "manager")
    token = capsys.readouterr().out.strip().splitlines()[-1]
    assert token.startswith("cd_") and len(token) > 30
    assert ApiToken.objects.filter(user=world.manager).count() == 1
    from django.test import Client

    r = Client(HTTP_AUTHORIZATION=f"Bearer {token}").get("/api/v1/workspaces/support/segments")
    assert r.status_code == 200


def test_api_token_for_unknown_user_fails_and_creates_nothing(world):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No user named 'nobody'"):
        call_command("api_token", "nobody")
    assert ApiToken.objects.count() == 0


def test_seed_demo_is_idempotent(db, capsys):
    call_command("seed_demo", tickets=120)
    first = capsys.readouterr().out
    counts = (
        Organization.objects.count(),
        User.objects.count(),
        Segment.objects.count(),
        # Coaching cases (from the demo's failing evaluations) are counted apart.
        Case.objects.exclude(origin__in=COACHING_ORIGINS).count(),
    )
    call_command("seed_demo", tickets=120)
    second = capsys.readouterr().out
    # Six logins, six region leads, twelve store managers, four more agents.
    assert counts == (1, 6 + 6 + 12 + 4, 3 + 6 + 12, 120 + 24)
    assert (
        Organization.objects.count(),
        User.objects.count(),
        Segment.objects.count(),
        Case.objects.exclude(origin__in=COACHING_ORIGINS).count(),
    ) == counts
    # The counts printed are those in the database, not those asked for.
    assert "Demo data created:\n  Support: 120 tickets, 240 survey responses (" in first
    assert "\n  Sales: 24 tickets\n  400 customers, 8 accounts, 28 users\n" in first
    assert "Demo data already present; nothing changed. It holds:\n  Support: 120 tickets" in second
    for login in ("brand", "admin", "manager", "coach", "agent", "agent2"):
        assert re.search(rf"^  {login}\s", second, re.M)
    assert User.objects.get(username="agent2").check_password("demo")
    # The desk and feedback have something to show: queues, agents' skills, two surveys.
    from caredesk.feedback.models import Response, Survey
    from caredesk.routing.models import AgentSkill, Queue

    assert sorted(Queue.objects.values_list("name", flat=True)) == [
        "Billing",
        "General",
        "Technical",
    ]
    assert AgentSkill.objects.count() == 3
    assert sorted(Survey.objects.values_list("kind", flat=True)) == ["csat", "nps"]
    assert Response.objects.count() == 240


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children(pid: int) -> list[int]:
    out = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                ppid = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if ppid == pid:
                out.append(int(d.name))
    return out


@pytest.fixture
def served(tmp_path):
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update(CAREDESK_VAR_DIR=str(tmp_path), SECRET_KEY="serve-test", PYTHONUNBUFFERED="1")
    subprocess.run([CAREDESK, "migrate", "-v", "0"], env=env, check=True)
    subprocess.run(
        [CAREDESK, "seed-demo", "--tickets", "20"], env=env, check=True, capture_output=True
    )
    port = _free_port()
    proc = subprocess.Popen(
        [CAREDESK, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("server did not start:\n" + proc.stdout.read())
    yield proc, port, env
    if proc.poll() is None:
        proc.kill()


def _login(port):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(f"http://127.0.0.1:{port}/login/")
    csrf = next(c.value for c in jar if c.name == "csrftoken")
    data = urllib.parse.urlencode(
        {"username": "admin", "password": "demo", "csrfmiddlewaretoken": csrf}
    ).encode()
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}/login/",
        data=data,
        headers={"Referer": f"http://127.0.0.1:{port}/login/"},
    )
    page = opener.open(req)
    return opener, jar, page


def test_serve_runs_http_websockets_and_worker_then_stops_cleanly(served):
    import asyncio

    import websockets

    proc, port, env = served
    opener, jar, page = _login(port)
    assert page.url == f"http://127.0.0.1:{port}/"
    assert b"Your workspaces" in page.read()
    assert opener.open(f"http://127.0.0.1:{port}/static/caredesk/app.css").status == 200

    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)

    async def hello():
        async with websockets.connect(
            f"ws://127.0.0.1:{port}/ws/v1/workspaces/support/events/",
            additional_headers={"Cookie": cookie, "Origin": f"http://127.0.0.1:{port}"},
        ) as ws:
            return json.loads(await asyncio.wait_for(ws.recv(), 30))  # a bound, not a timing

    assert asyncio.run(hello()) == {"type": "hello", "version": 1, "workspace": "support"}

    # The worker is a real consumer: a task enqueued by another process gets run (the demo
    # data has tickets older than the 5-day inactivity limit, so it closes some).
    code = (
        "import time; from caredesk.audit.models import AuditEntry as A; "
        "from caredesk.care.tasks import close_inactive_cases as t; t(); "
        "done = lambda: A.objects.filter(action='auto_closed').exists(); "
        "[time.sleep(0.3) for _ in range(100) if not done()]; "
        "print('auto_closed', A.objects.filter(action='auto_closed').count())"
    )
    out = subprocess.run(
        [CAREDESK, "shell", "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    closed = int(re.search(r"auto_closed (\d+)", out.stdout).group(1))
    assert closed > 0, out.stderr

    children = _children(proc.pid)
    assert len(children) == 2
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=20) == 0
    output = proc.stdout.read()
    assert "caredesk stopped" in output
    # The worker's log lines appear once each (huey added a handler of its own to the one
    # the root logger already had, so every line was printed twice).
    assert output.count("Huey consumer started with") == 1, output
    assert [c for c in children if Path(f"/proc/{c}").exists()] == []
