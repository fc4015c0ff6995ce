"""Local development: SQLite and eager Celery unless the environment says otherwise."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="local-development-only-not-secret")  # noqa: S105
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])

# One process shares its local-memory cache, so the sign-in lockout counts correctly here; axes warns
# about it because several processes would not (production uses Redis).
SILENCED_SYSTEM_CHECKS = ["axes.W001"]
