# The two commands a newcomer needs: `make run` and `make test`. Everything installs into .venv.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: install run demo-reset test test-fast lint format bench loadtest messages clean

CATALOGS := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))

install: $(STAMP) $(CATALOGS)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip setuptools wheel
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

# Message catalogues compile with polib, so no gettext tools are needed to run the portal.
locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po $(STAMP)
	$(PY) -c "import polib, sys; polib.pofile(sys.argv[1]).save_as_mofile(sys.argv[2])" $< $@

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo ""
	@echo "  Cổng thi đua: http://127.0.0.1:$(PORT)/"
	@echo "  Demo accounts (password: demo): manager, unithead, council"
	@echo ""
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# Start the demo over: a fresh SQLite database, migrated and seeded (the default local settings).
demo-reset: install
	rm -f db.sqlite3 db.sqlite3-wal db.sqlite3-shm
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo

test: install
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djlint templates --lint
	$(VENV)/bin/djlint templates --check
	$(VENV)/bin/mypy
	$(PY) manage.py makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .
	-$(VENV)/bin/djlint templates --reformat --quiet  # exits 1 when it changed a file

messages: install
	$(PY) manage.py makemessages -l en -l vi --no-obsolete --ignore=.venv --ignore=static
	$(MAKE) $(CATALOGS)

# Benchmarks print figures; they assert nothing. Set DATABASE_URL (and CELERY_BROKER_URL for
# real worker processes) to measure the production path.
BENCH_UNITS ?= 10000
bench: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py generate_load_data --units $(BENCH_UNITS) --blocks 400 --criteria 60 --reviewers 2
	$(PY) manage.py generate_load_data --code BENCH20 --units 20 --blocks 1 --criteria 60 --reviewers 2
	$(PY) manage.py bench_scoring --code BENCH --small BENCH20

# The deadline rush (docs/loadtest.md): its own PostgreSQL database and Redis number, built anew.
LOAD_DB ?= emulation_portal_load
LOAD_HEADS ?= 50
LOAD_SECONDS ?= 150
LOAD_RAMP ?= 50,100,150,200,300
LOAD_ENV := DATABASE_URL=postgres://postgres@127.0.0.1:5432/$(LOAD_DB) CELERY_BROKER_URL=redis://127.0.0.1:6379/13
# Locust and its gevent live in their own virtualenv, out of the portal's (pyproject's "load" extra).
LOAD_VENV ?= .venv-load
$(LOAD_VENV)/bin/locust: pyproject.toml
	$(PYTHON) -m venv $(LOAD_VENV)
	$(LOAD_VENV)/bin/python -m pip install --quiet "$$($(PY) -c "import tomllib; print(tomllib.load(open('pyproject.toml', 'rb'))['project']['optional-dependencies']['load'][0])")"
	touch $@
loadtest: install $(LOAD_VENV)/bin/locust
	psql -h 127.0.0.1 -U postgres -q -c "DROP DATABASE IF EXISTS $(LOAD_DB)" -c "CREATE DATABASE $(LOAD_DB)"
	redis-cli -n 13 flushdb >/dev/null
	$(LOAD_ENV) $(PY) manage.py migrate --noinput -v0
	$(LOAD_ENV) $(PY) manage.py generate_rush_data --units 300 --criteria 30 --reviewers 20 --plan $(LOAD_VENV)/rush-plan.json
	$(LOAD_ENV) $(PY) manage.py loadtest --plan $(LOAD_VENV)/rush-plan.json --heads $(LOAD_HEADS) \
	  --duration $(LOAD_SECONDS) --ramp $(LOAD_RAMP) --locust $(LOAD_VENV)/bin/locust

clean:
	rm -rf $(VENV) $(LOAD_VENV) staticfiles .pytest_cache .mypy_cache .ruff_cache
