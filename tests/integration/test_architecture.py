"""The architecture stays true: the import-linter contracts in pyproject.toml hold (layers, and who
may touch devices and the web stack), they really catch a violation, and modules stay small."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.conftest import skip_or_fail

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "voice_interviewer"
MAX_MODULE_LINES = 450  # "modules under ~400 lines": a little slack before a split is forced


def lint_imports() -> str:
    exe = Path(sys.executable).parent / "lint-imports"
    if not exe.is_file():
        skip_or_fail("import-linter is not installed (pip install -e '.[dev]')")
    return str(exe)


def run_lint(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [lint_imports(), "--no-cache"], cwd=cwd, capture_output=True, text=True, timeout=300
    )


def test_import_contracts_hold():
    run = run_lint(ROOT)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    assert "0 broken" in run.stdout


@pytest.mark.parametrize(
    "module,line,broken",
    [
        # a report reaching up into the live session
        (
            "reports/summary.py",
            "from voice_interviewer.live import feedback",
            "voice_interviewer.reports is not allowed to import voice_interviewer.live",
        ),
        # speech depending on scoring (one level up)
        (
            "speech/align.py",
            "from voice_interviewer.scoring import policy",
            "voice_interviewer.speech is not allowed to import voice_interviewer.scoring",
        ),
        # pure scoring code opening a sound device
        (
            "scoring/policy.py",
            "import sounddevice",
            "voice_interviewer.scoring is not allowed to import sounddevice",
        ),
    ],
)
def test_a_violation_is_caught(tmp_path, module, line, broken):
    shutil.copytree(
        PACKAGE, tmp_path / "voice_interviewer", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    target = tmp_path / "voice_interviewer" / module
    target.write_text(target.read_text() + f"\n{line}  # noqa\n")
    run = run_lint(tmp_path)
    assert run.returncode != 0
    assert broken in run.stdout


def test_modules_stay_small():
    sizes = {
        p.relative_to(ROOT).as_posix(): len(p.read_text(encoding="utf-8").splitlines())
        for p in PACKAGE.rglob("*.py")
    }
    too_big = {name: n for name, n in sizes.items() if n > MAX_MODULE_LINES}
    assert not too_big, f"split these modules (over {MAX_MODULE_LINES} lines): {too_big}"


def test_every_module_has_a_layer():
    """A new top-level module or subpackage must be placed in the layers, or nothing checks it."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (layers,) = [c for c in config["tool"]["importlinter"]["contracts"] if c["id"] == "layers"]
    placed = {name.strip() for row in layers["layers"] for name in row.split("|")}
    data_only = {"samples"}  # recordings and truth files: no code
    found = {
        f"voice_interviewer.{p.stem if p.is_file() else p.name}"
        for p in PACKAGE.iterdir()
        if (p.suffix == ".py" and p.stem != "__init__") or (p / "__init__.py").is_file()
    } - {f"voice_interviewer.{d}" for d in data_only}
    assert found - placed == set(), "add these to the layers in pyproject.toml"


def test_no_test_imports_a_benchmark_script():
    """What tests and benchmarks both need lives in evaluation/; a test importing a benchmark
    script would tie the suite to a script's command-line code (issue 27)."""
    import re

    tests = ROOT / "tests"
    pattern = re.compile(r"^\s*(from|import)\s+benchmarks\b", re.MULTILINE)
    offenders = [
        p.relative_to(ROOT).as_posix()
        for p in tests.rglob("*.py")
        if pattern.search(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []
