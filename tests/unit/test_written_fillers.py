"""Filled pauses Whisper wrote are kept, timed by the voice they sit in; none is invented."""

from __future__ import annotations

from voice_interviewer.speech.align import align_transcript
from voice_interviewer.speech.timeline import Filler, Span, Word
from voice_interviewer.speech.written_fillers import claimed, place_written_fillers, share


def test_zero_length_filler_in_silence_takes_the_voice_between_its_neighbours():
    # "Montreal, uh, forced": Whisper puts "uh," at 1.62 s with zero length, in the silence
    # before the sound (2.0-2.4 s); the voice no word needs is the filler's.
    speech = [Span(1.0, 1.65), Span(2.0, 2.4), Span(3.0, 3.5)]
    raw = [Word("Montreal,", 1.0, 1.6), Word("uh,", 1.62, 1.62), Word("forced", 3.0, 3.5)]
    words, fillers = align_transcript(raw, speech)
    assert [w.text for w in words] == ["Montreal,", "forced"]
    assert fillers == [Filler("uh", 2.0, 2.4, "filled_pause")]


def test_phantom_filler_next_to_a_zero_length_word_is_dropped():
    # "too well, uh including": "uh" took the time of "including", which got zero length at the
    # end of its speech. The voice after "well" is what "including" needs: none is left for "uh".
    speech = [Span(0.0, 0.7), Span(0.9, 1.6)]
    raw = [
        Word("too", 0.0, 0.3),
        Word("well,", 0.3, 0.7),
        Word("uh", 0.9, 1.6),
        Word("including", 1.6, 1.6),
    ]
    words, fillers = align_transcript(raw, speech)
    assert [w.text for w in words] == ["too", "well,", "including"]
    assert fillers == []


def test_a_zero_length_word_claims_the_time_its_text_needs_inside_its_speech():
    speech = [Span(0.5, 1.6)]
    span = claimed(Word("including", 1.6, 1.6), speech)
    assert span.end == 1.6 and abs(span.start - (1.6 - 0.08 - 0.07 * 9)) < 1e-9


def test_a_repetition_loop_is_held_to_what_the_voice_holds():
    # Ten "uh"s written for four short sounds: one each for the three short ones, three for the
    # 0.96 s one (about 0.3 s per filled pause).
    speech = [Span(1.0, 1.6), Span(1.9, 2.1), Span(2.6, 2.85), Span(3.2, 3.55), Span(4.35, 5.31)]
    speech.append(Span(5.5, 6.0))
    sequence = [Word("Montreal,", 1.0, 1.6), *["uh"] * 10, Word("forced", 5.5, 6.0)]
    fillers = place_written_fillers(sequence, speech)
    assert len(fillers) == 6
    assert [round(f.start, 2) for f in fillers] == [1.9, 2.6, 3.2, 4.35, 4.67, 4.99]
    assert all(f.kind == "filled_pause" and f.text == "uh" for f in fillers)


def test_fewer_fillers_than_sounds_go_to_the_longest_sounds_in_order():
    speech = [Span(0.0, 0.5), Span(1.0, 1.3), Span(1.5, 1.65), Span(2.0, 2.35), Span(2.5, 3.0)]
    sequence = [Word("so", 0.0, 0.5), "um", "uh", Word("then", 2.5, 3.0)]
    assert place_written_fillers(sequence, speech) == [
        Filler("um", 1.0, 1.3, "filled_pause"),
        Filler("uh", 2.0, 2.35, "filled_pause"),
    ]


def test_a_long_sound_holds_several_fillers_split_evenly_in_order():
    speech = [Span(0.0, 0.5), Span(1.0, 1.15), Span(1.5, 2.1), Span(2.5, 3.0)]
    sequence = [Word("so", 0.0, 0.5), "um", "uh", Word("then", 2.5, 3.0)]
    assert place_written_fillers(sequence, speech) == [
        Filler("um", 1.5, 1.8, "filled_pause"),
        Filler("uh", 1.8, 2.1, "filled_pause"),
    ]


def test_filler_swallowed_by_a_swollen_word_takes_its_surplus():
    # "um In the ...": no free voice, but "In" lasts 0.9 s where it needs 0.22 s
    speech = [Span(0.0, 2.0)]
    sequence = ["um", Word("In", 0.0, 0.9), Word("the", 0.9, 1.2), Word("end", 1.2, 1.5)]
    fillers = place_written_fillers(sequence, speech)
    assert len(fillers) == 1
    assert fillers[0].start == 0.0 and abs(fillers[0].end - 0.68) < 1e-6


def test_filler_with_no_voice_anywhere_near_is_dropped():
    # the words fill their speech (each about as long as its text needs): no voice for "uh"
    speech = [Span(0.0, 0.5), Span(2.0, 2.55)]
    sequence = [Word("first", 0.0, 0.5), "uh", Word("second", 2.0, 2.55)]
    assert place_written_fillers(sequence, speech) == []


def test_content_words_in_silence_are_dropped_but_fillers_are_judged_by_voice():
    speech = [Span(0.0, 1.0), Span(1.3, 1.7)]
    raw = [Word("answer", 0.0, 1.0), Word("um", 1.2, 1.2), Word("Thanks.", 3.0, 3.5)]
    words, fillers = align_transcript(raw, speech)
    assert [w.text for w in words] == ["answer"]
    assert fillers == [Filler("um", 1.3, 1.7, "filled_pause")]


def test_one_written_filler_takes_one_sound_and_leaves_the_other_uncovered():
    # "forced, uh" written for "uh-um" said in one breath (real/uhum.wav): the free voice after
    # "forced" holds two sounds with a level dip between; the filler takes the longer, and the
    # other is left for the filler pass to hear.
    speech = [Span(1.0, 3.84)]
    sequence = [Word("Montreal", 1.0, 1.36), Word("forced,", 1.36, 2.36), "uh"]
    dips = [Span(2.91, 3.0)]
    assert place_written_fillers(sequence, speech, dips) == [
        Filler("uh", 3.0, 3.84, "filled_pause")
    ]
    assert place_written_fillers(sequence, speech) == [Filler("uh", 2.36, 3.84, "filled_pause")]


def test_more_fillers_than_sounds_every_sound_takes_one_and_long_ones_the_rest():
    sounds = [Span(1.0, 1.2), Span(1.3, 2.2), Span(2.3, 2.45)]
    assert share(sounds, 2) == [(Span(1.0, 1.2), 1), (Span(1.3, 2.2), 1)]  # the two longest
    assert share(sounds, 5) == [(Span(1.0, 1.2), 1), (Span(1.3, 2.2), 3), (Span(2.3, 2.45), 1)]


def test_a_loop_over_sounds_split_by_a_dip_keeps_the_count_the_voice_holds():
    # uhuh.wav's last piece, 4.35-5.31 s, is two sounds (a dip at 4.47-4.54): three "uh"s as
    # before, but none of them across the dip.
    speech = [Span(1.0, 1.6), Span(4.35, 5.31), Span(5.5, 6.0)]
    sequence = [Word("Montreal,", 1.0, 1.6), *["uh"] * 5, Word("forced", 5.5, 6.0)]
    fillers = place_written_fillers(sequence, speech, [Span(4.47, 4.54)])
    assert [(f.start, f.end) for f in fillers] == [(4.35, 4.47), (4.54, 4.925), (4.925, 5.31)]
