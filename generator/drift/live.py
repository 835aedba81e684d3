"""Schemas vs the live catalog, as a drift check: runs the `sync --check` comparison when credentials exist.

CI normally has neither network nor credentials; then the check is skipped with one line saying why
(or fails with --strict-live, for pipelines that must not silently skip it).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from generator.drift.findings import Finding, Status
from generator.schemadiff import Level

CHECK = "live"
_SETTINGS = ("CLOUDFLARE_API_TOKEN", "CLOUDFLARE_ACCOUNT_ID")


def check_live(schemas: Path, *, strict: bool = False, env: Mapping[str, str] | None = None) -> list[Finding]:
    source = os.environ if env is None else env
    missing = [name for name in _SETTINGS if not source.get(name)]
    if missing:
        status = Status.FAIL if strict else Status.INFO
        return [
            Finding(
                CHECK,
                status,
                str(schemas),
                f"skipped: {' and '.join(missing)} not set (no credentials, so no live catalog)",
            )
        ]
    # Imported here: only this step needs the HTTP stack.
    from generator.sync import Settings, SyncError, plan_against_catalog

    try:
        plan = plan_against_catalog(schemas, Settings.from_env(source))
    except SyncError as exc:
        return [Finding(CHECK, Status.FAIL, str(schemas), f"cannot compare with the live catalog: {exc}")]
    findings = [
        Finding(CHECK, Status.FAIL, str(schemas / f), "model added in the live catalog", d["name"])
        for f, d in plan.added
    ]
    findings += [
        Finding(CHECK, Status.FAIL, str(m.path), "model removed from the live catalog (breaking)", m.name)
        for m in plan.removed
    ]
    findings += [
        Finding(
            CHECK,
            Status.FAIL,
            str(current.path if current else schemas),
            f"live catalog schema could not be read: {reason}",
            name,
        )
        for name, current, reason in plan.unreadable
    ]
    for changed in plan.changed:
        for change in changed.changes:
            status = Status.FAIL if change.level is Level.BREAKING else Status.INFO
            text = f"live catalog schema differs: {change.message}"
            findings.append(
                Finding(CHECK, status, str(changed.local.path), text, change.model, change.pointer)
            )
        if not any(c.level is Level.BREAKING for c in changed.changes):
            findings.append(
                Finding(
                    CHECK,
                    Status.FAIL,
                    str(changed.local.path),
                    "live catalog schema differs (compatible changes only)",
                    changed.local.name,
                )
            )
    return findings
