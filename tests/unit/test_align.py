"""align.snap_words_to_speech: words that absorbed a pause are clipped to their speech span;
align_transcript: which words lying in silence are Whisper's inventions."""

from __future__ import annotations

from voice_interviewer.speech.align import align_transcript, snap_words_to_speech
from voice_interviewer.speech.timeline import Span, Word

SPEECH = [Span(0.0, 2.0), Span(3.33, 4.0)]


def test_word_that_absorbed_the_preceding_pause_starts_at_speech():
    # like "ask" in the JFK clip: Whisper starts it at 2.26 s, speech resumes at 3.33 s
    out = snap_words_to_speech([Word("ask", 2.26, 3.6, 0.8)], SPEECH)
    assert out == [Word("ask", 3.33, 3.6, 0.8)]


def test_word_clipped_to_the_span_it_overlaps_most():
    # overlaps span 1 by 0.1 s and span 2 by 0.27 s -> span 2
    assert snap_words_to_speech([Word("then", 1.9, 3.6)], SPEECH) == [Word("then", 3.33, 3.6)]
    # overlaps span 1 by 0.5 s and span 2 by 0.27 s -> span 1 (its tail is clipped)
    assert snap_words_to_speech([Word("and", 1.5, 3.6)], SPEECH) == [Word("and", 1.5, 2.0)]


def test_word_running_past_the_end_of_speech_is_clipped():
    assert snap_words_to_speech([Word("end.", 3.5, 4.8)], SPEECH) == [Word("end.", 3.5, 4.0)]


def test_word_inside_speech_unchanged():
    w = Word("model", 0.5, 0.9, 0.7)
    assert snap_words_to_speech([w], SPEECH) == [w]


def test_words_without_overlapping_speech_keep_their_times():
    words = [Word("before", 0.2, 0.6), Word("gap", 2.2, 2.8), Word("after", 5.0, 5.5)]
    assert snap_words_to_speech(words, [Span(1.0, 2.0), Span(3.33, 4.0)]) == words
    assert snap_words_to_speech(words, []) == words


def test_order_is_kept():
    speech = [Span(0.0, 1.0), Span(2.0, 3.0)]
    # "a" goes to span 2 (0.6 s overlap > 0.5 s); "b" mostly overlaps span 1, but may not start
    # before "a": it ends up at the start of span 2 with zero length
    words = [Word("a", 0.5, 2.6), Word("b", 0.7, 1.05)]
    out = snap_words_to_speech(words, speech)
    assert out == [Word("a", 2.0, 2.6), Word("b", 2.0, 2.0)]


def test_sentence_with_realistic_times():
    speech = [Span(0.5, 1.8), Span(2.9, 4.2)]
    words = [
        Word("I", 0.5, 0.62),
        Word("think", 0.62, 1.0),
        Word("overfitting", 1.0, 1.8),
        Word("is", 1.8, 3.1),  # absorbed the 1.1 s pause
        Word("bad.", 3.1, 4.2),
    ]
    out = snap_words_to_speech(words, speech)
    assert [w.text for w in out] == ["I", "think", "overfitting", "is", "bad."]
    assert [(w.start, w.end) for w in out] == [
        (0.5, 0.62),
        (0.62, 1.0),
        (1.0, 1.8),
        (2.9, 3.1),
        (3.1, 4.2),
    ]


def test_word_timed_in_a_dip_between_two_voices_is_kept():
    # cold_corpus.wav (mfa-b): "saying a bunch of", with "a bunch" (0.98 and 1.0 probable) timed
    # in a 0.8 s dip voice activity called silence: quiet speech, not an invention.
    speech = [Span(13.66, 14.24), Span(15.04, 17.18)]
    raw = [
        Word("saying", 13.92, 14.34, 0.99),
        Word("a", 14.34, 14.56, 0.98),
        Word("bunch", 14.56, 14.72, 1.0),
        Word("of", 14.72, 15.0, 1.0),
        Word("words", 15.24, 15.64, 1.0),
    ]
    words, _ = align_transcript(raw, speech)
    assert [w.text for w in words] == ["saying", "a", "bunch", "of", "words"]
    assert words[2] == Word("bunch", 14.56, 14.72, 1.0)


def test_words_in_silence_after_the_last_voice_or_unplaced_in_a_dip_are_dropped():
    speech = [Span(0.0, 1.0), Span(2.0, 3.0)]
    raw = [
        Word("real", 0.2, 0.8),
        Word("put", 1.5, 1.5, 0.29),  # zero length: Whisper could not place it (real/putty.wav)
        Word("words", 2.2, 2.8),
        Word("Thank", 3.5, 3.7),  # after the last voice: an invention
        Word("you.", 3.7, 3.9),
    ]
    words, _ = align_transcript(raw, speech)
    assert [w.text for w in words] == ["real", "words"]


def test_laughter_written_as_words_is_no_word():
    # real/laughter.wav: "Montreal. Forced. A liner. Ha ha." over the laugh at the end.
    speech = [Span(0.9, 2.0), Span(9.5, 10.0)]
    raw = [Word("Montreal.", 0.9, 1.4), Word("liner.", 1.5, 2.0), Word("Ha", 9.5, 9.7)]
    raw += [Word("ha.", 9.7, 9.9), Word("Ha-ha!", 9.9, 10.0), Word("had", 9.9, 10.0)]
    words, fillers = align_transcript(raw, speech)
    assert [w.text for w in words] == ["Montreal.", "liner.", "had"]
    assert fillers == []
