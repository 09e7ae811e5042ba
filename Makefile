# aim: two commands from a fresh clone: `make model`, `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: model test lint bench render lock clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

## model: build model.xlsm from data/ (creates .venv with pinned packages on first use)
model: $(STAMP)
	$(VENV)/bin/aimodel build --data data --out model.xlsm

## test: the whole suite (ruff, doctests, unit, property, parity and workbook tests),
## on two worker processes (pytest-xdist), each test file on one of them; then the
## tests of CPU-time targets (marker `timing`) on their own
test: $(STAMP)
	$(VENV)/bin/ruff check udfs sheets tests bench model.py
	$(VENV)/bin/ruff format --check udfs sheets tests bench model.py
	$(PY) -m pytest -n 2 --dist loadfile --durations=25 -m "not timing"
	$(PY) -m pytest -m timing

## bench: benchmarks as ratios; writes bench/RESULTS.md
bench: $(STAMP)
	$(PY) -m bench

## render: the model's sheets as PNG pictures (needs LibreOffice)
render: $(STAMP)
	$(PY) -m sheets.publish.render model.xlsm --out render

lock: $(STAMP)
	$(PY) -m pip freeze --exclude-editable | sed '1i # Every package make installs, pinned.' > requirements.lock

clean:
	rm -rf $(VENV) render
