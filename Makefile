# Transfo — the two commands of the README are `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000
CODE := core transfo practices cases trainings bench

.PHONY: help install run dev serve-settings test test-fast check format audit bench loadtest

help: ## Ce que fait chaque cible
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

install: $(VENV)/.installed ## Crée .venv avec les versions épinglées de requirements.lock

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

run: install .env.local ## Sert le site comme en production (débogage coupé), contenu chargé, sur http://127.0.0.1:8000
	set -a && . ./.env.local && set +a && export $(RUN_ENV) && \
	$(PY) manage.py migrate --noinput && \
	$(PY) manage.py seed && \
	$(PY) manage.py match_territories --apply-only && \
	$(PY) manage.py collectstatic --noinput --verbosity 0 && \
	exec $(VENV)/bin/gunicorn transfo.wsgi --bind $(HOST) --workers $(WORKERS) --access-logfile -

# For developers: runserver with debug pages and auto-reload.
dev: install ## Pour développer : runserver avec les pages de débogage
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed
	$(PY) manage.py match_territories --apply-only
	DJANGO_DEBUG=True $(PY) manage.py runserver $(HOST)

# The environment `make run` gives Django (the test of the production settings reads it).
serve-settings:
	@echo $(RUN_ENV)

test: install ## Toute la suite de tests (navigateur compris)
	$(VENV)/bin/pytest

test-fast: install ## La suite sans le navigateur, en parallèle, base de test réutilisée
	$(VENV)/bin/pytest -m "not browser" -n auto --reuse-db -q

check: install ## ruff, vérifications de Django, migrations à jour, bandit
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/bandit -q -r $(CODE) -x "*/migrations/*"

format: install ## Formate le code (ruff) et les gabarits (djade)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	$(VENV)/bin/djade --target-version 5.2 $$(git ls-files 'templates/*.html')

# Lighthouse on the home page, a list and a case page of `make run`'s server (debug off), in
# Debian's Chromium. Reports under test-results/lighthouse/; the scores are printed.
AUDIT_PORT ?= 8765
audit: install .env.local ## Lighthouse sur l'accueil, une liste et une fiche (npm ci, Chromium)
	npm ci --no-audit --no-fund --silent
	bash bench/audit.sh $(AUDIT_PORT)

# Benchmark at 10,000 synthetic cases on a throwaway PostgreSQL (see bench/).
bench: install ## Mesure chaque type de page à 10 000 cas (PostgreSQL jetable)
	bash bench/run.sh

# 60 s of concurrent reads while editors write: zero errors, zero lost writes (see bench/).
loadtest: install ## 60 s de lectures pendant que des éditeurs écrivent
	bash bench/loadtest.sh
