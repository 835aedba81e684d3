"""The distribution's version (see pyproject.toml)."""

__version__ = "3.0.3"
