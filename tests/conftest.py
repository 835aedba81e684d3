"""Settings for every test process (and, with pytest-xdist, every worker)."""

from __future__ import annotations

import os
import sys

# Many tests start fresh interpreters (the CLI, the generator, a first import of the client). With
# PYTHONDONTWRITEBYTECODE set in the environment, each of them would compile the generated package again;
# letting Python keep its bytecode makes those starts several times cheaper.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
sys.dont_write_bytecode = False

pytest_plugins = ["tests.support.fixtures"]
