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

## The main job on the embedded default (SQLite): serve the API on http://$(HOST):$(PORT)
## (`make run PORT=8080`, `make run HOST=0.0.0.0`)
HOST ?= 127.0.0.1
PORT ?= 8000
run: $(STAMP)
	$(BIN)/arxiv-enrich serve --host $(HOST) --port $(PORT)

## Every test, on SQLite and on PostgreSQL (127.0.0.1:5432, database test) when it answers
test: $(STAMP)
	$(BIN)/ruff check app clients tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check app clients tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
