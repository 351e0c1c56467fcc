# coordhub: `make run` serves the demo, `make test` runs the whole suite (SQLite, then PostgreSQL).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000
SIMULATOR_PORT ?= 8900
PLUGINS := plugins/coordhub-akp plugins/coordhub-tvk plugins/coordhub-ministry-app

.PHONY: run test lint format schema graphiql-assets docs bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml $(addsuffix /pyproject.toml,$(PLUGINS))
	$(BIN)/pip install --quiet -e '.[dev]' $(addprefix -e ,$(PLUGINS))
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/coordhub migrate
	$(BIN)/coordhub demo
	COORDHUB_ENVIRONMENT=development $(BIN)/coordhub serve --port $(PORT) --simulators $(SIMULATOR_PORT)

# The suite on SQLite, then again on PostgreSQL (COORDHUB_TEST_POSTGRES, default the local
# server; each test gets its own database). Without a server the PostgreSQL run skips, except
# under CI=true, where that fails.
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	COORDHUB_TEST_DATABASE=sqlite $(BIN)/pytest -q
	COORDHUB_TEST_DATABASE=postgres $(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

schema: $(STAMP)
	$(BIN)/coordhub export-schema > schema.graphql

# Re-vendor GraphiQL's assets (the npm builds of the versions pinned in coordhub/web/graphiql.py,
# checked against their pinned integrity) into coordhub/web/static/graphiql/; needs npm.
graphiql-assets: $(STAMP)
	$(BIN)/python -m coordhub.web.graphiql_vendor

bench: $(STAMP)
	$(BIN)/python -m bench.reads --peer postgraphile
	$(BIN)/python -m bench.reads --as coordinator
	$(BIN)/python -m bench.freshness
	$(BIN)/python -m bench.pages
	$(BIN)/python -m bench.deliveries
	$(BIN)/python -m bench.publications
	$(BIN)/python -m bench.subscriptions
	$(BIN)/python -m bench.duplicates

docs: $(STAMP)
	$(BIN)/mkdocs build --strict

clean:
	rm -rf $(VENV) site .pytest_cache .ruff_cache .hypothesis
