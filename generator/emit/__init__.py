"""Step 3: emit source text for every file of the package (nothing is written here).

- `prepare`: turn a catalog schema into the schema datamodel-code-generator should see
  (class names as titles, non-JSON-Schema keywords removed, output enums widened).
- `pydantic_models`: datamodel-code-generator, in-process, one module per distinct schema.
- `render`: jinja2 templates for registry, client, tasks, package `__init__` and docs.
"""
