"""The two distributions, built and installed the way users get them (slow: `make dist-check`).

- `workers-ai` (generated/): one wheel with every module and schema resource, runtime dependencies only,
  as ranges; installed non-editably into a fresh Python 3.13 venv it answers a call over a local socket
  and mypy --strict there reveals the exact output type.
- `workers-ai-codegen` (the generator): installed non-editably into a fresh venv, it regenerates the
  committed package byte for byte.
"""

from __future__ import annotations

import email.parser
import hashlib
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.support.fault_server import FaultServer, Reply

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
GENERATED = REPO / "generated"
CONSTRAINTS = REPO / "constraints.txt"
# typing-extensions: `Unpack` and `Self` on Python 3.10, which the typed overloads use.
RUNTIME_DEPENDENCIES = {"httpx", "pydantic", "jsonschema-rs", "jsonschema", "typing-extensions"}
SEED = "@cf/huggingface/distilbert-sst-2-int8"


def _python(version: str) -> str:
    """A working `python<version>`: on PATH, or a pyenv installation that is not the global one."""
    candidates = [
        shutil.which(f"python{version}"),
        *map(str, sorted(Path.home().glob(f".pyenv/versions/{version}*/bin/python{version}"))),
    ]
    for candidate in filter(None, candidates):
        if subprocess.run([candidate, "--version"], capture_output=True).returncode == 0:
            return candidate
    pytest.fail(f"no Python {version} interpreter on this machine")


def _run(command: list[str | Path], cwd: Path, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(part) for part in command], cwd=cwd, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, f"{command}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


def _venv(python: str, folder: Path, *requirements: str | Path, pinned: bool) -> Path:
    """A fresh venv with `requirements`; `pinned`: with the project's constraints.txt (its own Python only)."""
    _run([python, "-m", "venv", folder], folder.parent)
    venv_python = folder / "bin" / "python"
    constraints = ["-c", CONSTRAINTS] if pinned else []
    _run([venv_python, "-m", "pip", "install", "-q", *constraints, *requirements], folder.parent)
    return venv_python


def _tree(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


@pytest.fixture(scope="module")
def client_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`pip wheel generated/`, from a copy (a build leaves build/ and *.egg-info behind)."""
    work = tmp_path_factory.mktemp("client")
    shutil.copytree(GENERATED, work / "source")
    _run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", work / "wheels", work / "source"],
        work,
    )
    (wheel,) = (work / "wheels").glob("*.whl")
    return wheel


def test_client_wheel_holds_the_whole_package_and_only_runtime_dependencies(client_wheel: Path) -> None:
    with zipfile.ZipFile(client_wheel) as archive:
        names = set(archive.namelist())
        (metadata_name,) = [n for n in names if n.endswith(".dist-info/METADATA")]
        metadata = email.parser.Parser().parsestr(archive.read(metadata_name).decode())
    package = {f"workers_ai/{path}" for path in _tree(GENERATED / "workers_ai")}
    assert package <= names, sorted(package - names)[:10]
    assert {n for n in names if ".dist-info/" not in n} == package, "nothing but the package"
    assert "workers_ai/py.typed" in names and any(n.startswith("workers_ai/_schemas/") for n in names)
    version = re.search(r'__version__ = "(.+)"', (GENERATED / "workers_ai" / "_version.py").read_text())
    assert version is not None
    assert (metadata["Name"], metadata["Version"]) == ("workers-ai", version[1])
    assert metadata["Requires-Python"] == ">=3.10"
    requirements = metadata.get_all("Requires-Dist") or []
    required = [r for r in requirements if "extra ==" not in r]
    assert {re.split(r"[<>=\[; ]", r)[0] for r in required} == RUNTIME_DEPENDENCIES
    assert not [r for r in requirements if "==" in r.split(";")[0]], "ranges, not exact pins"


@pytest.mark.parametrize("version", ["3.13", "3.10"])  # the newest and the oldest supported
def test_client_wheel_works_in_a_fresh_venv(client_wheel: Path, tmp_path: Path, version: str) -> None:
    # As a user would: the wheel's ranges resolved by pip, next to whatever else is current.
    python = _venv(_python(version), tmp_path / "venv", client_wheel, "mypy", pinned=False)
    absent = _run(
        [
            python,
            "-c",
            "import importlib.util as u; print([m for m in ('generator', 'datamodel_code_generator', "
            "'jinja2', 'ruff', 'black') if u.find_spec(m)])",
        ],
        tmp_path,
    )
    assert absent.stdout.strip() == "[]", "no generator dependency installed"
    user = tmp_path / "app.py"
    user.write_text(
        "import sys\n"
        "from typing import TYPE_CHECKING\n\n"
        "from workers_ai import WorkersAI, __version__\n"
        "from workers_ai.types import AiTextClassificationOutput\n\n"
        "with WorkersAI(account_id='acc', api_token='t', base_url=sys.argv[1]) as client:\n"
        f"    result = client.run({SEED!r}, {{'text': 'great'}})\n"
        "    if TYPE_CHECKING:\n"
        "        reveal_type(result)\n"
        "    assert isinstance(result, AiTextClassificationOutput)\n"
        "    print(__version__, result[0].label, result[0].score)\n"
    )
    with FaultServer() as server:
        server.enqueue(Reply.envelope([{"label": "POSITIVE", "score": 0.99}]))
        answered = _run([python, user, server.base_url], tmp_path)
    assert answered.stdout.split()[1:] == ["POSITIVE", "0.99"]
    assert (
        "site-packages/workers_ai"
        in _run([python, "-c", "import workers_ai; print(workers_ai.__file__)"], tmp_path).stdout
    )
    checked = _run([python, "-m", "mypy", "--strict", user], tmp_path)
    assert (
        'Revealed type is "workers_ai.types.text_classification.huggingface_distilbert_sst_2_int8.'
        'HuggingfaceDistilbertSst2Int8Output"' in checked.stdout
    )


def test_generator_installed_non_editably_regenerates_the_same_bytes(tmp_path: Path) -> None:
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, source / name)
    shutil.copytree(REPO / "generator", source / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    python = _venv(sys.executable, tmp_path / "venv", source, pinned=True)  # pinned: the output's bytes
    out = tmp_path / "generated"
    shutil.copytree(GENERATED, out, ignore=shutil.ignore_patterns("__pycache__"))
    found = _run([python, "-c", "import generator; print(generator.__file__)"], tmp_path)
    assert "site-packages/generator" in found.stdout
    _run(
        [python, "-m", "generator", "--schemas", REPO / "schemas", "--out", out, "--force", "--no-cache"],
        tmp_path,
    )
    assert _tree(out) == _tree(GENERATED)
