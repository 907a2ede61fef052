# Consultation — everyday commands. `make run` and `make test` are all a newcomer needs.

VENV   ?= .venv
PYTHON ?= python3
PY      = $(VENV)/bin/python
FLASK   = $(VENV)/bin/flask --app wsgi
STAMP   = $(VENV)/.installed-stamp

.PHONY: install run serve test lint format translations clean

install: $(STAMP) translations

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

translations: $(STAMP)
	$(VENV)/bin/pybabel compile --use-fuzzy -d consultation/translations -f >/dev/null

# One process (threaded): without REDIS_URL the rate-limit counters live in its memory and
# hold exactly; several worker processes would each count alone (see README, Rate limits).
run: install
	$(FLASK) db upgrade
	$(FLASK) demo
	$(FLASK) run --host 127.0.0.1 --port 5000

test: install
	$(VENV)/bin/pytest

lint: install
	$(VENV)/bin/ruff check consultation tests bench config.py wsgi.py
	$(VENV)/bin/ruff format --check consultation tests bench config.py wsgi.py

format: install
	$(VENV)/bin/ruff format consultation tests bench config.py wsgi.py
	$(VENV)/bin/ruff check --fix consultation tests bench config.py wsgi.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info
