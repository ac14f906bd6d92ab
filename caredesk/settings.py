"""caredesk settings: the embedded default (SQLite, in-process channel layer, SQLite huey)
unless DATABASE_URL / REDIS_URL say otherwise."""

import os
from pathlib import Path
from urllib.parse import urlparse

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("CAREDESK_VAR_DIR", Path.cwd() / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = os.environ.get("DEBUG", "").lower() in ("1", "true", "yes")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is required unless DEBUG=1")
    SECRET_KEY = "caredesk-insecure-development-key"
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
]
if DEBUG:
    ALLOWED_HOSTS += ["testserver"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "channels",
    "huey.contrib.djhuey",
    "caredesk.core",
    "caredesk.workspaces",
    "caredesk.audit",
    "caredesk.customers",
    "caredesk.analysis",
    "caredesk.care",
    "caredesk.realtime",
    "caredesk.api",
    "caredesk.routing",
    "caredesk.feedback",
    "caredesk.webchat",
    "caredesk.journey",
    "caredesk.mail",
    "caredesk.voice",
    "caredesk.quality",
    "caredesk.coaching",
    "caredesk.insights",
    "caredesk.conversations",
    "caredesk.search",
    "caredesk.resources",
    "caredesk.action_plans",
    "caredesk.tickets",
    "caredesk.home",
    "caredesk.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "caredesk.core.i18n.LocaleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, so that it sees a view's PermissionDenied first (caredesk.home.middleware).
    "caredesk.home.middleware.ForbiddenMiddleware",
]

ROOT_URLCONF = "caredesk.urls"
ASGI_APPLICATION = "caredesk.asgi.application"
AUTH_USER_MODEL = "workspaces.User"
LOGIN_URL = "login"
# The first backend refuses every password of a locked username or address (caredesk.core.login).
AUTHENTICATION_BACKENDS = [
    "caredesk.core.login.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
            ],
            # Every template may translate and format without a {% load %} of its own.
            "builtins": ["django.templatetags.i18n", "caredesk.core.templatetags.fmt"],
        },
    }
]

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    postgresql = "postgresql" in DATABASES["default"]["ENGINE"]
    if postgresql and os.environ.get("CAREDESK_DB_PREPARED", "1") != "0":
        # psycopg then prepares the statements the code marks `prepare=True` (the chat's
        # routing decision, routing.pick), once per connection; Django's own cursors bind on
        # the client and are never prepared. Django leaves this off (None) for poolers that
        # cannot keep prepared statements, such as PgBouncer before 1.21 in transaction mode:
        # set CAREDESK_DB_PREPARED=0 there. The threshold is out of reach on purpose: nothing
        # is prepared without being asked.
        DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 2**31 - 1
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "caredesk.sqlite3",
            "OPTIONS": {
                # WAL lets the web server and the worker read while the other writes;
                # IMMEDIATE takes the write lock at BEGIN, where a busy writer is waited for
                # (up to `timeout` seconds), instead of upgrading a read mid-transaction,
                # which fails at once with "database is locked". Two things still defeat
                # the wait: a cursor left open on the connection (iterator()) holds a read
                # snapshot, and BEGIN IMMEDIATE then fails at once if anyone committed since
                # (caredesk.care.services.cases_close_inactive reads in pages for this);
                # and a transaction that holds the lock longer than the others' timeout
                # (the worker commits every 100 responses: feedback.evaluation
                # TRANSACTION_RESPONSES). tests/robustness/test_sqlite_contention.py.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            # Redis pub/sub: a group message is one PUBLISH, received by the processes that
            # subscribed to the group. The list-based RedisChannelLayer costs a ZRANGE, a Lua
            # script per receiving process and a BZPOPMIN per message, and its pool ran out
            # of connections ("Too many connections") under bench/chat.py. Nothing the chat
            # needs is lost by pub/sub's at-most-once delivery: every message is stored
            # before it is published, and a (re)connecting side reads the history.
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            # redis-py 8 reads with a 5 s socket timeout by default, which dropped idle
            # websockets with the list-based layer (django/channels_redis#422); kept longer.
            "CONFIG": {
                "hosts": [{"address": REDIS_URL, "socket_timeout": 15}],
                # Pub/sub channels are server-wide, not per Redis database: without a prefix
                # of its own, an installation on database 5 would receive the group messages
                # of one on database 6 of the same server (seen between two test runs).
                "prefix": os.environ.get("CAREDESK_CHANNEL_PREFIX")
                or f"caredesk.{urlparse(REDIS_URL).path.strip('/') or '0'}.",
            },
        }
    }
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": os.environ.get("CAREDESK_QUEUE_NAME", "caredesk"),
        "url": REDIS_URL,
        "immediate": False,
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "caredesk",
        "filename": str(VAR_DIR / "queue.sqlite3"),
        "immediate": False,
    }
