# LAPOR: `make run` serves the site with demo data; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install install-dev run test test-pg lint typecheck migrate seed demo clean bandit soak security-doc

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

# Every remaining finding carries an inline `# nosec BXXX: reason`.
bandit: $(DEV_STAMP)
	$(BIN)/bandit -r src -q -c pyproject.toml

# Not in CI: the load of tests/resilience held SOAK_MINUTES on a throwaway PostgreSQL + Redis (JSON out).
SOAK_MINUTES ?= 30
soak: $(DEV_STAMP)
	SOAK_MINUTES=$(SOAK_MINUTES) $(BIN)/python -m tests.resilience.soak

lint: $(DEV_STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

# docs/security.md gathers the threat model kept beside each part's code (docs/security/*.md).
SECURITY_PARTS := overview accounts uploads-and-personal-data audit adversarial resilience reads-at-scale performance routing
security-doc:
	@{ cat docs/security/overview.md; for part in $(filter-out overview,$(SECURITY_PARTS)); do \
	  echo; sed -e 's/^#/##/' docs/security/$$part.md; done; } > docs/security.md

clean:
	rm -rf $(VENV) var

# --- Benchmarks (bench/README.md; not part of CI). Each part runs alone; `make bench` runs them all and
# ends with bench/results/summary.json. They need PostgreSQL (BENCH_PG) and, for HTTP, wrk.
BENCH_PG ?= postgres://postgres@127.0.0.1:5432
BENCH_SCALES ?= 100000 1000000 10000000
.PHONY: bench bench-tools bench-intake bench-instructions bench-peer bench-reads bench-sweep bench-routing bench-summary

bench-tools:
	@command -v psql >/dev/null || { echo "bench: psql (postgresql-client) is required"; exit 1; }
	@command -v wrk >/dev/null || { command -v apt-get >/dev/null && apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; } || \
		{ echo "bench: wrk is required (Debian/Ubuntu: apt-get install wrk; macOS: brew install wrk)"; exit 1; }

bench-intake: $(DEV_STAMP) bench-tools
	$(BIN)/python bench/intake.py

# Intake in instructions (valgrind), beside the floor: the same on a quiet machine and a loaded one.
bench-instructions: $(DEV_STAMP)
	@command -v valgrind >/dev/null || { command -v apt-get >/dev/null && apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind; } || \
		{ echo "bench: valgrind is required (Debian/Ubuntu: apt-get install valgrind)"; exit 1; }
	$(BIN)/python bench/instructions.py

bench-peer: $(DEV_STAMP) bench-tools
	$(BIN)/python bench/peer.py

# One database per size (about 35 GB in all): the growth passes alternate between the smallest and
# the largest, so both stay loaded.
bench-reads: $(DEV_STAMP)
	@for n in $(BENCH_SCALES); do \
		$(BIN)/python bench/generate.py --reports $$n --database-url $(BENCH_PG)/lapor_bench_$$n && \
		$(BIN)/python bench/reads.py --database-url $(BENCH_PG)/lapor_bench_$$n || exit 1; \
	done
	$(BIN)/python bench/growth.py --small $(BENCH_PG)/lapor_bench_$(firstword $(BENCH_SCALES)) \
		--large $(BENCH_PG)/lapor_bench_$(lastword $(BENCH_SCALES))

bench-sweep: $(DEV_STAMP)
	@if [ -f bench/sweep.py ]; then \
		$(BIN)/python bench/generate.py --reports 1000000 --open-around-now --database-url $(BENCH_PG)/lapor_bench_sweep && \
		$(BIN)/python bench/sweep.py --database-url $(BENCH_PG)/lapor_bench_sweep; \
	else echo "bench/sweep.py not present: sweep skipped"; fi

bench-routing: $(DEV_STAMP)
	$(BIN)/python bench/routing.py

bench-summary:
	$(BIN)/python bench/summary.py

bench: bench-intake bench-reads bench-sweep bench-routing
	@$(MAKE) --no-print-directory bench-summary
