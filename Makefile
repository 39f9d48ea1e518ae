# Samenlab: `make run` serves the demo site, `make test` runs the whole suite. Both set everything up.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup run test test-fast bench mutate lint messages makemessages clean

setup: $(VENV)/.installed node_modules/.installed messages

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

messages: $(VENV)/.installed
	$(PY) scripts/compile_messages.py

makemessages: $(VENV)/.installed
	$(PY) manage.py makemessages -l nl -l en --ignore=node_modules --ignore=.venv --no-obsolete

run: setup
	DEBUG=true $(PY) manage.py migrate --noinput
	DEBUG=true $(PY) manage.py seed_demo
	@echo ""
	@echo "  Samenlab is running on http://$(HOST):$(PORT)/  (WebSocket: ws://$(HOST):$(PORT)/ws/health/)"
	@echo "  Wagtail admin: http://$(HOST):$(PORT)/admin/   Mail is printed here, in this terminal."
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
