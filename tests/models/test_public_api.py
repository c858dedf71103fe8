"""The public Python API: what ``__all__`` promises, that importing it is cheap, and that the
README's "Python API" example runs as written (real Whisper on a fixture clip)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import voice_interviewer

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
    assert voice_interviewer.load_bank("amazon-mle").question("overfitting").id == "overfitting"
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
