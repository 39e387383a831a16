# Every target creates its own virtualenv, so a fresh machine needs nothing but Python 3.11+.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint serve clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

# app/extract compiled with mypyc (tools/build_native.py) whenever a source of it changed; where it
# cannot be compiled the script says so and extraction runs as pure Python.
NATIVE := $(VENV)/.native
$(NATIVE): $(STAMP) $(wildcard app/extract/*.py) tools/build_native.py
	$(BIN)/python tools/build_native.py
	touch $(NATIVE)

## The main job on the embedded default (SQLite): serve the API on http://$(HOST):$(PORT)
## (`make run PORT=8080`, `make run HOST=0.0.0.0`)
HOST ?= 127.0.0.1
PORT ?= 8000
run: $(NATIVE)
	$(BIN)/arxiv-enrich serve --host $(HOST) --port $(PORT)

## Every test, on SQLite and on PostgreSQL (127.0.0.1:5432, database test) when it answers
test: $(NATIVE)
	$(BIN)/ruff check app clients tests bench tools
	$(BIN)/mypy
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check app clients tests bench tools
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
	rm -f app/*.so app/extract/*.so app/extract/native.json
