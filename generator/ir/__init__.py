"""Step 2: the intermediate representation, built from loaded model files.

Everything the emitters need is computed here, so templates only print.
"""

from generator.ir.build import build_catalog
from generator.ir.model import Catalog, InputSpec, Model, OutputSpec, OutputVariant, Task

__all__ = ["Catalog", "InputSpec", "Model", "OutputSpec", "OutputVariant", "Task", "build_catalog"]
