# sitrep developer tasks. `make demo` and `make test` work from a fresh clone: they create .venv.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench eval schema docs clean

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
	$(BIN)/lint-imports

test: lint
	$(BIN)/pytest -q

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

clean:
	rm -rf build dist *.egg-info .pytest_cache .ruff_cache
