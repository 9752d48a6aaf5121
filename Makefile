# Kanalvakt's two set-up commands: `make demo` and `make test`.
# Both install what is missing (Debian packages, the virtualenv, Python
# packages, compiled translations) and then run.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3.13
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.kanalvakt-installed
PORT ?= 8000
# pytest-xdist workers; 0 runs in one process.
PYTEST_WORKERS ?= 2
export PORT

.PHONY: help demo test setup debian-packages messages lint typecheck test-sqlite test-postgres

help:
	@echo "make demo   install what is missing, seed demo data, serve on http://127.0.0.1:$(PORT)/ (PORT=...)"
	@echo "make test   install what is missing, then ruff, mypy, pytest on SQLite and on PostgreSQL"

demo: setup
	scripts/demo.sh

test: setup lint typecheck test-sqlite test-postgres

setup: debian-packages $(STAMP) messages

debian-packages:
	@scripts/ensure-debian-packages.sh

$(BIN)/python: | debian-packages
	@if ! command -v $(PYTHON) >/dev/null 2>&1 || ! $(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 13))' >/dev/null 2>&1; then \
		echo "error: Kanalvakt needs Python 3.13 as '$(PYTHON)' (pyenv: 'pyenv install 3.13', honouring .python-version), or run make PYTHON=/path/to/python3.13" >&2; \
		exit 1; \
	fi
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -qq --disable-pip-version-check -e '.[dev]'
	@# eark-validator pins lxml==5.1.0 (no wheel for 3.13); it works with lxml 6.
	$(BIN)/python -m pip install -qq --disable-pip-version-check --no-deps 'eark-validator==1.1.3'
	@# Screening's start-up cache, built once at install (about 5 s) rather than by the
	@# first process that screens; a machine where it cannot be kept just builds in memory.
	-$(BIN)/kanalvakt screen --prepare >/dev/null
	touch $@

# Compile .po files when there are any; compilemessages skips up-to-date ones.
messages: $(STAMP)
	@if find kanalvakt -name '*.po' -print -quit | grep -q .; then \
		cd kanalvakt && KANALVAKT_INSECURE_DEV_KEY=1 ../$(BIN)/kanalvakt compilemessages -v0; \
	fi

lint: $(STAMP)
	@echo "== ruff"
	$(BIN)/ruff check .

typecheck: $(STAMP)
	@echo "== mypy --strict"
	KANALVAKT_INSECURE_DEV_KEY=1 $(BIN)/mypy

test-sqlite: $(STAMP) messages
	@echo "== pytest on SQLite"
	env -u DATABASE_URL $(BIN)/pytest -n $(PYTEST_WORKERS)

test-postgres: $(STAMP) messages
	@echo "== pytest on PostgreSQL"
	scripts/with-postgres.sh $(BIN)/pytest -n $(PYTEST_WORKERS)
