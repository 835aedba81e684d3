"""Render every file of the package: path (relative to the output folder) -> text."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from generator import naming
from generator.emit import capabilities, curated_examples, model_docs, package, typed_inputs, typed_outputs
from generator.emit.prepare import output_validation_schema, prepare
from generator.emit.type_modules import model_module_parts, shared_module_parts
from generator.emit.version import FIRST_VERSION
from generator.emit.views import ModelView, TypeCode, all_views, binary_names_used, default_view
from generator.ir import Catalog, Model, Task
from generator.naming import ModuleName, task_methods_classes

BINARY_NAMES = frozenset({"ImageOutput", "AudioOutput", "BinaryOutput", "Any"})
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True)
class BatchView:
    """One `client.batch.submit` overload: the model id, accepted input and parsed result types."""

    id: str
    input_expr: str
    output_expr: str


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
    for _, codes, _ in all_views(catalog):
        for code in codes:
            is_output = code.kind == "output"
            jobs[code.path] = CodegenJob(
                prepare(code.schema, code.class_name, is_output=is_output),
                code.class_name,
                is_output,
                code.file,
                f"/schema/{code.kind}",
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
    env.filters["toml"] = lambda value: json.dumps(value)  # a JSON string is a TOML basic string
    env.filters["doc"] = lambda text: " ".join(str(text).split()).replace('"""', "'''").replace("\\", "\\\\")
    return env


def _source(model: Model, folder: str) -> str:
    return f"{folder}/{model.file_name} (sha256 {model.sha256[:12]})"


def _sources(models: tuple[Model, ...] | list[Model], folder: str) -> str:
    return ", ".join(_source(m, folder) for m in sorted(models, key=lambda m: m.file_name))


