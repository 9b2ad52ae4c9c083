"""Tongban's one settings module, driven by environment variables.

Every variable has a default that runs the embedded platform (SQLite and local files under
``./var``, the database task queue worked in-process). Production (``TONGBAN_ENV=production``)
refuses to start without the secrets and hosts it needs. ``docs/configuration.md`` lists them.
"""

import ipaddress
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from tongban.accounts.signin.oidc_settings import providers_from_environment
from tongban.core.logs import logging_settings
from tongban.core.mail_settings import mail_settings  # hardening: no console mail in production
from tongban.core.private_files import private_dir, private_sqlite_database, write_private_text

SRC_DIR = Path(__file__).resolve().parent
PROJECT_DIR = SRC_DIR.parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [part.strip() for part in env(name, default).split(",") if part.strip()]


ENVIRONMENT = env("TONGBAN_ENV", "embedded")  # embedded | production | test
PRODUCTION = ENVIRONMENT == "production"
VAR_DIR = Path(env("TONGBAN_VAR_DIR", str(Path.cwd() / "var"))).resolve()
DATA_DIR = Path(env("TONGBAN_DATA_DIR", str(PROJECT_DIR / "data"))).resolve()
private_dir(VAR_DIR)  # hardening: keys, the database and uploads live here; 0700


def _secret_key() -> str:
    configured = env("TONGBAN_SECRET_KEY")
    if configured:
        return configured
    if PRODUCTION:
        raise ImproperlyConfigured("TONGBAN_SECRET_KEY must be set when TONGBAN_ENV=production.")
    # Embedded mode: generate once and keep it, so sessions survive a restart.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        write_private_text(key_file, secrets.token_urlsafe(50))
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()


def _generated_key(name: str, file_name: str, make) -> str:
    """A key from the environment; in embedded mode generated once into VAR_DIR and kept."""
    configured = env(name)
    if configured:
        return configured
    if PRODUCTION:
        raise ImproperlyConfigured(f"{name} must be set when TONGBAN_ENV=production.")
    key_file = VAR_DIR / file_name
    if not key_file.exists():
        write_private_text(key_file, make())
    return key_file.read_text().strip()


def _fernet_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()


# Field encryption (core.crypto): comma-separated Fernet keys, the first encrypts, all decrypt.
TONGBAN_FIELD_KEYS = env_list(
    "TONGBAN_FIELD_KEYS", _generated_key("TONGBAN_FIELD_KEYS", "field_keys", _fernet_key)
)
# Keyed hash (HMAC-SHA256) for looking up and de-duplicating encrypted identifiers.
TONGBAN_LOOKUP_KEY = _generated_key(
    "TONGBAN_LOOKUP_KEY", "lookup_key", lambda: secrets.token_urlsafe(32)
)
DEBUG = env_bool("TONGBAN_DEBUG", False)
ALLOWED_HOSTS = env_list(
    "TONGBAN_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,[::1],testserver"
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("TONGBAN_ALLOWED_HOSTS must be set when TONGBAN_ENV=production.")
CSRF_TRUSTED_ORIGINS = env_list("TONGBAN_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    # The admin has no sign-in of its own: the platform's sign-in (with MFA) opens it.
    "tongban.accounts.signin.admin_config.PlatformSignInAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "tongban.accounts.signin",  # before allauth: its templates theme allauth's pages
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.usersessions",
    "django_tasks",
    "django_tasks_db",
    "tongban.core",
    "tongban.catalog",
    "tongban.accounts",
    "tongban.documents",
    "tongban.records",
    "tongban.certificates",
    "tongban.notifications",
    "tongban.cases",
    "tongban.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "tongban.core.middleware.ContentSecurityPolicyMiddleware",
    # hardening: no-store on every personal response (outside the auth middleware on purpose).
    "tongban.core.middleware.PrivateResponsesNotStoredMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    # Staff sessions: second factor passed, idle timeout, end at browser close.
    "tongban.accounts.signin.staff_sessions.StaffSessionMiddleware",
    "tongban.accounts.signin.mfa_enforcement.StaffTotpEnrolmentMiddleware",
]

ROOT_URLCONF = "tongban.urls"
WSGI_APPLICATION = "tongban.wsgi.application"
ASGI_APPLICATION = "tongban.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tongban.web.context_processors.my_places",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
DATABASE_URL = env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'tongban.sqlite3'}")
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web workers read while the in-process task worker writes.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
    if DATABASES["default"]["NAME"] != ":memory:":
        private_sqlite_database(Path(DATABASES["default"]["NAME"]))  # hardening: 0600, not 0644
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (rate limits, allauth's TOTP replay guard) ----------------------------------
REDIS_URL = env("TONGBAN_REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {
        "default": {
            # The database cache is shared by every web worker process, unlike locmem.
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "tongban_cache",
        }
    }

# --- Background tasks -----------------------------------------------------------------
TASK_BACKEND = env("TONGBAN_TASKS", "database")  # database | rq | immediate
TASKS = {
    "default": {
        "database": {"BACKEND": "django_tasks_db.DatabaseBackend"},
        "rq": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]},
        "immediate": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    }[TASK_BACKEND]
}
if TASK_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL or "redis://127.0.0.1:6379/0"}}
# Task leases (core.tasklease): a database worker beats every third of the lease while it runs a
# task; a task RUNNING past the lease whose worker fell silent is queued again, and after
# TONGBAN_TASK_MAX_RUNS runs that all lost their worker it is marked failed.
TONGBAN_TASK_LEASE_SECONDS = float(env("TONGBAN_TASK_LEASE_SECONDS", "300"))
TONGBAN_TASK_MAX_RUNS = int(env("TONGBAN_TASK_MAX_RUNS", "3"))
if TONGBAN_TASK_LEASE_SECONDS <= 0 or TONGBAN_TASK_MAX_RUNS < 1:
    raise ImproperlyConfigured("TONGBAN_TASK_LEASE_SECONDS must be > 0, TONGBAN_TASK_MAX_RUNS ≥ 1.")

