"""cli + errors: user mistakes become exactly one 'Error: ...' line on stderr and a non-zero
exit."""

from __future__ import annotations

import pytest

import voice_interviewer.cli.score as score_command
from tests.fakes import FakeWhisper
from voice_interviewer import cli
from voice_interviewer.errors import (
    AudioInputError,
    BankError,
    DeviceError,
    ModelError,
    NoSpeechError,
    SessionError,
    UsageError,
    VoiceInterviewerError,
)


@pytest.fixture
def no_whisper(monkeypatch):
    """Stands in for the Whisper model, so a test never loads one; records whether it was asked."""
    calls = []

    def fake_load(model, console):
        calls.append(model)
        return FakeWhisper(refuse="these commands fail before any decode")

    monkeypatch.setattr(score_command, "load_transcriber", fake_load)
    return calls


def run(capsys, argv) -> tuple[int, str, list[str]]:
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err.splitlines()


def assert_one_error_line(code, out, err, *fragments):
    assert code != 0
    assert out == ""
    assert len(err) == 1, err
    assert err[0].startswith("Error: ")
    for frag in fragments:
        assert frag in err[0]


def test_error_hierarchy_and_exit_codes():
    for cls in (BankError, AudioInputError, ModelError, DeviceError, SessionError, UsageError):
        assert issubclass(cls, VoiceInterviewerError)
    assert issubclass(NoSpeechError, AudioInputError)
    assert VoiceInterviewerError.exit_code == 1
    assert UsageError.exit_code == 2


def test_score_missing_file(capsys, no_whisper):
    code, out, err = run(capsys, ["score", "/nonexistent.wav", "-q", "overfitting"])
    assert_one_error_line(code, out, err, "/nonexistent.wav", "no such file")
    assert code == 1


def test_score_non_audio_file(capsys, tmp_path, no_whisper):
    path = tmp_path / "notes.wav"
    path.write_text("these are my interview notes, not audio\n" * 20)
    code, out, err = run(capsys, ["score", str(path), "-q", "overfitting"])
    assert_one_error_line(code, out, err, str(path), "not a readable audio file")


def test_score_empty_file(capsys, tmp_path, no_whisper):
    path = tmp_path / "empty.wav"
    path.touch()
    code, out, err = run(capsys, ["score", str(path), "-q", "overfitting"])
    assert_one_error_line(code, out, err, str(path), "empty file")


def test_score_folder(capsys, tmp_path, no_whisper):
    code, out, err = run(capsys, ["score", str(tmp_path), "-q", "overfitting"])
    assert_one_error_line(code, out, err, "is a folder")


def test_score_unknown_question(capsys, tmp_path, no_whisper):
    path = tmp_path / "a.wav"
    path.write_bytes(b"RIFF")
    code, out, err = run(capsys, ["score", str(path), "-q", "nope"])
    assert_one_error_line(code, out, err, "unknown question 'nope'", "overfitting")
    assert no_whisper == []  # fails before any model is loaded


def test_score_unknown_bank(capsys, no_whisper):
    code, out, err = run(
        capsys, ["score", "/x.wav", "-q", "overfitting", "--bank", "/no/bank.toml"]
    )
    assert_one_error_line(code, out, err, "no question bank '/no/bank.toml'")
    assert no_whisper == []


def test_score_bad_file_fails_before_loading_a_model(capsys, no_whisper):
    code, _, _ = run(capsys, ["score", "/nonexistent.wav", "-q", "overfitting"])
    assert code == 1
    assert no_whisper == []


def test_banks_validate_invalid_toml(capsys, tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('id = "x"\ntitle = [\n')
    code, out, err = run(capsys, ["banks", "validate", str(path)])
    assert_one_error_line(code, out, err, str(path), "invalid TOML")
    assert code == 1


def test_banks_validate_malformed_bank(capsys, tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('id = "my-bank"\ntitle = "Mine"\nquestions = []\n')
    code, out, err = run(capsys, ["banks", "validate", str(path)])
    assert_one_error_line(code, out, err, "the bank has no questions")


def test_banks_validate_missing_file(capsys, tmp_path):
    path = tmp_path / "absent.toml"
    code, out, err = run(capsys, ["banks", "validate", str(path)])
    assert_one_error_line(code, out, err, "question bank file not found")


def test_banks_validate_without_path_is_a_usage_error(capsys):
    code, out, err = run(capsys, ["banks", "validate"])
    assert_one_error_line(code, out, err, "needs a PATH")
    assert code == 2


def test_banks_validate_ok_on_the_shipped_bank(capsys):
    from voice_interviewer.bank import installed_bank_paths

    path = installed_bank_paths()["amazon-mle"]
    code, out, err = run(capsys, ["banks", "validate", str(path)])
    assert code == 0 and err == []
    assert out.startswith(f"{path}: ok: bank 'amazon-mle', 20 questions, ")
