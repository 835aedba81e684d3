"""The distribution's version (see pyproject.toml)."""

__version__ = "2.0.10"
