"""Settings for FamilieKracht: one module, configured from the environment.

Every variable is listed in `.env.example`. Defaults are safe for a laptop: DEBUG off
unless asked for, an embedded SQLite database when DATABASE_URL is unset, and Celery
tasks executed in-process when REDIS_URL is unset.
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def env_int_list(name: str, default: list[int]) -> list[int]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return [int(item) for item in raw.split(",") if item.strip()]
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be comma-separated integers, got {raw!r}") from exc


DEBUG = env_bool("DEBUG", False)
# The fallback key is only fit for development; `check --deploy` flags it (security.W009).
SECRET_KEY = os.environ.get("SECRET_KEY") or "django-insecure-development-only-key"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "cases",
    "phases",
    "network",
    "strengths",
    "reports",
    # The project package itself, for its management commands (seed_demo); no models.
    "familiekracht",
]

# The family file, composed here at the top (cases/sections.py): each app describes its own
# parts, these lists put them together, and `cases` imports none of the apps above it.
# Sections, in the method's order: the tabs of every family page, the panels of the
# overview and the apps' entries in the main navigation.
FAMILY_SECTIONS = [
    "cases.sections.overview",
    "cases.sections.plan",
    "phases.sections.phases",
    "strengths.sections.analysis",
    "strengths.sections.timeline",
    "network.sections.network",
    "cases.partners.sections.partners",
    "cases.agenda.sections.agenda",
    "reports.sections.reports",
    "cases.documents.sections.documents",
    "cases.portal.sections.messages",
    "cases.sections.records",
]
# What other apps show on the family plan page.
FAMILY_PLAN_SLOTS = ["reports.sections.plan_pdfs"]
# The caseload review's attention flags, shown on the coach's own landing page as well.
CASELOAD_ATTENTION = "reports.attention.caseload_attention"
# Fields other apps add to the contact form, saved by the contact services.
CONTACT_FORM_EXTENSIONS = [
    "network.contact_form.network_members_present",
    "cases.todo.contact_form.follow_up_task",
    "cases.partners.contact_form.professionals_present",
    "cases.elements.contact_form.working_elements",
]
# What other apps add to planned appointments (cases/agenda): who of the network is expected,
# and recording a planned network meeting or case review once it was held.
APPOINTMENT_EXTENSIONS = [
    "network.appointments.network_meeting",
    "reports.appointments.case_review",
]
# What the daily reminder job (phases.reminders.reminders_run) reminds of, in this order.
REMINDER_SOURCES = [
    "phases.reminders.phase_dues",
    "phases.reminders.no_contact_dues",
    "phases.reminders.approval_dues",
    "phases.reminders.aftercare_dues",
    "phases.reminders.appointment_dues",
    "reports.reviews.case_review_dues",
    "phases.reminders.legal_measure_dues",
    "phases.reminders.referral_answer_dues",
]
# Who a plan action by the network or a professional can be chosen from (cases/plan): each
# path gives, for a family and an action source, the choices (a name) of its app; free text
# stays possible.
PLAN_ACTION_WHO_CHOICES = [
    "cases.partners.plan.who_choices",
    "network.plan_choices.who_choices",
]
# What waits for the psychologist's decision ("Wacht op mij", cases.waiting): modules with
# items(user) and count(user), derived from the pending objects themselves.
WAITING_SOURCES = [
    "phases.waiting",
    "phases.extensions",
    "cases.plan.waiting",
]
# The family portal's pages and home-page cards from other apps (cases.portal.extensions):
# modules with `urlpatterns` under /gezin/, and modules with `card(request, access)` / NAV.
PORTAL_URLCONFS: list[str] = ["reports.portal.urls"]
PORTAL_SECTIONS: list[str] = ["reports.portal.sections", "network.portal"]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # django-otp's, reading the verified device with its user in one query.
    "familiekracht.middleware.OTPMiddleware",
    # A NUL character anywhere in the input gets a 400 page before any view, session lookup
    # or access-log row (PostgreSQL cannot store NUL in text: it would be a 500).
    "familiekracht.middleware.RefuseNulMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idle and absolute session limits, before any view trusts the session's user
    # (after MessageMiddleware: it tells the user why they must log in again).
    "familiekracht.middleware.SessionLimitMiddleware",
    # The user's chosen language (UserPreference), Dutch by default.
    "familiekracht.middleware.UserLanguageMiddleware",
    # Fail closed: a view without @login_not_required needs a logged-in user.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # After the password, the second factor (OTP_REQUIRED).
    "familiekracht.middleware.TwoFactorMiddleware",
    # A family member's portal log-in reaches only the portal (/gezin/...): staff pages 404.
    "cases.portal.middleware.PortalOnlyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "familiekracht.middleware.NoStoreMiddleware",
    # django-axes wants to be last: it turns a locked-out login into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "familiekracht.urls"
WSGI_APPLICATION = "familiekracht.wsgi.application"

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
                "cases.context_processors.membership",
                "cases.context_processors.waiting",
                "phases.context_processors.notifications",
            ],
        },
    },
]

# Database: embedded SQLite unless DATABASE_URL points elsewhere (PostgreSQL in production).
DATABASE_URL = os.environ.get("DATABASE_URL", "")
# Runs of the same query on a connection before psycopg prepares it (psycopg's default).
PREPARE_THRESHOLD = 5
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    # No JIT compilation of queries: the pages' queries run for milliseconds, and a plan
    # costed above jit_above_cost (a subquery that never runs is enough) spends more time
    # compiling than running. The coach-load page's aggregate over 10,000 families took
    # 33 ms with JIT (21 ms of it compiling), 12 ms without, on each of a connection's
    # first runs of it (planned for their values; the prepared statement's generic plan
    # after them was not compiled). Sent at connection start; a pooler that drops start-up
    # options needs `ALTER ROLE … SET jit = off` instead.
    if DATABASES["default"]["ENGINE"].endswith("postgresql"):
        # Beside any start-up options the URL gives (`?options=-c search_path=…`).
        db_options = DATABASES["default"].setdefault("OPTIONS", {})
        db_options["options"] = " ".join(filter(None, [db_options.get("options"), "-c jit=off"]))
    # Prepared statements on PostgreSQL: a query the connection has run before is neither
    # parsed nor planned again (planning took more of PostgreSQL's time than running the
    # family page's queries). Off (FK_DB_PREPARED_STATEMENTS=0) behind a pooler in
    # transaction mode that does not keep prepared statements.
    if DATABASES["default"]["ENGINE"].endswith("postgresql") and env_bool(
        "FK_DB_PREPARED_STATEMENTS", True
    ):
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            server_side_binding=True, prepare_threshold=PREPARE_THRESHOLD
        )
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / "db.sqlite3",
        }
    }
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: it refuses a locked-out username/address before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "cases:caseload"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploaded and generated files (documents, PDF plans) are private: they are never served
# from a public URL, only through the access gate (cases.storage keeps their register).
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# An S3-compatible bucket instead of MEDIA_ROOT (django-storages, `pip install
# "django-storages[s3]"`): private objects, read by the application only and streamed
# through the gate, so no object URL is ever handed out.
S3_BUCKET = os.environ.get("S3_BUCKET", "")
if S3_BUCKET:
    try:
        import storages  # noqa: F401
    except ImportError as missing:
        raise ImproperlyConfigured(
            "S3_BUCKET is set but django-storages is not installed: "
            'pip install "django-storages[s3]"'
        ) from missing
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("S3_PREFIX", ""),
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 60,
            "object_parameters": {"CacheControl": "private, no-store"},
        },
    }
WHITENOISE_USE_FINDERS = DEBUG

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Mail: console by default; SMTP when EMAIL_HOST is set.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "FamilieKracht <noreply@localhost>")

# Celery: a real broker when REDIS_URL is set, otherwise tasks run in-process.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = None
    CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Above the longest task (a PDF render takes seconds), so a slow task is not redelivered.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
# Recycle a worker child after it grows past ~300 MB (WeasyPrint can hold on to memory).
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env_int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", 300_000)
# The team report (reports.TeamReportSnapshot) and its fidelity table are read from a
# snapshot; a Celery job computes them anew every this many minutes, and a snapshot older
# than that asks for one (reports.teamreport).
FIDELITY_SNAPSHOT_MINUTES = env_int("FK_FIDELITY_SNAPSHOT_MINUTES", 30)
# Periodic jobs; each also has a management command running the same function.
# Exactly one beat process may run this schedule (see docker-compose.yml); CELERY_TIMEZONE
# makes 07:00 Amsterdam time in summer and winter.
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    "phase-reminders-daily": {
        "task": "phases.run_reminders",  # same code as `manage.py run_reminders`
        "schedule": crontab(hour=7, minute=0),
    },
    # Sends again, or marks failed, every PDF or export whose worker died (cases.taskstate).
    "task-states-sweep": {
        "task": "cases.sweep_tasks",  # same code as `manage.py sweep_tasks`
        "schedule": 60.0,
    },
    # Walks the access log's hash chain; alerts coordinators and superusers on a break.
    "access-log-verify-daily": {
        "task": "cases.verify_access_log",  # same code as `manage.py verify_access_log`
        "schedule": crontab(hour=3, minute=30),
    },
    # The caseload's per-family figures (reports.FamilyFigures) for the new day: until it
    # runs, pages compute the 4 weeks' minutes live (slower, never wrong).
    "family-figures-daily": {
        "task": "reports.refresh_family_figures",  # same code as `manage.py refresh_family_figures`
        "schedule": crontab(hour=0, minute=5),
    },
    # The caseload flags of the families a write changed since (reports.FamilyFigures.flags):
    # until then the caseload computes theirs live.
    "family-flags-stale": {
        "task": "reports.refresh_stale_flags",
        "schedule": 60.0 * 5,
    },
    # The team report per team and year (reports.TeamReportSnapshot), its fidelity table
    # (reports.FidelitySnapshot) computed first in the same job.
    "team-report-snapshots": {
        "task": "reports.refresh_team_reports_all",  # same code as `manage.py refresh_team_reports`
        "schedule": 60.0 * FIDELITY_SNAPSHOT_MINUTES,
    },
}

# Task-backed requests (a PDF, an inzage/afschrift) that the sweep watches (cases.taskstate):
# one still queued or running after TASK_STALE_SECONDS is sent again, and after
# TASK_MAX_ATTEMPTS marked failed. The limit is above the longest render (the heavy family's
# export volume takes well under a minute) and under what a user waits for.
TASK_STATE_MODELS = ["cases.RecordsExport", "reports.PlanPdf", "reports.ResearchExport"]
TASK_STALE_SECONDS = env_int("TASK_STALE_SECONDS", 300)
TASK_MAX_ATTEMPTS = env_int("TASK_MAX_ATTEMPTS", 3)

# Network members not contacted for this many weeks are listed to contact again
# (network page, "Contact houden").
NETWORK_STALE_WEEKS = env_int("NETWORK_STALE_WEEKS", 6)

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Access log (NEN 7513) hash chain (cases/log_chain.py): the HMAC key of every row's hash.
# Kept out of the database, so whoever can write rows cannot forge the chain. Set it before
# the first migrate and never change it: rows chained with another key fail verification.
# Unset (development), SECRET_KEY is used; `check --deploy` warns about that (cases.W001).
ACCESS_LOG_CHAIN_KEY = os.environ.get("FK_ACCESS_LOG_KEY", "")

# Log-in protection (ASVS 2.2), django-axes tuned in cases.accounts.login: 5 failed attempts
# per username + address lock that combination out for 15 minutes; 10 from one address,
# over any usernames, lock the address (username spraying). The address limit is higher so
# one office behind a NAT is not locked by one person's typos. Each failure and lock-out is
# also in cases.AccessLog.
LOCKOUT_USERNAME_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
LOCKOUT_ADDRESS_FAILURE_LIMIT = env_int("LOCKOUT_ADDRESS_FAILURE_LIMIT", 10)
AXES_FAILURE_LIMIT = "cases.accounts.login.failure_limit"  # picks one of the two above
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "cases.accounts.login.LockoutHandler"
AXES_USERNAME_CALLABLE = "cases.accounts.login.axes_username"
AXES_LOCKOUT_CALLABLE = "cases.accounts.login.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Behind a reverse proxy, set TRUSTED_PROXY_COUNT so the client address is read from
# X-Forwarded-For; otherwise that header is ignored (a client could forge it to dodge
# the lock-out).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT:
    AXES_IPWARE_PROXY_COUNT = TRUSTED_PROXY_COUNT
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)

# Sessions: 30 minutes idle, 10 hours in all (familiekracht.middleware.SessionLimitMiddleware).
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 30 * 60)
SESSION_ABSOLUTE_TIMEOUT = env_int("SESSION_ABSOLUTE_TIMEOUT", 10 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT
# The idle clock (and the cookie's expiry with it) moves on at most once a minute: a session
# is written when it changed, not on every request, which spares each page a database write.
# The idle limit is therefore counted to the minute (it may end up to a minute early).
SESSION_TOUCH_SECONDS = env_int("SESSION_TOUCH_SECONDS", 60)
SESSION_SAVE_EVERY_REQUEST = False

# Two-factor log-in (TOTP). Required for everyone when DEBUG is off; the demo users
# (OTP_EXEMPT_USERNAMES below) may skip it only where OTP_DEMO_EXEMPT allows (a demo machine).
OTP_REQUIRED = env_bool("OTP_REQUIRED", not DEBUG)
OTP_DEMO_EXEMPT = env_bool("OTP_DEMO_EXEMPT", DEBUG)
OTP_TOTP_ISSUER = "FamilieKracht"

# Who may log in without the second factor (familiekracht.middleware.otp_required_for): the
# demo users' usernames when OTP_DEMO_EXEMPT is on, else no one. A list here, not an import
# of the demo data, so the middleware depends on settings only; the demo data's tests check
# that these names are its users. `check --deploy` refuses a non-empty list (cases.E002).
DEMO_USERNAMES = [
    "coach-zuidoost",
    "coach2-zuidoost",
    "psycholoog-zuidoost",
    "coordinator-zuidoost",
    "coach-denhaag",
    "psycholoog-denhaag",
    "coordinator-denhaag",
    "onderzoeker",
    # The family portal's demo accounts (familiekracht/demo/portal.py).
    "ouder-zuidoost",
    "jongere-zuidoost",
]
OTP_EXEMPT_USERNAMES = DEMO_USERNAMES if OTP_DEMO_EXEMPT else []

# Two-factor enrolment (cases/accounts/services.py): a first enrolment under OTP_REQUIRED needs
# a one-time code from the coordinator, valid this many hours and voided after this many
# wrong tries; each enrolment gives this many single-use recovery codes.
ENROLMENT_CODE_HOURS = env_int("ENROLMENT_CODE_HOURS", 72)
ENROLMENT_CODE_MAX_ATTEMPTS = env_int("ENROLMENT_CODE_MAX_ATTEMPTS", 5)
RECOVERY_CODE_COUNT = env_int("RECOVERY_CODE_COUNT", 10)

# Content Security Policy (django-csp 4): no inline or third-party scripts. Inline styles
# stay allowed because server-side SVG charts carry style attributes; scripts do not.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Production hardening, active when DEBUG is off.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = not DEBUG and env_bool("SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# Load balancers probe /healthz over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = 0 if DEBUG else env_int("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Domain settings (DOMAIN.md marks these open: defaults, not constants).
FAMILIEKRACHT = {
    # Jeugdwet: files are kept this many years after the last change (DOMAIN.md).
    "RETENTION_YEARS": env_int("FK_RETENTION_YEARS", 20),
    # Inzage/afschrift as PDF: records per volume, so one render stays within the worker's
    # memory (cases.records.exports; the heavy family's export peaks at about 250 MB with
    # 150 records a volume, 302 MB with 250).
    "EXPORT_PDF_VOLUME_RECORDS": 150,
}

# Consent by the Jeugdwet's ages (cases/records/consent.py): under the first age the parents
# with gezag decide, from it the parents and the child, from the second the young person alone.
CONSENT_AGES = {"WITH_CHILD_FROM": 12, "CHILD_ALONE_FROM": 16}

# Legal measures per child (cases/models/legal.py): reminders this many weeks before a
# measure ends (phases.reminders.legal_measure_dues); the caseload review flags a measure
# ending within ENDS_SOON_DAYS (reports.attention.with_measure_ending_flag).
LEGAL_MEASURES = {
    "REMINDER_WEEKS": env_int_list("FK_LEGAL_MEASURE_REMINDER_WEEKS", [8, 4]),
    "ENDS_SOON_DAYS": 28,
}

# Phase reminders (phases/reminders.py); aftercare check-ins in months after closing.
# These dicts are the only place the defaults are written: code reads settings.PHASES[...]
# and settings.REPORTS[...] without a fallback of its own.
PHASES = {
    "ENDS_SOON_DAYS": 7,
    "NO_CONTACT_DAYS": env_int("FK_NO_CONTACT_DAYS", 14),
    "AFTERCARE_CHECKIN_MONTHS": env_int_list("FK_AFTERCARE_CHECKIN_MONTHS", [3, 6]),
    # A check-in shows up this many days before it is due and is still made this long after.
    "AFTERCARE_LEAD_DAYS": 7,
    "AFTERCARE_GRACE_DAYS": 30,
}

# Reports (reports/reviews.py): case review reminders show up this many days ahead; a case
# with more hours per week than this over the last 4 weeks counts as intensive (coach load).
REPORTS = {
    "CASE_REVIEW_LEAD_DAYS": env_int("FK_CASE_REVIEW_LEAD_DAYS", 7),
    "INTENSIVE_HOURS_PER_WEEK": env_int("FK_INTENSIVE_HOURS_PER_WEEK", 8),
    # The "ingezogen" check (reports/supervision/flags.py): a family longer than this in the
    # execution phase, or above its phase's weekly band on average over the last
    # ..._ABOVE_BAND_WEEKS, that was not discussed (case review or supervision) in the last
    # ..._DISCUSSION_WEEKS, is flagged on the caseload and the coach load.
    "SUCKED_IN_EXECUTION_WEEKS": env_int("FK_SUCKED_IN_EXECUTION_WEEKS", 26),
    "SUCKED_IN_ABOVE_BAND_WEEKS": env_int("FK_SUCKED_IN_ABOVE_BAND_WEEKS", 4),
    "SUCKED_IN_DISCUSSION_WEEKS": env_int("FK_SUCKED_IN_DISCUSSION_WEEKS", 8),
}

# Fidelity to the method (reports/fidelity.py): the deadlines of the method's elements, in
# days. The inclusion check counts from intake (the referral date), the plan, its evaluation
# dates and the network meeting from the start of the execution phase; the strengths
# analyses, timeline and network map are due when the analysis phase ends (its agreed end).
# A case review is due this many days after the start or the last review; an aftercare
# check-in counts as late this many days after its planned date.
FIDELITY = {
    "INCLUSION_CHECK_DAYS": env_int("FK_FIDELITY_INCLUSION_CHECK_DAYS", 14),
    "PLAN_DAYS": env_int("FK_FIDELITY_PLAN_DAYS", 14),
    "NETWORK_MEETING_DAYS": env_int("FK_FIDELITY_NETWORK_MEETING_DAYS", 42),
    "CASE_REVIEW_DAYS": env_int("FK_FIDELITY_CASE_REVIEW_DAYS", 91),
    "AFTERCARE_CHECKIN_DAYS": env_int("FK_FIDELITY_AFTERCARE_CHECKIN_DAYS", 14),
    # How many people of the network (outside the professionals' circle) make a map.
    "NETWORK_MAP_MIN_MEMBERS": env_int("FK_FIDELITY_NETWORK_MAP_MIN_MEMBERS", 1),
}

# Office hours (cases/models/contacts.py): a contact starting outside them (an evening, a
# weekend) is flagged in the contact list and counted in the team report. Weekdays are ISO
# (1 = Monday); a contact at START is inside, one at END is outside. Public holidays are not
# counted as outside office hours.
# The working elements a new team starts with (cases.WorkingElement, cases/elements): our
# own wording of the kinds in the taxonomy of working elements in family care; the
# coordinator renames, adds and deactivates them for the team.
WORKING_ELEMENT_DEFAULTS = [
    "Stress verminderen",
    "Praktische hulp",
    "Netwerk versterken",
    "Opvoedondersteuning",
    "Psycho-educatie",
    "Motiveren",
    "Zorg coördineren",
    "Vaardigheden oefenen",
    "Veiligheid bespreken",
]
# The team report shows the implementation questionnaire of a half year (its averages per
# area and its remarks, never with names) only from this many respondents on.
IMPLEMENTATION_MIN_RESPONDENTS = 3
OFFICE_HOURS = {
    "WEEKDAYS": [1, 2, 3, 4, 5],
    "START": "08:00",
    "END": "18:00",
}

# Tasks (cases/todo/): a follow-up task from a contact is due this many days later.
TASK_DEFAULT_DUE_DAYS = env_int("FK_TASK_DEFAULT_DUE_DAYS", 7)

# Documents in the family file (cases/documents/): the largest upload, in megabytes.
DOCUMENT_MAX_MB = env_int("FK_DOCUMENT_MAX_MB", 20)

# The search box in the navigation (cases/search/): at most this many families per search;
# on PostgreSQL a name also matches a word this similar (pg_trgm word_similarity, 0..1).
SEARCH_MAX_RESULTS = 50
SEARCH_WORD_SIMILARITY = 0.5
# Team roles that coach families: only these appear in the "Vaste hulpverlener" choice.
COACHING_ROLES = env_list("FK_COACHING_ROLES", ["coach"])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Research without names (reports.research): the secret the pseudonyms are keyed with, from
# the environment only (never in the database; each ResearchProject adds its own key id).
# Without it no dataset is built. Also in .env.example. A development run (`make run`,
# DEBUG on) has a fixed key so the demo researcher can download a dataset; production sets its own.
RESEARCH_SECRET = os.environ.get("RESEARCH_SECRET") or (
    "development-only-research-secret" if DEBUG else ""
)
# Any count of families on the research page below this shows as "<5" (small cells).
RESEARCH_MIN_CELL = 5
# Age bands instead of birth dates: (from, to) in whole years, to None for "and older".
RESEARCH_AGE_BANDS = [(0, 3), (4, 11), (12, 17), (18, 26), (27, 49), (50, 64), (65, None)]
# The providers of the trajectory table's columns, each a function returning a list of
# reports.research.columns.Column (the codebook is generated from them). Modules above
# reports.research add their provider here (e.g. fidelity, working elements, questionnaires
# of professionals).
RESEARCH_DATASET_COLUMNS = [
    "reports.research.columns.trajectory_columns",
    # Fidelity to the method, working elements ticked, the professionals' SDM.
    "reports.research.method_columns.method_columns",
]
# The family portal (cases/portal/): an invitation link is valid this many days; a portal
# account ends when the coach ends it or the file is closed; a file in aftercare keeps it
# until the aftercare period ends (AFTERCARE_ENDS: family -> its last day, or None).
PORTAL = {
    "INVITATION_DAYS": env_int("FK_PORTAL_INVITATION_DAYS", 7),
    "AFTERCARE_ENDS": "phases.portal.aftercare_ends_on",
}