# --- Files ----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing
MEDIA_ROOT = VAR_DIR / "media"
FILE_UPLOAD_PERMISSIONS, FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o600, 0o700  # hardening: not umask
MEDIA_URL = "/media/"
STORAGE_BACKEND = env("TONGBAN_STORAGE", "filesystem")  # filesystem | s3
STORAGES = {
    "default": (
        {"BACKEND": "django.core.files.storage.FileSystemStorage"}
        if STORAGE_BACKEND == "filesystem"
        else {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": env("TONGBAN_S3_BUCKET"),
                "endpoint_url": env("TONGBAN_S3_ENDPOINT") or None,
                "access_key": env("TONGBAN_S3_ACCESS_KEY"),
                "secret_key": env("TONGBAN_S3_SECRET_KEY"),
                "default_acl": None,
                "querystring_auth": True,
            },
        }
    ),
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Languages ------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", "简体中文"),
    ("zh-hant", "繁體中文"),
    ("en", "English"),
    ("pt", "Português"),
]
LOCALE_PATHS = [SRC_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Accounts -------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None  # accounts.User signs in by email and has no username
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "tongban.accounts.role_permissions.RolePermissionBackend",  # roles → admin permissions
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "web:start"  # each role lands where its work is
# Sign-in (tongban.accounts.signin): email or phone + password, TOTP/passkeys, OIDC providers.
ACCOUNT_ADAPTER = "tongban.accounts.signin.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email", "phone"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "phone", "password1*", "password2*"]
# Mandatory: an address is proven before use, and sign-up cannot tell whether one is taken.
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True  # only in the browser session that signed up
ACCOUNT_PREVENT_ENUMERATION = True
# login_failed: allauth applies it to MFA codes only (per address, and per account); wrong
# passwords get growing delays per account and client instead (TONGBAN_SIGNIN_* below), so a
# stranger cannot lock the owner out.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/5m/key",
}
MFA_ADAPTER = "tongban.accounts.signin.adapters.MfaAdapter"
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = "Tongban"
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = not PRODUCTION  # http://127.0.0.1 in embedded mode
USERSESSIONS_TRACK_ACTIVITY = False  # True writes a row on every signed-in request
SOCIALACCOUNT_ADAPTER = "tongban.accounts.signin.adapters.SocialAccountAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # a provider's e-mail never takes over an account
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_PROVIDERS: dict = providers_from_environment(os.environ)
# hardening: outgoing mail (core.mail_settings); production refuses console/locmem/file mail.
(EMAIL_BACKEND, EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS,
 EMAIL_USE_SSL, EMAIL_TIMEOUT) = mail_settings(os.environ, production=PRODUCTION)  # fmt: skip
DEFAULT_FROM_EMAIL = env("TONGBAN_FROM_EMAIL", "noreply@tongban.invalid")

# --- Security -------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("TONGBAN_SECURE_COOKIES", PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("TONGBAN_SSL_REDIRECT", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
SECURE_HSTS_SECONDS = 31536000 if PRODUCTION else 0
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "tongban.accounts.passwords.BreachedPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Logging: structlog, JSON lines in production, readable lines otherwise --------------
LOG_LEVEL = env("TONGBAN_LOG_LEVEL", "INFO")
LOGGING = logging_settings(LOG_LEVEL)  # core.logs; hardening: its console handler redacts secrets

