"""Celery application.

With no CELERY_BROKER_URL the settings make every task run eagerly in-process
(the embedded default); with one set, tasks go to Redis and a worker runs them.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trustgov.settings.local")

app = Celery("trustgov")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
