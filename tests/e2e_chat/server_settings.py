"""Settings of the app processes the end-to-end chat tests start (DJANGO_SETTINGS_MODULE):
the production settings (CAREDESK_OFFER_TIMEOUT_SECONDS comes from the environment), a fast
password hasher, and a channel-layer / queue prefix of their own."""

import os

from caredesk.settings import *  # noqa: F403
from caredesk.settings import CHANNEL_LAYERS, HUEY, REDIS_URL

# Tests log agents in over HTTP; Argon2 is deliberately slow.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

if REDIS_URL:
    # Other test runs may share this Redis database: keep our groups and queue apart.
    prefix = os.environ.get("CAREDESK_E2E_PREFIX", "e2e")
    CHANNEL_LAYERS["default"]["CONFIG"]["prefix"] = prefix
    HUEY["name"] = prefix
