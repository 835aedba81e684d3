# Every target bootstraps .venv itself, so a fresh clone needs only `make generate` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check
STAMP := $(VENV)/.installed-stamp
MYPY := $(PY) -m mypy generator generated/workers_ai
PYTEST := $(PY) -m pytest -q -n 3 --dist loadfile -m "not slow and not ray and not prism"
DIST := dist

.PHONY: install generate test test-ray lint typecheck mypy pyright check dist dist-check fuzz bench clean prism

# The generator is installed editable in "compat" mode (a plain path entry, not an import hook) and
# `generated/` is put on the path by a .pth file, so mypy and pyright resolve `generator` and
# `workers_ai` from any folder without MYPYPATH. Versions come from constraints.txt.
$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip==25.3
	$(PIP) install --quiet -c constraints.txt -e '.[dev]' --config-settings editable_mode=compat
	$(PY) -c 'import pathlib, sysconfig; pathlib.Path(sysconfig.get_paths()["purelib"], "workers_ai_dev.pth").write_text(str(pathlib.Path("generated").resolve()) + "\n")'
	touch $(STAMP)

install: $(STAMP)

generate: $(STAMP)
	$(PY) -m generator --schemas schemas --out generated

lint: $(STAMP)
	$(PY) -m ruff check generator generated tests
	$(PY) -m ruff format --check generator generated tests

typecheck: mypy pyright

mypy: $(STAMP)
	$(MYPY)

pyright: $(STAMP)
	$(PY) -m pyright

# A test worker waits on a subprocess or a socket much of the time, so 3 workers finish sooner than 2 on
# this 2-core machine (fresh clone: 80 s with 2, 71 s with 3). pyright (a node process, ~17 s of CPU)
# starts first and runs beside mypy (one core) and then beside the tests; mypy runs before the tests, as
# the typing tests reuse its cache.
test: $(STAMP) lint
	@echo "$(PY) -m pyright & ($(MYPY) && $(PYTEST))"
	@log=$$(mktemp); $(PY) -m pyright >"$$log" 2>&1 & pyright=$$!; \
	$(MYPY) && $(PYTEST); tests=$$?; \
	wait $$pyright; checked=$$?; echo "pyright: $$(cat "$$log")"; rm -f "$$log"; \
	test $$tests -eq 0 && test $$checked -eq 0

check: $(STAMP) lint typecheck test-ray dist-check
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
	$(PIP) install --quiet -c constraints.txt -e '.[dev,ray]' --config-settings editable_mode=compat
	$(PY) -m pytest -q -m ray tests/bulk

# The client's wheel and sdist (built from a copy: a build leaves build/ and *.egg-info behind).
dist: $(STAMP)
	rm -rf $(DIST)
	mkdir -p $(DIST)
	cp -r generated $(DIST)/source
	$(PY) -m build --no-isolation --outdir $(DIST) $(DIST)/source
	rm -rf $(DIST)/source

# Slow: wheel installed into fresh Python 3.13 venvs, a call over a local socket, mypy there; the
# generator installed non-editably regenerating the same bytes.
dist-check: $(STAMP)
	$(PY) -m pytest -q -m slow tests/dist

fuzz: $(STAMP)
	WORKERS_AI_FUZZ_EXAMPLES=$${WORKERS_AI_FUZZ_EXAMPLES:-5000} $(PY) -m pytest -q -m slow --timeout 3600 tests/fuzz

bench: $(STAMP)
	$(PIP) install --quiet -c constraints.txt -e '.[dev,bench]' --config-settings editable_mode=compat
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) $(DIST) .mypy_cache .ruff_cache .pytest_cache .generator-cache .tools
