# Copied by workers-ai-codegen from generator/runtime/_version.py: edit it there.
"""The version of the `workers_ai` package (sent in the `User-Agent` header)."""

__version__ = "0.1.0"
