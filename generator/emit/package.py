"""The package around the generated modules: the hand-written runtime copied in, the distribution's
metadata (`pyproject.toml`, the version) and `workers_ai/__init__.py` with its lazy exports."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator.emit import model_docs
from generator.ir import Catalog

__all__ = ["RUNTIME_DEPENDENCIES", "RUNTIME_DIR", "RUNTIME_EXPORTS", "RUNTIME_EXTRAS", "package_files"]

RUNTIME_DIR = Path(__file__).resolve().parent.parent / "runtime"
RUNTIME_DIR = Path(__file__).resolve().parent.parent / "runtime"

# Runtime dependencies of the generated distribution (compatible ranges: it lives next to other libraries).
# jsonschema (with referencing) words the errors of rejected input; jsonschema-rs validates.
RUNTIME_DEPENDENCIES = (
    "httpx>=0.27,<1",
    "pydantic>=2.10,<3",
    "jsonschema-rs>=0.60,<1",
    "jsonschema>=4.23,<5",
    "typing-extensions>=4.6",  # NotRequired, TypedDict and Unpack of the typed inputs on Python 3.10
)
# Optional features of `workers-ai map`: Parquet files, a progress bar, Ray Data.
RUNTIME_EXTRAS = (("parquet", ("pyarrow>=14",)), ("cli", ("tqdm>=4.60",)), ("ray", ("ray[data]>=2.40",)))

# Hand-written runtime names re-exported lazily by `workers_ai/__init__.py` ("" = the module itself).
RUNTIME_EXPORTS = (
    ("errors", ""),
    ("types", ""),
    ("models", ""),
    ("WorkersAI", "workers_ai.client"),
    ("AsyncWorkersAI", "workers_ai.client"),
    ("BinaryInput", "workers_ai._binary"),
    ("BinaryOutput", "workers_ai._binary"),
    ("ImageOutput", "workers_ai._binary"),
    ("AudioOutput", "workers_ai._binary"),
    ("Stream", "workers_ai._streaming"),
    ("AsyncStream", "workers_ai._streaming"),
    ("TextGenerationChunk", "workers_ai._streaming"),
    ("ParsedOutput", "workers_ai._structured"),
    ("Tool", "workers_ai._tools"),
    ("ToolCall", "workers_ai._tools"),
    ("ToolCallReply", "workers_ai._tools"),
    ("ToolLoopResult", "workers_ai._tools"),
    ("ToolCallAssembler", "workers_ai._tool_calls"),
    ("ModelInfo", "workers_ai._model_info"),
    ("AsyncStreamContext", "workers_ai._stream_context"),
    ("Base64ImageResult", "workers_ai._image_result"),
    # Records of the REST resources besides `run` (batch, catalog, fine-tunes, to-markdown).
    ("BatchJob", "workers_ai._batch"),
    ("AsyncBatchJob", "workers_ai._batch"),
    ("BatchResult", "workers_ai._batch"),
    ("BatchItem", "workers_ai._batch"),
    ("BatchItemFailure", "workers_ai._batch"),
    ("CatalogModel", "workers_ai._catalog"),
    ("CatalogTask", "workers_ai._catalog"),
    ("CatalogAuthor", "workers_ai._catalog"),
    ("ModelSchemas", "workers_ai._catalog"),
    ("Finetune", "workers_ai._finetunes"),
    ("FinetuneAsset", "workers_ai._finetunes"),
    ("MarkdownDocument", "workers_ai._markdown"),
    ("MarkdownError", "workers_ai._markdown"),
    ("SupportedFormat", "workers_ai._markdown"),
    ("GatewayOptions", "workers_ai._gateway"),
    ("CustomCost", "workers_ai._gateway"),
    ("RequestOptions", "workers_ai._options"),
    ("RawResponse", "workers_ai._response"),
    # What `client.map(...)` returns and yields.
    ("MapRun", "workers_ai._bulk"),
    ("AsyncMapRun", "workers_ai._bulk"),
    ("MapItem", "workers_ai._bulk"),
    ("MapSummary", "workers_ai._bulk"),
)

# Renders a template by name with its context (`Renderer._render`).
Render = Callable[..., str]


def package_files(render: Render, catalog: Catalog, version: str, everything: str) -> dict[str, str]:
    """The runtime copies, `pyproject.toml`, `_version.py` and `__init__.py`, by path; `everything` names
    the model files they come from."""
    files = _runtime_files()
    files["workers_ai/_version.py"] = (
        f'"""The distribution\'s version (see pyproject.toml)."""\n\n__version__ = {version!r}\n'
    )
    files["workers_ai/__init__.py"] = render("package_init.py.jinja", **_package_init(catalog, everything))
    files["pyproject.toml"] = render(
        "pyproject.toml.jinja",
        sources=everything,
        version=version,
        dependencies=RUNTIME_DEPENDENCIES,
        extras=RUNTIME_EXTRAS,
        cli=(RUNTIME_DIR / "cli.py").exists(),
    )
    return files


def _runtime_files() -> dict[str, str]:
    files = {}
    for path in sorted(RUNTIME_DIR.iterdir()):
        if path.is_file() and (path.suffix == ".py" or path.name == "py.typed"):
            text = path.read_text(encoding="utf-8")
            if path.suffix == ".py":
                text = (
                    f"# Copied by workers-ai-codegen from generator/runtime/{path.name}: edit it there.\n"
                    + text
                )
            files[f"workers_ai/{path.name}"] = text
    return files


def _package_init(catalog: Catalog, everything: str) -> dict[str, Any]:
    example_model = next(
        (t.default_model for t in catalog.tasks if t.slug == "text-classification"),
        catalog.models[0] if catalog.models else None,
    )
    return {
        "sources": everything,
        "runtime_exports": RUNTIME_EXPORTS,
        "all_names": sorted({name for name, _ in RUNTIME_EXPORTS} | {"__version__"}),
        "example_model": example_model.id if example_model else "@cf/huggingface/distilbert-sst-2-int8",
        "example_input": repr(model_docs.example_input(example_model))
        if example_model
        else '{"text": "Hello"}',
    }
