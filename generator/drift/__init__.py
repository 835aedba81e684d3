"""Drift checks (`python -m generator check`): is everything committed still consistent with the schemas?

    code      regenerate into a temp folder, compare with generated/ byte for byte   (drift.code)
    fixtures  recorded replies / inputs vs the models' output / input schemas         (drift.fixtures)
    docs      docs pages' examples and schemas vs their own and the catalog schemas  (drift.docs)
    openapi   Cloudflare's OpenAPI request schemas vs the catalog's input schemas    (drift.openapi)
    live      schemas/ vs the live catalog, when credentials are set                 (drift.live)

Each check returns `Finding`s; known drift is declared next to the data and must keep reproducing.
"""

from generator.drift.code import check_code, compare_trees
from generator.drift.docs import check_docs
from generator.drift.findings import Finding, Problem, Status
from generator.drift.fixtures import check_fixtures
from generator.drift.live import check_live

__all__ = [
    "Finding",
    "Problem",
    "Status",
    "check_code",
    "check_docs",
    "check_fixtures",
    "check_live",
    "compare_trees",
]
