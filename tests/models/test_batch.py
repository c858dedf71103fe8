"""`score` over many recordings, for real: Whisper tiny.en in two worker processes, a bad file in
the batch, JSONL and CSV outputs, a re-run that skips what is done; and the same batch on a real
Dask cluster (a scheduler and two worker processes) giving results identical to a local run."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
import soundfile as sf

from tests.conftest import skip_or_fail
from voice_interviewer.bank import resolve_bank
from voice_interviewer.scoring.batch import BatchSettings, items_for, run_cluster, run_local

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "audio_fixtures"
CLIPS = ("a01_overfitting_en-us_140_clean", "a01_overfitting_en-gb_165_noisy")
CLIP_S = 9.0  # the opening of each answer: enough for words, a pause and a filler, and quick


@pytest.fixture(scope="module")
def answers(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("answers")
    for name in CLIPS:
        audio, rate = sf.read(FIXTURES / f"{name}.flac", dtype="float32")
        sf.write(folder / f"{name}.wav", audio[: int(CLIP_S * rate)], rate)
    (folder / "broken.wav").write_bytes(b"RIFF....WAVEfmt not really")
    return folder


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "voice_interviewer", "score", *args],
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_batch_in_two_workers_reports_bad_file_and_resumes(answers, tmp_path):
    out, table = tmp_path / "out.jsonl", tmp_path / "out.csv"
    run = cli(str(answers), "-q", "overfitting", "--jobs", "2", "-o", str(out), "--csv", str(table))
    assert run.returncode == 1, run.stderr  # one answer failed; the others were scored
    assert run.stdout == ""
    assert "Scored 2 of 3 answers" in run.stderr
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    by_name = {Path(x["audio"]).name: x for x in lines}
    assert set(by_name) == {f"{n}.wav" for n in CLIPS} | {"broken.wav"}
    assert "not a readable audio file" in by_name["broken.wav"]["error"]

    # Each line holds exactly what `score --json` prints for that recording.
    single = cli(str(answers / f"{CLIPS[0]}.wav"), "-q", "overfitting", "--json")
    assert single.returncode == 0, single.stderr
    alone = json.loads(single.stdout)
    batched = by_name[f"{CLIPS[0]}.wav"]
    assert batched.keys() == alone.keys()
    assert batched["duration_s"] == alone["duration_s"] == pytest.approx(CLIP_S, abs=0.01)
    assert batched["word_count"] > 15

    rows = {Path(r["audio"]).name: r for r in csv.DictReader(table.read_text().splitlines())}
    assert set(rows) == set(by_name)
    for name in CLIPS:
        row, line = rows[f"{name}.wav"], by_name[f"{name}.wav"]
        assert row["error"] == ""
        assert int(row["word_count"]) == line["word_count"]
        assert float(row["words_per_minute"]) == line["words_per_minute"]
        assert int(row["pauses"]) == len(line["pauses"])
    assert "not a readable audio file" in rows["broken.wav"]["error"]

    again = cli(str(answers), "-q", "overfitting", "-o", str(out), "--csv", str(table))
    assert "2 of 3 answers already scored" in again.stderr
    assert again.returncode == 1  # only the broken file was tried again, and failed again
    # Failing again with the same error adds no second row (issue 25, defect 8).
    assert len(out.read_text().splitlines()) == 3
    assert len(table.read_text().splitlines()) == 4  # the header and one row per answer


def test_manifest_answers_to_different_questions(tmp_path):
    clip = FIXTURES / f"{CLIPS[0]}.flac"
    manifest = tmp_path / "m.csv"
    manifest.write_text(f"path,question\n{clip},overfitting\nmissing.wav,failure\n")
    run = cli("--manifest", str(manifest))
    assert run.returncode == 1
    lines = [json.loads(x) for x in run.stdout.splitlines()]  # no output file: JSON lines on stdout
    assert [x["question"]["id"] for x in lines] == ["overfitting", "failure"]
    assert lines[0]["rubric"]["coverage"] > 0.5
    assert lines[1]["error"] == f"{tmp_path / 'missing.wav'}: no such file"


def test_cluster_results_identical_to_a_local_run(answers):
    try:
        from distributed import LocalCluster
    except ImportError:
        skip_or_fail("the [cluster] extra (dask[distributed]) is not installed")
    bank = resolve_bank(None)
    items = items_for([str(answers)], bank.question("overfitting"))
    # The same CTranslate2 thread count on both sides, so both decode exactly alike.
    settings = BatchSettings(threads=1)
    local = {r.item.audio: r for r in run_local(items, settings, jobs=1)}
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        remote = {r.item.audio: r for r in run_cluster(items, settings, cluster.scheduler_address)}
        pids = set(cluster.scheduler_info["workers"])
    assert len(pids) == 2
    assert remote.keys() == local.keys()
    for audio, r in remote.items():
        assert r.error == local[audio].error
        if r.analysis is not None:
            assert r.analysis.to_dict() == local[audio].analysis.to_dict()
    assert sum(r.analysis is not None for r in remote.values()) == 2
