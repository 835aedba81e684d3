"""Replace a schema folder's model files in one step, or not at all.

The new folder is built completely in a temporary sibling (same filesystem, so `rename` is atomic), then
swapped in with two renames; if the second rename fails the first is undone. Files that are not model
files (`_provenance.json`, anything not `*.json`) are carried over unchanged.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

from generator.load import is_model_file
from generator.sync.errors import SchemaFolderError


def replace_model_files(folder: Path, files: Mapping[str, str]) -> None:
    folder = folder.resolve()
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.sync-", dir=folder.parent))
    try:
        shutil.copymode(folder, staging)
        for entry in folder.iterdir():
            if entry.is_dir():
                shutil.copytree(entry, staging / entry.name, symlinks=True)
            elif not is_model_file(entry):
                shutil.copy2(entry, staging / entry.name)
        for name, text in files.items():
            (staging / name).write_text(text, encoding="utf-8")
        backup = staging.with_name(staging.name.replace(".sync-", ".old-"))
        os.rename(folder, backup)
        try:
            os.rename(staging, folder)
        except OSError:
            os.rename(backup, folder)
            raise
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise SchemaFolderError(
            f"{folder}: could not replace the schema folder ({exc}); it is unchanged"
        ) from None
    shutil.rmtree(backup, ignore_errors=True)
