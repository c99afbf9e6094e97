# Transfo — the two commands of the README are `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000

.PHONY: install run dev serve-settings test check audit bench loadtest

install: $(VENV)/.installed

# Reinstalled only when the pinned versions change.
$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	touch $@

# The product as visitors get it: debug off, gunicorn, static files by whitenoise. The secret key
# is generated once into .env.local (untracked) and read from there on every run.
RUN_ENV := DJANGO_DEBUG=False DJANGO_ALLOWED_HOSTS=$${DJANGO_ALLOWED_HOSTS:-localhost,127.0.0.1,[::1]}
WORKERS ?= 2

.env.local:
	umask 077 && $(PY) -c "import secrets; print('DJANGO_SECRET_KEY=' + secrets.token_urlsafe(50))" > $@

run: install .env.local
	set -a && . ./.env.local && set +a && export $(RUN_ENV) && \
	$(PY) manage.py migrate --noinput && \
	$(PY) manage.py seed && \
	$(PY) manage.py match_territories --apply-only && \
	$(PY) manage.py collectstatic --noinput --verbosity 0 && \
	exec $(VENV)/bin/gunicorn transfo.wsgi --bind $(HOST) --workers $(WORKERS) --access-logfile -

# For developers: runserver with debug pages and auto-reload.
dev: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed
	$(PY) manage.py match_territories --apply-only
	DJANGO_DEBUG=True $(PY) manage.py runserver $(HOST)

# The environment `make run` gives Django (the test of the production settings reads it).
serve-settings:
	@echo $(RUN_ENV)

test: install
	$(VENV)/bin/pytest

check: install
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/bandit -q -r transfo practices cases trainings bench -x "*/migrations/*"

# Lighthouse on the home page, a list and a case page of `make run`'s server (debug off), in
# Debian's Chromium. Reports under test-results/lighthouse/; the scores are printed.
AUDIT_PORT ?= 8765
audit: install .env.local
	npm ci --no-audit --no-fund --silent
	bash bench/audit.sh $(AUDIT_PORT)

# Benchmark at 10,000 synthetic cases on a throwaway PostgreSQL (see bench/).
bench: install
	bash bench/run.sh

# 60 s of concurrent reads while an editor writes: zero errors, zero lost writes (see bench/).
loadtest: install
	bash bench/loadtest.sh
