# Every target bootstraps .venv itself, so a fresh clone needs only `make generate` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: install generate test test-ray lint typecheck check fuzz bench clean prism

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip==25.3
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

generate: $(STAMP)
	$(PY) -m generator --schemas schemas --out generated

lint: $(STAMP)
	$(PY) -m ruff check generator generated tests
	$(PY) -m ruff format --check generator generated tests

typecheck: $(STAMP)
	$(PY) -m mypy generator generated/workers_ai

test: $(STAMP) lint typecheck
	$(PY) -m pytest -q -m "not slow and not ray and not prism"

check: $(STAMP) lint typecheck test-ray
	$(PY) -m generator check --schemas schemas --generated generated --fixtures tests/fixtures
	$(MAKE) prism && $(PY) -m pytest -q -m prism tests/conformance

# Stoplight Prism (REST conformance against Cloudflare's OpenAPI), pinned, in a git-ignored folder.
PRISM_DIR := .tools/prism
PRISM := $(PRISM_DIR)/node_modules/.bin/prism

$(PRISM):
	@command -v npm >/dev/null 2>&1 || { echo "npm is not available: install Node.js and npm to run the Prism conformance check (tests/conformance/test_prism.py)" >&2; exit 1; }
	npm install --silent --no-audit --no-fund --prefix $(PRISM_DIR) @stoplight/prism-cli@5.16.0

prism: $(PRISM)

# Ray Data integration against a local Ray instance (slow to start, so not part of `make test`).
test-ray: $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev,ray]'
	$(PY) -m pytest -q -m ray tests/bulk

fuzz: $(STAMP)
	WORKERS_AI_FUZZ_EXAMPLES=$${WORKERS_AI_FUZZ_EXAMPLES:-5000} $(PY) -m pytest -q -m slow tests/fuzz

bench: $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev,bench]'
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .generator-cache .tools
