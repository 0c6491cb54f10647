# The two quick-start commands: `make example` and `make test`.
# While working: `make check` (under a minute), `make format`, `make lint`.
VENV ?= .venv
PY := $(VENV)/bin/python
# pytest-xdist workers; `make check JOBS=0` runs the tests in one process.
JOBS ?= auto
CODE := briefgen tests bench scripts/readme-pages

.PHONY: example test check lint format system-deps vscode clean

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[test]'
	touch $@

# check, lint and format make the venv when there is none, but never reinstall into one.
$(PY):
	$(MAKE) $(VENV)/.installed

## Build the example briefing into output/.
example: $(VENV)/.installed
	@bash scripts/system-deps --build
	$(VENV)/bin/briefgen build

## Run everything CI runs: lint, formatting, types, the whole test suite (slow tests too).
test: $(VENV)/.installed lint system-deps
	$(PY) -m pytest -n $(JOBS)

## The inner loop: lint, formatting, types and the tests not marked slow.
check: lint
	$(PY) -m pytest -n $(JOBS) -m "not slow" -q

## ruff (lint and formatting, checked, never changed) and mypy.
lint: $(PY)
	$(PY) -m ruff check $(CODE)
	$(PY) -m ruff format --check $(CODE)
	$(PY) -m mypy

## Rewrite the code in the house format and apply ruff's safe fixes.
format: $(PY)
	$(PY) -m ruff format $(CODE)
	$(PY) -m ruff check --fix $(CODE)

## The VS Code extension, editors/vscode/briefgen-<version>.vsix (needs Node and the npm
## registry; install it with `code --install-extension editors/vscode/briefgen-*.vsix`).
vscode:
	cd editors/vscode && npm ci && node check-load.js && npx vsce package --allow-missing-repository

## Debian packages: graphviz (the flow diagram); for the tests poppler-utils, qpdf, chromium,
## Java, LibreOffice.
system-deps:
	@bash scripts/system-deps

clean:
	rm -rf $(VENV) output
