# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Where `make run` serves the web UI: `make run PORT=8080 HOST=0.0.0.0`.
HOST ?= 127.0.0.1
PORT ?= 5000
# gunicorn's worker processes and the threads in each (`make run WORKERS=4 THREADS=8`).
WORKERS ?= 2
THREADS ?= 4
# pytest's workers: the suite runs on both cores by default (`make test PYTEST_WORKERS=0` for one process).
PYTEST_WORKERS ?= 2

.PHONY: setup run test lint bench lock clean

# Every package at the exact version and hash in requirements.lock (pyproject.toml's ranges are the
# intent, the lock is what is installed), then the project itself as an editable install.
$(STAMP): requirements.lock pyproject.toml
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
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

# Sets up the SQLite store under ./var, imports the real framework, adds demo data and one demo account
# per role (printed; demo accounts are made in development only), raises today's reminders, then serves the
# web UI on http://$(HOST):$(PORT)/ with gunicorn (`partnership-hub serve --dev` is Werkzeug's server).
run: setup
	PARTNERSHIP_HUB_ENV=development $(BIN)/partnership-hub demo
	PARTNERSHIP_HUB_ENV=development $(BIN)/partnership-hub serve --host $(HOST) --port $(PORT) \
		--workers $(WORKERS) --threads $(THREADS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: setup lint
	$(BIN)/pytest -n $(PYTEST_WORKERS)

# Every benchmark at its default size; prints each figure beside the floor it is measured against and
# writes bench/results.md.
bench: setup
	$(BIN)/python -m bench

# After changing a dependency in pyproject.toml: re-resolve and re-hash every package into requirements.lock.
lock: $(STAMP)
	$(BIN)/pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra test --generate-hashes --python-version 3.11 \
		--index-url https://pypi.org/simple --quiet -o requirements.lock

# Everything set-up, the demo, the tests and the benchmarks made.
clean:
	rm -rf $(VENV) var build web/static/govuk .pytest_cache .ruff_cache .hypothesis tests/browser/screenshots
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
