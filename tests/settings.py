import atexit
import os
import shutil
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-not-secret")
os.environ.setdefault(
    "CAREDESK_VAR_DIR", os.path.join(os.path.dirname(__file__), "..", "var", "test")
)

from caredesk.settings import *  # noqa: E402,F403

# Argon2 is deliberately slow; tests log in hundreds of times.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
HUEY = {**HUEY, "immediate": True}  # noqa: F405
ALLOWED_HOSTS = ["*"]
# The test process imports caredesk.asgi, and its own large heap's collections are nobody's
# pause (tests/test_realtime.py turns this logger back on to test it).
LOGGING["loggers"]["caredesk.gc"] = {"level": "ERROR"}  # noqa: F405
# Connections opened by Channels' worker threads must close after each call, or PostgreSQL
# refuses to drop the test database at the end of the run.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # A test database in a file, not SQLite's shared-cache in-memory one: there a read that
    # meets another connection's write (a live server's thread, a websocket consumer) fails at
    # once with "database table is locked" instead of waiting for busy_timeout.
    # A directory of its own per run, removed at exit: SQLite's -wal and -shm files outlive
    # the database file Django deletes, and must never meet the next run's database.
    _test_dir = tempfile.mkdtemp(prefix="caredesk-test-")
    atexit.register(shutil.rmtree, _test_dir, ignore_errors=True)
    DATABASES["default"]["TEST"] = {"NAME": os.path.join(_test_dir, "test.sqlite3")}  # noqa: F405
# The login and public-page throttles count per test process (the fixture `throttle_reset`
# in tests/conftest.py empties them between tests), never in var/ shared by parallel runs.
CACHES["throttle"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}  # noqa: F405
# Every event a test emits is checked against its schema (caredesk/events/bus.py).
CAREDESK_EVENTS_CHECK = True
