"""Login throttling through the login page (and the admin's): per username and per client
address, a lock that refuses even the right password, 429 with a clear message, and a
login that works again once the lock has ended (the clock is moved, nothing sleeps)."""

import os
import uuid

import pytest
from django.core.cache import CacheHandler
from django.test import Client, override_settings

from caredesk.core import throttle
from caredesk.core.login import USER

WRONG = "not-the-password"
RIGHT = "pw-12345678"


@pytest.fixture
def clock(monkeypatch):
    """throttle.now() under the test's control: clock.advance(seconds)."""

    class Clock:
        t = 1_800_000_000.0

        def advance(self, seconds):
            self.t += seconds

    c = Clock()
    monkeypatch.setattr(throttle, "now", lambda: c.t)
    return c


def login(client, username, password, ip="203.0.113.5"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_five_failures_lock_the_username_even_for_the_right_password(world, clock):
    c = Client()
    for _ in range(5):
        r = login(c, "agent", WRONG)
        assert r.status_code == 200
        assert b"Your username and password didn't match." in r.content
    r = login(c, "agent", RIGHT)
    assert r.status_code == 429
    assert r["Retry-After"] == "900"
    assert b'id="login-locked"' in r.content
    assert b"Too many failed logins. Please wait 15 minutes before you try again." in r.content
    assert not logged_in(c)
    # From another address too: the lock is the username's.
    r = login(Client(), "AGENT", RIGHT, ip="198.51.100.7")
    assert r.status_code == 429
    # Another user at the same address is not affected.
    c2 = Client()
    assert login(c2, "coach", RIGHT).status_code == 302
    assert logged_in(c2)


def test_four_failures_then_the_right_password_logs_in_and_clears_the_count(world, clock):
    c = Client()
    for _ in range(4):
        assert login(c, "agent", WRONG).status_code == 200
    r = login(c, "agent", RIGHT)
    assert r.status_code == 302
    assert logged_in(c)
    # The success wiped the earlier typos: four more failures do not lock yet.
    c = Client()
    for _ in range(4):
        assert login(c, "agent", WRONG).status_code == 200
    assert login(c, "agent", RIGHT).status_code == 302


def test_login_works_again_when_the_lock_ends(world, clock):
    c = Client()
    for _ in range(5):
        login(c, "agent", WRONG)
    clock.advance(899)
    r = login(c, "agent", RIGHT)
    assert r.status_code == 429
    assert r["Retry-After"] == "1"
    assert b"Please wait 1 minute before" in r.content
    clock.advance(1)
    r = login(c, "agent", RIGHT)
    assert r.status_code == 302
    assert logged_in(c)


def test_failures_spread_over_more_than_the_window_do_not_lock(world, clock):
    c = Client()
    for _ in range(4):
        login(c, "agent", WRONG)
    clock.advance(2 * 900)
    for _ in range(4):
        assert login(c, "agent", WRONG).status_code == 200
    assert login(c, "agent", RIGHT).status_code == 302


def test_twenty_failures_from_one_address_lock_that_address(world, clock):
    c = Client()
    for i in range(20):
        # Made-up usernames: each one stays below its own limit.
        r = login(c, f"guess{i % 5}", WRONG)
        assert r.status_code == 200, i
    r = login(c, "agent", RIGHT)
    assert r.status_code == 429
    assert not logged_in(c)
    # The same user from another address gets in.
    c2 = Client()
    assert login(c2, "agent", RIGHT, ip="198.51.100.7").status_code == 302


def test_admin_login_obeys_the_same_lock(world, clock):
    world.admin.is_staff = True
    world.admin.save(update_fields=["is_staff"])

    def admin_login(c):
        return c.post(
            "/admin/login/?next=/admin/",
            {"username": "admin", "password": RIGHT},
            REMOTE_ADDR="203.0.113.5",
        )

    c = Client()
    for _ in range(5):
        login(c, "admin", WRONG)
    r = admin_login(c)
    assert r.status_code == 200  # the admin's form again, with its error
    assert not logged_in(c)
    # Wrong passwords during the lock are refused without counting: they do not extend it.
    for _ in range(10):
        assert login(c, "admin", WRONG).status_code == 429
    clock.advance(900)
    r = admin_login(c)
    assert r.status_code == 302
    assert logged_in(c)


@override_settings(CAREDESK_LOGIN_FAILURES_PER_USER=2, CAREDESK_LOGIN_LOCK_SECONDS=60)
def test_limits_come_from_settings(world, clock):
    c = Client()
    login(c, "agent", WRONG)
    login(c, "agent", WRONG)
    r = login(c, "agent", RIGHT)
    assert r.status_code == 429
    assert r["Retry-After"] == "60"


@pytest.mark.parametrize("backend", ["file", "redis"])
def test_counts_in_a_cache_shared_by_processes(world, clock, tmp_path, backend):
    """The caches of the two deployments: two cache objects over one directory, or one Redis
    database (two app processes), see each other's counts and locks."""
    if backend == "file":
        config = {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path),
        }
    else:
        if not os.environ.get("REDIS_URL"):
            pytest.skip("REDIS_URL is not set")
        config = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": f"throttle-test-{uuid.uuid4().hex}",
        }
    caches_setting = {
        "throttle": config,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    with override_settings(CACHES=caches_setting):
        c = Client()
        for _ in range(4):
            login(c, "agent", WRONG)
        # "Another process": a cache object of its own over the same store.
        other = CacheHandler(caches_setting)["throttle"]
        counted = other.get(throttle._key(USER, "agent", f"w{int(clock.t // 900)}"))
        assert counted == 4
        login(c, "agent", WRONG)
        assert other.get(throttle._key(USER, "agent", "lock")) == clock.t + 900
        assert login(c, "agent", RIGHT).status_code == 429
