"""Settings for the benchmarks' own server (benchmarks/load.py): the test settings, plus the floor page."""

from trustgov.settings.test import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"
DEBUG = False
