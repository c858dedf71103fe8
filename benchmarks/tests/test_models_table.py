"""The models table (benchmarks/models.py) from hand-made results: every number lands in its row."""

from __future__ import annotations

from benchmarks.models import ModelResult, SetResult, table
from benchmarks.real import Tally


def _result(model: str, found: int, live_wer: float | None) -> ModelResult:
    pipe = Tally(
        found=found,
        true=18,
        reported=found + 1,
        false_on_negatives=1,
        negatives=15,
        errors=39,
        ref_words=115,
        seconds=10.0,
        audio_s=100.0,
    )
    plain = Tally(
        found=14, true=18, reported=16, errors=55, ref_words=115, seconds=20.0, audio_s=100.0
    )
    heldout = SetResult(
        clips=24,
        word_errors=30,
        ref_words=300,
        fp_true_pos=9,
        fp_truth=10,
        fp_detected=12,
        audio_s=600.0,
        compute_s=120.0,
    )
    return ModelResult(
        model,
        {"pipeline": pipe, "plain faster-whisper": plain},
        {"heldout": heldout},
        0.84,
        live_wer,
        0.1,
    )


def test_each_model_is_a_column_and_each_measure_a_row():
    lines = table([_result("tiny.en", 16, None), _result("base", 15, 0.12)], markdown=False)
    rows = {line.split("  ")[0]: line for line in lines.splitlines()}
    assert rows["metric"].split()[-2:] == ["tiny.en", "base"]
    assert "16 / 18 / 17" in rows["real: filled pauses found / true / reported"]
    assert "0.89" in rows["real: filled-pause recall"]
    assert "0.94" in rows["real: filled-pause precision"]  # 16 / 17
    assert "0.339 (39/115)" in rows["real: content WER pipeline"]
    assert "0.478 (55/115)" in rows["real: content WER plain faster-whisper"]
    assert "0.100" in rows["real: pipeline compute s per audio s"]
    held = "heldout set (24 clips, held out)"
    assert "0.100 (30/300)" in rows[f"{held}: content WER"]
    assert "0.75 / 0.90 (9/10, det 12)" in rows[f"{held}: filled-pause P / R"]
    assert "0.200" in rows[f"{held}: compute s per audio s"]
    assert not any(r.startswith("benchmark set") for r in rows)  # a set not run has no rows
    assert "0.84" in rows["live feedback s after the decision (30 s answer)"]
    live = rows["live vs file WER (real clips)"]
    assert "n/a" in live and "0.120 vs 0.100" in live


def test_markdown_has_a_header_rule_and_one_line_per_row():
    text = table([_result("tiny.en", 16, None)], markdown=True)
    lines = text.splitlines()
    assert lines[0] == "| metric | target | tiny.en |" and lines[1] == "|---|---|---|"
    assert all(line.startswith("| ") and line.endswith(" |") for line in lines[2:])
