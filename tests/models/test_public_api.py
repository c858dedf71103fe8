"""The public Python API: what ``__all__`` promises (and that ``dir()`` shows nothing else), every
error of the tree exported, the old ``load_bank`` still answering with a warning, the version
written once, that importing it is cheap, and that the README's "Python API" example runs as
written (real Whisper on a fixture clip)."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import subprocess
import sys
import tomllib
import warnings
from pathlib import Path

import pytest

import voice_interviewer
from voice_interviewer import errors

ROOT = Path(__file__).resolve().parents[2]


def readme_example() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = re.search(r"^## Python API\n(.*?)^## ", text, re.S | re.M)
    assert section, "README.md has no '## Python API' section"
    code = re.search(r"^```python\n(.*?)^```", section.group(1), re.S | re.M)
    assert code, "the Python API section has no ```python example"
    return code.group(1)


def test_readme_example_runs(tmp_path):
    script = tmp_path / "example.py"
    script.write_text(readme_example(), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, str(script)], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert run.returncode == 0, run.stderr[-3000:]
    out = run.stdout
    assert re.search(r"^\d+ s, \d+ words a minute$", out, re.M), out
    assert re.search(r"^pace: \w+: \d+ words a minute", out, re.M), out
    assert "(aim for 140-160)" in out or "pace: good" in out  # the example's own policy
    assert re.search(r"^typed: covered \d+ of 6 points$", out, re.M), out
    assert re.search(r"^error: README\.md: not a readable audio file", out, re.M), out
    assert "Traceback" not in run.stderr


def test_import_is_cheap():
    """Nothing heavy loads until a name is used."""
    code = (
        "import sys, voice_interviewer as vi; "
        "heavy = ('numpy', 'faster_whisper', 'ctranslate2', 'onnxruntime', 'rich', "
        "'voice_interviewer.scoring', 'voice_interviewer.speech'); "
        "print(sorted(m for m in sys.modules if m.startswith(heavy)))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"


def test_all_names_resolve_and_nothing_else_is_public():
    for name in voice_interviewer.__all__:
        assert getattr(voice_interviewer, name) is not None
        assert name in dir(voice_interviewer)
    assert voice_interviewer.resolve_bank("amazon-mle").question("overfitting").id == "overfitting"
    assert issubclass(
        voice_interviewer.errors.AnalysisFormatError, voice_interviewer.VoiceInterviewerError
    )
    with pytest.raises(AttributeError, match="no attribute 'score_everything'"):
        _ = voice_interviewer.score_everything


def test_typed_marker_and_docstrings():
    assert (Path(voice_interviewer.__file__).parent / "py.typed").is_file()
    scorer = voice_interviewer.Scorer
    for name in ("__init__", "load", "score_file", "score", "score_text", "analyze"):
        doc = getattr(scorer, name).__doc__
        assert doc and len(doc.split()) >= 8, f"Scorer.{name} needs a docstring"
    assert scorer.__doc__ and voice_interviewer.Analysis.__doc__
    for settings in (voice_interviewer.ScoringPolicy, voice_interviewer.ScoreOptions):
        assert "Attributes:" in settings.__doc__  # every attribute documented there


def test_dir_lists_the_api_only():
    """Not the module's helpers (os, Any, TYPE_CHECKING) nor the submodules imported so far."""
    voice_interviewer.resolve_bank(None)  # imports voice_interviewer.bank, a module attribute now
    assert dir(voice_interviewer) == sorted(voice_interviewer.__all__)
    assert not {"os", "Any", "TYPE_CHECKING", "bank", "errors"} & set(dir(voice_interviewer))


def test_resolving_a_bank_and_reading_a_bank_file_are_two_names():
    vi = voice_interviewer
    shipped = ROOT / "question_bank" / "amazon-mle.toml"
    by_id = vi.resolve_bank("amazon-mle")  # what --bank takes: an id ...
    assert vi.resolve_bank(str(shipped)) == by_id  # ... or a path
    assert vi.read_bank_file(shipped) == by_id  # a file, by its path only
    with pytest.raises(vi.BankError, match="amazon-mle"):
        vi.read_bank_file("amazon-mle")  # an id is not a file
    assert {"resolve_bank", "read_bank_file"} <= set(vi.__all__)
    assert "load_bank" not in vi.__all__


