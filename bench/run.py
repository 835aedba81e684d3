"""`make bench`: `.venv/bin/python bench/run.py [--quick] [--only SECTIONS]` (see bench/main.py)."""

import sys
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(_ROOT), str(_ROOT / "generated")]

from bench.main import main  # noqa: E402

if __name__ == "__main__":
    raise SystemExit(main())
