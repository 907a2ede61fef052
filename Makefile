# Consultation — everyday commands. `make run` and `make test` are all a newcomer needs.

VENV   ?= .venv
PYTHON ?= python3
PY      = $(VENV)/bin/python
FLASK   = $(VENV)/bin/flask --app wsgi
STAMP   = $(VENV)/.installed-stamp
# Every package, its exact version and its hashes: compiled by pip-tools from pyproject.toml
# (options in its [tool.pip-tools]), the runtime and the dev dependencies in one set.
LOCK    = requirements.lock
BABEL   = $(VENV)/bin/pybabel
CATALOGUES = consultation/translations
COMPILE = CUSTOM_COMPILE_COMMAND="make lock" $(VENV)/bin/pip-compile --quiet

.PHONY: install run serve test eval lint lock-check lock upgrade format translations clean \
        translations-update catalogue-check

install: $(STAMP) translations

# Installs exactly the lock (hash-checked, pip and setuptools included), removes what it no
# longer lists, then the project itself, built with the locked setuptools.
$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r $(LOCK)
	$(VENV)/bin/pip-sync --no-config --quiet $(LOCK)
	$(PY) -m pip install -qq --no-deps --no-build-isolation -e .
	touch $(STAMP)

# After editing the dependencies in pyproject.toml: the lock changes as little as possible.
lock: $(STAMP)
	$(COMPILE) -o $(LOCK) pyproject.toml

# Every package to its newest version within pyproject.toml's bounds, then the tests.
upgrade: $(STAMP)
	$(COMPILE) --upgrade -o $(LOCK) pyproject.toml
	$(MAKE) test

# The lock must be what pip-compile makes of pyproject.toml now (no upgrade: the pins of the
# lock are kept where they still fit), apart from the header, which names Python's version.
lock-check: $(STAMP)
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	cp $(LOCK) $$tmp/lock && $(COMPILE) -o $$tmp/lock pyproject.toml && \
	grep -v '^#' $(LOCK) >$$tmp/old && grep -v '^#' $$tmp/lock >$$tmp/new && \
	diff -u $$tmp/old $$tmp/new || { echo "$(LOCK) does not match pyproject.toml: run make lock" >&2; exit 1; }

# The catalogues (consultation/translations/<lang>/LC_MESSAGES/messages.po) are compiled, never
# committed compiled. Fuzzy entries are guesses: they are not compiled (catalogue-check refuses them).
translations: $(STAMP)
	$(BABEL) -q compile -d $(CATALOGUES)

# What `_()`/`gettext`, `lazy_gettext`/`_l`, `ngettext`/`lazy_ngettext` and `{% trans %}` mark in
# the code and templates (babel.cfg). The template (.pot) is made afresh each time, in a temporary
# directory, so it is never stale in the repository; locations are kept for translators. Babel
# skips directories named _* by default: templates/_macros/ holds messages too.
EXTRACT = $(BABEL) -q extract -F babel.cfg -k lazy_gettext -k _l -k ngettext:1,2 \
          -k lazy_ngettext:1,2 --ignore-dirs ".* __pycache__" --project Consultation \
          -o $$tmp/messages.pot .

# After adding or changing a message: new entries appear empty in each catalogue, entries the
# code no longer has are dropped (git keeps them). Translate the empty ones, then `make translations`.
translations-update: $(STAMP)
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	$(EXTRACT) && $(BABEL) -q update --no-fuzzy-matching --ignore-obsolete \
	  -i $$tmp/messages.pot -d $(CATALOGUES)

# Every catalogue holds exactly the messages of the code, each translated, none fuzzy, with the
# same placeholders and tags (tools/check_catalogue.py). Part of `make lint`.
catalogue-check: $(STAMP)
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	$(EXTRACT) && $(PY) tools/check_catalogue.py $$tmp/messages.pot $(CATALOGUES)/*/LC_MESSAGES/messages.po

# One process (threaded): without REDIS_URL the rate-limit counters live in its memory and
# hold exactly; several worker processes would each count alone (see README, Rate limits).
run: install
	$(FLASK) db upgrade
	$(FLASK) demo
	$(FLASK) run --host 127.0.0.1 --port 5000

# One worker per core; each test file runs whole on one worker (its module fixtures, its
# browser and its built world are made once), each worker on its own PostgreSQL database.
test: install
	$(VENV)/bin/pytest -n auto --dist loadfile

lint: install lock-check catalogue-check
	$(VENV)/bin/ruff check consultation tests bench eval tools config.py wsgi.py
	$(VENV)/bin/ruff format --check consultation tests bench eval tools config.py wsgi.py
	$(VENV)/bin/mypy
	# The import direction between packages (no cycle, core imports no domain, no domain
	# imports another's views): an AST check, also part of make test.
	$(VENV)/bin/pytest -q -p no:randomly -p no:cacheprovider tests/test_architecture.py

# The synthesis measured on the labelled corpus (eval/README.md): figures, not a test.
eval: install
	$(PY) eval/synthesis.py

format: install
	$(VENV)/bin/ruff format consultation tests bench eval tools config.py wsgi.py
	$(VENV)/bin/ruff check --fix consultation tests bench eval tools config.py wsgi.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
