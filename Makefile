# The two commands a new machine needs: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
DB     ?= cityevents.db
SAMPLES = src/cityevents/samples

.PHONY: demo test install bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"

demo: install
	$(BIN)/cityevents ingest $(SAMPLES) --db $(DB)
	$(BIN)/cityevents list --db $(DB)

test: install
	$(BIN)/python -m pytest

bench: install
	$(BIN)/python bench/extract.py

clean:
	rm -rf $(VENV) build *.egg-info $(DB)