class Renderer:
    def __init__(
        self,
        catalog: Catalog,
        schemas_folder_name: str,
        models_code: Mapping[str, str],
        version: str,
        examples: curated_examples.CuratedExamples | None = None,
    ) -> None:
        self.catalog = catalog
        self.folder = schemas_folder_name
        self.models_code = typed_outputs.with_image_helpers(models_code, all_views(catalog))
        self.version = version
        self.examples = examples or curated_examples.CuratedExamples()
        self.env = _environment()
        self.views = typed_outputs.unwrap_views(all_views(catalog), self.models_code)
        self.files: dict[str, str] = {}
        self.params: dict[str, typed_inputs.ParamsModule] = {}  # model id -> its TypedDict module
        for _, codes, _ in self.views:
            for params in typed_inputs.params_modules(codes):
                self.params.update((member.id, params) for member in params.members)

    def _render(self, template: str, **context: Any) -> str:
        return self.env.get_template(template).render(**context)

    def render(self) -> dict[str, str]:
        all_models = list(self.catalog.models)
        everything = f"the {len(all_models)} model files in {self.folder}/"
        self.files.update(package.package_files(self._render, self.catalog, self.version, everything))
        self.files["workers_ai/tasks/__init__.py"] = (
            f'"""The task methods of the clients, one module per task ({everything})."""\n'
        )
        self.files["workers_ai/_schemas/__init__.py"] = (
            '"""Catalog schemas of each model, loaded on first use."""\n'
        )
        for task, codes, views in self.views:
            for code in codes:
                if code.shared:
                    self._shared_module(task, code)
            for view in views:
                self._model_module(task, view)
                self._schema_resource(view.model)
                self._model_doc(task, view)
            self._params_modules(codes)
            self._task_types(task, views)
            self._task_methods(task, views)
        self._registry(all_models, everything)
        self._capabilities(everything)
        self._client(everything)
        self._batch()
        self._types_init(everything)
        self._docs_index(everything)
        return dict(sorted(self.files.items()))

    def _shared_module(self, task: Task, code: TypeCode) -> None:
        path = f"workers_ai/types/{task.module}/{code.module_name}.py"
        self.files[path] = self._render(
            "model_types.py.jinja",
            sources=_sources(code.members, self.folder),
            doc=f"{code.kind.capitalize()} types that several {task.name} models share (same schema).",
            parts=shared_module_parts(code, self.models_code),
        )

    def _model_module(self, task: Task, view: ModelView) -> None:
        if not view.root_names:
            return
        self.files[view.path] = self._render(
            "model_types.py.jinja",
            sources=_source(view.model, self.folder),
            doc=f"Types of `{view.id}` ({task.name}).",
            parts=model_module_parts(view, self.models_code),
        )

    def _params_modules(self, codes: list[TypeCode]) -> None:
        for params in {p.path: p for p in self.params.values() if p.source in codes}.values():
            self.files[params.path] = self._render(
                "params.py.jinja",
                sources=_sources(params.members, self.folder),
                models_text=", ".join(m.id for m in params.members),
                task_name=params.source.task.name,
                code=params.code,
            )
            for own in typed_inputs.model_params(params):
                if own.aliases:
                    self.files[own.path] = self._render(
                        "params_reexport.py.jinja",
                        sources=_source(own.model, self.folder),
                        mp=own,
                        task_name=params.source.task.name,
                    )

    def _task_file(
        self, path: str, template: str, task: Task, views: list[ModelView], **context: Any
    ) -> None:
        """A file made from one task's models (its types package, its client methods)."""
        sources = _sources(task.models, self.folder)
        self.files[path] = self._render(template, sources=sources, task=task, views=views, **context)

    def _task_types(self, task: Task, views: list[ModelView]) -> None:
        default = default_view(task, views)
        self._task_file(
            f"workers_ai/types/{task.module}/__init__.py",
            "task_types.py.jinja",
            task,
            views,
            default=default,
            binary_names=binary_names_used([default]),
            lazy=self.task_lazy_exports(task, views),
            params_exports=self.params_exports(views),
        )

    def params_exports(self, views: list[ModelView]) -> list[tuple[str, str, str]]:
        """(module, TypedDict root, the model's public name for it) of each model of a task."""
        found = {
            (typed_inputs.ModelParams(v.model, p).import_path, name, name)
            for v in views
            if (p := self.params.get(v.id)) is not None
            for name in [naming.params_class(v.model.input_class)]
        }
        return sorted(found)

    def task_lazy_exports(self, task: Task, views: list[ModelView]) -> list[tuple[str, str]]:
        """Name -> `module:attribute` (joined by ` | ` for a union) of every type a task package exports."""
        binary = {
            name: f"workers_ai._binary:{name}" for name in ("ImageOutput", "AudioOutput", "BinaryOutput")
        }
        roots = {name: f"{v.import_path}:{name}" for v in views for name in v.root_names}
        default = default_view(task, views)
        output = " | ".join(
            roots.get(part, binary.get(part, "")) for part in default.output_expr.split(" | ")
        )
        exports = {
            task.input_class: roots[default.model.input_class],
            task.output_class: output,
            **roots,
            **{public: f"{path}:{root}" for path, root, public in self.params_exports(views)},
        }
        return sorted(exports.items())

    def _task_methods(self, task: Task, views: list[ModelView]) -> None:
        sync_class, async_class = task_methods_classes(task.module)
        _, overloads, single = typed_inputs.task_overloads(task, views, self.params)
        self._task_file(
            f"workers_ai/tasks/{task.module}.py",
            "task_methods.py.jinja",
            task,
            views,
            sync_class=sync_class,
            async_class=async_class,
            binary_names=binary_names_used(views),
            any_streams=any(v.streams for v in views),
            output_names=sorted(
                {p for v in views if v.output_code for p in v.output_expr.split(" | ")} - BINARY_NAMES
            ),
            overloads=overloads,
            single=single,
            params_imports=typed_inputs.client_imports(
                {v.id: self.params[v.id] for v in views if v.id in self.params}
            ),
        )

    def task_exports(self) -> list[tuple[ModuleName, list[str]]]:
        """Every public type name of each task package (what `workers_ai.types` re-exports)."""
        result = []
        for task, _, views in self.views:
            names: set[str] = {task.class_name, task.input_class, task.output_class}
            names.update(name for v in views for name in v.root_names)
            names.update(public for _, _, public in self.params_exports(views))
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
                        "input_type": f"{v.import_path}:{v.model.input_class}" if v.input_code else None,
                        "output_type": f"{v.import_path}:{v.model.output_class}" if v.output_code else None,
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

    def _capabilities(self, everything: str) -> None:
        caps = capabilities.capability_list(self.catalog)
        self.files["workers_ai/_capabilities.py"] = self._render(
            "capabilities.py.jinja", sources=everything, capabilities=caps, fields_of=capabilities.fields_of
        )
        self.files["workers_ai/_feature_methods.py"] = self._render(
            "feature_methods.py.jinja",
            sources=everything,
            json_models=[c.id for c in caps if c.structured_output],
            tool_models=[c.id for c in caps if c.accepts_tools],
        )

    def _client(self, everything: str) -> None:
        views = sorted((v for _, _, vs in self.views for v in vs), key=lambda v: v.id)
        task_imports = []
        for task, _, tviews in self.views:
            task_imports.append((task, sorted(name for v in tviews for name in v.root_names)))
        self.files["workers_ai/client.py"] = self._render(
            "client.py.jinja",
            sources=everything,
            views=views,
            streaming_views=[v for v in views if v.streams],
            mixins=[(task, *task_methods_classes(task.module)) for task, _, _ in self.views],
            task_imports=task_imports,
            params_imports=typed_inputs.client_imports(self.params),
            run_single=len(views) == 1 and not views[0].streams,
            stream_single=sum(v.streams for v in views) == 1,
            map_single=len(views) == 1,
            any_overloads=bool(views),
        )

    def _batch(self) -> None:
        """`workers_ai/batch.py`: typed `client.batch` for the models that take batches."""
        views = []
        imports = []
        for task, _, tviews in self.views:
            batchable = [v for v in tviews if v.model.batchable]
            for v in batchable:
                inputs = ([v.model.input_class] if v.input_code is not None else []) + ["Mapping[str, Any]"]
                output = v.model.output_class if v.output_code is not None else "Any"
                views.append(BatchView(v.id, " | ".join(inputs), output))
            names = sorted(name for v in batchable for name in v.root_names)
            if names:
                imports.append((task, names))
        models = [v.model for _, _, tviews in self.views for v in tviews if v.model.batchable]
        self.files["workers_ai/batch.py"] = self._render(
            "batch.py.jinja",
            sources=_sources(models, self.folder) if models else f"the model files in {self.folder}/",
            views=sorted(views, key=lambda v: v.id),
            imports=imports,
        )

    def _types_init(self, everything: str) -> None:
        self.files["workers_ai/types/__init__.py"] = self._render(
            "types_init.py.jinja", sources=everything, task_exports=self.task_exports()
        )

    def _model_doc(self, task: Task, view: ModelView) -> None:
        context = model_docs.page_context(task, view, self.examples, self.params, self.models_code)
        self.files[f"docs/{task.slug}/{view.model.file_name.removesuffix('.json')}.md"] = self._render(
            "model_doc.md.jinja",
            sources=_source(view.model, self.folder),
            capability_lines=capabilities.doc_lines(capabilities.capabilities(view.model)),
            **context,
        )

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
    version: str = FIRST_VERSION,
    examples: curated_examples.CuratedExamples | None = None,
) -> Mapping[str, str]:
    """Every file of the package; `models_code` holds each `codegen_jobs` path's generated module."""
    return Renderer(catalog, schemas_folder_name, models_code, version, examples).render()
