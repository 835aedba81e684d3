"""The version of the `workers_ai` package (sent in the `User-Agent` header)."""

__version__ = "0.1.0"
