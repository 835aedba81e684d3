# Every target bootstraps .venv itself, so a fresh clone needs only `make generate` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: install generate test test-ray lint typecheck check fuzz bench clean

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
	$(PY) -m pytest -q -m "not slow and not ray"

check: $(STAMP) lint typecheck test-ray
	$(PY) -m generator check --schemas schemas --generated generated --fixtures tests/fixtures

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
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .generator-cache
