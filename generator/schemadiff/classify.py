"""Classify every difference between two versions of one model's input or output schema.

The question asked of each difference is "can code written against the old generated client break?":

- Input schemas are what users send. Anything that accepts fewer values (a new required field, a removed
  property, a narrower type/enum/bound, a new pattern) is BREAKING; accepting more is OK.
- Output schemas are what users read (and what the generated client validates). Anything that can produce
  values the old client did not expect (a removed or now-optional field, a new type, a new enum value, a
  looser bound, a new oneOf variant, nullability) is BREAKING; producing fewer kinds of values is OK.
- A changed `contentType` is BREAKING either way: the response is decoded differently.
- description / title / examples / default / deprecated changes are INFO.

How schemas are read (nullability, implied types, branch matching) is in `schemadiff/reading.py`.
"""

from __future__ import annotations

from typing import Any, Literal

from generator.diagnostics import json_pointer
from generator.schema import canonical_json, union_of
from generator.schemadiff.changes import Change, Level
from generator.schemadiff.reading import (
    covers,
    declared_types,
    enum_values,
    match_branches,
    properties_of,
    required_of,
    split_nullable,
)

Direction = Literal["input", "output"]
Path = tuple[str | int, ...]

_MIN_KEYS = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
_MAX_KEYS = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")
_INFO_KEYS = ("description", "title", "examples", "default", "deprecated", "$comment")
# Keywords whose change we interpret; anything else that differs is reported as INFO.
_HANDLED = {
    *_MIN_KEYS,
    *_MAX_KEYS,
    *_INFO_KEYS,
    "type",
    "enum",
    "const",
    "nullable",
    "pattern",
    "format",
    "multipleOf",
    "uniqueItems",
    "contentType",
    "required",
    "properties",
    "additionalProperties",
    "items",
    "prefixItems",
    "oneOf",
    "anyOf",
    "allOf",
}


