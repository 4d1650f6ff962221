# The verbs people need. `make run` and `make test` do all set-up on a bare machine with Python >= 3.11.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: help install install-dev run serve test test-fast worker beat up lint fmt migrate seed bench screenshots messages requirements clean css

help:
	@echo "make run      - install, migrate, load demo data and serve http://$(HOST):$(PORT) (SQLite, tasks in-process)"
	@echo "make test     - install and run the whole test suite"
	@echo "make worker   - a Celery worker (needs REDIS_URL)"
	@echo "make up       - web + worker + beat as local processes (needs DATABASE_URL and REDIS_URL)"
	@echo "make lint     - ruff, the import floors (lint-imports) and the migrations check;  make fmt - format the code"
	@echo "make bench    - the benchmarks in bench/ (needs PostgreSQL)"
	@echo "make messages - bring every translation catalogue up to date with the code (docs/translations.md)"
	@echo "make css      - the Pico subsets after a template or stylesheet change (docs/performance.md)"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "SEMPRE needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	$(BIN)/python manage.py migrate --noinput

# HOST and PORT: seed_demo ends with the address runserver will serve.
seed: migrate
	HOST=$(HOST) PORT=$(PORT) $(BIN)/python manage.py seed_demo

run: seed
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

serve: install
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Tests handed out one at a time, the ones marked `slow` first and longest first (tests/conftest.py):
# neither process is left with a long test at the end while the other has nothing to do. The 25
# slowest are listed at the end (docs/testing.md, "The slowest tests"): the suite should stay under 5 minutes.
# Compiled modules are kept in __pycache__ (ignored by git) even where the environment asks Python
# not to (PYTHONDONTWRITEBYTECODE): each test process, Celery worker and manage.py the tests start
# would otherwise compile the same modules again (docs/testing.md, "Compiled once").
test: install-dev
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -n 2 --dist load --maxschedchunk 1 --durations=25 $(PYTEST_ARGS)

test-fast: install-dev
	$(BIN)/python -m pytest -x -q $(PYTEST_ARGS)

worker: install
	$(BIN)/celery -A config worker --loglevel=INFO --max-tasks-per-child=50

beat: install
	$(BIN)/celery -A config beat --loglevel=INFO --schedule=var/celerybeat-schedule

up: migrate
	$(BIN)/honcho start -f Procfile

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run

fmt: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: install-dev
	$(BIN)/python bench/run.py

screenshots: install-dev
	$(BIN)/python -m pytest -m browser tests/browser -k screenshots

# Re-pin requirements*.txt from pyproject.toml with pip-tools: exact versions (kept as they are
# unless pyproject.toml asks for others), no index URLs, host names or local paths. requirements-dev.txt
# is the dev extra on top of requirements.txt, complete in itself.
PIP_COMPILE = $(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-trusted-host \
	--no-emit-find-links
requirements: | $(BIN)/python
	$(BIN)/pip install --quiet pip-tools==7.6.2
	$(PIP_COMPILE) --output-file=requirements.txt pyproject.toml
	$(PIP_COMPILE) --extra=dev --constraint=requirements.txt --output-file=requirements-dev.txt pyproject.toml

# Every catalogue (locale/<language>/LC_MESSAGES/django.po) brought up to date with the code, then
# compiled. New and changed messages come out empty or fuzzy: translate them (docs/translations.md).
MESSAGES_IGNORE = --ignore=.venv --ignore=var --ignore=bench --ignore=tests --ignore=node_modules
messages: install
	$(BIN)/python manage.py makemessages --all $(MESSAGES_IGNORE)
	$(BIN)/python manage.py compilemessages $(MESSAGES_IGNORE)

clean:
	rm -rf $(VENV) var/staticfiles

# The Pico subsets (issue #15): static/vendor/pico/pico.subset.min.css for every staff page and
# static/css/quick-log.min.css for the quick log, both committed (no build step for `make run`);
# tests/sempre/web/test_pico_subset.py says when they are out of date (tools/pico_subset.py).
css: install
	$(BIN)/python tools/pico_subset.py write
