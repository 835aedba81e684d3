"""Generated pydantic types, one package per task (the 58 model files in schemas/); and what each model
can do: `info(model)`, `find(...)` (see `workers_ai.capabilities`)."""

from workers_ai.capabilities import ModelInfo, find, get, info

__all__ = ["ModelInfo", "find", "get", "info"]
