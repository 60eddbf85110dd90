# fairwitness — the two commands on a fresh machine are `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
DEMO_DIR ?= demo
DEMO_PEOPLE ?= 2000
DEMO_MONTHS ?= 6
DEMO_SEED ?= 1
DEMO_SERVE ?= 1
DEMO_PORT ?= 8000
# Test processes (pytest-xdist); each test module stays on one worker so its fixtures are built once.
# Two on a two-core machine: three took 16:29 against 14:04 and 14:22 for two (round 30; the suite is CPU-bound).
TEST_WORKERS ?= 2
export SPARK_LOCAL_IP ?= 127.0.0.1
# Python keeps the bytecode it compiles (__pycache__, ignored by git), whatever the environment says:
# with PYTHONDONTWRITEBYTECODE set (as these machines set it) every test process compiled the package and the
# tests again, and collecting the suite took 13.4-14.6 s against 7.0-8.5 s (round 31).
unexport PYTHONDONTWRITEBYTECODE

.PHONY: demo demo-accounts demo-credentials test bench accuracy install install-test system-deps clean

# Packages are installed with uv (pinned here, itself from PyPI): the same versions pip resolves
# (the two environments' freezes compared equal): the test extras in 50 s against pip's 83 s with
# warm caches (round 31). Compiled to bytecode at install, as pip does: a process started with
# PYTHONDONTWRITEBYTECODE set compiles nothing it imports, and importing the package with its libraries
# took 9.7-12.9 s without bytecode against 4.0 s with it.
UV_VERSION := 0.13.9
UV := $(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(BIN)/uv: | $(BIN)/python
	$(BIN)/pip install --quiet uv==$(UV_VERSION)

$(VENV)/.installed: pyproject.toml | $(BIN)/uv
	$(UV) -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/uv
	$(UV) -e '.[spark,postgres,test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test system-deps

# Servers and runtimes the tests use: a PostgreSQL server (the governance tests start
# a throwaway cluster), a Java runtime for Spark, Chromium for the browser tests (driven by
# Playwright, no browser download) and Pango for PDF reports.
system-deps:
	@if [ ! -x /usr/lib/postgresql/15/bin/initdb ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  echo "installing PostgreSQL server"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; fi
	@if ! command -v java >/dev/null 2>&1; then \
	  echo "installing a Java runtime for Spark"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null; fi
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "installing Chromium for the browser tests"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; fi
	@if ! ldconfig -p | grep -q libpangoft2; then \
	  echo "installing Pango for PDF reports"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core >/dev/null; fi

demo: install
	rm -rf $(DEMO_DIR)
	$(BIN)/fairwitness synth --people $(DEMO_PEOPLE) --months $(DEMO_MONTHS) --seed $(DEMO_SEED) --out $(DEMO_DIR)/force
	$(BIN)/fairwitness ingest $(DEMO_DIR)/force --workspace $(DEMO_DIR)/ws
	$(BIN)/fairwitness status --workspace $(DEMO_DIR)/ws
	$(BIN)/fairwitness run --workspace $(DEMO_DIR)/ws
	$(BIN)/fairwitness evaluate --workspace $(DEMO_DIR)/ws --truth $(DEMO_DIR)/force
	@$(MAKE) --no-print-directory demo-accounts
	$(BIN)/fairwitness flags --workspace $(DEMO_DIR)/ws --as reviewer1 --password reviewer1-demo-pass | head -n 40
	@$(MAKE) --no-print-directory demo-credentials
	@if [ "$(DEMO_SERVE)" != "0" ]; then $(BIN)/fairwitness serve --workspace $(DEMO_DIR)/ws --port $(DEMO_PORT); fi

# Demo accounts (synthetic data only; these passwords are for the demo and printed on purpose).
# Reviewers must be linked to a person of the workforce (conflict checks): the demo picks two
# officers who line-manage nobody, so only their own chain's cases are withheld from them.
demo-accounts:
	@W=$(DEMO_DIR)/ws; F=$(BIN)/fairwitness; \
	set -- $$($(BIN)/python -c "import duckdb,sys; c=duckdb.connect(sys.argv[1], read_only=True); \
	  print(*[r[0] for r in c.execute('SELECT staff_id FROM people p WHERE NOT EXISTS (SELECT 1 FROM people q WHERE q.line_manager_id = p.staff_id) AND line_manager_id IS NOT NULL ORDER BY staff_id LIMIT 2').fetchall()])" $$W/catalog.duckdb); \
	[ -n "$$2" ] || { echo "demo-accounts: no two officers without reports in $$W" >&2; exit 1; }; \
	S1=$$1; S2=$$2; \
	FAIRWITNESS_NEW_PASSWORD=demo-admin-pass $$F users create demo-admin --role admin --workspace $$W >/dev/null && \
	for spec in "reviewer1 senior_reviewer $$S1" "reviewer2 reviewer $$S2" "auditor auditor" "dpo dpo"; do set -- $$spec; \
	  FAIRWITNESS_NEW_PASSWORD=$$1-demo-pass $$F users create $$1 --role $$2 $${3:+--staff-id $$3} --workspace $$W \
	    --as demo-admin --password demo-admin-pass >/dev/null || exit 1; done && \
	$$F cases import --run $$(cat $$W/runs/CURRENT) --workspace $$W --as reviewer1 --password reviewer1-demo-pass

demo-credentials:
	@echo "" && echo "Web app: http://127.0.0.1:$(DEMO_PORT)/  (fairwitness serve --workspace $(DEMO_DIR)/ws)" && \
	echo "  reviewer1 / reviewer1-demo-pass   senior reviewer (assigns, decides, concurs)" && \
	echo "  reviewer2 / reviewer2-demo-pass   reviewer (decides, concurs: the second pair of eyes)" && \
	echo "  auditor   / auditor-demo-pass     auditor (audit log, verify)" && \
	echo "  dpo       / dpo-demo-pass         data protection officer (retention, subject access)" && \
	echo "  demo-admin / demo-admin-pass      administrator (accounts)"

test: install-test
	$(BIN)/pytest -q -n $(TEST_WORKERS) --dist loadfile --durations=30

bench: install-test
	$(BIN)/python -m benchmarks.run
	$(BIN)/python -m benchmarks.web

# recall / precision / decoys on fresh forces over several seeds, rotas and id formats
accuracy: install
	$(BIN)/python -m benchmarks.accuracy

clean:
	rm -rf $(VENV) $(DEMO_DIR) .pytest_cache
