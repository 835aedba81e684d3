"""Print a sync plan: one line per added / removed / changed model, the classified changes, a summary."""

from __future__ import annotations

from generator.schemadiff import Level
from generator.sync.plan import SyncPlan


def plan_lines(plan: SyncPlan, folder: str) -> list[str]:
    lines: list[str] = []
    for file_name, document in plan.added:
        lines.append(f"added    {document['name']} (new file {folder}/{file_name})")
    for local in plan.removed:
        lines.append(f"removed  {local.name} ({local.path}): breaking for its users")
    for changed in plan.changed:
        breaking = sum(c.level is Level.BREAKING for c in changed.changes)
        compatible = sum(c.level is Level.OK for c in changed.changes)
        lines.append(
            f"changed  {changed.local.name} ({changed.local.path}): {breaking} breaking, {compatible} compatible"
        )
        lines.extend(f"    {c}" for c in changed.changes if c.level is not Level.INFO)
    for local in plan.metadata_only:
        lines.append(f"metadata {local.name} ({local.path}): description/properties differ, schema unchanged")
    for name, current, reason in plan.unreadable:
        kept = f"kept {current.path}" if current is not None else "no local file"
        lines.append(f"failed   {name} ({kept}): its schema could not be read: {reason}")
    lines.append(
        f"sync: {len(plan.added)} added, {len(plan.removed)} removed, {len(plan.changed)} changed "
        f"({plan.breaking_count} breaking changes), {len(plan.metadata_only)} metadata-only"
        + (f", {len(plan.unreadable)} unreadable" if plan.unreadable else "")
    )
    return lines
