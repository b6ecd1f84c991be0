# SafeGrid: `make demo` serves the demo district, `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
CATALOG := tenancy/translations/zh_Hans_CN/LC_MESSAGES

.PHONY: install translations demo test lint extract clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "SafeGrid needs Python 3.11+"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/.installed

$(CATALOG)/messages.mo: $(CATALOG)/messages.po $(BIN)/.installed
	$(BIN)/pybabel compile -d tenancy/translations -D messages

translations: $(CATALOG)/messages.mo

demo: install translations
	SAFEGRID_DEMO=1 $(BIN)/safegrid db upgrade
	SAFEGRID_DEMO=1 $(BIN)/safegrid demo --serve --host $(HOST) --port $(PORT)

test: install translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check tenancy schools bureau tests deploy
	$(BIN)/ruff format --check tenancy schools bureau tests deploy

# Refresh the catalogue after adding or changing visible strings.
extract: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o messages.pot --no-location --omit-header --sort-output .
	$(BIN)/pybabel update -i messages.pot -d tenancy/translations -D messages --no-fuzzy-matching --ignore-pot-creation-date
	rm -f messages.pot

clean:
	rm -rf $(VENV) instance
