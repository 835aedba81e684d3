"""The `User-Agent` every request sends: `workers-ai-python/<version>`."""

from __future__ import annotations

import importlib

__all__ = ["USER_AGENT"]


def _package_version() -> str:
    """The `__version__` the generator writes beside the runtime (`_version.py`); "0" in a bare copy of
    the runtime (its tests), which has no version file."""
    try:
        version: str = importlib.import_module(f"{__package__}._version").__version__
    except ImportError:
        return "0"
    return version


USER_AGENT = f"workers-ai-python/{_package_version()}"