def test_the_old_load_bank_still_works_and_warns():
    with pytest.warns(DeprecationWarning, match=r"voice_interviewer\.resolve_bank"):
        bank = voice_interviewer.load_bank("amazon-mle")
    assert bank == voice_interviewer.resolve_bank("amazon-mle")
    assert "load_bank" not in dir(voice_interviewer)
    import voice_interviewer.bank as bank_module

    with pytest.warns(DeprecationWarning, match="read_bank_file"):
        reader = bank_module.load_bank  # the path-only reader's old name
    assert reader is voice_interviewer.read_bank_file
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the new names do not warn
        voice_interviewer.resolve_bank("amazon-mle")


ERROR_CLASSES = sorted(
    name
    for name, value in vars(errors).items()
    if isinstance(value, type) and issubclass(value, Exception)
)


def test_the_error_tree_is_what_errors_py_holds():
    assert len(ERROR_CLASSES) >= 12  # the parametrized test below is not vacuous
    for moved in ("MessageError", "RecordError", "DamagedSessionError"):
        assert moved in ERROR_CLASSES


@pytest.mark.parametrize("name", ERROR_CLASSES)
def test_each_error_is_exported_from_the_package(name):
    cls = getattr(errors, name)
    assert getattr(voice_interviewer, name) is cls
    assert name in voice_interviewer.__all__
    assert issubclass(cls, voice_interviewer.VoiceInterviewerError)
    assert name in voice_interviewer.__doc__  # the tree in the package docstring
    assert name in errors.__doc__  # ... and in errors.py's, with what each means


def test_moved_errors_keep_their_old_import_paths_and_bases():
    from voice_interviewer.sessions.records import DamagedSessionError, RecordError
    from voice_interviewer.web.messages import MessageError

    assert (RecordError, DamagedSessionError, MessageError) == (
        errors.RecordError,
        errors.DamagedSessionError,
        errors.MessageError,
    )
    # code that caught them as ValueError / SessionError still does
    assert issubclass(RecordError, ValueError) and issubclass(MessageError, ValueError)
    assert issubclass(RecordError, errors.SessionError)
    assert issubclass(DamagedSessionError, errors.SessionError)
    assert str(RecordError("answers[2].seq", "is used twice")) == "answers[2].seq: is used twice"


# Exceptions that are control flow inside one module and never reach a user (each says why).
PRIVATE_EXCEPTIONS = {"SessionStopped"}


def test_no_error_class_is_defined_outside_errors_py():
    package = Path(voice_interviewer.__file__).parent
    found = []
    for path in sorted(package.rglob("*.py")):
        if path.name == "errors.py" and path.parent == package:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ClassDef) or node.name in PRIVATE_EXCEPTIONS:
                continue
            bases = {ast.unparse(b).rsplit(".", 1)[-1] for b in node.bases}
            if node.name.endswith("Error") or bases & {"Exception", "ValueError", *ERROR_CLASSES}:
                found.append(f"{path.relative_to(package)}: {node.name}")
    assert found == [], "error classes belong in voice_interviewer/errors.py"


def test_the_version_is_written_once():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"]  # no second copy to forget
    assert "version" in project["project"]["dynamic"]
    source = project["tool"]["setuptools"]["dynamic"]["version"]["attr"]
    assert source == "voice_interviewer.__version__"
    assert re.fullmatch(r"\d+\.\d+\.\d+\S*", voice_interviewer.__version__)
    # the installed metadata (pip install -e .) and --version say the same
    assert importlib.metadata.version("voice-interviewer") == voice_interviewer.__version__
    exe = Path(sys.executable).parent / "voice-interviewer"
    cmd = [str(exe)] if exe.is_file() else [sys.executable, "-m", "voice_interviewer"]
    run = subprocess.run([*cmd, "--version"], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["voice-interviewer", voice_interviewer.__version__]
