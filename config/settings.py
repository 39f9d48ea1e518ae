"""Samenlab settings, read from the environment.

One module for every environment: development (``make run``), tests and production differ only in
environment variables (see the README's table). With ``DEBUG`` off the site refuses to start
without a real ``SECRET_KEY`` and ``ALLOWED_HOSTS``, and turns on the security headers.
"""

import os
import sys
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A local .env is a convenience for developers; it is never committed (see .gitignore).
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# Under pytest the test settings apply without ceremony; a test server process sets it explicitly.
TESTING = env.bool("SAMENLAB_TESTING", default="pytest" in sys.modules)

# --- Secrets and hosts -------------------------------------------------------------------------
# Development gets a throw-away key; production must bring its own. The guard below refuses to
# start a non-debug site with the development key or without ALLOWED_HOSTS.
_DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production"  # noqa: S105
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET_KEY if (DEBUG or TESTING) else "")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if (DEBUG or TESTING) else [])

if not DEBUG and not TESTING:
    if not SECRET_KEY or SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set to a random value of at least 50 characters when DEBUG is off."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")

CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
WAGTAILADMIN_BASE_URL = SITE_URL

# --- Applications -------------------------------------------------------------------------------
INSTALLED_APPS = [
    "daphne",  # makes runserver serve ASGI (HTTP + WebSocket) in development
    # Samenlab
    "core",
    "community",
    "live",
    "discussion",
    "cms",
    "initiatives",
    "voting",
    "maps",
    "lab",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Third party
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "django_tasks",
    "django_tasks_db",
    "csp",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "config.apps.SamenlabStaticFilesConfig",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.OverloadMiddleware",  # lock or pool time-out anywhere below: 503 + Retry-After, never 500
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "community.middleware.PreferredLanguageMiddleware",
    "community.middleware.VisitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "core.pagecache.AnonymousPageCacheMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"
WSGI_APPLICATION = None

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
                "wagtail.contrib.settings.context_processors.settings",
                "community.context_processors.samenlab",
            ],
        },
    },
]

# --- Data ---------------------------------------------------------------------------------------
# SQLite by default (zero set-up); PostgreSQL when DATABASE_URL is set.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the page reads of several requests run beside one writer; the timeout makes a
    # writer wait for the lock instead of failing at once. IMMEDIATE: every transaction (atomic block)
    # takes the write lock when it begins, so it waits its turn under the timeout. A deferred transaction
    # that reads and then writes cannot wait: if another request wrote in between, SQLite refuses at once
    # with "database is locked", whatever the timeout (docs/decisions/0017-never-a-500.md).
    # Connections are kept for the next request of the process instead of opened per request (core/sqlite).
    DATABASES["default"]["ENGINE"] = "core.sqlite"
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE",
         "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
    # Tests use a file, not memory, so that a real server process can share the test database.
    # One file per test process, so that parallel test runs never share (and clobber) a database.
    DATABASES["default"]["TEST"] = {
        "NAME": env.str("SQLITE_TEST_NAME", default=str(BASE_DIR / ".run" / f"test-{os.getpid()}.sqlite3"))
    }
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    pool_size = env.int("DATABASE_POOL_SIZE", default=0)
    if pool_size:
        # psycopg's connection pool: every request of an ASGI worker borrows an open connection
        # instead of opening one (Django requires CONN_MAX_AGE 0 with a pool).
        # A request that gets no connection within DATABASE_POOL_TIMEOUT seconds answers 503 + Retry-After
        # (core.middleware.OverloadMiddleware). Size: pool size × workers ≤ max_connections − headroom.
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1, "max_size": pool_size, "timeout": env.float("DATABASE_POOL_TIMEOUT", default=5.0)}
    else:
        DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# PostgreSQL: how long a pledge waits for an initiative's or fund's row lock before answering 503 (SET LOCAL).
PLEDGE_LOCK_TIMEOUT_MS = env.int("PLEDGE_LOCK_TIMEOUT_MS", default=3000)

