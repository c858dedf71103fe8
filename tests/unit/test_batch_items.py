"""Batch scoring without a model: which answers a batch scores (paths, folders, globs, manifests),
what a re-run skips, and the rows written for scored and failed answers."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from voice_interviewer.bank import resolve_bank
from voice_interviewer.errors import UsageError
from voice_interviewer.scoring.batch import (
    BatchItem,
    BatchResult,
    expand_paths,
    pending,
    read_manifest,
)
from voice_interviewer.scoring.batch_output import (
    CSV_COLUMNS,
    BatchWriter,
    held_results,
    scored_keys,
)

BANK = resolve_bank(None)
Q1 = BANK.question("overfitting")
Q2 = BANK.question("failure")


def touch(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x")
    return path


def test_paths_folders_and_globs_expand_in_order_each_once(tmp_path):
    a = touch(tmp_path / "a.wav")
    b = touch(tmp_path / "sub" / "b.flac")
    touch(tmp_path / "sub" / "notes.txt")  # not audio: a folder's other files are left alone
    c = touch(tmp_path / "c.mp3")
    got = expand_paths([str(a), str(tmp_path / "sub"), str(tmp_path / "*.mp3"), str(a)])
    assert got == [str(a), str(b), str(c)]
    # A folder is searched recursively; a glob or path matching nothing is kept for its row.
    assert expand_paths([str(tmp_path)]) == [str(a), str(c), str(b)]
    missing = str(tmp_path / "nothing*.wav")
    assert expand_paths([missing]) == [missing]


def test_folder_without_audio_is_an_error_naming_it(tmp_path):
    touch(tmp_path / "notes.txt")
    with pytest.raises(UsageError, match=f"{tmp_path}: is a folder with no audio files"):
        expand_paths([str(tmp_path)])


def test_csv_manifest_paths_are_relative_to_the_manifest(tmp_path):
    folder = tmp_path / "answers"
    folder.mkdir()
    m = folder / "list.csv"
    m.write_text("path,question\none.wav,overfitting\n/abs/two.wav,failure\n\n")
    items = read_manifest(m, BANK)
    assert items == [BatchItem(str(folder / "one.wav"), Q1), BatchItem("/abs/two.wav", Q2)]


def test_jsonl_manifest_and_default_question(tmp_path):
    m = tmp_path / "list.jsonl"
    m.write_text('{"path": "one.wav", "question": "failure"}\n\n{"path": "two.wav"}\n')
    items = read_manifest(m, BANK, default_question="overfitting")
    assert [(i.audio, i.question.id) for i in items] == [
        (str(tmp_path / "one.wav"), "failure"),
        (str(tmp_path / "two.wav"), "overfitting"),
    ]


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("m.csv", "file,q\na.wav,overfitting\n", "needs the header line 'path,question'"),
        ("m.csv", "path,question\na.wav,nope\n", "line 2: unknown question 'nope'"),
        ("m.csv", "path,question\na.wav,\n", "line 2: no question"),
        ("m.jsonl", '{"path": "a.wav", "question": "overfitting"}\n{oops\n', "line 2: not JSON"),
        ("m.jsonl", "[1, 2]\n", "line 1: expected an object"),
        ("m.csv", "path,question\n", "lists no recordings"),
    ],
)
def test_bad_manifests_are_one_line_errors_naming_file_and_line(tmp_path, name, text, message):
    m = tmp_path / name
    m.write_text(text)
    with pytest.raises(UsageError) as exc:
        read_manifest(m, BANK)
    assert str(exc.value).startswith(str(m))
    assert message in str(exc.value)
    assert "\n" not in str(exc.value)


def test_missing_manifest(tmp_path):
    with pytest.raises(UsageError, match="no such manifest"):
        read_manifest(tmp_path / "none.csv", BANK)


def failed(audio: str, q=Q1) -> BatchResult:
    return BatchResult(BatchItem(audio, q), None, f"{audio}: not a readable audio file", 0.1, 100.0)


def test_rerun_skips_scored_answers_and_retries_failed_ones(tmp_path):
    out, table = tmp_path / "out.jsonl", tmp_path / "out.csv"
    good = tmp_path / "good.wav"
    # A scored line is the `score --json` object plus "audio" (written by hand here: no model).
    out.write_text(json.dumps({"audio": str(good), "question": {"id": "overfitting"}}) + "\n")
    writer = BatchWriter(out, None)
    writer.write(failed(str(tmp_path / "bad.wav")))
    writer.close()
    done = scored_keys(out, None)
    assert done == {(str(good), "overfitting")}
    items = [
        BatchItem(str(good), Q1),
        BatchItem(str(good), Q2),  # the same recording for another question is another answer
        BatchItem(str(tmp_path / "bad.wav"), Q1),
        BatchItem(str(good), Q1),
    ]
    assert pending(items, done) == items[1:3]
    # With a CSV too, an answer counts as done only when both outputs hold it.
    assert scored_keys(out, table) == set()


def test_a_line_cut_short_by_an_interruption_is_scored_again(tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text(json.dumps({"audio": "a.wav", "question": {"id": "overfitting"}}) + '\n{"aud')
    assert {k[0] for k in scored_keys(out, None)} == {str(Path("a.wav").resolve())}
    writer = BatchWriter(out, None)  # the cut line is ended before the next result
    writer.write(failed("b.wav"))
    writer.close()
    assert json.loads(out.read_text().splitlines()[-1])["audio"] == "b.wav"


def test_a_foreign_file_as_output_is_refused(tmp_path):
    out = tmp_path / "notes.jsonl"
    out.write_text('{"x": 1}\n{"y": 2}\n')
    with pytest.raises(UsageError, match="line 1: not a batch result line"):
        scored_keys(out, None)
    table = tmp_path / "t.csv"
    table.write_text("a,b\n1,2\n")
    with pytest.raises(UsageError, match="not a batch CSV"):
        scored_keys(None, table)


def test_csv_rows_have_the_header_once_and_failed_rows_carry_the_error(tmp_path):
    table = tmp_path / "t.csv"
    for name in ("a.wav", "b.wav"):
        writer = BatchWriter(None, table)
        writer.write(failed(name))
        writer.close()
    rows = list(csv.DictReader(table.read_text().splitlines()))
    assert list(rows[0]) == CSV_COLUMNS
    assert [r["audio"] for r in rows] == ["a.wav", "b.wav"]
    assert rows[1]["error"] == "b.wav: not a readable audio file"
    assert rows[1]["words_per_minute"] == ""
    assert scored_keys(None, table) == set()  # failed answers are tried again


def test_a_rerun_adds_no_second_row_for_the_same_failure(tmp_path):
    out, table = tmp_path / "out.jsonl", tmp_path / "out.csv"
    bad, other = str(tmp_path / "bad.wav"), str(tmp_path / "other.wav")
    for _ in range(3):  # the first run and two re-runs, as `score` does them
        held = held_results(out, table)
        writer = BatchWriter(out, table, held)
        writer.write(failed(bad))
        writer.close()
    # Each output holds the failure once (the CSV: its header and one row).
    assert len(out.read_text().splitlines()) == 1
    assert len(table.read_text().splitlines()) == 2
    # A different error, or another answer, is new: appended (the last row counts).
    writer = BatchWriter(out, table, held_results(out, table))
    writer.write(BatchResult(BatchItem(bad, Q1), None, f"{bad}: now empty", 0.1, 100.0))
    writer.write(failed(other))
    writer.close()
    assert [json.loads(x)["error"] for x in out.read_text().splitlines()] == [
        f"{bad}: not a readable audio file",
        f"{bad}: now empty",
        f"{other}: not a readable audio file",
    ]
    assert len(table.read_text().splitlines()) == 4
    assert held_results(out, table).scored() == set()


def test_a_worker_reports_its_own_peak_memory_not_its_parents():
    import resource
    import subprocess
    import sys

    import numpy as np

    from voice_interviewer.scoring.batch import peak_rss_mb

    big = np.ones(400 * 2**20 // 8)  # 400 MB touched here, in the parent
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 > 400
    code = "from voice_interviewer.scoring.batch import peak_rss_mb; print(peak_rss_mb())"
    child = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    del big
    assert float(child.stdout) < 250  # Python, numpy and the batch module: well under the parent's
    assert peak_rss_mb() > 400
