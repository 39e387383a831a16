# Every target creates its own virtualenv, so a fresh machine needs nothing but Python 3.11+.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Two stamps: `make run` needs only the service's own dependencies; `make test` and `make lint` add
# the development tools (pytest, mypy, ruff, playwright, schemathesis, ...), which take longer.
# --no-compile: Python compiles each module when it is first imported; compiling every installed
# module up front was a quarter of pip's CPU time (docs/BENCHMARKS.md, "make run on a fresh clone").
RUN_STAMP := $(VENV)/.installed-run
STAMP := $(VENV)/.installed

.PHONY: run test lint serve clean

$(BIN)/python:
	@echo "make: creating the virtualenv $(VENV)"
	@$(PY) -m venv $(VENV)

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	@echo "make: installing arxiv-enrich and its dependencies into $(VENV)"
	@$(BIN)/pip install -q --no-compile -e .
	@touch $@

$(STAMP): pyproject.toml | $(BIN)/python
	@echo "make: installing arxiv-enrich with its development tools into $(VENV)"
	@$(BIN)/pip install -q --no-compile -e '.[dev]'
	@touch $@ $(RUN_STAMP)

## The main job on the embedded default (SQLite): serve the API on http://$(HOST):$(PORT)
## (`make run PORT=8080`, `make run HOST=0.0.0.0`)
HOST ?= 127.0.0.1
PORT ?= 8000
run: $(RUN_STAMP)
	@# `serve` migrates the database itself: a separate `db upgrade` would cost one more start-up.
	@echo "make: bringing the database up to date (DATABASE_URL, default sqlite:///./arxiv-enrich.db)"
	@echo "make: serving on http://$(HOST):$(PORT) (API docs at /docs; Ctrl-C stops)"
	@$(BIN)/arxiv-enrich serve --host $(HOST) --port $(PORT)

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
