"""workers-ai-codegen: Workers AI catalog schemas -> typed, validated Python client.

The pipeline, one package or module per step:

    load  (read model files, check them, collect diagnostics)
      -> ir    (frozen dataclasses: Task, Model, InputSpec, OutputSpec)
      -> emit  (datamodel-code-generator for pydantic models, jinja2 for the rest)
      -> write (format, then swap the finished tree in atomically)

Beside the pipeline: `drift` (make check), `diff` (breaking-change report), `sync` (live catalog).
"""
