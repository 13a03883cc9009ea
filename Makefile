# sitrep developer tasks. `make demo` and `make test` work from a fresh clone: they create .venv.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint fuzz bench eval schema docs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall when the dependency list changes.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/sitrep extract samples/*.txt --published 2023-03-22 --format table

lint: $(STAMP)
	$(BIN)/ruff check sitrep tests bench $(wildcard scripts)

test: lint
	$(BIN)/pytest -q

# The property-based and hostile-input tests with many examples each (make test runs a few:
# HYPOTHESIS_PROFILE=ci, the default).
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/pytest -q tests/test_readers_properties.py \
		tests/test_exporters_properties.py tests/test_pipeline_properties.py \
		tests/test_hostile_corpus.py

# Accuracy on the shared evaluation data (SITREP_EVAL_DATA, default ../shared/eval): rewrites
# docs/EVALUATION.md; says so and exits 0 when the data folder is absent.
eval: $(STAMP)
	$(BIN)/python scripts/make_eval.py

# Speed and memory: prints the figures and records them in docs/BENCHMARKS.md.
bench: $(STAMP)
	$(BIN)/python bench/suite.py

schema: $(STAMP)
	$(BIN)/python -m sitrep.schema

docs: $(STAMP)
	$(BIN)/python -c 'from sitrep.cli import help_markdown; print(help_markdown(), end="")' > docs/CLI.md
	$(BIN)/python -c 'from sitrep.errors import reference_markdown as r; print(r(), end="")' > docs/ERRORS.md

clean:
	rm -rf build dist *.egg-info .pytest_cache .ruff_cache