class _Classifier:
    def __init__(self, model: str, direction: Direction, base: Path) -> None:
        self.model = model
        self.direction = direction
        self.base = base
        self.changes: list[Change] = []

    # -- reporting -------------------------------------------------------------------------------------
    def emit(self, path: Path, level: Level, kind: str, message: str) -> None:
        pointer = json_pointer((*self.base, *path))
        self.changes.append(Change(self.model, pointer, level, f"{self.direction}.{kind}", message))

    def narrowed(self, path: Path, kind: str, message: str) -> None:
        """Fewer values allowed: breaks senders (input), harmless to readers (output)."""
        level = Level.BREAKING if self.direction == "input" else Level.OK
        self.emit(path, level, kind, f"{message} ({self.direction} narrowed)")

    def widened(self, path: Path, kind: str, message: str) -> None:
        """More values allowed: harmless to senders (input), breaks readers (output)."""
        level = Level.BREAKING if self.direction == "output" else Level.OK
        self.emit(path, level, kind, f"{message} ({self.direction} widened)")

    def changed(self, path: Path, kind: str, message: str) -> None:
        """Neither narrower nor wider (e.g. a different pattern): assume it breaks."""
        self.emit(path, Level.BREAKING, kind, message)

    # -- walking ---------------------------------------------------------------------------------------
    def compare(self, old: Any, new: Any, path: Path) -> None:
        if not isinstance(old, dict) or not isinstance(new, dict):
            if canonical_json(old) != canonical_json(new):
                self.changed(
                    path,
                    "schema_replaced",
                    f"schema changed from {canonical_json(old)} to {canonical_json(new)}",
                )
            return
        old, old_null = split_nullable(old)
        new, new_null = split_nullable(new)
        if old_null != new_null:
            if new_null:
                self.widened(path, "nullable_added", "now nullable")
            else:
                self.narrowed(path, "nullable_removed", "no longer nullable")
        if (union_of(old) is None) != (union_of(new) is None):
            self._plain_vs_union(old, new, path)
            return
        self._content_type(old, new, path)
        self._compare_types(old, new, path)
        self._compare_enums(old, new, path)
        self._bounds(old, new, path)
        self._textual(old, new, path)
        self._object(old, new, path)
        self._array(old, new, path)
        self._unions(old, new, path)
        self._info(old, new, path)

    def _content_type(self, old: dict[str, Any], new: dict[str, Any], path: Path) -> None:
        before, after = old.get("contentType"), new.get("contentType")
        if before != after:
            self.changed(
                (*path, "contentType"), "content_type_changed", f"content type {before!r} -> {after!r}"
            )

    def _compare_types(self, old: dict[str, Any], new: dict[str, Any], path: Path) -> None:
        before, after = declared_types(old), declared_types(new)
        if before == after:
            return
        where = (*path, "type")
        if before is None:
            self.narrowed(where, "type_narrowed", f"type restricted to {sorted(after or ())}")
            return
        if after is None:
            self.widened(where, "type_widened", f"type {sorted(before)} -> any type")
            return
        lost = sorted(t for t in before if not covers(after, t))
        gained = sorted(t for t in after if not covers(before, t))
        text = f"type {sorted(before)} -> {sorted(after)}"
        if lost and gained:
            self.changed(where, "type_changed", text)
        elif lost:
            self.narrowed(where, "type_narrowed", text)
        elif gained:
            self.widened(where, "type_widened", text)

    def _compare_enums(self, old: dict[str, Any], new: dict[str, Any], path: Path) -> None:
        before, after = enum_values(old), enum_values(new)
        where = (*path, "enum" if "enum" in new or "enum" in old else "const")
        if before is None and after is None:
            return
        if before is None:
            self.narrowed(where, "enum_added", f"values restricted to {canonical_json(after)}")
            return
        if after is None:
            self.widened(where, "enum_removed", f"value restriction {canonical_json(before)} removed")
            return
        old_keys, new_keys = {canonical_json(v) for v in before}, {canonical_json(v) for v in after}
        lost = [v for v in before if canonical_json(v) not in new_keys]
        gained = [v for v in after if canonical_json(v) not in old_keys]
        if lost:
            self.narrowed(where, "enum_narrowed", f"enum values removed: {canonical_json(lost)}")
        if gained:
            self.widened(where, "enum_widened", f"enum values added: {canonical_json(gained)}")

    def _bounds(self, old: dict[str, Any], new: dict[str, Any], path: Path) -> None:
        for key in (*_MIN_KEYS, *_MAX_KEYS):
            before, after = old.get(key), new.get(key)
            if before == after or isinstance(before, bool) or isinstance(after, bool):
                continue
            is_min = key in _MIN_KEYS
            if before is None:
                tighter = True
            elif after is None:
                tighter = False
            elif isinstance(before, int | float) and isinstance(after, int | float):
                tighter = after > before if is_min else after < before
            else:
                self.changed((*path, key), "bound_changed", f"{key} {before!r} -> {after!r}")
                continue
            text = (
                f"{key} {before!r} -> {after!r}"
                if before is not None and after is not None
                else (f"{key} {after!r} added" if before is None else f"{key} {before!r} removed")
            )
            if tighter:
                self.narrowed((*path, key), "bound_narrowed", text)
            else:
                self.widened((*path, key), "bound_widened", text)

    def _textual(self, old: dict[str, Any], new: dict[str, Any], path: Path) -> None:
        """Constraints that cannot be ordered: added = narrower, removed = wider, changed = breaking."""
        for key in ("pattern", "format", "multipleOf"):
            before, after = old.get(key), new.get(key)
            if before == after:
                continue
            if before is None:
                self.narrowed((*path, key), f"{key}_added", f"{key} {after!r} added")
            elif after is None:
                self.widened((*path, key), f"{key}_removed", f"{key} {before!r} removed")
            else:
                self.changed((*path, key), f"{key}_changed", f"{key} {before!r} -> {after!r}")
        if old.get("uniqueItems") is not True and new.get("uniqueItems") is True:
            self.narrowed((*path, "uniqueItems"), "unique_items_added", "items must now be unique")
        elif old.get("uniqueItems") is True and new.get("uniqueItems") is not True:
            self.widened((*path, "uniqueItems"), "unique_items_removed", "items no longer need to be unique")

    def _object(self, old: dict[str, Any], new: dict[str, Any], path: Path) -> None:
        old_props, new_props = properties_of(old), properties_of(new)
        old_req, new_req = required_of(old), required_of(new)
        inputs = self.direction == "input"
        for name in old_props:
            if name not in new_props:
                what = (
                    "input property removed (users sending it)"
                    if inputs
                    else "output field removed (users reading it)"
                )
                self.emit((*path, "properties", name), Level.BREAKING, "property_removed", what)
        for name in new_props:
            where = (*path, "properties", name)
            if name not in old_props:
                if inputs and name in new_req:
                    self.emit(where, Level.BREAKING, "required_added", "new required input field")
                elif inputs:
                    self.emit(where, Level.OK, "property_added", "new optional input field")
                else:
                    self.emit(where, Level.OK, "property_added", "new output field")
                continue
            if name in new_req and name not in old_req:
                if inputs:
                    self.emit(where, Level.BREAKING, "required_added", "input field became required")
                else:
                    self.emit(where, Level.OK, "required_added", "output field is now always present")
            elif name in old_req and name not in new_req:
                if inputs:
                    self.emit(where, Level.OK, "required_removed", "input field became optional")
                else:
                    self.emit(
                        where,
                        Level.BREAKING,
                        "required_removed",
                        "output field made optional (users reading it)",
                    )
            self.compare(old_props[name], new_props[name], where)
        for name in sorted(new_req - old_req - set(new_props)):
            # Required without a declared property: still a new field every request must carry.
            level = Level.BREAKING if inputs else Level.OK
            self.emit((*path, "required"), level, "required_added", f"{name!r} became required")
        self._additional(old.get("additionalProperties"), new.get("additionalProperties"), path)

    def _additional(self, before: Any, after: Any, path: Path) -> None:
        where = (*path, "additionalProperties")
        if isinstance(before, dict) and isinstance(after, dict):
            self.compare(before, after, where)
            return
        # Absent and `true` both allow anything; a schema allows some; `false` allows nothing.
        rank = {"any": 2, "some": 1, "none": 0}

        def openness(value: Any) -> str:
            if value is False:
                return "none"
            return "some" if isinstance(value, dict) else "any"

        a, b = openness(before), openness(after)
        if rank[b] < rank[a]:
            self.narrowed(
                where,
                "additional_narrowed",
                f"additionalProperties {canonical_json(before)} -> {canonical_json(after)}",
            )
        elif rank[b] > rank[a]:
            self.widened(
                where,
                "additional_widened",
                f"additionalProperties {canonical_json(before)} -> {canonical_json(after)}",
            )

    def _array(self, old: dict[str, Any], new: dict[str, Any], path: Path) -> None:
        before, after = old.get("items"), new.get("items")
        if isinstance(before, dict) and isinstance(after, dict):
            self.compare(before, after, (*path, "items"))
        elif before is None and isinstance(after, dict):
            self.narrowed((*path, "items"), "items_added", "item schema added")
        elif isinstance(before, dict) and after is None:
            self.widened((*path, "items"), "items_removed", "item schema removed")
        elif before != after:
            self.compare(before, after, (*path, "items"))
        old_prefix, new_prefix = old.get("prefixItems"), new.get("prefixItems")
        if isinstance(old_prefix, list) and isinstance(new_prefix, list):
            for i in range(min(len(old_prefix), len(new_prefix))):
                self.compare(old_prefix[i], new_prefix[i], (*path, "prefixItems", i))
            if len(old_prefix) != len(new_prefix):
                self.changed((*path, "prefixItems"), "prefix_items_changed", "tuple length changed")
        elif old_prefix != new_prefix:
            self.changed((*path, "prefixItems"), "prefix_items_changed", "tuple item schemas changed")

    def _unions(self, old: dict[str, Any], new: dict[str, Any], path: Path) -> None:
        before, after = union_of(old), union_of(new)
        if before is None and after is None:
            self._all_of(old, new, path)
            return
        old_key, old_list = before or ("oneOf", [])
        new_key, new_list = after or (old_key, [])
        if before is None or after is None:
            key = new_key if after else old_key
            if after is None:
                self.widened((*path, key), "union_removed", f"{key} alternatives removed")
            else:
                self.narrowed((*path, key), "union_added", f"{key} alternatives added")
            return
        if old_key != new_key:
            self.emit((*path, new_key), Level.INFO, "union_keyword", f"{old_key} -> {new_key}")
        pairs, removed, added = match_branches(old_list, new_list)
        for i in removed:
            self.narrowed((*path, old_key, i), "variant_removed", f"{old_key} variant {i} removed")
        for j in added:
            self.widened((*path, new_key, j), "variant_added", f"{new_key} variant {j} added")
        for i, j in pairs:
            self.compare(old_list[i], new_list[j], (*path, new_key, j))
        self._all_of(old, new, path)

    def _plain_vs_union(self, old: dict[str, Any], new: dict[str, Any], path: Path) -> None:
        """One side is a plain schema, the other a oneOf/anyOf: compare the plain one with its closest variant.

        The catalog often turns a schema into one variant of a union (a batch form is added beside the
        single form). Each variant is read together with the keys beside the union (its parent's `type`,
        `contentType`, ...); the variant with the fewest breaking differences is taken as the old shape.
        """
        union_side = new if union_of(new) is not None else old
        key, branches = union_of(union_side) or ("oneOf", [])
        rest = {k: v for k, v in union_side.items() if k != key}
        plain = old if union_side is new else new
        best: tuple[tuple[int, int, int], int, list[Change]] | None = None
        for index, branch in enumerate(branches):
            variant = {**rest, **branch} if isinstance(branch, dict) else branch
            probe = _Classifier(self.model, self.direction, self.base)
            if union_side is new:
                probe.compare(old, variant, (*path, key, index))
            else:
                probe.compare(variant, new, path)
            # Closest variant: most property names in common, then fewest breaking changes, then fewest changes.
            shared = len(set(properties_of(plain)) & set(properties_of(variant)))
            score = (-shared, sum(c.level is Level.BREAKING for c in probe.changes), len(probe.changes))
            if best is None or score < best[0]:
                best = (score, index, probe.changes)
        best_index, best_changes = (best[1], best[2]) if best else (0, [])
        self.changes.extend(best_changes)
        if len(branches) <= 1:
            return
        if union_side is new:
            self.widened(
                (*path, key),
                "union_added",
                f"now one of {len(branches)} {key} variants; the old shape is variant {best_index}",
            )
        else:
            self.narrowed(
                (*path, key),
                "union_removed",
                f"{key} of {len(branches)} variants replaced by variant {best_index}'s shape",
            )

    def _all_of(self, old: dict[str, Any], new: dict[str, Any], path: Path) -> None:
        before = old["allOf"] if isinstance(old.get("allOf"), list) else []
        after = new["allOf"] if isinstance(new.get("allOf"), list) else []
        for i in range(min(len(before), len(after))):
            self.compare(before[i], after[i], (*path, "allOf", i))
        for i in range(len(after), len(before)):
            self.widened((*path, "allOf", i), "all_of_removed", "allOf constraint removed")
        for i in range(len(before), len(after)):
            self.narrowed((*path, "allOf", i), "all_of_added", "allOf constraint added")

    def _info(self, old: dict[str, Any], new: dict[str, Any], path: Path) -> None:
        for key in sorted(set(old) | set(new)):
            if key in _HANDLED and key not in _INFO_KEYS:
                continue
            before, after = old.get(key), new.get(key)
            if canonical_json(before) != canonical_json(after):
                if key in ("description", "title", "$comment"):
                    self.emit((*path, key), Level.INFO, f"{key}_changed", f"{key} changed")
                else:
                    self.emit(
                        (*path, key),
                        Level.INFO,
                        f"{key}_changed",
                        f"{key} {canonical_json(before)} -> {canonical_json(after)}",
                    )


def classify_schema(
    model: str, direction: Direction, old: Any, new: Any, base: Path | None = None
) -> list[Change]:
    """All changes between two versions of one model's input (or output) schema."""
    walker = _Classifier(model, direction, base if base is not None else ("schema", direction))
    walker.compare(old, new, ())
    return walker.changes
