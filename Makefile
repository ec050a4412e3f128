# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

# GOV.UK Frontend's CSS, JavaScript, fonts and images from the npm registry, copied into web/static/govuk
# (not committed). 6.3.0 is the release govuk-frontend-jinja 4.1's macros are written for.
GOVUK_FRONTEND := 6.3.0
GOVUK_DIST := build/npm/node_modules/govuk-frontend/dist/govuk
GOVUK_STAMP := web/static/govuk/.govuk-frontend-$(GOVUK_FRONTEND)

$(GOVUK_STAMP):
	npm install --prefix build/npm --no-audit --no-fund --no-save --silent govuk-frontend@$(GOVUK_FRONTEND)
	rm -rf web/static/govuk
	mkdir -p web/static/govuk
	cp $(GOVUK_DIST)/govuk-frontend.min.css $(GOVUK_DIST)/govuk-frontend.min.js web/static/govuk/
	cp -r $(GOVUK_DIST)/assets web/static/govuk/assets
	touch $@

setup: $(STAMP) $(GOVUK_STAMP)

# Sets up the SQLite store under ./var, imports the real framework, adds demo data, creates one demo
# account per role (printed), then serves the web UI on http://127.0.0.1:5000/.
run: setup
	$(BIN)/partnership-hub demo
	$(BIN)/partnership-hub users demo
	PARTNERSHIP_HUB_ENV=development $(BIN)/partnership-hub serve --host 127.0.0.1 --port 5000

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: setup lint
	$(BIN)/pytest

clean:
	rm -rf $(VENV) var .pytest_cache
