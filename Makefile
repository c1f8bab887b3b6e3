# jixiao — developer and CI entry points (GNU make).
#   make run    system packages, venv, migrate, demo data, dev server on 127.0.0.1:8000
#   make test   the whole pytest suite; PYTEST_ARGS="-k foo -x" narrows it
#   make lint   ruff, mypy and the import-linter contracts; all must pass
#   make bench  bench/*.py (not bench/_*.py helpers), one after the other
#   .ci/run     what CI runs: PostgreSQL + Redis, `make test` with the Celery worker tests on,
#               then `make lint`

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=

# $(call require_python,interpreter): stop with a clear message unless it is Python >= 3.11.
define require_python
@$(1) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null || { \
	if command -v $(1) >/dev/null 2>&1; then found=$$($(1) --version 2>&1); else found="not found"; fi; \
	echo "jixiao needs Python >= 3.11, but '$(1)' is: $$found" >&2; \
	echo "Install Python 3.11+ and run e.g.: make PYTHON=python3.11 $(MAKECMDGOALS)" >&2; \
	exit 1; }
endef

.DEFAULT_GOAL := help
.PHONY: help venv $(VENV) deps migrate demo run test lint bench clean

help:
	@echo "targets: run test lint bench migrate demo deps venv clean"

# The venv is created once; the project and its [dev] extras are (re)installed only when
# pyproject.toml is newer than the stamp, so a second `make venv` does nothing.
venv $(VENV): $(STAMP)

$(PY):
	$(call require_python,$(PYTHON))
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(call require_python,$(PY))
	$(VENV)/bin/pip install -e '.[dev]'
	@touch $(STAMP)

deps:
	@bin/system-deps

migrate: venv
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

run: deps venv migrate demo
	$(PY) manage.py runserver 127.0.0.1:8000

test: deps venv
	$(PY) -m pytest $(PYTEST_ARGS)

# Style, types (mypy + django-stubs, settings in pyproject.toml) and the import rules of
# ARCHITECTURE.md (import-linter contracts in pyproject.toml). All three run even when one
# fails, so one pass shows every complaint; any failure fails the target.
lint: venv
	@status=0; \
	$(VENV)/bin/ruff check . || status=1; \
	$(VENV)/bin/mypy || status=1; \
	$(VENV)/bin/lint-imports --no-cache || status=1; \
	exit $$status

bench: venv
	@set -e; for script in bench/[!_]*.py; do \
		if [ ! -e "$$script" ]; then echo "bench: no bench/*.py scripts yet"; break; fi; \
		echo "== $$script"; $(PY) "$$script"; \
	done

clean:
	rm -rf var .pytest_cache .ruff_cache .mypy_cache bench/out
	find . -path ./$(VENV) -prune -o -path ./.git -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
