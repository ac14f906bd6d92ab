# caredesk: `make run` serves the app with demo data; `make test` runs the whole suite.
# Both set everything up on a fresh machine that has only Python 3.11.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
CHROMIUM := /usr/bin/chromium
XGETTEXT := /usr/bin/xgettext
# English is the source; these are the catalogues' languages (docs/i18n.md).
LANGS := pt_BR it bg
CATALOGUES := $(foreach l,$(LANGS),$(foreach d,django djangojs,caredesk/locale/$(l)/LC_MESSAGES/$(d).mo))
MANAGE := CAREDESK_VAR_DIR=$(CURDIR)/var SECRET_KEY=messages ../$(BIN)/python -m caredesk

.PHONY: run test lint format bench clean messages catalogues

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $(VENV)/.installed $@

var/secret_key:
	mkdir -p var
	$(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	chmod 600 $@

# The compiled catalogues (.mo) are built here, never committed: Babel compiles them, so
# running needs no GNU gettext. Fuzzy entries are left out, as Django's compilemessages does.
caredesk/locale/%.mo: caredesk/locale/%.po | $(VENV)/.installed
	$(BIN)/pybabel -q compile -i $< -o $@

catalogues: $(CATALOGUES)

# Extracting the marked strings needs GNU gettext's xgettext (a developer's and the tests' tool).
$(XGETTEXT):
	@if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq gettext; \
	else sudo apt-get update -qq && sudo apt-get install -y -qq gettext; fi

# After marking strings: adds them, empty, to every catalogue; translate them, then `make`.
messages: $(VENV)/.installed $(XGETTEXT)
	cd caredesk && $(MANAGE) makemessages $(foreach l,$(LANGS),-l $(l)) --add-location=file --no-obsolete -i 'static/*' -i 'var/*'
	cd caredesk && $(MANAGE) makemessages -d djangojs $(foreach l,$(LANGS),-l $(l)) --add-location=file --no-obsolete -i 'static/caredesk/htmx.min.js' -i 'static/caredesk/vendor/*' -i 'var/*'
	sed -i '/^"POT-Creation-Date: /d' caredesk/locale/*/LC_MESSAGES/*.po  # a date in every file: merge conflicts
	$(MAKE) catalogues

run: $(VENV)/.installed var/secret_key catalogues
	SECRET_KEY="$$(cat var/secret_key)" $(BIN)/caredesk migrate --no-input -v 0
	SECRET_KEY="$$(cat var/secret_key)" $(BIN)/caredesk seed-demo
	@echo "Open http://$(HOST):$(PORT)/ and log in with one of the demo logins above."
	SECRET_KEY="$$(cat var/secret_key)" exec $(BIN)/caredesk serve --host $(HOST) --port $(PORT)

# The browser tests drive Debian's Chromium; install it when it is missing (needs root/apt).
$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
	else sudo apt-get update -qq && sudo apt-get install -y -qq chromium; fi

test: $(VENV)/.installed-test $(CHROMIUM) $(XGETTEXT) catalogues
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/pytest $(PYTEST_ARGS)

lint:
	$(BIN)/ruff check .
	$(BIN)/lint-imports

format:
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(VENV)/.installed-test
	$(BIN)/python bench/tickets.py

clean:
	rm -rf $(VENV) var *.egg-info caredesk/locale/*/LC_MESSAGES/*.mo
