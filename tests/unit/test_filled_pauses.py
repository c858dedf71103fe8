"""filled_pauses: uncovered speech, the decode's opening filler, detection with a fake labeler."""

from __future__ import annotations

import numpy as np

from tests.fakes import FakeWhisper
from voice_interviewer.speech.filled_pauses import (
    DISFLUENT_PROMPT,
    RepeatLabeler,
    classify_candidate,
    decode_can_matter,
    detect_filled_pauses,
    first_filled_pause,
    leading_filled_pauses,
    merge_close,
    swollen_word_edges,
    uncovered_speech,
)
from voice_interviewer.speech.sound_measures import spectral_stationarity
from voice_interviewer.speech.timeline import Filler, Span, Word


def test_uncovered_middle_leading_and_trailing_parts():
    speech = [Span(0.5, 3.5)]
    words = [Word("dropout", 1.0, 1.5), Word("helps.", 2.0, 3.0)]
    assert uncovered_speech(speech, words) == [Span(0.5, 1.0), Span(1.5, 2.0), Span(3.0, 3.5)]


def test_uncovered_parts_shorter_than_min_are_ignored():
    speech = [Span(1.0, 3.0)]
    words = [Word("a", 1.1, 1.5), Word("b", 1.6, 2.9)]  # 0.1 s uncovered three times
    assert uncovered_speech(speech, words) == []
    assert uncovered_speech(speech, words, min_s=0.05) == [
        Span(1.0, 1.1),
        Span(1.5, 1.6),
        Span(2.9, 3.0),
    ]


def test_speech_with_no_words_is_wholly_uncovered_and_words_may_be_unsorted():
    speech = [Span(0.0, 1.0), Span(2.0, 3.0)]
    words = [Word("b", 2.5, 3.0), Word("a", 2.0, 2.2)]
    assert uncovered_speech(speech, words) == [Span(0.0, 1.0), Span(2.2, 2.5)]


def test_word_straddling_a_span_edge_covers_it():
    speech = [Span(1.0, 2.0)]
    assert uncovered_speech(speech, [Word("x", 0.5, 1.6)]) == [Span(1.6, 2.0)]
    assert uncovered_speech(speech, [Word("x", 1.3, 2.5)]) == [Span(1.0, 1.3)]


def test_first_filled_pause():
    assert first_filled_pause("Um, so I think") == "um"
    assert first_filled_pause("Hmm...") == "hmm"
    assert first_filled_pause(" , Uh.") == "uh"
    assert first_filled_pause("So, um") is None  # a word's tail read as "um"
    assert first_filled_pause("I think um") is None  # deeper in: a lost phrase, not a filler
    assert first_filled_pause("Umbrella") is None
    assert first_filled_pause("") is None


AUDIO = np.arange(16000 * 6, dtype=np.float32)  # sample i has value i: slices are visible


def test_detect_keeps_candidates_that_decode_as_a_filled_pause():
    speech = [Span(1.0, 2.45), Span(4.0, 4.7)]
    words = [Word("Dropout", 1.0, 1.5), Word("helps.", 2.0, 2.45), Word("Yes.", 4.0, 4.3)]
    labeler = FakeWhisper("Um.", "I guess yes")
    found = detect_filled_pauses(AUDIO, speech, words, labeler)
    assert found == [Filler("um", 1.5, 2.0, "filled_pause")]
    # candidates (1.5, 2.0) and (4.3, 4.7), each clipped with 0.1 s on both sides
    (clip1, prompt1), (clip2, prompt2) = labeler.label_calls
    assert (clip1[0], len(clip1)) == (22400, 11200)  # 1.4 s .. 2.1 s
    assert (clip2[0], len(clip2)) == (67200, 9600)  # 4.2 s .. 4.8 s
    assert prompt1 == prompt2 == DISFLUENT_PROMPT


def test_detect_skips_long_candidates_and_clips_at_audio_edges():
    speech = [Span(0.0, 0.5), Span(2.0, 5.0)]  # 5.0-2.0 = 3 s > MAX_CANDIDATE_S
    labeler = FakeWhisper("Uh,")
    found = detect_filled_pauses(AUDIO, speech, [], labeler)
    assert found == [Filler("uh", 0.0, 0.5, "filled_pause")]
    ((clip, _),) = labeler.label_calls
    assert (clip[0], len(clip)) == (0, 9600)  # starts at 0, not -0.1 s


