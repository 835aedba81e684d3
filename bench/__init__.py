"""`make bench`: workers_ai side by side with raw httpx, the official `cloudflare` SDK, jsonschema and
datamodel-code-generator (issue 7). Entry point: `bench/run.py`; results in `bench/results/latest.json`."""
