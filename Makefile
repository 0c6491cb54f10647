# The two quick-start commands: `make example` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: example test lint system-deps clean

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[test]'
	touch $@

## Build the example briefing into output/.
example: $(VENV)/.installed
	$(VENV)/bin/briefgen build

## Run everything CI runs: lint, types, the whole test suite.
test: $(VENV)/.installed system-deps
	$(PY) -m ruff check briefgen tests
	$(PY) -m mypy
	$(PY) -m pytest

## Debian packages: graphviz (the flow diagram); for the tests poppler-utils, qpdf, chromium,
## Java, LibreOffice.
system-deps:
	@bash scripts/system-deps

clean:
	rm -rf $(VENV) output
