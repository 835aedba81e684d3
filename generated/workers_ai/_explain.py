# Copied by workers-ai-codegen from generator/runtime/_explain.py: edit it there.
"""Say why a value fails a JSON Schema: every failure at its JSON pointer, in a few readable lines.

Only rejected input gets here, so jsonschema is imported lazily. Its errors keep the schema structure, which
lets a `oneOf`/`anyOf` failure name the branch the input was meant for: the one whose distinguishing
required key the input has (`messages` rather than `prompt`), reported with that branch's own failures
(`/max_tokens: 'lots' is not of type 'integer'`); with no such key, the message says which keys each branch
needs. Quoted values are cut to about `QUOTE_LIMIT` characters and at most `MAX_ISSUES` failures are listed,
so an error message stays a few kilobytes whatever the size of the input (a 100 MB prompt, a long enum).
"""

from __future__ import annotations

import importlib
import reprlib
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from .errors import Issue

__all__ = [
    "MAX_ISSUES",
    "QUOTE_LIMIT",
    "explain",
    "json_pointer",
    "native_issues",
    "offline_validator",
    "quote",
]

QUOTE_LIMIT = 100
"""Characters of a value quoted in a message."""
MESSAGE_LIMIT = 320
POINTER_LIMIT = 120
MAX_ISSUES = 20
"""Failures listed for one input; the rest are counted, not shown."""

_quoter = reprlib.Repr()
_quoter.maxstring = _quoter.maxother = _quoter.maxlong = QUOTE_LIMIT
_quoter.maxlist = _quoter.maxtuple = _quoter.maxdict = _quoter.maxset = 6
_quoter.maxlevel = 3


def quote(value: Any) -> str:
    """repr() of `value`, cut to about QUOTE_LIMIT characters without building the whole repr."""
    return _quoter.repr(value)


def shorten(text: str, limit: int = MESSAGE_LIMIT) -> str:
    if len(text) <= limit:
        return text
    half = (limit - 5) // 2
    return f"{text[:half]} ... {text[-half:]}"


def json_pointer(path: Iterable[Any]) -> str:
    """RFC 6901 pointer from a sequence of keys and indexes ("" is the whole document)."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


def _refuse(uri: str) -> Any:
    raise importlib.import_module("referencing.exceptions").NoSuchResource(ref=uri)


def offline_validator(schema: Any) -> Any:
    """jsonschema's Draft 2020-12 validator for `schema`, which never fetches a remote `$ref`."""
    registry = importlib.import_module("referencing").Registry(retrieve=_refuse)
    return importlib.import_module("jsonschema.validators").Draft202012Validator(schema, registry=registry)


def explain(validator: Any, value: Any) -> list[Issue]:
    """The failures of `value` under jsonschema's `validator`, ordered by pointer; [] when it finds none
    (or cannot evaluate the schema, e.g. a pattern Python's `re` does not support)."""
    try:
        errors = list(islice(validator.iter_errors(value), MAX_ISSUES + 1))
    except Exception:
        return []
    errors.sort(key=lambda e: [str(part) for part in e.absolute_path])
    # A value of the wrong type fails every other keyword at its place too; only the type is news.
    mistyped = {tuple(e.absolute_path) for e in errors if e.validator == "type"}
    errors = [e for e in errors if e.validator == "type" or tuple(e.absolute_path) not in mistyped]
    issues = sorted((issue for error in errors for issue in _issues_of(error)), key=_document_order)
    return _bounded(issues, more=len(errors) > MAX_ISSUES)


def native_issues(validator: Any, value: Any) -> list[Issue]:
    """The failures as jsonschema-rs words them (used when jsonschema cannot evaluate the schema)."""
    try:
        errors = list(islice(validator.iter_errors(value), MAX_ISSUES + 1))
    except ValueError as exc:
        return [Issue("", shorten(f"is not a JSON value: {exc}"))]
    issues = [Issue(json_pointer(e.instance_path), e.message) for e in errors]
    return _bounded(issues or [Issue("", "does not match the schema")], more=len(errors) > MAX_ISSUES)


