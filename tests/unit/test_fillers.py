"""fillers: filled pauses, lexical fillers only where used as fillers, and repetitions."""

from __future__ import annotations

import pytest

from voice_interviewer.scoring.fillers import find_fillers, find_repetitions, is_filled_pause
from voice_interviewer.speech.timeline import Filler, Repetition, Span, Word

from ._words import words_from

# words_from: each word 0.3 s long, 0.05 s apart; word k spans (0.35k, 0.35k + 0.3)


def fillers(text: str) -> list[tuple[str, str]]:
    return [(f.text, f.kind) for f in find_fillers(words_from(text))]


def test_filled_pauses_anywhere_with_their_times():
    assert find_fillers(words_from("Um, I think uh it works.")) == [
        Filler("um", 0.0, 0.3, "filled_pause"),
        Filler("uh", 1.05, 1.35, "filled_pause"),
    ]
    assert fillers("Hmm... Er, well, ah") == [
        ("hmm", "filled_pause"),
        ("er", "filled_pause"),
        ("ah", "filled_pause"),
    ]
    assert is_filled_pause(Word("Umm,", 0, 1)) and not is_filled_pause(Word("Umbrella", 0, 1))


def test_like_set_off_as_an_aside_is_a_filler():
    assert find_fillers(words_from("The loss was high and, like, the model overfit.")) == [
        Filler("like", 1.75, 2.05, "lexical")
    ]


def test_like_between_commas_after_was_is_a_filler():
    assert find_fillers(words_from("It was, like, slow.")) == [Filler("like", 0.7, 1.0, "lexical")]


@pytest.mark.parametrize(
    "text",
    [
        "I would like to try it.",
        "It looks like a bug.",
        "We tried regularization like dropout and weight decay.",
        "I like this approach.",
    ],
)
def test_like_as_verb_or_preposition_is_not_a_filler(text):
    assert fillers(text) == []


def test_like_after_a_noun_becomes_a_filler_only_when_set_off_by_a_pause():
    plain = words_from("We tried regularization like dropout.")
    assert find_fillers(plain) == []
    # the same words with a 0.4 s silence on both sides of "like" (>= aside_gap_s 0.25)
    paused = plain[:3] + [Word("like", 1.45, 1.75), Word("dropout.", 2.15, 2.45)]
    assert find_fillers(paused) == [Filler("like", 1.45, 1.75, "lexical")]


def test_sentence_initial_so_vs_so_that():
    assert find_fillers(words_from("So, the model overfit.")) == [Filler("so", 0.0, 0.3, "lexical")]
    assert fillers("It overfit. So, we added dropout.") == [("so", "lexical")]
    assert fillers("Um, so, the idea is simple.") == [("um", "filled_pause"), ("so", "lexical")]
    # Not set off: the conjunction ("therefore") that happens to open the sentence.
    assert fillers("It overfit. So we added dropout.") == []
    assert fillers("We added dropout so that it generalizes.") == []
    assert fillers("So that is why it failed.") == []
    assert fillers("It was so slow.") == []


def test_you_know_aside_vs_question():
    assert find_fillers(words_from("It was, you know, slow.")) == [
        Filler("you know", 0.7, 1.35, "lexical")
    ]
    assert fillers("Do you know what overfitting is?") == []
    assert fillers("I know you know the answer.") == []


def test_i_mean_aside_vs_what_i_mean():
    assert find_fillers(words_from("It failed, I mean, it was slow.")) == [
        Filler("i mean", 0.7, 1.35, "lexical")
    ]
    assert fillers("What I mean is that it failed.") == []
    assert fillers("I mean the second model.") == []  # not set off: a plain statement


def test_basically_and_literally():
    assert find_fillers(words_from("It is basically memorization.")) == [
        Filler("basically", 0.7, 1.0, "lexical")
    ]
    assert fillers("It literally broke.") == [("literally", "lexical")]


