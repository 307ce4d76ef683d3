"""Settings for SSP-samarbejde, read from the environment (see `.env.example`).

`SSP_ENVIRONMENT` is "development" (the default, what `make run` and the tests use) or
"production". Production refuses to start without a secret key, allowed hosts and a
database URL, and turns on every transport-security setting `check --deploy` asks for.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp import constants as csp
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from ssp.env import env_bool, env_int, env_list, env_str
from ssp.schedule import BEAT_SCHEDULE

BASE_DIR = Path(__file__).resolve().parent.parent

ENVIRONMENT = env_str("SSP_ENVIRONMENT", "development")
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured(
        f"SSP_ENVIRONMENT must be 'development' or 'production', not {ENVIRONMENT!r}."
    )
PRODUCTION = ENVIRONMENT == "production"

DEBUG = env_bool("DEBUG", default=not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG cannot be on when SSP_ENVIRONMENT is production.")

SECRET_KEY = env_str(
    "SECRET_KEY",
    # A development-only key: production refuses to start without its own.
    None if PRODUCTION else "development-only-insecure-key-never-use-in-production",
    required=PRODUCTION,
)
ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS",
    default=["localhost", "127.0.0.1", "[::1]", "testserver"],
    required=PRODUCTION,
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.forms",
    "django_htmx",
    "guardian",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "csp",
    "ssp",
    "forum",
    "cases",
    "meetings",
    "prevention",
    "reports",
    "home",
    "actioncard",
    "onboarding",
    "orgimport",
    "archive",
]

# Developer tooling (demo and scale data, benchmarks, the load test) is installed outside
# production only, so production registers none of its commands. The demo logins' password and
# authenticator secret are published in the README: production does not know them at all.
if not PRODUCTION:
    INSTALLED_APPS.append("devtools")
    DEMO_PASSWORD = env_str("DEMO_PASSWORD", "demo")
    DEMO_TOTP_SECRET = env_str("DEMO_TOTP_SECRET", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "ssp.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ssp.middleware.DanishFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Right after authentication, so it sees every response a signed-in user gets.
    "ssp.middleware.NoStoreForSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "ssp.middleware.TwoFactorMiddleware",
    "ssp.middleware.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "ssp.audit.AuditRequestMiddleware",
    # Last, as django-axes asks: it turns lockouts raised by authentication into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ssp.urls"
WSGI_APPLICATION = "ssp.wsgi.application"

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
                "ssp.context_processors.site",
                "ssp.navigation.main_menu",
            ],
        },
    },
]
FORM_RENDERER = "ssp.forms.DkfdsFormRenderer"

# PostgreSQL is the only database, in development, tests and production alike.
# Two roles (docs/security.md, "Database roles"): web and Celery connect as DATABASE_URL's role,
# which owns nothing and may not switch off the database's own rules (the access log's
# append-only trigger); `migrate` connects as DATABASE_MIGRATE_URL's role, which owns the
# tables. Without DATABASE_MIGRATE_URL one role does both, which production refuses
# (`manage.py preflight`). The development defaults are the two roles `preflight` creates.
_database_url = env_str("DATABASE_URL", "", required=PRODUCTION)
_migrate_url = env_str("DATABASE_MIGRATE_URL", "")
if not _database_url:
    _database_url = "postgres://ssp_app@127.0.0.1:5432/ssp"
    _migrate_url = _migrate_url or "postgres://ssp_owner@127.0.0.1:5432/ssp"
DATABASES = {
    "default": dj_database_url.parse(
        _database_url,
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL (postgres://…).")
# The role web and Celery connect as (the grants are made to it; `migrate` borrows the default
# connection for the owner, so read the name from here, not from DATABASES).
DATABASE_RUNTIME_ROLE = DATABASES["default"]["USER"]
# Only as whom and where the owner logs in (USER, PASSWORD, HOST, PORT): the database is
# DATABASE_URL's (the tests' is another), whatever this URL names. See ssp/db_roles.py.
DATABASE_MIGRATE = dj_database_url.parse(_migrate_url) if _migrate_url else None
if DATABASE_MIGRATE is not None and DATABASE_MIGRATE["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_MIGRATE_URL must point at PostgreSQL (postgres://…).")
# PostgreSQL's default random_page_cost (4) assumes spinning disks and makes it scan all
# cases instead of looking up the few a user may see; 1.1 is the usual value for SSDs.
# Set per connection so the app plans the same on any host; see docs/benchmarks.md.
DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
    f"-c random_page_cost={env_str('DATABASE_RANDOM_PAGE_COST', '1.1')}"
)
# --- How the app's queries are planned (issue 18; docs/benchmarks.md) --------------------
# No parallel workers for the app's queries: its lists read a page off an index and stop, and
# a parallel plan for them starts workers that cost more than the page (the case list's grants
# part on a busy 2-core host: 141 ms with two workers, 11 ms without; docs/benchmarks.md).
DATABASES["default"]["OPTIONS"]["options"] += (
    f" -c max_parallel_workers_per_gather={env_int('DATABASE_MAX_PARALLEL_WORKERS', 0, minimum=0)}"
)
# Server-side prepared statements (psycopg 3): a statement run `DATABASE_PREPARE_THRESHOLD`
# times on a connection is planned once and kept for the connection's life (CONN_MAX_AGE).
# Off unless set: it needs server-side parameter binding, which changes how every query is
# sent, and a pgbouncer in transaction mode must then run with `max_prepared_statements`.
# Measured in docs/benchmarks.md ("Queries planned once").
if _prepare_threshold := env_str("DATABASE_PREPARE_THRESHOLD", ""):
    DATABASES["default"]["OPTIONS"].update(
        server_side_binding=True, prepare_threshold=int(_prepare_threshold)
    )
# --- end of the query-planning block --------------------------------------------------------
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/1")
CACHES = {
    "default": {
        # Pages go on from PostgreSQL when Redis is away (see ssp/cache.py).
        "BACKEND": "ssp.cache.ResilientRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "ssp"),
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
    }
}

# Authentication
AUTH_USER_MODEL = "ssp.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first, so a locked account is refused before its password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT_HOURS", 24, minimum=1) * 3600

# Lockout (django-axes): LOGIN_FAILURE_LIMIT failed logins for one account lock it. Failures
# count for LOGIN_LOCKOUT_HOURS after the last one, and the lock lasts as long: with the
# defaults, 5 failures within 24 hours lock the account for 24 hours (the Danish contract norm).
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(hours=env_int("LOGIN_LOCKOUT_HOURS", 24, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username"]
# Locking the account itself is what Danish municipal contracts ask for; rate limiting by
# address belongs in the reverse proxy, so axes' advice to add the IP address is silenced.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_USERNAME_FORM_FIELD = "username"
# Count failures per account, not per spelling: logins ignore the email's case.
AXES_USERNAME_CALLABLE = "ssp.views.auth.login_username"
AXES_RESET_ON_SUCCESS = True
# A lock lasts LOGIN_LOCKOUT_HOURS from the last failure before it, not from the last try.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "ssp.views.auth.locked_out"
AXES_VERBOSE = False
# Axes stores the posted form of a failed attempt: never the codes of the second step.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code"]
AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

# Two-factor sign-in (ssp/two_factor.py): every account signs in with a code from an
# authenticator app (TOTP) or a single-use recovery code after its password. The half-way
# state between the two steps lasts TWO_FACTOR_PENDING_MINUTES.
TWO_FACTOR_PENDING_SECONDS = env_int("TWO_FACTOR_PENDING_MINUTES", 10, minimum=1) * 60
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "SSP-samarbejde")

# Sign-in through the organisation's identity provider with OpenID Connect (municipal Entra ID
# or AD FS, MitID Erhverv brokers; mozilla-django-oidc, code flow with PKCE), beside local
# passwords. Only existing, active accounts sign in this way, matched on their email address;
# administrators still create the accounts and their roles. When the ID token's `amr` claim
# names one of OIDC_MFA_AMR_VALUES the provider's own two-factor check counts; otherwise the
# user gives a code from their authenticator app as after a password.
OIDC_ENABLED = env_bool("OIDC_ENABLED", default=False)
OIDC_PROVIDER_NAME = env_str("OIDC_PROVIDER_NAME", "din organisations login")
OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID", "", required=OIDC_ENABLED)
OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET", "", required=OIDC_ENABLED)
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str(
    "OIDC_OP_AUTHORIZATION_ENDPOINT", "", required=OIDC_ENABLED
)
OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_OP_TOKEN_ENDPOINT", "", required=OIDC_ENABLED)
OIDC_OP_USER_ENDPOINT = env_str("OIDC_OP_USER_ENDPOINT", "", required=OIDC_ENABLED)
OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_OP_JWKS_ENDPOINT", "", required=OIDC_ENABLED)
# The ID token's `iss` must be exactly this (for Entra ID the tenant's own issuer, never the
# multi-tenant "common" one).
OIDC_OP_ISSUER = env_str("OIDC_OP_ISSUER", "", required=OIDC_ENABLED)
# Emails in these domains are trusted without `email_verified` (the organisation's own
# directory, e.g. Entra ID); any other email must carry `email_verified: true`.
OIDC_EMAIL_DOMAINS = env_list("OIDC_EMAIL_DOMAINS")
OIDC_RP_SIGN_ALGO = env_str("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = "openid email"
OIDC_USE_PKCE = True
OIDC_CREATE_USER = False
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT_SECONDS", 10, minimum=1)
OIDC_MFA_AMR_VALUES = env_list("OIDC_MFA_AMR_VALUES", default=["mfa"])
OIDC_CALLBACK_CLASS = "ssp.views.oidc.CallbackView"
LOGIN_REDIRECT_URL_FAILURE = "login"
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("ssp.oidc.OIDCBackend")

# guardian: no anonymous user row; object permissions are only ever granted to real users.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

# Sessions: signed out after SESSION_IDLE_MINUTES without a request and SESSION_MAX_AGE_HOURS
# after signing in, whatever happens (ssp.middleware.SessionTimeoutMiddleware). Pages warn
# SESSION_WARNING_SECONDS before the idle limit and let the user stay without losing input.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_AGE = env_int("SESSION_MAX_AGE_HOURS", 12, minimum=1) * 3600
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_MINUTES", 30, minimum=1) * 60
SESSION_WARNING_SECONDS = env_int("SESSION_WARNING_SECONDS", 60, minimum=10)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Internationalisation: Danish first, English through Django's translation system.
LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Dansk")), ("en", _("Engelsk"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Named date formats per language ("7. dec" in Danish, "7 Dec" in English): ssp/formats/.
FORMAT_MODULE_PATH = ["ssp.formats"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

# Static files: DKFDS and htmx come from the npm registry into node_modules at set-up.
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Uploaded files (agenda attachments) are served only by permission-checked views. They are
# stored in PostgreSQL (the multi-node block below); this folder is where versions before that
# kept them, read once to move them (ssp migration 0011, `manage.py files_to_database`).
PRIVATE_MEDIA_ROOT = env_str("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private-media"))
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
# Larger uploads are streamed to a temporary file rather than held in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/dkfds", BASE_DIR / "node_modules" / "dkfds" / "dist"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]
# In development whitenoise serves straight from the finders; production uses collectstatic.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# --- More than one node (issue 18; docs/multinode.md) ------------------------------------------
# Any web node or worker may answer any request: nothing a request needs lives in one process
# or on one node's disk. Stored files (attachments, ActionCard PDFs) are rows of PostgreSQL
# (ssp.storage.DatabaseStorage); sessions are in the database with Redis as a cache; the
# session limits, the sign-in lockout and the two-factor state are in the session or the
# database.
STORAGES["default"] = {"BACKEND": "ssp.storage.DatabaseStorage"}
# Statistics and exports may read from a streaming replica (ssp/replica.py): set
# DATABASE_REPLICA_URL to it. The reads go to the primary while the replica does not answer or
# is more than DATABASE_REPLICA_MAX_LAG_SECONDS behind; each process asks at most every
# DATABASE_REPLICA_CHECK_SECONDS.
_replica_url = env_str("DATABASE_REPLICA_URL", "")
if _replica_url:
    DATABASES["replica"] = dj_database_url.parse(
        _replica_url,
        conn_max_age=DATABASES["default"].get("CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
    DATABASES["replica"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        "connect_timeout": env_int("DATABASE_REPLICA_CONNECT_TIMEOUT_SECONDS", 2, minimum=1),
    }
    # The test run never creates a database for the replica alias.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_REPLICA_MAX_LAG_SECONDS = env_int("DATABASE_REPLICA_MAX_LAG_SECONDS", 30, minimum=0)
DATABASE_REPLICA_CHECK_SECONDS = env_int("DATABASE_REPLICA_CHECK_SECONDS", 5, minimum=0)
DATABASE_ROUTERS = ["ssp.replica.ReplicaRouter"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("axes.middleware.AxesMiddleware"), "ssp.replica.ReplicaReadsMiddleware"
)
# The views whose reads may go to the replica (URL names): statistics and their exports. Not
# the yearly status PDF: it carries the commentary its author saved a moment before (a read of
# one's own write belongs on the primary).
REPLICA_VIEWS = frozenset(
    {
        "reports:statistics",
        "reports:statistics_csv",
        "reports:statistics_xlsx",
        "reports:prevention_account",
        "reports:prevention_account_csv",
        "reports:prevention_account_xlsx",
    }
)
# --- end of the multi-node block ------------------------------------------------------------------

# Email: printed to the console in development; SMTP in production.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
# The file backend (used by the reminder benchmark and worker tests) writes here.
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(BASE_DIR / "sent-emails"))
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "SSP-samarbejde <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The outbox (ssp/notify/mail.py): a failed send is tried again after 30 s, 60 s, 120 s, ...
# (at most an hour apart) up to EMAIL_MAX_ATTEMPTS times; a row still pending this many
# seconds after it was due is handed to a worker again; sent rows are deleted after
# EMAIL_RETENTION_DAYS (the addresses are personal data).
EMAIL_RETRY_BACKOFF_SECONDS = env_int("EMAIL_RETRY_BACKOFF_SECONDS", 30, minimum=1)
EMAIL_MAX_ATTEMPTS = env_int("EMAIL_MAX_ATTEMPTS", 12, minimum=1)
EMAIL_REQUEUE_AFTER_SECONDS = env_int("EMAIL_REQUEUE_AFTER_SECONDS", 120, minimum=1)
EMAIL_RETENTION_DAYS = env_int("EMAIL_RETENTION_DAYS", 30, minimum=1)

# Celery: Redis as broker. Tasks are acknowledged after they ran, and a task whose worker
# died is handed to another, so nothing is lost when a worker is killed mid-task.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
# Broadcasts (worker pings) travel over Redis pub/sub, which ignores the database number:
# installations or test runs that share one Redis server each need their own exchange.
CELERY_CONTROL_EXCHANGE = env_str("CELERY_CONTROL_EXCHANGE", "ssp")
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A message taken by a worker that died is handed out again after this long; reminders do not
# wait for it (see REMINDER_REQUEUE_AFTER_SECONDS).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT_SECONDS", 3600, minimum=60)
}
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A request that hands work to Celery while Redis is down gives up within seconds: the work is
# a row in PostgreSQL (reminders, renderings) that a sweep hands over again once Redis is back.
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 1,
}
# The periodic jobs (Celery beat), each idempotent: see ssp/schedule.py.
CELERY_BEAT_SCHEDULE = BEAT_SCHEDULE
# PDF rendering is slow and memory-hungry: it has its own queue and worker (`-Q pdf`), so a
# long rendering never holds up reminders or other quick work.
CELERY_TASK_ROUTES = {"actioncard.tasks.render_edition": {"queue": "pdf"}}
CELERY_BEAT_SCHEDULE_FILENAME = env_str(
    "CELERY_BEAT_SCHEDULE_FILENAME", str(BASE_DIR / ".celerybeat-schedule")
)

# Product settings
SSP_SITE_NAME = env_str("SSP_SITE_NAME", "SSP-samarbejde")
SSP_AUTHORITY_NAME = env_str("SSP_AUTHORITY_NAME", "Kommunernes SSP-samarbejde")
SSP_SUPPORT_EMAIL = env_str("SSP_SUPPORT_EMAIL", "support@localhost")
SSP_BASE_URL = env_str("SSP_BASE_URL", "http://localhost:8000").rstrip("/")
HEALTH_CHECK_TIMEOUT_SECONDS = env_int("HEALTH_CHECK_TIMEOUT_SECONDS", 2, minimum=1)
# A reminder claimed for sending but not sent after this long (its worker died, or Redis lost
# the message) is claimed again by the next dispatch.
REMINDER_REQUEUE_AFTER_SECONDS = env_int("REMINDER_REQUEUE_AFTER_SECONDS", 600, minimum=1)
# An ActionCard rendering still queued after this long lost its message (Redis restarted) and
# is enqueued again; one running longer than the timeout lost its worker and is run again.
ACTIONCARD_REQUEUE_AFTER_SECONDS = env_int("ACTIONCARD_REQUEUE_AFTER_SECONDS", 120, minimum=10)
ACTIONCARD_RENDER_TIMEOUT_SECONDS = env_int("ACTIONCARD_RENDER_TIMEOUT_SECONDS", 600, minimum=30)
ACTIONCARD_RENDER_MAX_ATTEMPTS = env_int("ACTIONCARD_RENDER_MAX_ATTEMPTS", 3, minimum=1)
# A municipality's data archive (docs/archive.md) may be downloaded once, within this many hours
# of being made; it is deleted then, or this many minutes after the download began.
ARCHIVE_DOWNLOAD_HOURS = env_int("ARCHIVE_DOWNLOAD_HOURS", 24, minimum=1)
ARCHIVE_DELETE_AFTER_DOWNLOAD_MINUTES = env_int(
    "ARCHIVE_DELETE_AFTER_DOWNLOAD_MINUTES", 15, minimum=1
)
# An export still queued after this long lost its task (the key is never stored, so it cannot
# be run again): it is marked failed and the administrator starts a new one.
ARCHIVE_QUEUED_GIVE_UP_MINUTES = env_int("ARCHIVE_QUEUED_GIVE_UP_MINUTES", 60, minimum=5)
# An export still being built after this long lost its worker (killed, out of memory): it is
# marked failed, so its page stops waiting, and the administrator starts a new one.
ARCHIVE_RUNNING_GIVE_UP_MINUTES = env_int("ARCHIVE_RUNNING_GIVE_UP_MINUTES", 120, minimum=10)
# The consultants are reminded of an item of the year wheel (the April forum, the ActionCard,
# the school teams' plans) that is not ready this many days before its month begins.
YEAR_WHEEL_REMINDER_DAYS = env_int("YEAR_WHEEL_REMINDER_DAYS", 30, minimum=1)
# Every spring the actors confirm their ActionCard entries (forum/confirmations.py): the round
# opens in this month (March: before the April SSP-Forum) and its links work this many days.
ENTRY_CONFIRMATION_MONTH = env_int("ENTRY_CONFIRMATION_MONTH", 3, minimum=1)
ENTRY_CONFIRMATION_DAYS = env_int("ENTRY_CONFIRMATION_DAYS", 45, minimum=7)
# How far ahead the occurrences of an open-ended meeting series are generated.
MEETING_SERIES_HORIZON_DAYS = env_int("MEETING_SERIES_HORIZON_DAYS", 180, minimum=14)
# A case put on a meeting's agenda may be read by the body's members (police included, under
# the §115 basis the organiser confirmed) until this many days after the meeting.
AGENDA_BASIS_DAYS = env_int("AGENDA_BASIS_DAYS", 30, minimum=1)

# CPR numbers are stored encrypted (Fernet; the first key encrypts, all keys decrypt, so keys
# can be rotated) with a keyed hash for exact lookup. Production refuses to start without them.
CPR_ENCRYPTION_KEYS = env_list(
    "CPR_ENCRYPTION_KEYS",
    # Development-only keys (valid Fernet and HMAC keys that protect nothing real).
    default=["ZGV2ZWxvcG1lbnQtb25seS1jcHIta2V5LTMyYnl0ZXM="],
    required=PRODUCTION,
)
CPR_HASH_KEY = env_str(
    "CPR_HASH_KEY",
    None if PRODUCTION else "development-only-cpr-hash-key",
    required=PRODUCTION,
)
# Other secrets kept in the database (an SMS gateway's token) are encrypted with these Fernet
# keys (`ssp.secrets`; the first encrypts, all decrypt). Unset, the CPR keys are used.
SECRET_FIELD_KEYS = env_list("SECRET_FIELD_KEYS", default=CPR_ENCRYPTION_KEYS)
# Text messages (urgent concerns) go through a municipality's own HTTP gateway. A failed send
# is tried again with backoff up to SMS_MAX_ATTEMPTS; sent rows are deleted after
# SMS_RETENTION_DAYS (the numbers are personal data). Production accepts only https gateways.
SMS_MAX_ATTEMPTS = env_int("SMS_MAX_ATTEMPTS", 6, minimum=1)
SMS_RETRY_BACKOFF_SECONDS = env_int("SMS_RETRY_BACKOFF_SECONDS", 30, minimum=1)
SMS_REQUEUE_AFTER_SECONDS = env_int("SMS_REQUEUE_AFTER_SECONDS", 120, minimum=1)
SMS_RETENTION_DAYS = env_int("SMS_RETENTION_DAYS", 30, minimum=1)
SMS_TIMEOUT_SECONDS = env_int("SMS_TIMEOUT_SECONDS", 10, minimum=1)
SMS_GATEWAY_ALLOW_HTTP = env_bool("SMS_GATEWAY_ALLOW_HTTP", default=not PRODUCTION)

# Retention in days per record type; the nightly job deletes what has expired unless it is on
# legal hold. The audit log is kept at least six months (the legal minimum).
RETENTION_CONCERN_WITHOUT_CASE_DAYS = env_int("RETENTION_CONCERN_WITHOUT_CASE_DAYS", 365, minimum=1)
RETENTION_CLOSED_CASE_DAYS = env_int("RETENTION_CLOSED_CASE_DAYS", 5 * 365, minimum=1)
RETENTION_NOTE_DAYS = env_int("RETENTION_NOTE_DAYS", 5 * 365, minimum=1)
RETENTION_AUDIT_LOG_DAYS = env_int("RETENTION_AUDIT_LOG_DAYS", 2 * 365, minimum=183)
# The bounds (min, max days) within which each municipality's administrators set its own
# periods (cases.RetentionPolicy; the settings above are the defaults). Why these numbers:
# docs/retention.md. The access log's minimum is the six months the database also enforces.
RETENTION_LIMITS: dict[str, tuple[int, int]] = {
    "concern_without_case_days": (30, 2 * 365),
    "closed_case_days": (180, 10 * 365),
    "note_days": (180, 10 * 365),
    "audit_log_days": (183, 10 * 365),
}
for _period, _default in (
    ("concern_without_case_days", RETENTION_CONCERN_WITHOUT_CASE_DAYS),
    ("closed_case_days", RETENTION_CLOSED_CASE_DAYS),
    ("note_days", RETENTION_NOTE_DAYS),
    ("audit_log_days", RETENTION_AUDIT_LOG_DAYS),
):
    _low, _high = RETENTION_LIMITS[_period]
    if not _low <= _default <= _high:
        raise ImproperlyConfigured(
            f"The default retention period {_period} ({_default} days) must lie between "
            f"{_low} and {_high} days."
        )

# Security
# Content-Security-Policy: every script, stylesheet, font and image comes from this site; no
# inline script or style anywhere (htmx's indicator style is switched off in base.html), so no
# nonce is needed. Images may be data: URLs (charts and icons drawn inline).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF],
        "style-src": [csp.SELF],
        "img-src": [csp.SELF, "data:"],
        "font-src": [csp.SELF],
        "connect-src": [csp.SELF],
        "object-src": [csp.NONE],
        "base-uri": [csp.NONE],
        "form-action": [csp.SELF],
        "frame-ancestors": [csp.NONE],
    }
}
# Passkeys (WebAuthn, django-otp-webauthn) as a second factor next to the authenticator app
# (`ssp.passkeys`): bound to the site's own host name, never a sign-in on their own.
OTP_WEBAUTHN_RP_ID = urlsplit(SSP_BASE_URL).hostname or "localhost"
OTP_WEBAUTHN_RP_NAME = SSP_SITE_NAME
OTP_WEBAUTHN_ALLOWED_ORIGINS = [SSP_BASE_URL]
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False
# Django admin never shows a TOTP secret or its QR code (the column holds ciphertext anyway).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Browser features the app never uses are switched off for it and anything it might embed.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "ssp.views.errors.csrf_failure"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # Behind a proxy the client address comes from the proxy's header.
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    AXES_IPWARE_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1, minimum=0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "django.db.backends": {"level": "INFO"},
    },
}
