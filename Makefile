# Commune loudspeaker system: the two commands a newcomer needs are `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench soak lint sysdeps venv clean

$(STAMP): requirements.txt requirements-dev.txt broadcast_agents/requirements.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $(STAMP)

venv: $(STAMP)

sysdeps:
	@bash scripts/ensure_sysdeps.sh

## run: the whole product with embedded defaults (SQLite, local broker, demo commune).
run: sysdeps venv
	$(BIN)/python scripts/run_demo.py

## test: the whole suite (starts its own brokers; PostgreSQL is found or started).
test: venv
	@bash scripts/ensure_sysdeps.sh --test
	TT_TEST_PG_URL="$$(bash scripts/ensure_postgres.sh)" PATH="$$PATH:/usr/sbin" \
		$(BIN)/python -m pytest -q

## bench: every benchmark under bench/, one report in var/bench-report.md.
bench: sysdeps venv
	PATH="$$PATH:/usr/sbin" $(BIN)/python bench/run_all.py

## soak: 200 simulated nodes, broadcasts, broker restarts for 10 min (SOAK_ARGS=--quick: 1 min).
soak: venv
	PATH="$$PATH:/usr/sbin" $(BIN)/python scripts/soak.py $(SOAK_ARGS)

lint: venv
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) var/*.db var/demo
