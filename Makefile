# LAPOR: `make run` serves the site with demo data; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install install-dev run test test-pg lint typecheck migrate seed demo clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@touch $@

$(DEV_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	@touch $@ $(STAMP)

install: $(STAMP)

install-dev: $(DEV_STAMP)

migrate: install
	$(BIN)/lapor migrate --noinput

seed: migrate
	$(BIN)/lapor seed

# Demo data only once: a second `make run` keeps what you did in the first.
var/.demo-loaded:
	$(BIN)/lapor seed --demo
	@touch $@

run: migrate
	$(BIN)/lapor seed
	@$(MAKE) --no-print-directory var/.demo-loaded
	$(BIN)/lapor collectstatic --noinput --verbosity 0
	@$(BIN)/lapor demo_accounts
	$(BIN)/lapor serve --host $(HOST) --port $(PORT)

# The whole suite on SQLite; on PostgreSQL too when DATABASE_URL is set.
test: $(DEV_STAMP)
	DATABASE_URL= $(BIN)/pytest
	@if [ -n "$$DATABASE_URL" ]; then echo "--- again on $$DATABASE_URL"; $(BIN)/pytest; fi

lint: $(DEV_STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

clean:
	rm -rf $(VENV) var
