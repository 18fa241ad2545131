# The two commands a new machine needs: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
DB     ?= cityevents.db
SAMPLES = src/cityevents/samples

.PHONY: demo test install bench clean
.DEFAULT_GOAL := demo

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"

demo: install
	$(BIN)/cityevents ingest $(SAMPLES) --db $(DB)
	$(BIN)/cityevents list --db $(DB)
	$(BIN)/cityevents serve --db $(DB) --open

test: install
	$(BIN)/mypy
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python bench/extract.py
	$(BIN)/python bench/serve.py

clean:
	rm -rf $(VENV) build *.egg-info $(DB)