def test_detect_nothing_when_all_speech_is_covered():
    labeler = FakeWhisper()
    words = [Word("regularization", 1.0, 2.0)]  # 1 s is what 14 letters need
    assert detect_filled_pauses(AUDIO, [Span(1.0, 2.0)], words, labeler) == []
    assert labeler.label_calls == []


def test_both_edges_of_a_swollen_word_are_candidates():
    """ "In" lasting 0.86 s: Whisper started it at the "um" before it (or ran it on into one)."""
    words = [Word("In", 1.5, 2.36), Word("my", 2.36, 2.5), Word("regularization", 3.0, 4.0)]
    # 0.86 s less the 0.22 s "In" needs, at either end
    assert swollen_word_edges(words) == [Span(1.5, 2.14), Span(1.72, 2.36)]


def test_detect_finds_a_filler_a_word_ran_on_into():
    """ "I mean, um, since": "mean" lasting 1 s; the decode of its start is just "mean"."""
    speech = [Span(1.0, 2.2)]
    words = [Word("I", 1.0, 1.2), Word("mean", 1.2, 2.2)]
    labeler = FakeWhisper("Mean.", "Um, so.")  # its start 1.2-1.84 s, then its end 1.56-2.2 s
    assert detect_filled_pauses(AUDIO, speech, words, labeler) == [
        Filler("um", 1.56, 2.2, "filled_pause")
    ]


def test_pieces_of_one_filler_are_merged():
    pieces = [Filler("uh", 1.0, 1.26, "filled_pause"), Filler("um", 1.26, 1.5, "filled_pause")]
    assert merge_close(pieces) == [Filler("uh", 1.0, 1.5, "filled_pause")]
    apart = [Filler("uh", 1.0, 1.26, "filled_pause"), Filler("um", 2.0, 2.3, "filled_pause")]
    assert merge_close(apart) == apart


def test_pieces_either_side_of_a_level_dip_are_two_fillers():
    # "uh" under a swollen "forced," then "um" in the speech after it, a dip between (uhum.wav)
    pieces = [Filler("uh", 1.86, 2.36, "filled_pause"), Filler("um", 2.39, 2.91, "filled_pause")]
    assert merge_close(pieces, [Span(2.26, 2.39)]) == pieces
    assert merge_close(pieces, [Span(1.5, 1.6)]) == [Filler("uh", 1.86, 2.91, "filled_pause")]


def test_detect_finds_a_filler_inside_a_swollen_word():
    speech = [Span(1.5, 2.5)]
    words = [Word("In", 1.5, 2.36), Word("my", 2.36, 2.5)]
    # Both edges are decoded (in one batch); the end edge overlaps the filler found at the
    # start, so whatever it decodes as it is passed over.
    labeler = FakeWhisper("Um, in...", "Um.")
    assert detect_filled_pauses(AUDIO, speech, words, labeler) == [
        Filler("um", 1.5, 2.14, "filled_pause")
    ]


def test_a_held_vowel_is_stationary_and_a_changing_sound_is_not():
    t = np.arange(int(0.4 * 16000)) / 16000
    held = (
        np.sin(2 * np.pi * 140 * t)
        + 0.5 * np.sin(2 * np.pi * 280 * t)
        + 0.3 * np.sin(2 * np.pi * 700 * t)
    )
    glide = np.sin(2 * np.pi * (200 + 4000 * t) * t)  # pitch sweeping fast, as in a word
    assert spectral_stationarity(held.astype(np.float32)) > 0.95
    assert spectral_stationarity(glide.astype(np.float32)) < 0.8
    assert spectral_stationarity(np.zeros(100, np.float32)) == 0.0  # too short to judge