HUEY["consumer"] = {"workers": 2, "worker_type": "thread"}
# Nothing reads a task's return value, and huey keeps every one until it is read: one key per
# evaluated batch of survey responses, in Redis or the queue file, for ever.
HUEY["results"] = False
# A survey response's evaluation task normally runs within seconds of its commit; the
# worker's minute sweep evaluates the responses still pending after this long (their task
# was lost with a killed process). See caredesk.feedback.tasks.
CAREDESK_EVALUATION_GRACE_SECONDS = int(os.environ.get("CAREDESK_EVALUATION_GRACE_SECONDS", "60"))

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "en"
# English is the source; the catalogues in caredesk/locale are compiled by `make`.
LANGUAGES = [
    ("en", "English"),
    ("pt-br", "Português (Brasil)"),
    ("it", "Italiano"),
    ("bg", "Български"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# One date-time, date and time format per language (caredesk/formats/<lang>/formats.py).
FORMAT_MODULE_PATH = ["caredesk.formats"]
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads it to send X-CSRFToken


def _env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes")


def _env_list(name: str) -> list[str]:
    return [v.strip() for v in os.environ.get(name, "").split(",") if v.strip()]


# Served over HTTPS (README, "Deploying behind HTTPS"): CAREDESK_HTTPS=1 makes the cookies
# Secure, redirects plain HTTP to HTTPS and sends HSTS. Behind a TLS-terminating proxy,
# CAREDESK_TRUSTED_PROXY names the proxy's addresses: `caredesk serve` then takes the client's
# address and scheme from its X-Forwarded-For / X-Forwarded-Proto (uvicorn's
# --forwarded-allow-ips), and Django trusts X-Forwarded-Proto: https.
CAREDESK_HTTPS = _env_flag("CAREDESK_HTTPS")
CAREDESK_TRUSTED_PROXY = ",".join(_env_list("CAREDESK_TRUSTED_PROXY"))
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = CAREDESK_HTTPS
SECURE_SSL_REDIRECT = CAREDESK_HTTPS and not _env_flag("CAREDESK_NO_SSL_REDIRECT")
SECURE_HSTS_SECONDS = int(
    os.environ.get("SECURE_HSTS_SECONDS", "31536000" if CAREDESK_HTTPS else "0") or 0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_flag("SECURE_HSTS_INCLUDE_SUBDOMAINS")
SECURE_HSTS_PRELOAD = _env_flag("SECURE_HSTS_PRELOAD")
if CAREDESK_TRUSTED_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Origins (scheme://host[:port]) from which browsers may POST forms, e.g. the public address
# when the proxy presents another host than Django sees.
CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy on every page (django-csp): scripts and styles only from our own
# static files, or inline with the per-request nonce (`nonce="{{ request.csp_nonce }}"`);
# nothing may frame the pages but ourselves. The public chat page widens frame-ancestors
# (caredesk.webchat.views), since other sites embed it.
from csp.constants import NONCE  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'", NONCE],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}

# Login throttling (caredesk.core.login) and the public pages' rate limits count in the
# "throttle" cache, which every app process must share: Redis when there is one; otherwise
# files under var/ (no writer lock on the SQLite database, no table to create):
# docs/adr/0001-login-throttle.md.
CAREDESK_LOGIN_FAILURES_PER_USER = int(os.environ.get("CAREDESK_LOGIN_FAILURES_PER_USER", "5"))
CAREDESK_LOGIN_FAILURES_PER_IP = int(os.environ.get("CAREDESK_LOGIN_FAILURES_PER_IP", "20"))
CAREDESK_LOGIN_WINDOW_SECONDS = int(os.environ.get("CAREDESK_LOGIN_WINDOW_SECONDS", "900"))
CAREDESK_LOGIN_LOCK_SECONDS = int(os.environ.get("CAREDESK_LOGIN_LOCK_SECONDS", "900"))
# Public survey answers per client address and survey, and chat starts per address.
CAREDESK_SURVEY_POSTS_PER_MINUTE = int(os.environ.get("CAREDESK_SURVEY_POSTS_PER_MINUTE", "10"))
CAREDESK_CHAT_STARTS_PER_MINUTE = int(os.environ.get("CAREDESK_CHAT_STARTS_PER_MINUTE", "10"))
CACHES["throttle"] = (
    {**CACHES["default"]}
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "throttle"),
        # Culling drops entries at random once there are more: high enough that a flood of
        # made-up usernames cannot push a real lock out.
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
)

# An alert rule's webhook may not target this machine or a private network (the worker
# would POST response data there) unless this is set: caredesk.feedback.webhook_target.
CAREDESK_WEBHOOK_ALLOW_PRIVATE = _env_flag("CAREDESK_WEBHOOK_ALLOW_PRIVATE")

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# Outgoing mail: EMAIL_URL=smtp://user:password@host:587 (smtps:// for implicit TLS, or
# ?tls=1 for STARTTLS) or EMAIL_HOST / EMAIL_PORT / EMAIL_HOST_USER / EMAIL_HOST_PASSWORD /
# EMAIL_USE_TLS switch to Django's SMTP backend; otherwise mail is printed (console).
if _email_url := os.environ.get("EMAIL_URL", ""):
    from urllib.parse import parse_qs, unquote, urlsplit

    _mail = urlsplit(_email_url)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _mail.hostname or "localhost"
    EMAIL_PORT = _mail.port or (465 if _mail.scheme == "smtps" else 25)
    EMAIL_HOST_USER = unquote(_mail.username or "")
    EMAIL_HOST_PASSWORD = unquote(_mail.password or "")
    EMAIL_USE_SSL = _mail.scheme == "smtps"
    EMAIL_USE_TLS = parse_qs(_mail.query).get("tls", ["0"])[0] in ("1", "true")
elif os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "").lower() in ("1", "true", "yes")
# Customers reply to reply+<case token>@CAREDESK_REPLY_DOMAIN; `caredesk mail-inbound` (or
# `caredesk serve` with CAREDESK_SMTP_PORT) receives those replies.
CAREDESK_REPLY_DOMAIN = os.environ.get("CAREDESK_REPLY_DOMAIN", "reply.caredesk.localhost")
# The public address of this installation, for links in emails (survey invitations).
CAREDESK_BASE_URL = os.environ.get("CAREDESK_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", f"caredesk <noreply@{CAREDESK_REPLY_DOMAIN}>"
)
CAREDESK_SMTP_HOST = os.environ.get("CAREDESK_SMTP_HOST", "127.0.0.1")
CAREDESK_SMTP_PORT = int(os.environ.get("CAREDESK_SMTP_PORT", "0") or 0)
# An open inbox case older than this many days counts as overdue (caredesk.tickets.inbox).
CAREDESK_CASE_SLA_DAYS = int(os.environ.get("CAREDESK_CASE_SLA_DAYS", "3"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # huey's consumer (run_huey) adds a handler of its own to the "huey" logger unless it
        # already has one; with the root handler above each line was then printed twice. Give
        # it the console handler here, and stop it propagating to root.
        "huey": {
            "handlers": ["console"],
            "level": os.environ.get("LOG_LEVEL", "INFO"),
            "propagate": False,
        },
    },
}
# Live chat: seconds an offer waits for the agent's answer before it goes to the next agent,
# and the database threads of each app process for the chat's websockets on PostgreSQL
# (caredesk.routing.db.run_db).
CAREDESK_OFFER_TIMEOUT_SECONDS = float(os.environ.get("CAREDESK_OFFER_TIMEOUT_SECONDS", "30"))
CAREDESK_DB_THREADS = int(os.environ.get("CAREDESK_DB_THREADS", "8"))
# Check every emitted event against its schema again (caredesk.events.bus.check) and raise a
# listener's error instead of logging it: on in tests, off in production (it costs a second
# validation per event).
CAREDESK_EVENTS_CHECK = _env_flag("CAREDESK_EVENTS_CHECK")
