"""Settings of the app processes the end-to-end chat tests start (DJANGO_SETTINGS_MODULE).

caredesk.settings reads CAREDESK_OFFER_TIMEOUT_SECONDS only as a Django setting (routing
services use getattr(settings, ...)), not from the environment, so this module takes it from
the environment for the test servers. Everything else is the production settings."""

import os

from caredesk.settings import *  # noqa: F403
from caredesk.settings import CHANNEL_LAYERS, HUEY, REDIS_URL

CAREDESK_OFFER_TIMEOUT_SECONDS = float(os.environ.get("CAREDESK_OFFER_TIMEOUT_SECONDS", "30"))
# Tests log agents in over HTTP; Argon2 is deliberately slow.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

if REDIS_URL:
    # Other test runs may share this Redis database: keep our groups and queue apart.
    prefix = os.environ.get("CAREDESK_E2E_PREFIX", "e2e")
    CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = prefix
    HUEY["name"] = prefix
