"""Step 1 of the pipeline: read model files and check them.

`load_schemas(folder)` returns every model file it could read, repaired where a known catalog
defect has one safe reading, plus the diagnostics (file + JSON pointer) for everything else.
"""

from generator.load.checks import check_schema
from generator.load.files import ModelFile, is_model_file, read_model_file
from generator.load.folder import LoadResult, load_schemas

__all__ = ["LoadResult", "ModelFile", "check_schema", "is_model_file", "load_schemas", "read_model_file"]