# --- Tongban --------------------------------------------------------------------------
TONGBAN_DEMO = env_bool("TONGBAN_DEMO", False)
if PRODUCTION and TONGBAN_DEMO:
    raise ImproperlyConfigured("TONGBAN_DEMO cannot be on when TONGBAN_ENV=production.")
TONGBAN_CATALOG_DIR = DATA_DIR / "catalog"
TONGBAN_IMPORT_MAX_BYTES = int(env("TONGBAN_IMPORT_MAX_BYTES", str(20 * 1024 * 1024)))
TONGBAN_NAME = _("Tongban cross-border services")

# --- Audit trail (core.audit) -----------------------------------------------------------
TONGBAN_AUDIT_SIGNER = env("TONGBAN_AUDIT_SIGNER", "builtin")  # a core.audit_signing registry name
# Ed25519 private key (PEM or base64 of the 32-byte seed); embedded: generated into VAR_DIR.
TONGBAN_AUDIT_SIGNING_KEY = env("TONGBAN_AUDIT_SIGNING_KEY")
TONGBAN_AUDIT_RETIRED_PUBLIC_KEYS = env_list("TONGBAN_AUDIT_RETIRED_PUBLIC_KEYS", "")
TONGBAN_AUDIT_SIGN_EVERY = int(env("TONGBAN_AUDIT_SIGN_EVERY", "1000"))  # events; 0 = only cron

