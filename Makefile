# The two commands a newcomer runs: `make demo` and `make test`. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DEMO_SETTINGS := onepluone.settings.local

.PHONY: demo test bench install install-test messages lint clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(PY) -m pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

messages: install
	bash scripts/system-deps.sh gettext
	DJANGO_SETTINGS_MODULE=$(DEMO_SETTINGS) $(PY) manage.py compilemessages --ignore=.venv -v0

demo: install messages
	DJANGO_SETTINGS_MODULE=$(DEMO_SETTINGS) $(PY) manage.py migrate --noinput -v0
	DJANGO_SETTINGS_MODULE=$(DEMO_SETTINGS) $(PY) manage.py seed_demo
	DJANGO_SETTINGS_MODULE=$(DEMO_SETTINGS) $(PY) manage.py seed_demo_pilot
	DJANGO_SETTINGS_MODULE=$(DEMO_SETTINGS) $(PY) manage.py runserver 127.0.0.1:8000

test: install-test messages
	bash scripts/system-deps.sh test
	bash scripts/services.sh
	$(PY) -m ruff check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) -m pytest

bench: install-test
	bash scripts/system-deps.sh bench
	ONEPLUONE_SERVICES=1 bash scripts/services.sh
	$(PY) -m bench.run

lint: install-test
	$(PY) -m ruff check .
	$(VENV)/bin/lint-imports --no-cache

clean:
	rm -rf $(VENV) var db.sqlite3 db.sqlite3-wal db.sqlite3-shm staticfiles media private-media