def test_a_short_changing_candidate_is_not_a_filled_pause():
    t = np.arange(16000 * 3) / 16000
    audio = np.sin(2 * np.pi * (200 + 1500 * t) * t).astype(np.float32)  # nothing held anywhere
    labeler = FakeWhisper("Uh.")
    assert detect_filled_pauses(audio, [Span(1.0, 1.3)], [], labeler) == []
    assert labeler.label_calls == []  # short and changing: no decode could make it a filled pause


def test_a_candidate_is_decoded_only_when_its_decode_can_change_the_outcome():
    decodes = ["Um,", "Uh... so", "Hmm.", "I...", "And, uh", "", "Mm-hmm"]
    for duration in (0.2, 0.3, 0.44, 0.45, 0.5, 0.8, 2.0):
        for steady in (0.0, 0.85, 0.89, 0.9, 0.91, 0.92, 0.95, 1.0):
            outcomes = {classify_candidate(d, duration, steady) for d in decodes}
            if not decode_can_matter(duration, steady):
                assert outcomes == {None}, (duration, steady)
    assert decode_can_matter(0.3, 0.95) and decode_can_matter(0.5, 0.5)
    assert not decode_can_matter(0.3, 0.9)


def test_classify_a_candidate_by_its_decode_and_its_sound():
    # The decode opens with a filler: kept if the sound is steady or long.
    assert classify_candidate("Um, so.", 0.3, 0.95) == ("um", True)
    assert classify_candidate("Uh...", 0.3, 0.85) is None  # a changing sound: a word's fragment
    assert classify_candidate("Uh...", 0.5, 0.85) == ("uh", True)
    # A filler further in is a word's tail, unless the sound is held long and steady.
    assert classify_candidate("And, uh, I'm", 0.3, 0.95) is None
    assert classify_candidate("And, uh, and, uh", 0.8, 0.91) == ("uh", False)
    # Held long and steady, read as a word: still a filled pause ("hmm" read as "I...").
    assert classify_candidate("I...", 0.8, 0.95) == ("uh", False)
    assert classify_candidate("I...", 0.8, 0.88) is None
    assert classify_candidate("", 0.4, 0.99) is None  # short, and nothing heard


def test_a_filler_the_decode_opened_with_wins_over_one_only_the_sound_suggests():
    """ "mean" lasting 1 s: its start decodes as "I mean, uh" (held), its end as "Um": the end."""
    t = np.arange(16000 * 3) / 16000
    hum = (np.sin(2 * np.pi * 120 * t) + 0.4 * np.sin(2 * np.pi * 240 * t)).astype(np.float32)
    speech = [Span(1.0, 2.2)]
    words = [Word("I", 1.0, 1.2), Word("mean", 1.2, 2.2)]
    labeler = FakeWhisper("I mean, uh...", "Um...")
    assert detect_filled_pauses(hum, speech, words, labeler) == [
        Filler("um", 1.56, 2.2, "filled_pause")
    ]


def test_repeat_labeler_decodes_a_batch_once_and_anything_new_afresh():
    inner = FakeWhisper(label_of=lambda c, prompt: f"{prompt}:{float(c.sum()):.3f}")
    labeler = RepeatLabeler(inner)
    rng = np.random.default_rng(0)
    a, b = rng.normal(size=800).astype(np.float32), rng.normal(size=1600).astype(np.float32)
    first = labeler.label_many([a, b], prompt="P")
    first.append("mutated by the caller")
    assert labeler.label_many([a.copy(), b.copy()], prompt="P") == first[:2]  # same samples
    assert len(inner.label_batches) == 1
    labeler.label_many([a, b], prompt="Q")  # another prompt
    labeler.label_many([b, a], prompt="P")  # another order
    labeler.label_many([a], prompt="P")  # part of the batch: a batch is remembered whole
    nudged = a.copy()
    nudged[400] += 1e-3
    labeler.label_many([nudged, b], prompt="P")  # one sample differs
    assert len(inner.label_batches) == 5


def glide_with_a_hum(hum_at: float, hum_s: float) -> np.ndarray:
    """3 s of changing sound (a fast pitch sweep, like words) with a held hum laid over one part."""
    t = np.arange(16000 * 3) / 16000
    audio = 0.3 * np.sin(2 * np.pi * (200 + 1500 * t) * t)
    a, b = int(hum_at * 16000), int((hum_at + hum_s) * 16000)
    th = t[: b - a]
    audio[a:b] = 0.3 * sum(np.sin(2 * np.pi * k * 120 * th) / k for k in range(1, 6))
    return audio.astype(np.float32)


