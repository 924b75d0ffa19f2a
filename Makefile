# The two commands a newcomer needs (see README.md). Each sets itself up.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test

demo: $(STAMP)
	$(VENV)/bin/factsheet build factsheets/*.yaml

test: $(STAMP)
	$(VENV)/bin/python -m pytest

# Re-install only when the project's own dependency list changes.
$(STAMP): pyproject.toml
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -e '.[test,dev,audit-extra]'
	@touch $(STAMP)
