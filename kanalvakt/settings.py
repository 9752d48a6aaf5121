"""Kanalvakt settings: one module, read from the environment.

Every variable is documented in `.env.example`. SQLite under `var/` is the
default; `DATABASE_URL` switches to PostgreSQL.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from kanalvakt.connectors.endpoints import parse_base_urls
from kanalvakt.demo.standin.addresses import standin_api_base_urls
from kanalvakt.lib.env import env_bool, env_int, env_list, env_str

# Lets generic Django classes be subscripted at run time (ModelAdmin[Account]).
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent
REPO_DIR = BASE_DIR.parent
VAR_DIR = Path(env_str("KANALVAKT_VAR_DIR", str(REPO_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and not env_bool("KANALVAKT_INSECURE_DEV_KEY", False):
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it, or set DEBUG=1 or KANALVAKT_INSECURE_DEV_KEY=1 "
            "for a development machine."
        )
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://localhost:8000")

INSTALLED_APPS = [
    "kanalvakt.web.admin_site.KanalvaktAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "django_htmx",
    "django_tasks_db",
    "crontask",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "kanalvakt.organisations",
    "kanalvakt.audit",
    "kanalvakt.policies",
    "kanalvakt.register",
    "kanalvakt.connectors",
    "kanalvakt.moderation",
    "kanalvakt.inbox",
    "kanalvakt.intake",
    "kanalvakt.records",
    "kanalvakt.reports",
    "kanalvakt.sso",
    "kanalvakt.publishing",
    "kanalvakt.scheduling",
    "kanalvakt.incidents",
    "kanalvakt.corrections",
    "kanalvakt.governance",
    "kanalvakt.listening",
    "kanalvakt.demo",
    "kanalvakt.web",
    "kanalvakt.notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Platforms' signed POSTs to /webhooks/ skip the rest (issue 12): it serves browsers.
    "kanalvakt.inbox.webhooks.WebhookMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise, so static files stay cacheable; every page and download is no-store.
    "kanalvakt.web.security.NoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "kanalvakt.organisations.twofactor.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "kanalvakt.web.security.AdminGateMiddleware",
    # Last, as django-axes asks: turns a lock-out into its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kanalvakt.urls"
WSGI_APPLICATION = "kanalvakt.wsgi.application"

# Project templates may override Django's form templates (the error summary on every form).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kanalvakt.web.context_processors.organisation",
                "kanalvakt.notifications.context_processors.notifications",
                "kanalvakt.sso.context_processors.sso",
                "kanalvakt.policies.context_processors.crisis",
            ],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
            conn_health_checks=True,
        )
    }
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "kanalvakt.sqlite3"),
            # Reused between requests: opening one reads the schema and sets the pragmas.
            "CONN_MAX_AGE": env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
            "OPTIONS": {
                # WAL lets readers go on while a worker writes; the busy timeout
                # makes a second writer wait instead of failing at once.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "timeout": env_int("SQLITE_BUSY_TIMEOUT_SECONDS", 20, minimum=1),
                "transaction_mode": "IMMEDIATE",
            },
            "TEST": {"NAME": str(VAR_DIR / "test-kanalvakt.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "organisations.User"

TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
CRONTASK = {"REDIS_URL": None}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-in throttling (django-axes): after LOGIN_FAILURE_LIMIT failures an account, and
# separately an address, is locked out for LOGIN_LOCKOUT_MINUTES, doubling per lock-out a day.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1)
AXES_COOLOFF_TIME = "kanalvakt.web.security.login_cool_off"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
# Behind N reverse proxies the client's address is the Nth from the right in X-Forwarded-For
# (kanalvakt.web.security.client_address); 0: the connecting address.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
AXES_CLIENT_IP_CALLABLE = "kanalvakt.web.security.client_address"
# The Django admin: its path (empty: no admin at all) and the networks it answers to.
ADMIN_PATH = env_str("ADMIN_PATH", "admin/")
ADMIN_ALLOWED_NETWORKS = env_list("ADMIN_ALLOWED_NETWORKS", ["127.0.0.0/8", "::1/128"])
# Two-factor sign-in (TOTP) for local accounts; each organisation chooses the roles that need it.
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Kanalvakt")
# Security keys and passkeys (WebAuthn) as the second step: the relying party id (a host
# name) and the origins the browser may report; empty: the host and origin of SITE_URL.
WEBAUTHN_RP_ID = env_str("KANALVAKT_WEBAUTHN_RP_ID", "")
WEBAUTHN_ORIGINS = env_list("KANALVAKT_WEBAUTHN_ORIGINS", [])
WEBAUTHN_RP_NAME = env_str("KANALVAKT_WEBAUTHN_RP_NAME", "Kanalvakt")
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT_SECONDS", 3 * 3600, minimum=600)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:home"

# Connecting accounts through the platforms' own consent pages (OAuth 2.0). One app per
# platform family, registered by the installation's operator; Mastodon registers itself
# on each server. Without an app, accounts are connected with a pasted token.
OAUTH_CLIENTS = {
    name: (
        env_str(f"OAUTH_{name.upper()}_CLIENT_ID", ""),
        env_str(f"OAUTH_{name.upper()}_CLIENT_SECRET", ""),
    )
    for name in ("meta", "x", "google", "linkedin")
}
# platform=base address pairs that replace the platforms' OAuth hosts (the demo's
# stand-in platform and tests only), e.g. "x=http://127.0.0.1:8000/standin/x".
OAUTH_BASE_URLS = dict(
    pair.split("=", 1) for pair in env_list("OAUTH_BASE_URLS", []) if "=" in pair
)
# Bluesky (atproto OAuth): the P-256 private key Kanalvakt signs its client assertions
# with (a PEM file outside the database); without it Bluesky connects with an app password.
OAUTH_BLUESKY_KEY_FILE = env_str("OAUTH_BLUESKY_KEY_FILE", "")
# Where did:plc documents are read (handle → DID is asked of the account's server;
# the document that names the PDS comes from here). Empty: ask the account's server.
BLUESKY_PLC_DIRECTORY = env_str("BLUESKY_PLC_DIRECTORY", "https://plc.directory")

# Single sign-on with OpenID Connect (SEC-3): Microsoft Entra ID, Google Workspace,
# Keycloak or any provider that publishes the standard endpoints. Off unless a client
# id is set; local accounts keep working either way. `kanalvakt oidc_discover URL`
# prints these lines from the provider's discovery document.
OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET", "")
OIDC_OP_ISSUER = env_str("OIDC_OP_ISSUER", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = env_str("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_PROVIDER_NAME = env_str("OIDC_PROVIDER_NAME", "organisationens inloggning")
OIDC_GROUPS_CLAIM = env_str("OIDC_GROUPS_CLAIM", "groups")
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_AUTHENTICATION_CALLBACK_URL = "sso:callback"
SSO_ENABLED = bool(OIDC_RP_CLIENT_ID)
if SSO_ENABLED:
    _missing = [
        name
        for name in (
            "OIDC_RP_CLIENT_SECRET",
            "OIDC_OP_ISSUER",
            "OIDC_OP_AUTHORIZATION_ENDPOINT",
            "OIDC_OP_TOKEN_ENDPOINT",
            "OIDC_OP_USER_ENDPOINT",
            "OIDC_OP_JWKS_ENDPOINT",
        )
        if not globals()[name]
    ]
    if _missing:
        raise ImproperlyConfigured(
            "OIDC_RP_CLIENT_ID is set, so single sign-on is on, but these are missing: "
            + ", ".join(_missing)
        )
AUTHENTICATION_BACKENDS = [
    # django-axes first: a locked-out account or address is refused before any password check.
    "kanalvakt.web.security.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
    *(["kanalvakt.sso.backend.OrganisationOIDCBackend"] if SSO_ENABLED else []),
]
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska")), ("fi", _("Suomi")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Stockholm")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": VAR_DIR / "media"},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
# https: redirect plain http, and tell browsers to use https only (HSTS). Both default to
# SECURE_COOKIES, so a production installation has them and `make demo` (plain http) not.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", SESSION_COOKIE_SECURE)
SECURE_HSTS_SECONDS = env_int(
    "SECURE_HSTS_SECONDS", 365 * 24 * 3600 if SESSION_COOKIE_SECURE else 0, minimum=0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto (and strips it from clients).
if env_bool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Preloading HSTS is a decision for the owner of the whole domain, not a default.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Comments are written by strangers: no inline script, no inline style,
# nothing fetched from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# Mail: forwards to case officers, warnings and escalations. The console backend
# (the default) prints mail instead of sending it.
MAIL_BACKEND = env_str("MAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
MAILERS = {
    "default": {
        "BACKEND": MAIL_BACKEND,
        "OPTIONS": {
            "host": env_str("MAIL_HOST", "localhost"),
            "port": env_int("MAIL_PORT", 25, minimum=1),
            "use_tls": env_bool("MAIL_USE_TLS", False),
        }
        if MAIL_BACKEND.endswith("smtp.EmailBackend")
        else {},
    }
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "kanalvakt@localhost")

# Inbox: how long before an answer is due its assignee is reminded.
INBOX_WARN_MINUTES = env_int("KANALVAKT_INBOX_WARN_MINUTES", 60, minimum=0)
# `make demo` sets this so new comments keep arriving in the demo organisations.
DEMO_TRAFFIC = env_bool("KANALVAKT_DEMO_TRAFFIC", False)
# The demo's local stand-in platform at /standin/ (never on a real server): every
# connector then talks to it instead of the real platforms, unless
# PLATFORM_API_BASE_URLS says otherwise.
STANDIN_ENABLED = env_bool("KANALVAKT_STANDIN", False)
if STANDIN_ENABLED:  # the stand-in plays Bluesky on this machine: it needs no https
    SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "intake.W001"]
# Where connectors reach each platform's API: `platform=url` pairs separated by
# commas; empty = the platforms' real addresses (or the stand-in when it is on).
PLATFORM_API_BASE_URLS = parse_base_urls(env_str("PLATFORM_API_BASE_URLS", "")) or (
    standin_api_base_urls(SITE_URL) if STANDIN_ENABLED else {}
)
# The Chromium binary used for snapshots (Debian's package by default).
CHROMIUM_PATH = env_str("KANALVAKT_CHROMIUM", "/usr/bin/chromium")
# host:port pairs Kanalvakt may call although they are loopback/private or plain
# http (the demo's stand-in platform, tests). Everything else must be public https.
OUTBOUND_ALLOW_HOSTS = env_list("OUTBOUND_ALLOW_HOSTS", [])
# Snapshot caps: all bytes one capture may fetch, and seconds it may take.
SNAPSHOT_MAX_BYTES = env_int("SNAPSHOT_MAX_BYTES", 50 * 1024 * 1024, minimum=1024)
SNAPSHOT_MAX_SECONDS = env_int("SNAPSHOT_MAX_SECONDS", 120, minimum=5)

# Platform connections (kanalvakt/intake). Tokens are encrypted with the first of
# these Fernet keys and decrypted with any; empty derives a key from SECRET_KEY.
INTAKE_TOKEN_KEYS = env_list("KANALVAKT_TOKEN_KEYS", [])
INTAKE_POLL_INTERVAL_MINUTES = env_int("INTAKE_POLL_INTERVAL_MINUTES", 5, minimum=1)
INTAKE_SAFETY_POLL_INTERVAL_MINUTES = env_int("INTAKE_SAFETY_POLL_INTERVAL_MINUTES", 60, minimum=1)
INTAKE_TOKEN_WARNING_DAYS = env_int("INTAKE_TOKEN_WARNING_DAYS", 7, minimum=1)
INTAKE_RECHECK_DAYS = env_int("INTAKE_RECHECK_DAYS", 7, minimum=1)

# Webhook bodies larger than this are refused with 413 before they are read.
WEBHOOK_MAX_BYTES = env_int("WEBHOOK_MAX_BYTES", 1024 * 1024, minimum=1024)
# Items cut out of one delivery at most; the whole delivery is kept either way.
INBOX_MAX_ITEMS_PER_DELIVERY = env_int("KANALVAKT_MAX_ITEMS_PER_DELIVERY", 10_000, minimum=1)

KANALVAKT_IT_EMAIL = env_str("KANALVAKT_IT_EMAIL", "")
KANALVAKT_LISTENING_X_BEARER = env_str("KANALVAKT_LISTENING_X_BEARER", "")
KANALVAKT_LISTENING_YOUTUBE_KEY = env_str("KANALVAKT_LISTENING_YOUTUBE_KEY", "")
POLICY_PACK_DIR = Path(env_str("KANALVAKT_POLICY_DIR", str(REPO_DIR / "policies")))

# Checkpoints of the audit chain (kanalvakt/records/checkpoints.py): the Ed25519
# private key that signs them, kept outside the database. Empty: development and
# demo generate one in VAR_DIR; production refuses to sign.
CHECKPOINT_KEY_FILE = env_str("KANALVAKT_CHECKPOINT_KEY_FILE", "")
INSECURE_DEV_KEY = env_bool("KANALVAKT_INSECURE_DEV_KEY", False)
# RFC 3161 time-stamping of checkpoints (kanalvakt/records/stamps.py): the
# authority's address (https, public; empty: no time-stamps) and a PEM file of
# the TSA certificates or CAs to trust when checking its tokens.
TSA_URL = env_str("KANALVAKT_TSA_URL", "")
TSA_CA_FILE = env_str("KANALVAKT_TSA_CA_FILE", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # The scheduler logs every job it runs; only its problems are worth showing.
    "loggers": {
        "apscheduler": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "django.tasks": {"level": env_str("TASKS_LOG_LEVEL", "WARNING")},
        "django_tasks_db": {"level": env_str("TASKS_LOG_LEVEL", "WARNING")},
    },
}