REDIS_URL = env.str("REDIS_URL", default="")
CHANNEL_PREFIX = env.str("CHANNEL_PREFIX", default="samenlab")  # channel layer and presence keys
CHANNEL_LAYER_SOCKET_TIMEOUT = 15  # seconds
CHANNEL_LAYER_MAX_CONNECTIONS = env.int("CHANNEL_LAYER_MAX_CONNECTIONS", default=1000)  # per worker
if REDIS_URL:
    CACHES = {"default": {
        # Redis down: pages are served without the cache, not as errors (config/redis_pool.py).
        "BACKEND": "config.redis_pool.ResilientRedisCache",
        "LOCATION": REDIS_URL,
        "OPTIONS": {"pool_class": "config.redis_pool.SharedConnectionPool",
                    "socket_connect_timeout": 1, "socket_timeout": 2},
    }}
    CHANNEL_LAYERS = {
        "default": {
            # Redis pub/sub: an event is ONE publish, which each worker receives once and hands to its own
            # followers in memory. The list-based layer wrote one message per follower and each worker
            # read them back one Redis round trip at a time: 200 followers, 200 round trips per comment.
            # Pub/sub delivers at most once, which is enough: every event is stored with a sequence
            # number and every connection fills gaps from the database (docs/decisions/0018).
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            # The read time-out stays above any blocking read of the layer; the connect time-out stays
            # short so that a Redis outage fails a handshake fast instead of hanging it (decision 0015).
            "CONFIG": {
                "hosts": [{"address": REDIS_URL, "socket_timeout": CHANNEL_LAYER_SOCKET_TIMEOUT,
                           "socket_connect_timeout": 5, "socket_keepalive": True,
                           # PING a connection idle this long before use: one left from before a Redis
                           # restart is replaced instead of failing the next command.
                           "health_check_interval": 10,
                           # redis-py 8's pool refuses (MaxConnectionsError) beyond 100 connections in use
                           # instead of waiting; a burst of handshakes needs more.
                           "max_connections": CHANNEL_LAYER_MAX_CONNECTIONS}],
                "prefix": CHANNEL_PREFIX,
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "samenlab"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "live.layers.InMemoryChannelLayer"}}

# Background work: the database queue needs no extra server. Tests run tasks at once.
TASKS = {
    "default": {
        "BACKEND": env.str(
            "TASKS_BACKEND",
            default="django_tasks.backends.immediate.ImmediateBackend"
            if TESTING
            else "django_tasks_db.DatabaseBackend",
        )
    }
}

# --- People -------------------------------------------------------------------------------------
AUTH_USER_MODEL = "community.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    # allauth's backend, loading the person with their kern (community/auth.py).
    "community.auth.PeopleBackend",
    # Kept so that sessions signed in before PeopleBackend existed stay signed in.
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # noqa: S303 - tests only

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "community:home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "community.forms.SignupExtraForm"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_ADAPTER = "community.adapters.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Samenlab] "
# Throttle failed log-ins: 5 per 5 minutes per address, 10 per minute per IP (allauth's mechanism,
# backed by the cache: Redis in production so that all workers count together).
# Forms that reach staff are throttled the same way (core/throttle.py): "key" is the browser session there.
ACCOUNT_RATE_LIMITS = {
    "login_failed": env.str("LOGIN_FAILED_RATE", default="10/m/ip,5/5m/key"),
    "signup_request": env.str("SIGNUP_RATE", default="5/h/ip,3/10m/key"),
    "callback": env.str("CALLBACK_RATE", default="5/h/ip,3/10m/key"),
    "callback_signed_in": env.str("CALLBACK_SIGNED_IN_RATE", default="10/h/user"),
}
# Behind a reverse proxy every request comes from the proxy's address: count the proxies that add to
# X-Forwarded-For, so that the throttles see the visitor's address.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# Two-step verification with an authenticator app (and recovery codes); staff are urged to turn it on.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Samenlab Molenlanden"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Samenlab Molenlanden <samenlab@localhost>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
# E-mail: EMAIL_URL (SMTP) in production; the console in development; tests use Django's outbox. A site
# with DEBUG off and neither EMAIL_URL nor EMAIL_BACKEND refuses to start: otherwise every sign-up
# verification would fail later, in the background worker, where nobody sees it.
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="")
if env.str("EMAIL_URL", default=""):
    _email = env.email_url("EMAIL_URL")
    EMAIL_BACKEND = EMAIL_BACKEND or _email.pop("EMAIL_BACKEND")
    _email.pop("EMAIL_BACKEND", None)
    globals().update(_email)
