# Refuge: `make run` to try it, `make test` to check it, `make bench` to measure it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= refuge.db
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test bench install install-test vendor postgres tools browser screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed vendor

install-test: $(VENV)/.installed-test vendor

# The web app's Leaflet and htmx come from npm at build time, pinned, into a git-ignored folder that the
# app serves itself: nothing is fetched from outside when it runs. A new pin here vendors them again.
LEAFLET_VERSION := 1.9.4
HTMX_VERSION := 2.0.11
VENDOR := src/refuge/web/static/vendor
NPM_BUILD := build/npm

vendor: $(VENDOR)/VERSIONS

$(VENDOR)/VERSIONS: Makefile
	@command -v npm >/dev/null || apt-get install -y -q npm >/dev/null || (apt-get update -q && apt-get install -y -q npm)
	rm -rf $(NPM_BUILD) $(VENDOR) && mkdir -p $(NPM_BUILD)/leaflet $(NPM_BUILD)/htmx $(VENDOR)/images
	cd $(NPM_BUILD) && npm pack --silent leaflet@$(LEAFLET_VERSION) htmx.org@$(HTMX_VERSION) >/dev/null
	tar -xzf $(NPM_BUILD)/leaflet-$(LEAFLET_VERSION).tgz -C $(NPM_BUILD)/leaflet
	tar -xzf $(NPM_BUILD)/htmx.org-$(HTMX_VERSION).tgz -C $(NPM_BUILD)/htmx
	cp $(NPM_BUILD)/leaflet/package/dist/leaflet.js $(NPM_BUILD)/leaflet/package/dist/leaflet.css $(VENDOR)/
	cp $(NPM_BUILD)/leaflet/package/dist/images/*.png $(VENDOR)/images/
	cp $(NPM_BUILD)/htmx/package/dist/htmx.min.js $(VENDOR)/
	printf 'leaflet %s\nhtmx.org %s\n' $(LEAFLET_VERSION) $(HTMX_VERSION) > $@

# Loads the Land of Fire demo when the database is absent, then serves the web app and the JSON API and
# prints the demo's sign-ins (one per role) when the database is the demo.
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

# The browser tests drive Debian's Chromium headless through Playwright (never `playwright install`).
browser:
	@if ! command -v chromium >/dev/null; then \
		apt-get install -y -q chromium >/dev/null || (apt-get update -q && apt-get install -y -q chromium); \
	fi

test: install-test postgres tools browser
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

# Pictures of the main pages at desk and phone sizes, for docs/web.md.
screenshots: install-test browser
	$(BIN)/python -m tests.e2e.screenshots docs/screenshots

bench: install-test postgres
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis $(NPM_BUILD) $(VENDOR)
