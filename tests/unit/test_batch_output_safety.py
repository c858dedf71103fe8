"""Issue 28 items 2, 3 and 11: `score --csv` cells never start a spreadsheet formula, --output and
--csv append only to an empty file or an earlier output of `score`, and an answer a manifest lists
twice is reported as that, not as "already scored"."""

from __future__ import annotations

import csv
import json

import pytest

import voice_interviewer.scoring.batch as batch
from voice_interviewer import cli
from voice_interviewer.bank import resolve_bank
from voice_interviewer.errors import UsageError
from voice_interviewer.scoring.batch import BatchItem, BatchResult
from voice_interviewer.scoring.batch_output import (
    BatchWriter,
    from_spreadsheet_safe,
    scored_keys,
    spreadsheet_safe,
)

Q1 = resolve_bank(None).question("overfitting")
HOSTILE_NAMES = [
    "=cmd|'-C calc'!A0.flac",
    "+1+1.wav",
    "-2+3.wav",
    "@SUM(1+1).wav",
    "\t=1.wav",
    "\r=1.wav",
    "'=1.wav",
]


def failed(audio: str) -> BatchResult:
    return BatchResult(BatchItem(audio, Q1), None, f"{audio}: not a readable audio file", 0.1, 1.0)


def run(capsys, argv):
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_csv_cells_that_a_spreadsheet_would_run_are_quoted(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    table = tmp_path / "t.csv"
    writer = BatchWriter(None, table)
    for name in [*HOSTILE_NAMES, "plain.wav"]:
        writer.write(failed(name))
    writer.close()
    with table.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row, name in zip(rows, HOSTILE_NAMES, strict=False):
        # OWASP: a leading single quote; the spreadsheet shows the text, runs nothing.
        assert row["audio"] == "'" + name and row["error"] == f"'{name}: not a readable audio file"
    assert rows[-1]["audio"] == "plain.wav" and rows[-1]["error"].startswith("plain.wav")
    for row in rows:
        for cell in row.values():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), row
    assert scored_keys(None, table) == set()  # still read as ours (failed rows: tried again)


def test_spreadsheet_safe_is_undone_exactly_when_reading():
    for cell in [*HOSTILE_NAMES, "plain.wav", "'quoted.wav", "", "x=1"]:
        assert from_spreadsheet_safe(spreadsheet_safe(cell)) == cell
    assert spreadsheet_safe(-1.5) == -1.5  # numbers are numbers


def test_scored_rows_with_formula_like_paths_are_skipped_on_a_rerun(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    table = tmp_path / "t.csv"
    BatchWriter(None, table).close()  # the header
    with table.open("a", encoding="utf-8", newline="") as fh:
        # A scored row as the writer writes it: the path quoted, the measures numbers.
        fh.write("'=a.wav,overfitting,,1.0,,,,,,,,,,,,,,,tiny.en,0.1\r\n")
    assert scored_keys(None, table) == {(str(tmp_path / "=a.wav"), "overfitting")}


@pytest.mark.parametrize("option", ["-o", "--csv"])
def test_an_unrelated_one_line_file_is_never_appended_to(capsys, tmp_path, option):
    secret = tmp_path / "f.txt"
    secret.write_text("SECRET-KEY=abc123")  # one line, no newline: not a cut-short output
    manifest = tmp_path / "m.csv"
    manifest.write_text("path,question\na.wav,overfitting\n")
    code, out, err = run(capsys, ["score", "--manifest", str(manifest), option, str(secret)])
    assert code != 0 and err.startswith("Error: ") and len(err.splitlines()) == 1, err
    assert str(secret) in err and "only an empty file or an earlier" in err
    assert secret.read_text() == "SECRET-KEY=abc123"


def test_outputs_that_are_empty_absent_or_ours_are_accepted(tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    assert scored_keys(empty, tmp_path / "absent.csv") == set()
    cut_header = tmp_path / "cut.csv"
    cut_header.write_text("audio,question_id,er")  # our header, cut short by an interruption
    assert scored_keys(None, cut_header) == set()
    ours = tmp_path / "ours.jsonl"
    ours.write_text(json.dumps({"audio": "a.wav", "question": {"id": "overfitting"}}) + '\n{"au')
    assert len(scored_keys(ours, None)) == 1
    lone_cut = tmp_path / "lone.jsonl"
    lone_cut.write_text('{"not": "ours"')
    with pytest.raises(UsageError, match="not a batch result line"):
        scored_keys(lone_cut, None)


def test_duplicate_manifest_rows_on_a_first_run_are_reported_as_repeats(
    capsys, tmp_path, monkeypatch
):
    manifest = tmp_path / "m.csv"
    manifest.write_text("path,question\na.wav,overfitting\na.wav,overfitting\nb.wav,overfitting\n")
    scored = []

    def fake_run_local(todo, settings, jobs, on_ready=None):
        scored.extend(i.audio for i in todo)
        return iter([failed(i.audio) for i in todo])

    monkeypatch.setattr(batch, "run_local", fake_run_local)
    code, out, err = run(capsys, ["score", "--manifest", str(manifest)])
    assert scored == [str(tmp_path / "a.wav"), str(tmp_path / "b.wav")]
    assert "1 of 3 answers are listed again: each is scored once." in " ".join(err.split())
    assert "already scored" not in err