elif not EMAIL_BACKEND:
    if not DEBUG and not TESTING:
        raise ImproperlyConfigured(
            "Set EMAIL_URL (e.g. smtp+tls://user:password@smtp.example.nl:587) when DEBUG is off, or "
            "EMAIL_BACKEND (e.g. django.core.mail.backends.console.EmailBackend to print e-mail in the log)."
        )
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# --- Internationalisation: Dutch first, English second -----------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
# Pages are translated with Wagtail's own locales, and shown at the Dutch page's address (cms/translation.py).
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# ``locale_overrides`` holds third-party strings said our way (allauth's Dutch says "je"; Samenlab
# says "u"). Every LOCALE_PATHS catalogue beats the apps' own; ``makemessages`` writes to the first
# path only, so ``locale`` stays first (its Dutch source catalogue has no allauth strings to compete).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_overrides"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# --- Static and media ----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
# Third-party front-end assets come from npm at set-up time (`npm ci`), never from a CDN.
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/utrecht", NODE_MODULES / "@utrecht" / "component-library-css" / "dist"),
    ("vendor/utrecht-tokens", NODE_MODULES / "@utrecht" / "design-tokens" / "dist"),
    ("vendor/leaflet", NODE_MODULES / "leaflet" / "dist"),
    ("vendor/leaflet.markercluster", NODE_MODULES / "leaflet.markercluster" / "dist"),
    ("vendor/idb", NODE_MODULES / "idb" / "build"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not (DEBUG or TESTING)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/media/"
# Uploads are served through core.views.serve_upload, which asks the owning object's rule. Behind nginx,
# set this to an internal location (e.g. "/protected-media/") and nginx sends the file (see README).
MEDIA_ACCEL_REDIRECT = env.str("MEDIA_ACCEL_REDIRECT", default="")
# How long browsers and proxies may keep a file of a public object; other files are never stored.
MEDIA_PUBLIC_MAX_AGE = env.int("MEDIA_PUBLIC_MAX_AGE", default=3600)
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# --- Wagtail -------------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Samenlab Molenlanden"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 40_000_000
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "odt", "xlsx", "ods", "txt"]

