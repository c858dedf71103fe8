"""Filled pauses and words on recordings of real people (``../shared/audio``), per speaker.

The numbers ``benchmarks/real.py`` measures, asserted with margins so they cannot regress: every
speaker with labelled filled pauses keeps a floor (a change that gains one voice and loses another
fails), none is invented on the clips that have none (laughter, breaths, "'er" meaning "her", near
silence, a meeting participant saying only "mm-hmm"), no second of voice activity is left without
words, and the content word error rate stays near plain faster-whisper's on the same clips in the
same run. These are in-sample numbers (the packing gap was chosen on these speakers,
leave-one-speaker-out: benchmarks/results/real_speakers.md). Int8 kernels and BLAS rounding differ
between CPUs, so no assertion rests on one decode's exact output: each floor is one or two
filled pauses under what the benchmark measures.
"""

from __future__ import annotations

import pytest

from evaluation.real_clips import (
    REAL,
    SHARED_AUDIO,
    SPEAKERS,
    RealClip,
    content_reference,
    load_all_clips,
    normalize_words,
    split_heard,
)
from evaluation.real_speech import Tally, measure_by_speaker
from tests.conftest import skip_or_fail

# Filled pauses found, per speaker with many labelled (benchmarks/results/real_speakers.md, tiny.en
# on an AMD EPYC: mfa-a 18 of 18, mfa-b 13 of 14), and pooled over the speakers with two each
# (ami-MEO015, ami-FEE013, batchalign-dev: 6 of 6). A speaker with two is one decode away from 0,
# 1 or 2 (ami-MEO015 found none with 0.3 s between packed clips, or 0.35 s of context around each):
# pooled, they still fail a change that loses one of those voices whole.
FOUND_MIN = {"mfa-a": 16, "mfa-b": 11}
FEW_FILLERS_SPEAKERS = ("ami-MEO015", "ami-FEE013", "batchalign-dev")
FEW_FILLERS_FOUND_MIN = 4
PRECISION_MIN = 0.85  # measured 0.90 over every clip
# On the 16 clips without any: measured 0; laughter.wav's "A uh liner" comes and goes with int8
# rounding (1 on this CPU at b072520).
FALSE_ON_NEGATIVES_MAX = 1
# Content word errors over plain faster-whisper's on the same clips, per speaker (measured after
# issue 23's word fixes: mfa-b 11 vs 11 of 170, batchalign-dev 9 vs 7 of 80, where the gap is the
# window decode's own reading, not lost speech; at or under plain on jfk and the meeting
# microphones). Plain faster-whisper samples at higher temperatures on hard audio, so its own count
# moves between runs (mfa-a: 45 to 53 errors of 93 words; the pipeline's 49 to 55 as the
# lost-speech net changed).
WER_EXTRA_ERRORS_MAX = {"mfa-a": 10, "mfa-b": 4, "batchalign-dev": 6}
WER_EXTRA_ERRORS_DEFAULT = 2
UNREPORTED_S_MAX = 0.05  # speech of 1 s or more left without words and not reported as unclear


@pytest.fixture(scope="module")
def clips() -> list[RealClip]:
    if not (REAL / "labels.json").is_file() or not (SPEAKERS / "labels.json").is_file():
        skip_or_fail(f"{SHARED_AUDIO} not found: the labelled real recordings live there")
    return load_all_clips()


@pytest.fixture(scope="module")
def by_speaker(clips) -> dict[str, dict[str, Tally]]:
    from voice_interviewer.speech.models import DEFAULT_MODEL

    return measure_by_speaker(DEFAULT_MODEL, clips, log=lambda line: None)


def _summary(t: Tally) -> str:
    wrong = [f"{name}: {n} for {want}" for name, n, want, _ in t.rows if n != want]
    return f"found {t.found}/{t.true}, reported {t.reported}; clips off: {'; '.join(wrong)}"


@pytest.mark.slow
@pytest.mark.parametrize("speaker", sorted(FOUND_MIN))
def test_filled_pauses_found_per_speaker(by_speaker, speaker):
    t = by_speaker["pipeline"][speaker]
    assert t.found >= FOUND_MIN[speaker], _summary(t)


@pytest.mark.slow
def test_filled_pauses_found_on_the_speakers_with_two_each(by_speaker):
    tallies = [by_speaker["pipeline"][s] for s in FEW_FILLERS_SPEAKERS]
    found = sum(t.found for t in tallies)
    assert found >= FEW_FILLERS_FOUND_MIN, "; ".join(map(_summary, tallies))


@pytest.mark.slow
def test_filled_pause_precision_over_every_clip(by_speaker):
    pooled = Tally()
    for t in by_speaker["pipeline"].values():
        pooled = pooled.merged(t)
    assert pooled.precision >= PRECISION_MIN, _summary(pooled)


@pytest.mark.slow
def test_no_filled_pause_invented_on_clips_without_one(by_speaker):
    false = {s: t.false_on_negatives for s, t in by_speaker["pipeline"].items()}
    assert sum(false.values()) <= FALSE_ON_NEGATIVES_MAX, false


@pytest.mark.slow
def test_no_second_of_speech_lost_silently(by_speaker):
    """Speech of 1 s or more without words is decoded again until it has them, or reported as
    unclear speech (ami_meo015 opens with 3.4 s of another participant's quieter voice, which
    no decode writes plausibly and the reference leaves out: it is reported)."""
    silent = {
        s: f"{t.unwritten_1s:.1f} s without words, {t.unclear_s:.1f} s reported"
        for s, t in by_speaker["pipeline"].items()
        if t.unwritten_1s > t.unclear_s + UNREPORTED_S_MAX
    }
    assert not silent, silent


@pytest.mark.slow
def test_content_wer_near_plain_whisper_per_speaker(by_speaker):
    worse = {}
    for speaker, t in by_speaker["pipeline"].items():
        plain = by_speaker["plain faster-whisper"][speaker]
        if t.errors > plain.errors + WER_EXTRA_ERRORS_MAX.get(speaker, WER_EXTRA_ERRORS_DEFAULT):
            worse[speaker] = f"pipeline {t.errors}/{t.ref_words}, plain {plain.errors}"
    assert not worse, worse


# ---- the yardstick itself (fast) ----------------------------------------------------------------
def test_reference_drops_labelled_fillers_and_annotations_only():
    words = ["<cutoff-montreal>", "uh", "montreal", "<hes-forced>", "hm", "'er", "[laughter]"]
    fillers = [{"text": "uh", "kind": "filled"}, {"text": "hm", "kind": "filled"}]
    assert content_reference(words, fillers) == ("montreal", "forced", "her")


def test_reference_keeps_the_words_of_a_retraced_chat_group():
    # batchalign_test.wav: "&-um <i like i like> [/] i like beans": "I like" said three times.
    words = ["fun", "&-um", "<i", "like", "i", "like>", "[/]", "i", "like", "beans"]
    fillers = [{"text": "um", "kind": "filled"}]
    assert content_reference(words, fillers) == (
        ("fun", "i", "like", "i", "like", "i", "like", "beans")
    )


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
    from evaluation.real_speech import Heard

    return Heard(words, 0.1)
