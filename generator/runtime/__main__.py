"""`python -m workers_ai ...`: the `workers-ai` command."""

from .cli import main

raise SystemExit(main())
