# TrustGov: the front door. `make run` serves the demo; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-clock install assets chromium lint format migrate seed worker beat check-deploy bench bench-national bench-load clean

$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.lock
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

static/build/application.css: node_modules/.installed static/scss/application.scss
	npm run --silent build

install: $(VENV)/.installed node_modules/.installed static/build/application.css

assets: static/build/application.css

# Serve the app with demo data on SQLite, Celery eager (no broker needed).
run: install
	$(MANAGE) migrate --no-input
	$(MANAGE) seed_demo
	$(MANAGE) runserver $(HOST):$(PORT)

# Debian's Chromium for the browser tests (installed when missing and we are root).
chromium:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "Chromium is missing: install Debian's 'chromium' package (sudo apt-get install chromium)"; exit 1; fi; \
	fi

# The whole test suite (unit, API, permission matrix, browser + axe), on every core (pytest-xdist: each
# worker has its own test database and media folder; `--dist load` keeps pytest-django's order, so each
# worker runs its database tests before the transactional ones that empty its database). TEST_WORKERS=0: one process.
TEST_WORKERS ?= auto
XDIST = -n $(TEST_WORKERS) --dist load
test: install chromium
	$(PY) -m pytest $(XDIST) $(PYTEST_ARGS)

# The suite (browser tests aside) with the clock moved: a year ahead, the last day of a financial
# year, and the day after the Christmas bank holidays. Nothing may depend on the day it runs.
CLOCKS ?= 2027-12-01T09:00 2028-03-31T17:30 2027-12-29T08:30
test-clock: install
	@for moment in $(CLOCKS); do \
	  echo "== clock moved to $$moment =="; \
	  TRUSTGOV_TEST_CLOCK="$$moment" $(PY) -m pytest $(XDIST) -m "not browser" -q $(PYTEST_ARGS) || exit 1; \
	done

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint templates --lint

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

migrate: install
	$(MANAGE) migrate --no-input

seed: install
	$(MANAGE) seed_demo

worker: install
	$(VENV)/bin/celery -A trustgov worker -Q celery,reports,reminders --loglevel=info

beat: install
	$(VENV)/bin/celery -A trustgov beat --loglevel=info

check-deploy: install
	DJANGO_SETTINGS_MODULE=trustgov.settings.production DJANGO_SECRET_KEY=$$(openssl rand -hex 32) \
	  DJANGO_ALLOWED_HOSTS=trustgov.example.gov.uk SITE_URL=https://trustgov.example.gov.uk $(MANAGE) check --deploy --fail-level WARNING

# Benchmarks print tables (not timed tests): the dashboard (60 KPIs, 10 years) and a 20-page report.
bench: install
	$(PY) -m benchmarks.run
	$(PY) -m benchmarks.reports_bench

# National scale on PostgreSQL (155 trusts x 100 KPIs x 10 years), every row against its floor in one run.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/trustgov_bench
bench-national: install
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) -m benchmarks.national

# 50 users of mixed roles on 2 gunicorn workers for 60 s at national scale (local traffic only).
LOAD_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/trustgov_load
bench-load: install
	DATABASE_URL=$(LOAD_DATABASE_URL) $(PY) -m benchmarks.load

clean:
	rm -rf $(VENV) node_modules static/build staticfiles .test-media
