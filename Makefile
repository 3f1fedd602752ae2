# Koshqon: the commands a newcomer needs. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed
RUN_STAMP := $(VENV)/.installed-run
REPLICAS ?= 1

.PHONY: run test test-fast up down status bench lint clean

# The platform alone (what `make run` needs), then the test and development tools on top.
$(RUN_STAMP): pyproject.toml
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e .
	@touch $(RUN_STAMP)

$(STAMP): $(RUN_STAMP)
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

## run: the whole platform in one process (SQLite files, in-process bus); no servers needed
run: $(RUN_STAMP)
	$(VENV)/bin/koshqon run

## test: every test, on SQLite and on the real PostgreSQL and Kafka of deploy/local
test: $(STAMP)
	@bash scripts/test.sh

## test-fast: the tests that need no PostgreSQL or Kafka
test-fast: $(STAMP)
	$(VENV)/bin/pytest -m "not infra" -q

## up: the full stack: local PostgreSQL and Kafka, each service its own process (REPLICAS=n)
up: $(RUN_STAMP)
	@bash deploy/local/up.sh
	@REPLICAS=$(REPLICAS) bash deploy/local/services.sh start

## down: stop the services and the local PostgreSQL and Kafka
down:
	@bash deploy/local/services.sh stop || true
	@bash deploy/local/down.sh

## bench: intake, ceiling, freshness and memory on the full stack; figures in bench/results/
bench: $(STAMP)
	@bash deploy/local/up.sh >/dev/null
	@source deploy/local/env.sh && $(VENV)/bin/python -m bench.run $(BENCH_ARGS)

status:
	@bash deploy/local/services.sh status

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy shared services

clean:
	rm -rf var/data var/run var/log
