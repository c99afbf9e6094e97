# Transfo — the two commands of the README are `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000

.PHONY: install run test check bench loadtest

install: $(VENV)/.installed

# Reinstalled only when the pinned versions change.
$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	touch $@

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed
	$(PY) manage.py runserver $(HOST)

test: install
	$(VENV)/bin/pytest

check: install
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/bandit -q -r transfo practices cases trainings bench -x "*/migrations/*"

# Benchmark at 10,000 synthetic cases on a throwaway PostgreSQL (see bench/).
bench: install
	bash bench/run.sh

# 60 s of concurrent reads while an editor writes: zero errors, zero lost writes (see bench/).
loadtest: install
	bash bench/loadtest.sh