def test_a_held_sound_under_a_word_is_decoded_twice_when_asked_and_kept_if_both_read_a_filler():
    audio = glide_with_a_hum(1.4, 0.5)
    speech = [Span(0.9, 2.3)]  # no word swollen, none uncovered: so no other candidate
    words = [Word("first", 0.9, 1.4), Word("which", 1.4, 1.95), Word("is", 1.95, 2.3)]
    # No candidate without under_words: nothing uncovered, no word swollen.
    assert detect_filled_pauses(audio, speech, words, FakeWhisper()) == []
    labeler = FakeWhisper("Um,", "Um.")
    found = detect_filled_pauses(audio, speech, words, labeler, under_words=True)
    assert [f.text for f in found] == ["um"]
    assert 1.35 <= found[0].start <= 1.5 and 1.8 <= found[0].end <= 1.95
    first, again = (len(c) for c, _ in labeler.label_calls)
    assert first - again == int(2 * 0.05 * 16000)  # the second reading hears less around it


def test_a_held_sound_under_a_word_is_dropped_when_the_second_reading_is_a_word():
    audio = glide_with_a_hum(1.4, 0.5)
    speech = [Span(0.9, 2.3)]
    words = [Word("first", 0.9, 1.4), Word("those", 1.4, 1.95), Word("is", 1.95, 2.3)]
    labeler = FakeWhisper("Uh...", "Those.")
    assert detect_filled_pauses(audio, speech, words, labeler, under_words=True) == []
    # Nor is it kept for the sound alone, however long and steady: only a decode can tell.
    labeler = FakeWhisper("Those then")
    assert detect_filled_pauses(audio, speech, words, labeler, under_words=True) == []
    assert len(labeler.label_calls) == 1  # no second reading of a decode that read a word


def test_a_held_sound_under_a_filler_whisper_wrote_is_not_looked_at_again():
    audio = glide_with_a_hum(1.4, 0.5)
    speech = [Span(0.9, 2.3)]
    words = [Word("first", 0.9, 1.4), Word("um", 1.4, 1.9), Word("is", 1.9, 2.3)]
    labeler = FakeWhisper()
    assert detect_filled_pauses(audio, speech, words, labeler, under_words=True) == []
    assert labeler.label_calls == []


def _vowel(seconds: float, amplitude: float) -> np.ndarray:
    t = np.arange(int(seconds * 16000)) / 16000
    wave = np.sin(2 * np.pi * 140 * t) + 0.5 * np.sin(2 * np.pi * 280 * t)
    return (amplitude * wave).astype(np.float32)


def _breath_run(*decodes: str) -> list[Filler]:
    """ "so, uh-um, then": two held sounds with a dip 20 dB down between them, in one candidate."""
    audio = np.concatenate(
        [np.zeros(20000), _vowel(0.25, 0.1), _vowel(0.4, 0.1), _vowel(0.06, 0.01)]
        + [_vowel(0.44, 0.08), _vowel(0.5, 0.1), np.zeros(16000)]
    )
    words = [Word("so", 1.25, 1.5), Word("then", 2.4, 2.9)]
    return detect_filled_pauses(audio, [Span(1.25, 2.9)], words, FakeWhisper(*decodes))


def test_a_decode_naming_two_fillers_over_two_sounds_gives_one_filler_per_sound():
    assert _breath_run("Um, er...") == [
        Filler("um", 1.5, 1.9, "filled_pause"),
        Filler("er", 1.96, 2.4, "filled_pause"),
    ]
    # a decode looping over the two sounds still gives two; one named gives one, on the longer
    assert len(_breath_run("Uh, uh, uh, uh")) == 2
    assert _breath_run("Um.") == [Filler("um", 1.96, 2.4, "filled_pause")]


def test_leading_filled_pauses_stop_at_the_first_word():
    assert leading_filled_pauses("Um, er, so I think") == ["um", "er"]
    assert leading_filled_pauses("So, um.") == []