# --- Documents (documents.keys, documents.services) -----------------------------------------
# Ed25519 private keys: PEM file paths, inline PEM or base64 32-byte seeds; the first signs,
# all verify. Embedded default: generated into VAR_DIR/signing/. Required to sign in production.
TONGBAN_SIGNING_KEYS = env_list("TONGBAN_SIGNING_KEYS", "")
# Public keys (base64 raw 32 bytes, or PEM paths) of retired keys: old documents keep verifying.
TONGBAN_SIGNING_RETIRED_PUBLIC_KEYS = env_list("TONGBAN_SIGNING_RETIRED_PUBLIC_KEYS", "")
# The public address printed on documents and in their QR codes (…/verify).
TONGBAN_PUBLIC_URL = env("TONGBAN_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
TONGBAN_VERIFICATIONS_PER_MINUTE = int(env("TONGBAN_VERIFICATIONS_PER_MINUTE", "30"))

# --- Department records (records.providers) and certificates ---------------------------------
# Which provider answers each kind: "local" (built-in tables) or "http" (a department system);
# e.g. "*=local,social_insurance=http". docs/records-providers.md describes the HTTP contract.
TONGBAN_RECORD_PROVIDERS = env_list("TONGBAN_RECORD_PROVIDERS", "*=local")
TONGBAN_RECORDS_HTTP_URL = env("TONGBAN_RECORDS_HTTP_URL")
TONGBAN_RECORDS_HTTP_TOKEN = env("TONGBAN_RECORDS_HTTP_TOKEN")
TONGBAN_RECORDS_HTTP_TIMEOUT = float(env("TONGBAN_RECORDS_HTTP_TIMEOUT", "5"))
# Kiosk sessions end after this many idle seconds (server-side; the page counts down too).
TONGBAN_KIOSK_IDLE_SECONDS = int(env("TONGBAN_KIOSK_IDLE_SECONDS", "120"))
# How kiosk one-time codes are sent (certificates.kiosk.sms_channels); embedded: "log".
TONGBAN_KIOSK_SMS_CHANNEL = env("TONGBAN_KIOSK_SMS_CHANNEL", "log")

# --- Notifications (notifications app) and rating follow-ups (cases.rating_followups) ------------
# Channels besides the in-app inbox, by registered name: "email" (EMAIL_BACKEND above) and "sms"
# (built in: logs masked numbers, prints texts on the terminal outside production).
TONGBAN_NOTIFICATION_CHANNELS = env_list("TONGBAN_NOTIFICATION_CHANNELS", "email,sms")
TONGBAN_NOTIFICATION_MAX_ATTEMPTS = int(env("TONGBAN_NOTIFICATION_MAX_ATTEMPTS", "5"))
TONGBAN_NOTIFICATION_RETRY_SECONDS = int(env("TONGBAN_NOTIFICATION_RETRY_SECONDS", "60"))
TONGBAN_NOTIFICATION_STUCK_MINUTES = int(env("TONGBAN_NOTIFICATION_STUCK_MINUTES", "15"))
# Working days (mainland calendar) to call back and settle a bad rating; locally 5–15.
TONGBAN_RATING_FOLLOWUP_DAYS = int(env("TONGBAN_RATING_FOLLOWUP_DAYS", "5"))

# --- Cases (cases.attachments, cases.deadlines) -------------------------------------------------
TONGBAN_UPLOAD_MAX_FILE_BYTES = int(env("TONGBAN_UPLOAD_MAX_FILE_BYTES", str(20 * 1024 * 1024)))
TONGBAN_UPLOAD_MAX_CASE_BYTES = int(env("TONGBAN_UPLOAD_MAX_CASE_BYTES", str(100 * 1024 * 1024)))
TONGBAN_UPLOAD_MAX_PIXELS = int(env("TONGBAN_UPLOAD_MAX_PIXELS", "40000000"))  # per image
TONGBAN_UPLOAD_SCANNER = env("TONGBAN_UPLOAD_SCANNER", "none")  # a cases.scanning registry name
# hardening: ClamAV (cases.clamav, docs/malware-scanning.md): a Unix socket, else host and port.
TONGBAN_CLAMD_SOCKET = env("TONGBAN_CLAMD_SOCKET")
TONGBAN_CLAMD_HOST = env("TONGBAN_CLAMD_HOST", "127.0.0.1")
TONGBAN_CLAMD_PORT = int(env("TONGBAN_CLAMD_PORT", "3310"))
TONGBAN_CLAMD_TIMEOUT = float(env("TONGBAN_CLAMD_TIMEOUT", "30"))
# When the scanner cannot be reached: "refuse" the upload, or "accept" it as not scanned.
TONGBAN_UPLOAD_SCANNER_UNAVAILABLE = env("TONGBAN_UPLOAD_SCANNER_UNAVAILABLE", "refuse")
if TONGBAN_UPLOAD_SCANNER_UNAVAILABLE not in {"refuse", "accept"}:
    raise ImproperlyConfigured("TONGBAN_UPLOAD_SCANNER_UNAVAILABLE must be refuse or accept.")
# A case's deadline is "due soon" with at most this many working days left.
TONGBAN_CASE_DUE_SOON_DAYS = int(env("TONGBAN_CASE_DUE_SOON_DAYS", "3"))
# Working days an applicant is given to hand in supplements, unless the reviewer says otherwise.
TONGBAN_CASE_SUPPLEMENT_DAYS = int(env("TONGBAN_CASE_SUPPLEMENT_DAYS", "15"))

# --- Staff sessions and API tokens (accounts.signin.staff_sessions, accounts.tokens) ---------
# Staff sessions end after this many idle minutes and at browser close (not applicants').
TONGBAN_STAFF_IDLE_MINUTES = int(env("TONGBAN_STAFF_IDLE_MINUTES", "15"))
# Decisions and token creation re-ask the password when the last re-authentication is older.
ACCOUNT_REAUTHENTICATION_TIMEOUT = int(env("TONGBAN_REAUTHENTICATION_SECONDS", "300"))
TONGBAN_API_TOKEN_DAYS = int(env("TONGBAN_API_TOKEN_DAYS", "90"))  # unless chosen otherwise
TONGBAN_API_TOKEN_MAX_DAYS = int(env("TONGBAN_API_TOKEN_MAX_DAYS", "365"))

# --- Anti-automation (rate limits, client addresses, sign-in delays) ---------------------
# Reverse proxies whose X-Forwarded-For is believed (addresses or networks, comma-separated).
TONGBAN_TRUSTED_PROXIES = env_list("TONGBAN_TRUSTED_PROXIES", "")
try:
    for _proxy in TONGBAN_TRUSTED_PROXIES:
        ipaddress.ip_network(_proxy, strict=False)
except ValueError as _error:
    raise ImproperlyConfigured(f"TONGBAN_TRUSTED_PROXIES: {_error}") from _error
TONGBAN_PERSON_LOOKUPS_PER_HOUR = int(env("TONGBAN_PERSON_LOOKUPS_PER_HOUR", "60"))
TONGBAN_SIGNIN_FREE_ATTEMPTS = int(env("TONGBAN_SIGNIN_FREE_ATTEMPTS", "5"))
TONGBAN_SIGNIN_MAX_DELAY_SECONDS = int(env("TONGBAN_SIGNIN_MAX_DELAY_SECONDS", "900"))
TONGBAN_SIGNIN_ATTEMPTS_PER_MINUTE = int(env("TONGBAN_SIGNIN_ATTEMPTS_PER_MINUTE", "10"))
TONGBAN_SIGNIN_ALERT_AFTER = int(env("TONGBAN_SIGNIN_ALERT_AFTER", "5"))
TONGBAN_SIGNIN_ALERT_HOURS = int(env("TONGBAN_SIGNIN_ALERT_HOURS", "24"))
ACCOUNT_FORMS = {"signup": "tongban.accounts.signin.signup_form.SignupForm"}