# --- API -----------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Every error answer has one body and every operation documents its errors (core/api.py).
    "DEFAULT_SCHEMA_CLASS": "core.api.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON numbers with a fraction or exponent reach the fields as the text sent (so 1e2 is refused as on the web).
    "DEFAULT_PARSER_CLASSES": ["core.parsers.ExactJSONParser", "rest_framework.parsers.FormParser",
                               "rest_framework.parsers.MultiPartParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_THROTTLE_RATES": {
        "mention_suggestions": env.str("MENTION_SUGGESTIONS_RATE", default="60/min"),
        # Per address: a village hall joins a workshop from one address, so it is generous.
        "workshop_join": env.str("WORKSHOP_JOIN_RATE", default="60/min"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Samenlab API",
    "DESCRIPTION": (
        "Public and participation API of Samenlab. Reading public data needs no log-in; everything else uses "
        "the site's session (log in at /accounts/login/) and sends the `csrftoken` cookie's value in an "
        "`X-CSRFToken` header. Every error answer has the body `Error`."
    ),
    # The session cookie is the site's, not a parameter a client chooses: not listed per operation.
    "AUTHENTICATION_WHITELIST": [],
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "PREPROCESSING_HOOKS": ["core.api.only_samenlab_api"],
    # The docs page loads Redoc from our own static files (drf-spectacular-sidecar), never from a CDN.
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Several models have a field called "status" or "kind"; name each choice set after its owner.
    "ENUM_NAME_OVERRIDES": {
        "InitiativeStatusEnum": "initiatives.models.initiative.Status",
        "PledgeStatusEnum": "initiatives.models.funding.Pledge.Status",
        "PledgeKindEnum": "initiatives.models.funding.Pledge.Kind",
        "ReactionKindEnum": "discussion.models.Reaction.Kind",
        "InitiativeThemeEnum": "initiatives.models.initiative.Theme",
        "ObservationThemeEnum": "maps.models.observations.ObservationTheme",
        "ObservationKindEnum": "maps.models.observations.ObservationKind",
        "WalkStateEnum": "maps.models.walks.WalkState",
        "LaneKindEnum": "lab.models.workshops.LaneKind",
        "FeelingKindEnum": "lab.models.workshops.FeelingKind",
        "WorkshopStateEnum": "lab.models.workshops.WorkshopState",
    },
}

# --- Live ----------------------------------------------------------------------------------------
LIVE_MAX_FRAME_BYTES = 16 * 1024
LIVE_REPLAY_LIMIT = 500
# Every live connection re-joins its group (a restarted Redis forgot it), catches up from the database
# and refreshes its presence entry this often; presence entries older than this (plus 5 s) are gone.
LIVE_REFRESH_SECONDS = env.int("LIVE_REFRESH_SECONDS", default=20)

# --- Maps ----------------------------------------------------------------------------------------
MAP_TILE_URL = env.str(
    "MAP_TILE_URL", default="https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png"
)
MAP_TILE_ATTRIBUTION = env.str("MAP_TILE_ATTRIBUTION", default="Kaartgegevens &copy; Kadaster")

# --- Hand-off to the municipality ----------------------------------------------------------------------
# Triaged observations go to the municipality's public-space system: "signalen" (Signalen's public API) or
# "open311" (GeoReport v2). With DEBUG on and no base URL set, both talk to the local stand-in
# (`manage.py run_signalen_standin`, started by `make run`); its token and key are not secrets.
MUNICIPAL_REPORTS_ADAPTER = env.str("MUNICIPAL_REPORTS_ADAPTER", default="signalen")
MUNICIPAL_REPORTS_STANDIN_URL = env.str("MUNICIPAL_REPORTS_STANDIN_URL", default="http://127.0.0.1:8765")
_use_standin = DEBUG and not env.str("SIGNALEN_BASE_URL", default="")
SIGNALEN_BASE_URL = env.str("SIGNALEN_BASE_URL", default=MUNICIPAL_REPORTS_STANDIN_URL if DEBUG else "")
# The private API's bearer token: only used to find a melding again by our reference (see maps/handoff).
SIGNALEN_TOKEN = env.str("SIGNALEN_TOKEN", default="standin" if _use_standin else "")
SIGNALEN_SOURCE = env.str("SIGNALEN_SOURCE", default="")  # empty: Signalen's default public source
_SIGNALEN_CATEGORIES = "/signals/v1/public/terms/categories"
SIGNALEN_CATEGORY_URLS = env.dict("SIGNALEN_CATEGORY_URLS", default={
    "paving": f"{_SIGNALEN_CATEGORIES}/wegen-verkeer-straatmeubilair/sub_categories/bestrating",
    "green": f"{_SIGNALEN_CATEGORIES}/openbaar-groen-en-water/sub_categories/onderhoud-groen",
    "lighting": f"{_SIGNALEN_CATEGORIES}/wegen-verkeer-straatmeubilair/sub_categories/lantaarnpaal-straatverlichting",
    "litter": f"{_SIGNALEN_CATEGORIES}/afval/sub_categories/zwerfafval",
    "play": f"{_SIGNALEN_CATEGORIES}/wegen-verkeer-straatmeubilair/sub_categories/speelplaats",
    "traffic": f"{_SIGNALEN_CATEGORIES}/wegen-verkeer-straatmeubilair/sub_categories/verkeersveiligheid",
    "accessibility": f"{_SIGNALEN_CATEGORIES}/wegen-verkeer-straatmeubilair/sub_categories/toegankelijkheid",
    "other": f"{_SIGNALEN_CATEGORIES}/overig/sub_categories/overig",
})
_use_open311_standin = DEBUG and not env.str("OPEN311_BASE_URL", default="")
OPEN311_BASE_URL = env.str("OPEN311_BASE_URL",
                           default=f"{MUNICIPAL_REPORTS_STANDIN_URL}/open311/v2/" if DEBUG else "")
OPEN311_API_KEY = env.str("OPEN311_API_KEY", default="standin" if _use_open311_standin else "")
OPEN311_JURISDICTION_ID = env.str("OPEN311_JURISDICTION_ID", default="")
# Send the first photo as a multipart "media" file (an extension some servers support; GeoReport v2 itself
# only takes a public media_url, which private walk photos do not have).
OPEN311_MULTIPART_MEDIA = env.bool("OPEN311_MULTIPART_MEDIA", default=False)
OPEN311_SERVICE_CODES = env.dict("OPEN311_SERVICE_CODES", default={
    "paving": "bestrating", "green": "groen", "lighting": "verlichting", "litter": "zwerfafval",
    "play": "speelplekken", "traffic": "verkeer", "accessibility": "toegankelijkheid", "other": "overig",
})
MUNICIPAL_REPORTS_REPORTER_EMAIL = env.str("MUNICIPAL_REPORTS_REPORTER_EMAIL", default="samenlab@localhost")
MUNICIPAL_REPORTS_TIMEOUT_SECONDS = env.float("MUNICIPAL_REPORTS_TIMEOUT_SECONDS", default=10.0)
# Longer than the slowest step (each call's time-out); renewed after the melding and after every photo.
MUNICIPAL_REPORTS_LEASE_SECONDS = env.int("MUNICIPAL_REPORTS_LEASE_SECONDS", default=300)
MUNICIPAL_REPORTS_MAX_ATTEMPTS = env.int("MUNICIPAL_REPORTS_MAX_ATTEMPTS", default=8)
MUNICIPAL_REPORTS_BACKOFF_BASE_SECONDS = env.int("MUNICIPAL_REPORTS_BACKOFF_BASE_SECONDS", default=60)
MUNICIPAL_REPORTS_BACKOFF_CAP_SECONDS = env.int("MUNICIPAL_REPORTS_BACKOFF_CAP_SECONDS", default=6 * 3600)
MUNICIPAL_REPORTS_CLOSED_RECHECK_SECONDS = env.int("MUNICIPAL_REPORTS_CLOSED_RECHECK_SECONDS", default=24 * 3600)

# --- Security ------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG and not TESTING:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

_tile_origin = "/".join(MAP_TILE_URL.split("/")[:3]) if MAP_TILE_URL.startswith("http") else ""
CONTENT_SECURITY_POLICY = {
    # Wagtail's admin relies on inline scripts; it is for signed-in staff only and stays outside.
    # /api/docs/ stays inside: its Redoc comes from our static files (it adds worker-src blob: itself).
    "EXCLUDE_URL_PREFIXES": ["/admin/", "/django-admin/"],
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # Leaflet positions tiles and markers with inline style attributes.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"] + ([_tile_origin] if _tile_origin else []),
        "connect-src": ["'self'", "ws:", "wss:"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        # Page-by-page and task-by-task chatter hides what matters in test and demo output.
        "wagtail": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
    },
}

# --- Samenlab -------------------------------------------------------------------------------------
SAMENLAB_MUNICIPALITY = "Molenlanden"
# Off while developing (templates change under your hands) and in tests (which turn it on themselves).
ANONYMOUS_PAGE_CACHE_SECONDS = env.int("ANONYMOUS_PAGE_CACHE_SECONDS", default=0 if (DEBUG or TESTING) else 300)
