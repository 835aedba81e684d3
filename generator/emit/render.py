"""Render every file of the package: path (relative to the output folder) -> text."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from generator.emit import curated_examples, doc_tables, typed_inputs, typed_outputs
from generator.emit.examples import NoExample, example_for
from generator.emit.prepare import output_validation_schema, prepare
from generator.emit.views import ModelView, TypeModule, all_views, binary_names_used, task_output_alias
from generator.ir import Catalog, Model, Task

RUNTIME_DIR = Path(__file__).resolve().parent.parent / "runtime"
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"

# Hand-written runtime names re-exported lazily by `workers_ai/__init__.py` ("" = the module itself).
RUNTIME_EXPORTS = (
    ("errors", ""),
    ("WorkersAI", "workers_ai.client"),
    ("AsyncWorkersAI", "workers_ai.client"),
    ("BinaryInput", "workers_ai._binary"),
    ("BinaryOutput", "workers_ai._binary"),
    ("ImageOutput", "workers_ai._binary"),
    ("AudioOutput", "workers_ai._binary"),
    ("Stream", "workers_ai._streaming"),
    ("AsyncStream", "workers_ai._streaming"),
    ("TextGenerationChunk", "workers_ai._streaming"),
    ("AsyncStreamContext", "workers_ai._stream_context"),
    ("Base64ImageResult", "workers_ai._image_result"),
)


@dataclass(frozen=True)
class CodegenJob:
    """One datamodel-code-generator call: the arguments of `generate_models`."""

    schema: dict[str, Any]
    class_name: str
    is_output: bool
    file: str
    pointer: str


def codegen_jobs(catalog: Catalog) -> dict[str, CodegenJob]:
    """Every pydantic module the package needs, by its path; the code is made before rendering."""
    jobs: dict[str, CodegenJob] = {}
    for _, modules, _ in all_views(catalog):
        for module in modules:
            is_output = module.kind == "output"
            jobs[module.path] = CodegenJob(
                prepare(module.schema, module.class_name, is_output=is_output),
                module.class_name,
                is_output,
                module.canonical.file,
                f"/schema/{module.kind}",
            )
    return jobs


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=False,
        autoescape=False,
    )
    env.filters["py"] = repr
    env.filters["doc"] = lambda text: " ".join(str(text).split()).replace('"""', "'''").replace("\\", "\\\\")
    return env


def _source(model: Model, folder: str) -> str:
    return f"{folder}/{model.file_name} (sha256 {model.sha256[:12]})"


def _sources(models: tuple[Model, ...] | list[Model], folder: str) -> str:
    return ", ".join(_source(m, folder) for m in sorted(models, key=lambda m: m.file_name))


def _example_input(model: Model) -> Any:
    # A model whose JSON form only wraps its file (`{"image": [...]}`) gets that file in its example even
    # where the catalog does not require it: an empty object is no file to send as the raw body.
    wraps_file = model.input.raw_body and len(model.input.properties) == 1
    try:
        return example_for(model.input.schema, full=wraps_file)
    except NoExample:
        return {}


