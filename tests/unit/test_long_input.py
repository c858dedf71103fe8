"""Long or endless input (issue 15 item 13): a FIFO or a device is refused in one line without
being opened, hours of audio are refused before decoding, and a long file shows progress."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import numpy as np
import pytest
import soundfile as sf
from rich.console import Console

from tests.fakes import FakeWhisper
from voice_interviewer import cli
from voice_interviewer.bank import resolve_bank
from voice_interviewer.cli.score import transcribing_progress
from voice_interviewer.errors import AudioInputError
from voice_interviewer.scoring.scorer import ScoreOptions, Scorer
from voice_interviewer.speech.decode import MAX_AUDIO_S, audio_duration, load_audio


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "answer.wav"
    os.mkfifo(fifo)
    # A subprocess with a timeout: a regression (opening the FIFO) would block forever.
    result = subprocess.run(
        [sys.executable, "-m", "voice_interviewer", "score", str(fifo), "-q", "overfitting"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.splitlines() == [
        f"Error: {fifo}: is a named pipe (FIFO), not a file: save the recording to a file first"
    ]


def test_a_symlink_to_a_fifo_is_refused_too(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "answer.wav"
    link.symlink_to(fifo)
    with pytest.raises(AudioInputError, match="named pipe"):
        load_audio(link)


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null"])
def test_a_device_is_refused(capsys, device):
    if not os.path.exists(device):
        pytest.skip(f"{device} does not exist here")
    assert cli.main(["score", device, "-q", "overfitting"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.splitlines() == [
        f"Error: {device}: is a device, not a file: record to a file first"
    ]


def test_hours_of_audio_are_refused_before_decoding(tmp_path, capsys):
    # 31 minutes at 1 kHz: the container says how long it is; the file stays small (3.7 MB).
    path = tmp_path / "long.wav"
    sf.write(path, np.zeros(int((MAX_AUDIO_S + 60) * 1000), dtype=np.int16), 1000, subtype="PCM_16")
    assert audio_duration(path) == pytest.approx(MAX_AUDIO_S + 60)
    assert cli.main(["score", str(path), "-q", "overfitting"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and "31 min of audio, longer than the 30 min one answer may be" in err[0]


def test_the_limit_is_checked_on_the_declared_length(tmp_path):
    path = tmp_path / "two.wav"
    sf.write(path, np.zeros(32000, dtype=np.float32), 16000)
    assert len(load_audio(path)) == 32000
    with pytest.raises(AudioInputError, match="longer than"):
        load_audio(path, max_seconds=1.0)


def test_scorer_reports_progress_through_the_recording():
    question = resolve_bank(None).question("overfitting")
    scorer = Scorer(
        FakeWhisper(refuse="silence has no speech to transcribe"),
        options=ScoreOptions(semantic_rubric=False),
    )
    seen: list[float] = []
    scorer.score(np.zeros(16000 * 5, dtype=np.float32), question, progress=seen.append)
    assert seen == sorted(seen) and len(seen) >= 4
    assert seen[-1] == pytest.approx(5.0)


def test_a_long_file_gets_a_progress_bar_and_a_short_one_a_spinner():
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=100)
    with transcribing_progress(console, "long [draft].wav", 120.0) as progress:
        assert progress is not None
        progress(60.0)
        console.file.flush()
    assert "Transcribing long [draft].wav" in out.getvalue()
    assert "s of audio" in out.getvalue()
    with transcribing_progress(console, "short.wav", 30.0) as progress:
        assert progress is None