def test_actually_at_sentence_start_or_aside_only():
    assert fillers("Actually, it was slow.") == [("actually", "lexical")]
    assert fillers("It was, actually, fast.") == [("actually", "lexical")]
    assert fillers("What actually happened was a leak.") == []


def test_kind_of_hedge_vs_what_kind_of():
    assert find_fillers(words_from("It was kind of slow.")) == [
        Filler("kind of", 0.7, 1.35, "lexical")
    ]
    assert fillers("It was sort of random.") == [("sort of", "lexical")]
    assert fillers("What kind of model did you use?") == []
    assert fillers("A different sort of problem.") == []


def test_plain_sentence_has_no_fillers():
    assert fillers("Overfitting means the model memorizes noise in the training data.") == []
    assert find_fillers([]) == []


def test_repetition_of_one_word():
    assert find_repetitions(words_from("I I think it overfit.")) == [Repetition("I I", 0.0, 0.65)]


def test_repetition_of_two_words_with_a_comma():
    assert find_repetitions(words_from("it was, it was slow")) == [
        Repetition("it was, it was", 0.0, 1.35)
    ]


def test_repetition_ignores_filled_pauses_between():
    assert find_repetitions(words_from("I um I think")) == [Repetition("I I", 0.0, 1.0)]


def test_repetition_case_and_punctuation_insensitive():
    assert find_repetitions(words_from("The, the model.")) == [Repetition("The, the", 0.0, 0.65)]


def test_no_repetition():
    assert find_repetitions(words_from("I think it works, I think.")) == []
    assert find_repetitions([]) == []


def test_a_quiet_break_the_timestamps_absorbed_sets_a_word_off():
    """ "So I rushed it": Whisper's "So" runs on to "I", but the audio held a 0.1 s silence."""
    words = words_from("It failed. So I rushed it.")
    assert fillers("It failed. So I rushed it.") == []
    brk = Span(0.95, 1.05)  # between the middles of "So" (0.7-1.0) and "I" (1.05-1.35)
    assert find_fillers(words, breaks=[brk]) == [Filler("so", 0.7, 1.0, "lexical")]
    # A break elsewhere (inside "rushed") says nothing about "So".
    assert find_fillers(words, breaks=[Span(1.5, 1.6)]) == []


def test_like_after_was_is_a_filler_only_when_set_off_on_both_sides():
    assert fillers("What happened was like the model failed.") == []  # a comparison
    words = words_from("What happened was like the model failed.")
    gaps = [Span(0.99, 1.06), Span(1.34, 1.41)]  # silences either side of "like" (1.05-1.35)
    assert find_fillers(words, breaks=gaps) == [Filler("like", 1.05, 1.35, "lexical")]
    assert find_fillers(words, breaks=gaps[1:]) == []  # only after it: not an aside
    # Sentence-initial is no set-off for this "like": "was" precedes it.
    assert fillers("It was. like the other one.") == []


def test_a_filled_pause_next_to_it_sets_a_word_off():
    """ "I mean, um, since then": Whisper wrote "I mean since then"; the um was heard acoustically
    and is passed in as a word."""
    assert fillers("It failed. I mean since then I check.") == []
    assert fillers("It failed. I mean um since then I check.") == [
        ("i mean", "lexical"),
        ("um", "filled_pause"),
    ]


@pytest.mark.parametrize(
    "token", ["Um,", "Umm...", "uhm", "Uh.", "Uhhh", "Er,", "Err,", "erm", "eh", "Ah", "Hmm.", "Mm"]
)
def test_filled_pauses_in_any_spelling(token):
    assert is_filled_pause(Word(token, 0, 1))


@pytest.mark.parametrize("token", ["Uh-huh", "um-hm", "a", "m", "her", "hum", "arm", "mum", "era"])
def test_words_and_backchannels_are_not_filled_pauses(token):
    assert not is_filled_pause(Word(token, 0, 1))
