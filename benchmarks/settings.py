"""Settings for the benchmarks' own server (benchmarks/load.py): the test settings, plus the floor page, and
the shared cache production has (Redis), so the gunicorn workers share what is cached per data version."""

import os

from trustgov.settings.test import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"
DEBUG = False
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/9"),
    }
}
