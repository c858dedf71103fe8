"""The transcript's safety net (pure): speech without words is decoded again on its own, and
reported as unclear when it stays empty."""

from __future__ import annotations

from voice_interviewer.reports.marks import Mark, interleave
from voice_interviewer.speech.lost_speech import REDECODE_S, UNCLEAR_S, LostSpeech
from voice_interviewer.speech.timeline import Filler, Span, Word
from voice_interviewer.wording import clock


class Decodes:
    """A fake decode: the words it is given for each piece (by start), and the pieces asked."""

    def __init__(self, answers: dict[float, list[Word]]) -> None:
        self.answers = answers
        self.asked: list[Span] = []

    def __call__(self, piece: Span) -> list[Word]:
        self.asked.append(piece)
        return self.answers.get(round(piece.start, 3), [])


def test_a_stretch_decoded_empty_is_decoded_again_alone():
    speech = [Span(1.0, 4.0)]
    decode = Decodes({1.0: [Word("I", 1.1, 1.3), Word("rushed", 1.3, 1.8), Word("it.", 1.8, 3.9)]})
    net = LostSpeech(speech, [], decode)
    words, fillers = net.recover([], [], REDECODE_S)
    assert [w.text for w in words] == ["I", "rushed", "it."]
    assert decode.asked == [Span(1.0, 4.0)] and net.decodes == 1
    assert net.unclear(words, fillers) == []


def test_speech_that_stays_empty_is_reported_once_and_decoded_once():
    speech = [Span(0.5, 2.0), Span(3.0, 3.6)]
    decode = Decodes({})
    net = LostSpeech(speech, [], decode)
    words = [Word("hello", 0.5, 2.0)]
    words, fillers = net.recover(words, [], REDECODE_S)
    assert decode.asked == []  # 0.6 s uncovered: not yet (the filler pass looks first)
    words, fillers = net.recover(words, fillers, UNCLEAR_S)
    words, fillers = net.recover(words, fillers, UNCLEAR_S)  # tried: not decoded twice
    assert decode.asked == [Span(3.0, 3.6)]
    assert net.unclear(words, fillers) == [Span(3.0, 3.6)]


def test_a_filled_pause_covers_its_speech():
    net = LostSpeech([Span(0.0, 1.0)], [], Decodes({}))
    assert net.unclear([Word("so", 0.0, 0.3)], [Filler("um", 0.3, 1.0, "filled_pause")]) == []


def test_only_what_the_decode_heard_inside_the_piece_is_added():
    """The decode's window reaches into words already written: they are not written twice."""
    speech = [Span(0.0, 3.0)]
    again = [Word("words", 0.5, 0.9), Word("more", 1.6, 2.0), Word("words.", 2.0, 2.6)]
    net = LostSpeech(speech, [], Decodes({1.4: again}))
    words, _ = net.recover([Word("some", 0.0, 0.4), Word("words", 0.5, 1.4)], [], REDECODE_S)
    assert [w.text for w in words] == ["some", "words", "more", "words."]


def _analysis(words, unclear, long_pauses=()):
    from voice_interviewer.bank import Question
    from voice_interviewer.scoring.analyze import analyze

    q = Question(
        id="q",
        category="c",
        text="Why?",
        target_seconds=(10, 20),
        star=False,
        criteria=(),
        tags=(),
        follow_ups=(),
        points=(),
    )
    speech = [Span(w.start, w.end) for w in words] + list(unclear)
    return analyze(q, 12.0, words, sorted(speech, key=lambda s: s.start), unclear=unclear)


def test_unclear_speech_is_shown_where_it_was_and_saved():
    from voice_interviewer.reports.terminal import transcript_text
    from voice_interviewer.scoring.analysis import Analysis

    words = [Word("First", 1.0, 1.4), Word("point.", 1.4, 2.0), Word("Last.", 9.0, 9.5)]
    a = _analysis(words, [Span(4.0, 6.5)])
    assert [m.label() if isinstance(m, Mark) else m.text for m in interleave(a)] == [
        "First",
        "point.",
        "pause 2.0s",
        "unclear speech at 0:04",
        "pause 2.5s",
        "Last.",
    ]
    assert "[unclear speech at 0:04]" in transcript_text(a).plain
    d = a.to_dict()
    assert d["unclear"] == [{"start": 4.0, "end": 6.5}]
    assert Analysis.from_dict(d).unclear == [Span(4.0, 6.5)]


def test_unclear_speech_counts_for_when_the_answer_began():
    a = _analysis([Word("Then", 5.0, 5.5)], [Span(1.5, 4.0)])
    assert a.response_latency_s == 1.5
    assert a.answered


def test_an_answer_of_unclear_speech_only_says_so():
    a = _analysis([], [Span(1.5, 4.0)])
    assert not a.answered and "no words could be made out" in a.verdicts.answer


def test_clock():
    assert [clock(x) for x in (0.4, 7.9, 65.0, 600.0)] == ["0:00", "0:07", "1:05", "10:00"]


def test_feedback_says_where_speech_could_not_be_made_out():
    from voice_interviewer.live.feedback import feedback_lines

    a = _analysis([Word("First", 1.0, 1.4), Word("Last.", 9.0, 9.5)], [Span(4.0, 6.5)])
    assert "1 stretch of speech could not be made out (at 0:04)." in feedback_lines(a)
    assert not any("made out" in line for line in feedback_lines(_analysis([Word("A", 1, 2)], [])))


def test_a_word_heard_again_beside_the_same_word_is_not_written_twice():
    speech = [Span(0.0, 3.0)]
    again = [Word("Word.", 1.5, 1.9), Word("Another", 2.0, 2.4), Word("word.", 2.4, 2.9)]
    net = LostSpeech(speech, [], Decodes({1.2: again}))
    words, _ = net.recover([Word("Word", 0.5, 1.2)], [], REDECODE_S)
    assert [w.text for w in words] == ["Word", "Another", "word."]
