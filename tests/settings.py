import os

os.environ.setdefault("SECRET_KEY", "test-only-not-secret")
os.environ.setdefault(
    "CAREDESK_VAR_DIR", os.path.join(os.path.dirname(__file__), "..", "var", "test")
)

from caredesk.settings import *  # noqa: E402,F403

# Argon2 is deliberately slow; tests log in hundreds of times.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
HUEY = {**HUEY, "immediate": True}  # noqa: F405
ALLOWED_HOSTS = ["*"]
# Connections opened by Channels' worker threads must close after each call, or PostgreSQL
# refuses to drop the test database at the end of the run.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
