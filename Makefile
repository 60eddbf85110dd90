# fairwitness — the two commands on a fresh machine are `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
DEMO_DIR ?= demo
DEMO_PEOPLE ?= 2000
DEMO_MONTHS ?= 6
DEMO_SEED ?= 1
export SPARK_LOCAL_IP ?= 127.0.0.1
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: demo test bench accuracy install install-test system-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[spark,postgres,test]'
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
	FAIRWITNESS_NEW_PASSWORD=demo-password-1 $(BIN)/fairwitness users create demo-admin --role admin --workspace $(DEMO_DIR)/ws
	FAIRWITNESS_NEW_PASSWORD=demo-password-1 $(BIN)/fairwitness users create demo-analyst --role analyst --workspace $(DEMO_DIR)/ws --as demo-admin --password demo-password-1
	$(BIN)/fairwitness flags --workspace $(DEMO_DIR)/ws --as demo-analyst --password demo-password-1 | head -n 40

test: install-test
	$(BIN)/pytest -q

bench: install-test
	$(BIN)/python -m benchmarks.run

# recall / precision / decoys on fresh forces over several seeds, rotas and id formats
accuracy: install
	$(BIN)/python -m benchmarks.accuracy

clean:
	rm -rf $(VENV) $(DEMO_DIR) .pytest_cache