class Renderer:
    def __init__(
        self,
        catalog: Catalog,
        schemas_folder_name: str,
        models_code: Mapping[str, str],
        examples: curated_examples.CuratedExamples | None = None,
    ) -> None:
        self.examples = examples or curated_examples.CuratedExamples()
        self.catalog = catalog
        self.folder = schemas_folder_name
        self.models_code = typed_outputs.with_image_helpers(models_code, all_views(catalog))
        self.env = _environment()
        self.views = typed_outputs.unwrap_views(all_views(catalog), models_code)
        self.files: dict[str, str] = {}
        self.params: dict[str, typed_inputs.ParamsModule] = {}  # model id -> its TypedDict module

    def _render(self, template: str, **context: Any) -> str:
        return self.env.get_template(template).render(**context)

    def render(self) -> dict[str, str]:
        all_models = list(self.catalog.models)
        everything = f"the {len(all_models)} model files in {self.folder}/"
        self._runtime()
        self.files["workers_ai/models/__init__.py"] = (
            f'"""Generated pydantic types, one package per task ({everything})."""\n'
        )
        self.files["workers_ai/tasks/__init__.py"] = (
            f'"""Generated task modules: types and task descriptors ({everything})."""\n'
        )
        self.files["workers_ai/_schemas/__init__.py"] = (
            '"""Catalog schemas of each model, loaded on first use."""\n'
        )
        for task, modules, views in self.views:
            self.files[f"workers_ai/models/{task.module}/__init__.py"] = (
                f'"""Generated types of the {task.name} models."""\n'
            )
            for module in modules:
                self._type_module(task, module)
            self._params_modules(task, modules)
            self._task(task, modules, views)
            for view in views:
                self._schema_resource(view.model)
                self._model_doc(task, view)
        self._registry(all_models, everything)
        self._client(everything)
        self._package_init(everything)
        self._docs_index(everything)
        return dict(sorted(self.files.items()))

    def _runtime(self) -> None:
        for path in sorted(RUNTIME_DIR.iterdir()):
            if path.is_file() and (path.suffix == ".py" or path.name == "py.typed"):
                text = path.read_text(encoding="utf-8")
                if path.suffix == ".py":
                    text = (
                        f"# Copied by workers-ai-codegen from generator/runtime/{path.name}: edit it there.\n"
                        + text
                    )
                self.files[f"workers_ai/{path.name}"] = text

    def _type_module(self, task: Task, module: TypeModule) -> None:
        code = self.models_code[module.path]
        self.files[module.path] = self._render(
            "model_types.py.jinja",
            sources=_sources(module.members, self.folder),
            kind=module.kind,
            models_text=", ".join(m.id for m in module.members),
            task_name=task.name,
            code=code,
        )

    def _params_modules(self, task: Task, modules: list[TypeModule]) -> None:
        for params in typed_inputs.params_modules(task, modules):
            self.files[params.path] = self._render(
                "params.py.jinja",
                sources=_sources(params.members, self.folder),
                models_text=", ".join(m.id for m in params.members),
                task_name=task.name,
                code=params.code,
            )
            for member in params.members:
                self.params[member.id] = params

    def _task(self, task: Task, modules: list[TypeModule], views: list[ModelView]) -> None:
        default_view = next(v for v in views if v.model is task.default_model)
        branch_imports = typed_outputs.branch_imports(modules, self.models_code)
        exported = sorted(
            {
                n
                for v in views
                for n in (v.model.input_class, *([v.model.output_class] if v.output_module else []))
            }
            | {name for _, names in branch_imports for name in names}
        )
        self.files[f"workers_ai/tasks/{task.module}.py"] = self._render(
            "task.py.jinja",
            sources=_sources(task.models, self.folder),
            task=task,
            modules=modules,
            views=views,
            default_view=default_view,
            task_output=task_output_alias(task, views),
            binary_names=binary_names_used(views),
            exported=exported,
            branch_imports=branch_imports,
        )

    def task_exports(self) -> list[tuple[str, list[str]]]:
        result = []
        for task, modules, views in self.views:
            names = {task.class_name, task.class_name + "Input", task.class_name + "Output"}
            names |= {
                n for _, branch in typed_outputs.branch_imports(modules, self.models_code) for n in branch
            }
            for v in views:
                names.add(v.model.input_class)
                if v.output_module:
                    names.add(v.model.output_class)
            result.append((task.module, sorted(names)))
        return result

    def _schema_resource(self, model: Model) -> None:
        json_schema = model.output.json_schema
        document = {
            "$comment": f"Generated by workers-ai-codegen from {_source(model, self.folder)}: do not edit.",
            "model": model.id,
            "input": model.input.schema,
            "output": model.output.schema,
            "output_json": output_validation_schema(json_schema) if json_schema is not None else None,
        }
        self.files[f"workers_ai/_schemas/{model.module}.json"] = (
            json.dumps(document, indent=1, ensure_ascii=False) + "\n"
        )

    def _registry(self, models: list[Model], everything: str) -> None:
        specs = []
        for task, _, views in self.views:
            for v in views:
                specs.append(
                    {
                        "id": v.id,
                        "task": task.slug,
                        "input_type": f"{v.input_module.import_path}:{v.input_module.class_name}"
                        if v.input_module
                        else None,
                        "output_type": f"{v.output_module.import_path}:{v.output_module.class_name}"
                        if v.output_module
                        else None,
                        "content_types": v.model.output.content_types,
                        "raw_body": v.model.input.raw_body,
                        "uint8_array_fields": v.model.input.uint8_array_fields,
                        "base64_fields": v.model.input.base64_fields,
                        "schema_resource": f"{v.model.module}.json",
                    }
                )
        specs.sort(key=lambda s: str(s["id"]))
        self.files["workers_ai/_registry.py"] = self._render(
            "registry.py.jinja", sources=everything, specs=specs, untyped=tuple(self.catalog.untyped_models)
        )

    def _client(self, everything: str) -> None:
        views = sorted((v for _, _, vs in self.views for v in vs), key=lambda v: v.id)
        task_imports = []
        for task, _, tviews in self.views:
            names = {v.model.input_class for v in tviews}
            # An output class the overloads name (a union output is named by its branches instead).
            names |= {
                v.model.output_class for v in tviews if v.model.output_class in v.output_expr.split(" | ")
            }
            task_imports.append((task, sorted(names)))
        streaming_views = [v for v in views if v.streams]
        self.files["workers_ai/client.py"] = self._render(
            "client.py.jinja",
            sources=everything,
            views=views,
            streaming_views=streaming_views,
            tasks=[typed_inputs.task_overloads(task, tviews, self.params) for task, _, tviews in self.views],
            task_imports=task_imports,
            params_imports=typed_inputs.client_imports(self.params)
            + [
                i
                for _, modules, _ in self.views
                for i in typed_outputs.branch_imports(modules, self.models_code)
            ],
            run_single=len(views) == 1 and not views[0].streams,
            stream_single=len(streaming_views) == 1,
            any_overloads=bool(views),
        )

    def _package_init(self, everything: str) -> None:
        example_model = next(
            (t.default_model for t in self.catalog.tasks if t.slug == "text-classification"),
            self.catalog.models[0] if self.catalog.models else None,
        )
        self.files["workers_ai/__init__.py"] = self._render(
            "package_init.py.jinja",
            sources=everything,
            task_exports=self.task_exports(),
            runtime_exports=RUNTIME_EXPORTS,
            all_names=sorted(
                {name for name, _ in RUNTIME_EXPORTS} | {n for _, names in self.task_exports() for n in names}
            ),
            example_model=example_model.id if example_model else "@cf/huggingface/distilbert-sst-2-int8",
            example_input=repr(_example_input(example_model)) if example_model else '{"text": "Hello"}',
        )

    def _model_doc(self, task: Task, view: ModelView) -> None:
        model = view.model
        notes = {
            "ImageOutput": 'output.save("image.png")  # ImageOutput: .data, .content_type',
            "AudioOutput": 'output.save("speech.mp3")  # AudioOutput: .data, .content_type',
        }
        note = notes.get(view.output_expr, "print(output)")
        if view.output_module and typed_outputs.IMAGE_MIXIN in self.models_code.get(
            view.output_module.path, ""
        ):
            note = 'output.save("image.jpg")  # also .image_bytes(); the base64 `image` decoded'
        curated = self.examples.for_model(model)
        example = curated if curated is not None else _example_input(model)
        self.files[f"docs/{task.slug}/{model.file_name.removesuffix('.json')}.md"] = self._render(
            "model_doc.md.jinja",
            sources=_source(model, self.folder),
            model=model,
            task=task,
            output_expr=view.output_expr,
            content_types=", ".join(f"`{ct}`" for ct in model.output.content_types),
            uint8_fields=", ".join(f"`{f}`" for f in model.input.uint8_array_fields),
            base64_fields=", ".join(f"`{f}`" for f in model.input.base64_fields),
            streams=view.streams,
            example_input=curated_examples.python_expr(example),
            uses_path=curated_examples.uses_files(example),
            params_class=self.params[model.id].code.root if model.id in self.params else model.input_class,
            method_args=curated_examples.keyword_args(example)
            if self._has_task_method(model, example)
            else "",
            output_note=note,
            input_tables=doc_tables.tables(model.input.schema),
            output_tables=doc_tables.tables(model.output.json_schema),
        )

    def _has_task_method(self, model: Model, example: Any) -> bool:
        """The task method can send `example` (a key it takes as its own keyword cannot be)."""
        params = self.params.get(model.id)
        keys = set(example) if isinstance(example, dict) else set()
        return bool(params and params.code.keyword_classes) and not keys & typed_inputs.METHOD_KEYWORDS

    def _docs_index(self, everything: str) -> None:
        tasks = []
        for task, _, views in self.views:
            rows = [
                {
                    "id": v.id,
                    "link": f"{task.slug}/{v.model.file_name.removesuffix('.json')}.md",
                    "default": v.model is task.default_model,
                    "output": v.output_expr,
                    "content_types": ", ".join(f"`{ct}`" for ct in v.model.output.content_types),
                }
                for v in views
            ]
            tasks.append((task, rows))
        self.files["docs/README.md"] = self._render(
            "docs_index.md.jinja",
            sources=everything,
            model_count=len(self.catalog.models),
            task_count=len(self.catalog.tasks),
            tasks=tasks,
            untyped=", ".join(f"`{m}`" for m in self.catalog.untyped_models),
        )


def render_package(
    catalog: Catalog,
    schemas_folder_name: str,
    models_code: Mapping[str, str],
    examples: curated_examples.CuratedExamples | None = None,
) -> Mapping[str, str]:
    """Every file of the package; `models_code` holds each `codegen_jobs` path's generated module."""
    return Renderer(catalog, schemas_folder_name, models_code, examples).render()
