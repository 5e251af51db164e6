# The two commands of the README. Both set up a virtual environment in .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test setup

$(BIN)/presslens: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

# The tests also need the textacy baseline and the encoder extra (PyTorch's CPU build).
$(VENV)/test-deps: $(BIN)/presslens
	$(BIN)/pip install --quiet -e '.[test,encoder]'
	touch $@

setup: $(BIN)/presslens

# Analyze the bundled samples into presslens.duckdb and show what was stored.
demo: setup
	$(BIN)/presslens ingest samples/ --db presslens.duckdb
	$(BIN)/presslens query --db presslens.duckdb "SELECT coalesce(outlet, regexp_extract(source, '[^/]+$$')) AS outlet, left(title, 50) AS title, lang, (SELECT count(*) FROM entities e WHERE e.article_id = a.id) AS entities FROM articles a ORDER BY outlet"
	$(BIN)/presslens query --db presslens.duckdb "SELECT name, kind, cameo, count(DISTINCT article_id) AS articles, sum(len(mentions)) AS mentions FROM actors GROUP BY ALL ORDER BY mentions DESC LIMIT 8"
	$(BIN)/presslens query --db presslens.duckdb "SELECT type, count(*) AS events, count(source) AS with_source, sum(fatalities) AS dead FROM events GROUP BY type ORDER BY events DESC"
	$(BIN)/presslens query --db presslens.duckdb "SELECT kind, count(*) FILTER (WHERE voice = 'outlet') AS outlet_voice, count(*) FILTER (WHERE voice = 'quoted') AS quoted, count(technique) AS with_technique FROM framing GROUP BY kind ORDER BY count(*) DESC"

test: $(VENV)/test-deps
	$(BIN)/python -m pytest
