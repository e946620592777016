# Refuge: `make run` to try it, `make test` to check it, `make bench` to measure it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= refuge.db
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test bench install install-test postgres tools clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

# Loads the Land of Fire demo when the database is absent, then serves the JSON API and prints the
# demo's sign-ins (one per role) when the database is the demo.
run: install
	@if [ ! -f "$(DB)" ]; then $(BIN)/refuge --db "$(DB)" demo; fi
	$(BIN)/refuge --db "$(DB)" serve --host $(HOST) --port $(PORT)

# The integration tests need the local PostgreSQL server; start it if it is down.
postgres:
	@if command -v pg_isready >/dev/null && ! pg_isready -q -h 127.0.0.1 -p 5432; then \
		pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start; \
	fi

# Printed maps are checked by turning the PDF into pages with poppler's pdftoppm.
tools:
	@if ! command -v pdftoppm >/dev/null; then \
		apt-get install -y -q poppler-utils >/dev/null || (apt-get update -q && apt-get install -y -q poppler-utils); \
	fi

test: install-test postgres tools
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

bench: install-test postgres
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
