# SSP-samarbejde. `make run` serves the demo; `make test` runs every check CI runs.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV_VERSION := 0.13.9
PYTEST_WORKERS ?= 2

.PHONY: help install run test lint format check-migrations messages browser clean backup restore \
	fault-postgres multinode compose-multinode loadtest demo-code

help:
	@echo "make run    - install, prepare the database and demo data, serve on http://localhost:8000"
	@echo "make test   - install, lint, check migrations and run the whole test suite"
	@echo "make demo-code - the demo logins' current two-factor code"
	@echo "make format - format the code with ruff"
	@echo "make messages - update and compile translations after changing user-facing text"
	@echo "make backup - write the database and stored files to backups/ssp-<timestamp>.tar"
	@echo "make restore ARCHIVE=<file> DATABASE=<name> - restore a backup into a new database"
	@echo "make fault-postgres - restart a throw-away PostgreSQL under load; the app must recover"
	@echo "make multinode - two web nodes behind HAProxy, two workers and beats, a replica; kills one of each"
	@echo "make compose-multinode - the same users through docker-compose.yml's multinode profile, on Docker"
	@echo "make loadtest - 50 simulated users against gunicorn on the seed_scale database"

$(VENV)/bin/uv:
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# Reinstall when the lock file changes; --frozen refuses a lock file out of step with pyproject.
$(VENV)/.installed: uv.lock pyproject.toml | $(VENV)/bin/uv
	UV_PROJECT_ENVIRONMENT=$(VENV) $(VENV)/bin/uv sync --frozen --quiet
	touch $@

node_modules/.installed: package-lock.json package.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed

# preflight creates the two database roles (ssp_owner migrates, ssp_app runs the app) and the
# database when missing; migrate runs as the owner and grants ssp_app (docs/security.md).
run: install
	$(PY) manage.py preflight
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo
	@echo
	@echo "SSP-samarbejde runs on http://localhost:8000 (stop with Ctrl-C)."
	$(VENV)/bin/honcho -f Procfile.dev start

demo-code: $(VENV)/.installed
	@$(PY) manage.py demo_code

browser:
	@command -v chromium >/dev/null || { echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# The layers (import-linter, [tool.importlinter] in pyproject.toml) and module length are
# architecture rules: an import against the layers or a module past its limit fails the build.
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) -m devtools.module_length

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check-migrations: install
	$(PY) manage.py makemigrations --check --dry-run

# The suite runs as the runtime role ssp_app; the owner ssp_owner creates and migrates the test
# database (both created by preflight when missing). With DATABASE_URL pointing at a superuser
# and no DATABASE_MIGRATE_URL it runs as that one role.
test: install browser lint check-migrations
	$(PY) manage.py preflight --no-create
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --durations=10

# Not part of `make test`: it starts its own PostgreSQL cluster and gunicorn (about 40 s).
fault-postgres: install
	$(PY) tests/fault/postgres_restart.py

# Not part of `make test`: two gunicorn nodes behind HAProxy (Debian's package, installed when
# missing), two Celery workers and beats, a primary and a streaming replica of its own (about
# 3 minutes); kills a node and a worker mid-run (docs/multinode.md).
multinode: install
	@command -v haproxy >/dev/null || { echo "Installing Debian's haproxy for the multi-node test"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null; }
	$(PY) tests/fault/multinode.py

# Not part of `make test`: docker-compose.yml's multinode profile on Docker, with the users of
# `make multinode` (about 10 minutes with the first image build). The public images it names
# are pulled, or built from Debian's packages where Docker Hub is out of reach.
COMPOSE_IMAGES := python:3.11-slim-bookworm postgres:15 redis:7 haproxy:2.8
compose-multinode: install
	@for image in $(COMPOSE_IMAGES); do docker image inspect $$image >/dev/null 2>&1 \
		|| docker pull -q $$image >/dev/null 2>&1 || { docker/standins/build.sh && break; }; done
	$(PY) tests/fault/compose_multinode.py

messages: install
	$(PY) manage.py makemessages -l en --no-obsolete --ignore=.venv --ignore=node_modules --ignore=tests
	$(PY) manage.py compilemessages -l en --ignore=.venv --ignore=node_modules

# The archive holds children's data in clear text: encrypt it and store it off-site.
backup: $(VENV)/.installed
	$(PY) manage.py backup

# DATABASE has no default, so the live database is never replaced by a forgotten argument.
restore: $(VENV)/.installed
	@if [ -z "$(ARCHIVE)" ] || [ -z "$(DATABASE)" ]; then \
		echo "Usage: make restore ARCHIVE=backups/ssp-YYYYmmdd-HHMMSS.tar DATABASE=<new database>"; \
		echo "(stored files go to PRIVATE_MEDIA_ROOT; see manage.py restore --help for --force)"; \
		exit 2; \
	fi
	$(PY) manage.py restore "$(ARCHIVE)" --database "$(DATABASE)"

# Against the scale data set (seed_scale): LOADTEST_DATABASE_URL names its database.
LOADTEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/ssp_scale
# LOADTEST_ARGS="--nodes 2 --workers 2": two gunicorn nodes behind HAProxy (issue 18).
LOADTEST_ARGS ?=
loadtest: $(VENV)/.installed
	DATABASE_URL=$(LOADTEST_DATABASE_URL) $(PY) manage.py loadtest $(LOADTEST_ARGS)

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .ruff_cache