def _document_order(issue: Issue) -> list[tuple[int, str]]:
    return [(0, f"{int(p):012d}") if p.isdigit() else (1, p) for p in issue.pointer.split("/")]


def _bounded(issues: list[Issue], more: bool) -> list[Issue]:
    shown = [Issue(shorten(i.pointer, POINTER_LIMIT), shorten(i.message)) for i in issues[:MAX_ISSUES]]
    if more or len(issues) > MAX_ISSUES:
        shown.append(Issue("", f"further problems not shown (the first {MAX_ISSUES} are listed)"))
    return shown


def _issues_of(error: Any) -> Iterator[Issue]:
    if error.validator in ("oneOf", "anyOf") and error.context and isinstance(error.instance, dict):
        yield from _union_issues(error)
        return
    if error.context:  # a nested union that is not about an object: its most relevant failure
        error = importlib.import_module("jsonschema.exceptions").best_match([error])
    yield Issue(json_pointer(error.absolute_path), _message(error))


def _distinguishing_keys(branches: list[Any]) -> list[list[str]]:
    """Per branch, the required keys that not every branch requires (schema order)."""
    required = [
        [k for k in b["required"] if isinstance(k, str)]
        if isinstance(b, dict) and isinstance(b.get("required"), list)
        else []
        for b in branches
    ]
    shared = set.intersection(*(set(r) for r in required)) if required else set()
    return [[k for k in r if k not in shared] for r in required]


def _union_issues(error: Any) -> Iterator[Issue]:
    branches = error.validator_value if isinstance(error.validator_value, list) else []
    keys = _distinguishing_keys(branches)
    present = error.instance.keys()
    scores = [sum(k in present for k in branch_keys) for branch_keys in keys]
    best = max(scores, default=0)
    if best > 0 and scores.count(best) == 1:
        index = scores.index(best)
        inside = [e for e in error.context if e.relative_schema_path and e.relative_schema_path[0] == index]
        if inside:
            for sub in sorted(inside, key=lambda e: [str(part) for part in e.absolute_path]):
                yield from _issues_of(sub)
            return
    elif best == 0 and keys and all(keys):
        forms = " or ".join(" and ".join(f"`{k}`" for k in branch_keys) for branch_keys in keys)
        yield Issue(json_pointer(error.absolute_path), f"expected {forms}")
        return
    best_match = importlib.import_module("jsonschema.exceptions").best_match
    chosen = best_match([error])
    yield Issue(json_pointer(chosen.absolute_path), _message(chosen))


def _message(error: Any) -> str:
    instance = error.instance
    if error.validator == "type":
        expected = error.validator_value
        names = ", ".join(map(repr, expected)) if isinstance(expected, list) else repr(expected)
        return f"{quote(instance)} is not of type {names}"
    if error.validator == "oneOf" and not error.context:  # jsonschema would print every branch
        branches = error.validator_value if isinstance(error.validator_value, list) else []
        if isinstance(instance, dict):
            given = [k for keys in _distinguishing_keys(branches) for k in keys if k in instance]
            if len(given) > 1:
                return "give only one of " + " or ".join(f"`{k}`" for k in given)
        count = len(branches) or "several"
        return f"{quote(instance)} matches more than one of the {count} accepted forms (oneOf)"
    if error.validator == "enum" and isinstance(error.validator_value, list):
        allowed = error.validator_value
        count = f" ({len(allowed)} values)" if len(allowed) > 6 else ""
        return f"{quote(instance)} is not one of {quote(allowed)}{count}"
    message: str = error.message
    if len(message) > MESSAGE_LIMIT:
        # jsonschema starts most messages with repr(instance): quote it briefly instead.
        full = repr(instance)
        if message.startswith(full):
            message = quote(instance) + message[len(full) :]
    return shorten(message)
