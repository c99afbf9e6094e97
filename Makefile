# Transfo — the two commands of the README are `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000
CODE := core transfo practices cases trainings bench

.PHONY: help install run test test-fast check format bench loadtest

help: ## Ce que fait chaque cible
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

install: $(VENV)/.installed ## Crée .venv avec les versions épinglées de requirements.lock

# Reinstalled only when the pinned versions change.
$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	touch $@

run: install ## Sert le site sur SQLite, contenu chargé (http://127.0.0.1:8000)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed
	$(PY) manage.py runserver $(HOST)

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

# Benchmark at 10,000 synthetic cases on a throwaway PostgreSQL (see bench/).
bench: install ## Mesure chaque type de page à 10 000 cas (PostgreSQL jetable)
	bash bench/run.sh

# 60 s of concurrent reads while editors write: zero errors, zero lost writes (see bench/).
loadtest: install ## 60 s de lectures pendant que des éditeurs écrivent
	bash bench/loadtest.sh
