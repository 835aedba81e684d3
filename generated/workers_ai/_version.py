"""The distribution's version (see pyproject.toml)."""

__version__ = "1.0.17"
