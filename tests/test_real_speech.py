"""Filled pauses and words on recordings of real people (``../shared/audio``), default model.

The numbers ``benchmarks/real.py`` measured, asserted with a margin so they cannot regress: the
pipeline finds as many filled pauses as plain faster-whisper writes on the same audio (within one),
reports none on the clips that have none (laughter, breaths, "'er" meaning "her", near silence),
and its content word error rate stays close to plain faster-whisper's. The clips are one speaker
plus jfk/comfyui: these are in-sample numbers (the detectors were checked against them), not a
measure of how the detectors generalise; the held-out espeak and Piper sets are that.
"""

from __future__ import annotations

import pytest

from benchmarks.real import (
    REAL,
    SHARED_AUDIO,
    RealClip,
    Tally,
    content_reference,
    load_clips,
    measure,
    normalize_words,
    split_heard,
)
from tests.conftest import skip_or_fail

# The targets (issue 9), met with tiny.en (benchmarks/results/sounds_in_one_breath.md):
# filled pauses 17 found of 18, 17 reported (recall 0.94, precision 1.00), none on the 15 clips
# without one; content WER 0.339 where plain faster-whisper has 0.478; plain faster-whisper finds
# 14. Plain faster-whisper falls back to sampling at higher temperatures on hard audio, so its
# count moves by one between runs; the pipeline's decodes are greedy and repeat exactly on one
# machine, but int8 kernels differ between CPUs: recall may be one filler short of the target here.
RECALL_MIN = 16 / 18
PRECISION_MIN = 0.9
FALSE_ON_NEGATIVES_MAX = 0
FOUND_BELOW_PLAIN_MAX = 1
WER_MARGIN_OVER_PLAIN = 0.0  # no worse than plain faster-whisper with the same model


@pytest.fixture(scope="module")
def clips() -> list[RealClip]:
    if not (REAL / "labels.json").is_file():
        skip_or_fail(f"{REAL} not found: the labelled real recordings live there")
    return load_clips()


@pytest.fixture(scope="module")
def tallies(clips) -> dict[str, Tally]:
    from voice_interviewer.speech.models import DEFAULT_MODEL

    return measure(DEFAULT_MODEL, clips, log=lambda line: None)


def _summary(t: Tally) -> str:
    wrong = [f"{name}: {n} for {want}" for name, n, want, _ in t.rows if n != want]
    return f"found {t.found}/{t.true}, reported {t.reported}; clips off: {'; '.join(wrong)}"


@pytest.mark.slow
def test_filled_pauses_recall_and_precision(tallies):
    t = tallies["pipeline"]
    assert t.recall >= RECALL_MIN, _summary(t)
    assert t.precision >= PRECISION_MIN, _summary(t)


@pytest.mark.slow
def test_pipeline_finds_at_least_what_plain_whisper_writes(tallies):
    pipeline, plain = tallies["pipeline"], tallies["plain faster-whisper"]
    assert pipeline.found >= plain.found - FOUND_BELOW_PLAIN_MAX, (
        f"pipeline {_summary(pipeline)}; plain {_summary(plain)}"
    )


@pytest.mark.slow
def test_no_filled_pause_invented_on_clips_without_one(tallies):
    t = tallies["pipeline"]
    assert t.false_on_negatives <= FALSE_ON_NEGATIVES_MAX, _summary(t)


@pytest.mark.slow
def test_content_wer_close_to_plain_whisper(tallies):
    pipeline, plain = tallies["pipeline"], tallies["plain faster-whisper"]
    assert pipeline.wer <= plain.wer + WER_MARGIN_OVER_PLAIN, (
        f"pipeline {pipeline.errors}/{pipeline.ref_words}, plain {plain.errors}/{plain.ref_words}"
    )


# ---- the yardstick itself (fast) ------------------------------------------------------------------
def test_reference_drops_labelled_fillers_and_annotations_only():
    words = ["<cutoff-montreal>", "uh", "montreal", "<hes-forced>", "hm", "'er", "[laughter]"]
    fillers = [{"text": "uh", "kind": "filled"}, {"text": "hm", "kind": "filled"}]
    assert content_reference(words, fillers) == ("montreal", "forced", "her")


def test_heard_words_split_into_filled_pauses_and_content():
    assert split_heard(["Montreal,", "uh,", "Mmm.", "forced", "her."]) == (
        2,
        ["montreal", "forced", "her"],
    )


def test_spelled_letters_and_spoken_contractions_compare_equal():
    assert normalize_words("M.F.A. is gonna") == normalize_words("m f a is going to")
    assert normalize_words("I hardly know a") == ["i", "hardly", "know", "a"]


def test_count_matched_tally():
    t = Tally()
    t.add(RealClip("a", SHARED_AUDIO / "a", ("x",), 2), _heard("x", "uh", "uh", "uh"), 1.0)
    t.add(RealClip("b", SHARED_AUDIO / "b", ("y",), 0), _heard("y", "um"), 1.0)
    assert (t.found, t.true, t.reported, t.false_on_negatives) == (2, 2, 4, 1)
    assert t.recall == 1.0 and t.precision == 0.5 and t.wer == 0.0


def _heard(*words: str):
    from benchmarks.real import Heard

    return Heard(words, 0.1)
