"""Production: every secret comes from the environment, with no default."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL").rstrip("/")  # required: emails carry absolute links

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True

# The sign-in lockout (django-axes) and the API throttle (DRF) count in this cache, shared by every
# web process: Redis (CACHE_URL, e.g. redis://redis:6379/1), never one process's memory.
CACHES = {"default": env.cache("CACHE_URL", default="redis://127.0.0.1:6379/1")}
if CACHES["default"]["BACKEND"] != "django.core.cache.backends.redis.RedisCache":
    raise ImproperlyConfigured("CACHE_URL must be a Redis URL (redis:// or rediss://)")
# Council officers, trust executives and DfE users set up two-factor sign-in (ADR 0012).
TRUSTGOV_REQUIRE_2FA = env.bool("TRUSTGOV_REQUIRE_2FA", default=True)

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
# The API document names this site (base.py built it from the default SITE_URL).
SPECTACULAR_SETTINGS = {
    **SPECTACULAR_SETTINGS,  # noqa: F405
    "SERVERS": [{"url": SITE_URL, "description": "This TrustGov site"}],
    "CONTACT": {"name": "TrustGov API documentation", "url": f"{SITE_URL}/api/docs/"},
}

# GOV.UK Notify, when chosen, needs its key and template, with no default.
if NOTIFICATIONS_BACKEND == "notify":  # noqa: F405
    for _name in ("GOVUK_NOTIFY_API_KEY", "GOVUK_NOTIFY_TEMPLATE_ID"):
        if not env(_name, default=""):
            raise ImproperlyConfigured(f"NOTIFICATIONS_BACKEND is 'notify': set {_name} (GOV.UK Notify)")
