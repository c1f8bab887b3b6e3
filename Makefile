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
.PHONY: help venv $(VENV) deps migrate demo run test lint mutation bench clean

help:
	@echo "targets: run test lint mutation bench migrate demo deps venv clean"

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

# Mutation testing of the core with mutmut in a scratch copy; prints the kill rate per module
# and fails while a surviving mutant is neither killed by a test nor explained in
# docs/mutation-equivalents.md. SCOPE=scoring is the fast subset CI runs. Always on SQLite (in
# memory): two mutmut workers must not share one PostgreSQL test database.
MUTATION_DIR ?= $(or $(TMPDIR),/tmp)/jixiao-mutation
SCOPE ?=
mutation: venv
	rm -rf $(MUTATION_DIR)
	$(PY) bin/mutation_report.py prepare $(MUTATION_DIR) $(if $(SCOPE),--scope $(SCOPE))
	cd $(MUTATION_DIR) && env -u DATABASE_URL -u REDIS_URL -u JIXIAO_CELERY_WORKER_TESTS \
		$(CURDIR)/$(VENV)/bin/mutmut run --max-children 2 \
		> mutmut.log 2>&1 || { tail -n 40 mutmut.log; exit 1; }
	$(PY) bin/mutation_report.py report $(MUTATION_DIR) --strict

bench: venv
	@set -e; for script in bench/[!_]*.py; do \
		if [ ! -e "$$script" ]; then echo "bench: no bench/*.py scripts yet"; break; fi; \
		echo "== $$script"; $(PY) "$$script"; \
	done

clean:
	rm -rf var .pytest_cache .ruff_cache .mypy_cache bench/out
	find . -path ./$(VENV) -prune -o -path ./.git -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
