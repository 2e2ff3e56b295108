# CSP Portal: the two set-up commands are `make run` and `make test`.
#
#   make run    install into .venv, build the front end, migrate, load the demo data
#               and serve on http://127.0.0.1:8000 (SQLite, no other service needed)
#   make test   install (including test tools), build the front end, run the whole suite;
#               SQLite unless DATABASE_URL names a PostgreSQL database
#
# Other targets: make assets, make benchmark, make load, make first-visit, make check-deploy,
# make check-production, make clean.

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
BUILD := static/build

.PHONY: run test assets benchmark load first-visit check-deploy check-production clean install install-dev

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(VENV)/bin/activate
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

# GOV.UK Frontend compiled with Arial, its script and images, and a partial plotly.js with
# only the trace types the pages draw (bar, scatter, scattergeo, choropleth) bundled by
# esbuild from the pinned plotly.js npm package, with the map base layers (topojson) beside
# it: static_src/js/build-plotly.mjs. Everything is served from static/; nothing is fetched
# at run time. The plotly.js version in package.json must have the major version of the one
# the Python plotly package writes figures for (tests/unit/test_front_end_build.py checks).
#
# The GOV.UK script's source map is copied too. The script ends with
# `//# sourceMappingURL=all.bundle.js.map`, and production's manifest storage
# (collectstatic) rewrites every such reference to a hashed name, failing with
# MissingFileError when the file is not there. Copying the map keeps the script byte
# for byte what GOV.UK Frontend publishes and lets browsers' developer tools use it;
# stripping the comment would edit a vendor file, and switching off the manifest's
# source-map handling would also hide the next reference that is really broken.
assets: node_modules/.installed
	mkdir -p $(BUILD)/govuk $(BUILD)/vendor
	./node_modules/.bin/sass --load-path=node_modules --style=compressed --no-source-map --quiet-deps \
		static_src/scss/app.scss $(BUILD)/app.css
	cp node_modules/govuk-frontend/dist/govuk/all.bundle.js $(BUILD)/govuk/govuk-frontend.js
	cp node_modules/govuk-frontend/dist/govuk/all.bundle.js.map $(BUILD)/govuk/all.bundle.js.map
	rm -rf $(BUILD)/govuk/assets && cp -r node_modules/govuk-frontend/dist/govuk/assets $(BUILD)/govuk/assets
	rm -rf $(BUILD)/vendor/topojson
	node static_src/js/build-plotly.mjs $(BUILD)/vendor

run: $(VENV)/.installed assets
	DEBUG=1 $(PY) manage.py migrate --no-input
	DEBUG=1 $(PY) manage.py load_demo
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

test: $(VENV)/.installed-dev assets
	$(PY) -m pytest $(PYTEST_ARGS)

benchmark: $(VENV)/.installed-dev assets
	$(PY) -m pytest benchmarks --benchmark-enable -p no:randomly $(PYTEST_ARGS)

# The serving benchmarks, on demand (README "Serving"): gunicorn with gunicorn.conf.py and
# DEBUG=0 on 127.0.0.1 only, PostgreSQL on 127.0.0.1:5432 with the demo data in a database
# of your own (LOAD_DATABASE, default csp_load; created when missing), Redis as the cache
# (LOAD_CACHE_URL, default redis://127.0.0.1:6379/5; emptied by `make load`).
#   make load         50 clients for 60 s, anonymous and signed in: requests/s, p50, p95, errors
#   make first-visit  /compare/ in Chromium: bytes transferred, the chart's time after the HTML
# Options go in LOAD_ARGS, e.g. make load LOAD_ARGS="--clients 20 --seconds 30 --warm".
load: $(VENV)/.installed-dev assets
	$(PY) benchmarks/load.py $(LOAD_ARGS)

first-visit: $(VENV)/.installed-dev assets
	$(PY) benchmarks/first_visit.py $(LOAD_ARGS)

# Production settings must pass Django's deployment checklist with no warnings.
check-deploy: $(VENV)/.installed
	DEBUG=0 SECRET_KEY=$$($(PY) -c "import secrets; print(secrets.token_urlsafe(50))") \
		ALLOWED_HOSTS=csp.example.gov.uk $(PY) manage.py check --deploy --fail-level WARNING

# The production path end to end (.ci/production-check, needs PostgreSQL on 127.0.0.1:5432):
# build, collectstatic with the manifest storage, migrate a fresh database, load the demo,
# gunicorn with DEBUG=0, then every public page and static file through it.
check-production: $(VENV)/.installed
	.ci/production-check

clean:
	rm -rf $(BUILD) staticfiles node_modules/.installed
