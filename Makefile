# Samenlab: `make run` serves the demo site, `make test` runs the whole suite, `make install` prepares a
# production checkout (see the README's Production section). All of them install from the lock files.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
HOST ?= 127.0.0.1
PORT ?= 8000
# Everything pip installs comes from a lock file with hashes; nothing else is resolved at install time.
PIP_LOCKED := $(PIP) install --quiet --require-hashes --no-deps -r
PIP_COMPILE := $(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links

.PHONY: setup install run test test-fast bench mutate lint lock messages makemessages clean

# Development and tests: the test lock (production packages plus the test tools), front-end packages, translations.
setup: $(VENV)/.installed-test node_modules/.installed messages

# Production: exactly the production lock (what CI tested, minus the test tools), front-end packages, translations.
install: $(VENV)/.installed-production node_modules/.installed messages

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-test: requirements/test.lock | $(VENV)/bin/python
	$(PIP_LOCKED) requirements/test.lock
	rm -f $(VENV)/.installed-production
	touch $@

$(VENV)/.installed-production: requirements/production.lock | $(VENV)/bin/python
	$(PIP_LOCKED) requirements/production.lock
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

messages: | $(VENV)/bin/python
	$(PY) scripts/compile_messages.py

# Re-resolve the locks after changing pyproject.toml's dependencies (needs the network); commit both files.
lock: | $(VENV)/bin/python
	$(PIP) install --quiet 'pip-tools>=7.4'
	$(PIP_COMPILE) --output-file requirements/production.lock pyproject.toml
	$(PIP_COMPILE) --extra test --constraint requirements/production.lock --output-file requirements/test.lock \
		pyproject.toml

makemessages: setup
	$(PY) manage.py makemessages -l nl -l en --ignore=node_modules --ignore=.venv --no-obsolete

run: setup
	DEBUG=true $(PY) manage.py migrate --noinput
	DEBUG=true $(PY) manage.py seed_demo
	@echo ""
	@echo "  Samenlab is running on http://$(HOST):$(PORT)/  (WebSocket: ws://$(HOST):$(PORT)/ws/health/)"
	@echo "  Wagtail admin: http://$(HOST):$(PORT)/admin/   Mail is printed here, in this terminal."
	@DEBUG=true $(PY) manage.py demo_codes
	@echo ""
	DEBUG=true $(PY) scripts/serve_dev.py $(HOST) $(PORT)

test: setup
	bash scripts/test.sh

test-fast: setup
	$(VENV)/bin/pytest -m "not browser and not postgres and not redis" -x -q

bench: setup
	$(PY) bench/run.py

# Mutation testing of the services that guard money and live events (not part of `make test`; slow).
# make mutate FILES=live/services.py DB=sqlite   (FILES: comma-separated; DB: sqlite, postgres or both)
FILES ?= initiatives/services/pledges.py,initiatives/services/funds.py,initiatives/services/engagement.py,live/services.py
DB ?= both
mutate: setup
	nice -n 15 $(PY) scripts/mutate.py --files $(FILES) --db $(DB)

lint: setup
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) node_modules staticfiles .run db.sqlite3 db.sqlite3-*
