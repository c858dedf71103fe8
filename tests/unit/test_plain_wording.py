"""Messages in plain English, not variable names (issue 25, defect 8): the settings a session was
recorded with, and what `score` says when the question is not named."""

from __future__ import annotations

from voice_interviewer.cli.app import main
from voice_interviewer.cli.sessions import describe_settings


def test_settings_are_described_in_words():
    text = describe_settings(
        {"end_silence_s": 3.0, "grace_s": 3.0, "front_end": "web", "speak": True}
    )
    assert "_" not in text and "grace s" not in text and "front end" not in text
    assert "speaking again within 3 s of that silence goes on with the answer" in text
    assert "recorded on the web page" in text
    assert "no grace period" in describe_settings({"grace_s": 0.0})


def test_score_without_a_question_says_what_to_name(tmp_path, capsys):
    wav = tmp_path / "a.wav"
    wav.write_bytes(b"RIFF")
    assert main(["score", str(wav)]) == 2
    err = capsys.readouterr().err
    assert "the question the answer is to" not in err
    assert "--question ID: the question answered (`voice-interviewer questions` lists" in err
