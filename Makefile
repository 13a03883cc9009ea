# sitrep developer tasks. `make demo` and `make test` work from a fresh clone: they create .venv.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint fuzz bench eval schema docs screenshots vendor clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall when the dependency list changes.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,spark,accurate]'
	touch $(STAMP)

# Codes the sample reports into demo.db, prints the events, then serves the map on them
# (Ctrl-C stops; SITREP_DEMO_NO_SERVE=1 skips serving; SITREP_DEMO_PORT picks the port).
demo: $(STAMP)
	rm -f demo.db demo.db-wal demo.db-shm
	$(BIN)/sitrep ingest samples/*.txt --published 2023-03-22 --db demo.db
	$(BIN)/sitrep events --db demo.db --format table
	@if [ -z "$$SITREP_DEMO_NO_SERVE" ]; then \
		$(BIN)/sitrep serve --db demo.db --port $${SITREP_DEMO_PORT:-8000}; fi

lint: $(STAMP)
	$(BIN)/ruff check sitrep tests bench $(wildcard scripts)
	$(BIN)/lint-imports

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

# The README's screenshots of the map and an event view (needs chromium and chromium-driver).
screenshots: $(STAMP)
	$(BIN)/python scripts/screenshots.py

# Re-vendor the web map's pinned npm packages into sitrep/server/static/vendor (needs npm).
vendor:
	bash scripts/vendor_frontend.sh

schema: $(STAMP)
	$(BIN)/python -m sitrep.schema

docs: $(STAMP)
	$(BIN)/python -c 'from sitrep.cli import help_markdown; print(help_markdown(), end="")' > docs/CLI.md
	$(BIN)/python -c 'from sitrep.errors import reference_markdown as r; print(r(), end="")' > docs/ERRORS.md

clean:
	rm -rf build dist *.egg-info .pytest_cache .ruff_cache
