# Copied by workers-ai-codegen from generator/runtime/__main__.py: edit it there.
"""`python -m workers_ai ...`: the `workers-ai` command."""

from .cli import main

raise SystemExit(main())
