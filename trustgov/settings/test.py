"""Fast, isolated settings for the test suite."""

import os

from .base import *  # noqa: F403
from .base import BASE_DIR, env

DEBUG = False
SECRET_KEY = "test-only-not-secret"  # noqa: S105
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Each pytest-xdist worker (PYTEST_XDIST_WORKER) keeps its files apart, as it keeps its own database.
MEDIA_ROOT = env.path(
    "DJANGO_MEDIA_ROOT", default=str(BASE_DIR / ".test-media" / os.environ.get("PYTEST_XDIST_WORKER", "main"))
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True

# Tasks run in-process in tests even when a broker is configured (the CI PostgreSQL pass sets
# one), so `.delay().get()` never waits on a worker that is not there. The worker tests switch
# this off for their own calls and start a real `celery worker` (tests/core/test_celery_worker.py).
CELERY_TASK_ALWAYS_EAGER = True

# One process shares its local-memory cache, so the sign-in lockout counts correctly here; axes warns
# about it because several processes would not (production uses Redis).
SILENCED_SYSTEM_CHECKS = ["axes.W001"]

# Test-only: a report worker started with REPORTS_TEST_PAUSE_SECONDS waits so long after starting a document,
# so a test can kill it mid-task (tests/reports/test_worker_lost.py). Not set anywhere else: off.
REPORTS_TEST_PAUSE_SECONDS = env.float("REPORTS_TEST_PAUSE_SECONDS", default=0)
