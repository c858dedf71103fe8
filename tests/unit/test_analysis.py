"""analysis.analyze on a hand-made answer: timing, pace, pauses, fillers, rubric, the JSON
contract."""

from __future__ import annotations

import json

import pytest

from voice_interviewer.bank import Point, Question
from voice_interviewer.scoring.analysis import AnalyzedWord, Hesitation
from voice_interviewer.scoring.analyze import analyze
from voice_interviewer.scoring.verdicts import Verdicts
from voice_interviewer.speech.timeline import Filler, Span, Word

from ._words import words_from


def make_question(target=(30.0, 60.0), star=False) -> Question:
    return Question(
        id="reg",
        category="technical",
        text="How do you fight overfitting?",
        target_seconds=target,
        star=star,
        criteria=(),
        tags=(),
        follow_ups=(),
        points=(
            Point("regularization", "Names regularization", ("regularization", "dropout")),
            Point("data", "More data", ("more data",)),
            Point("bias", "Bias and variance", ("variance",)),
        ),
    )


# A breath before the answer and a click after it: speech with no words, outside the answer.
SPEECH = [
    Span(0.2, 0.4),
    Span(1.0, 2.0),
    Span(2.3, 3.0),  # 0.3 s gap before: taken out of speaking time, not a pause
    Span(3.6, 5.0),  # 0.6 s gap before: a pause
    Span(7.5, 8.5),  # 2.5 s gap before: a long pause
    Span(9.5, 9.7),
]
WORDS = [
    Word("Um,", 1.05, 1.3),  # starts 50 ms into its speech span: latency is the span start
    Word("dropout", 1.4, 2.0),
    Word("reduces", 2.6, 3.0),
    Word("overfitting", 3.6, 4.3),
    Word("basically.", 4.4, 5.0),
    Word("Regularization", 7.5, 8.0),
    Word("helps.", 8.0, 8.45),  # ends 50 ms before its span: the answer ends at the span end
]
ACOUSTIC = [Filler("uh", 2.3, 2.6, "filled_pause")]  # heard, not written by Whisper


@pytest.fixture
def result():
    return analyze(make_question(), 10.0, WORDS, SPEECH, ACOUSTIC, model="tiny.en")


def test_timing(result):
    assert result.duration_s == 10.0
    assert result.response_latency_s == 1.0
    assert result.answer_s == 7.5


def test_pace_excludes_fillers(result):
    # 5 words that are not fillers (dropout, reduces, overfitting, Regularization, helps.)
    assert result.word_count == 5
    assert result.words_per_minute == 40.0  # 5 / 7.5 s * 60
    # speaking time 7.5 - (0.3 + 0.6 + 2.5) = 4.1 s -> 5 / 4.1 * 60 = 73.17
    assert result.articulation_wpm == 73.2


def test_pauses_only_inside_the_answer(result):
    assert result.pauses == [Span(3.0, 3.6), Span(5.0, 7.5)]
    assert result.long_pauses == [Span(5.0, 7.5)]


def test_fillers_merged_into_words(result):
    assert result.words == [
        AnalyzedWord("Um,", 1.05, 1.3, True),
        AnalyzedWord("dropout", 1.4, 2.0, False),
        AnalyzedWord("uh", 2.3, 2.6, True),
        AnalyzedWord("reduces", 2.6, 3.0, False),
        AnalyzedWord("overfitting", 3.6, 4.3, False),
        AnalyzedWord("basically.", 4.4, 5.0, True),
        AnalyzedWord("Regularization", 7.5, 8.0, False),
        AnalyzedWord("helps.", 8.0, 8.45, False),
    ]
    assert result.transcript == (
        "Um, dropout uh reduces overfitting basically. Regularization helps."
    )
    assert result.fillers == [
        Filler("um", 1.05, 1.3, "filled_pause"),
        Filler("uh", 2.3, 2.6, "filled_pause"),
        Filler("basically", 4.4, 5.0, "lexical"),
    ]
    assert result.fillers_per_minute == 24.0  # 3 / 7.5 s * 60


def test_rubric_uses_spoken_words(result):
    assert result.rubric.coverage == 0.333
    assert [(p.id, p.hit, p.keywords) for p in result.rubric.points] == [
        ("regularization", True, ["Regularization", "dropout"]),
        ("data", False, []),
        ("bias", False, []),
    ]


def test_verdicts(result):
    v = result.verdicts
    assert v.length == "short: 8 s against a target of 30-60 s; say more"
    assert v.pace == "slow: 40 words a minute (aim for 130-160)"
    assert v.latency == "quick start: 1.0 s"
    assert v.pauses == "1 long pause of 2 s or more"
    assert v.fillers == "frequent fillers: 24.0 a minute; pause silently instead"
    assert v.coverage == "covered 1 of 3 points"
    assert v.star is None


def test_hesitation_counts_and_positions(result):
    assert result.fillers_per_100_words == 60.0  # 3 fillers / 5 words
    assert result.hesitation == Hesitation(
        filled_pauses=2,
        lexical_fillers=1,
        repetitions=0,
        in_first_10s=3,  # the answer starts at 1.0 s; all three come before 11.0 s
        inside_sentences=2,  # "uh" after "dropout", "basically." after "overfitting"
        before_key_terms=1,  # "Um," ends 0.1 s before "dropout"; the others are far from one
    )
    assert result.to_dict()["hesitation"] == {
        "filled_pauses": 2,
        "lexical_fillers": 1,
        "repetitions": 0,
        "in_first_10s": 3,
        "inside_sentences": 2,
        "before_key_terms": 1,
    }


def test_to_dict_contract(result):
    d = result.to_dict()
    json.dumps(d)  # serialisable as is
    contract = {
        "question",
        "duration_s",
        "transcript",
        "words",
        "response_latency_s",
        "answer_s",
        "words_per_minute",
        "articulation_wpm",
        "pauses",
        "long_pauses",
        "fillers",
        "rubric",
    }
    extras = {
        "model",
        "word_count",
        "target_seconds",
        "fillers_per_minute",
        "repetitions",
        "verdicts",
        "fillers_per_100_words",
        "hesitation",
        "schema_version",
        "policy",
        "voice",
        "unclear",
    }
    assert set(d) == contract | extras  # exactly the keys of serialization.AnalysisDict
    # added at the end: older keys keep order
    assert list(d)[-4:] == ["schema_version", "policy", "voice", "unclear"]
    assert d["policy"]["pace_band_wpm"] == [130.0, 160.0]
    assert d["policy"]["long_pause_s"] == 2.0
    assert d["question"] == {
        "id": "reg",
        "text": "How do you fight overfitting?",
        "category": "technical",
    }
    assert d["duration_s"] == 10.0
    assert d["response_latency_s"] == 1.0
    assert d["answer_s"] == 7.5
    assert d["words_per_minute"] == 40.0
    assert d["articulation_wpm"] == 73.2
    assert all(set(w) == {"text", "start", "end", "filler"} for w in d["words"])
    assert d["words"][2] == {"text": "uh", "start": 2.3, "end": 2.6, "filler": True}
    assert d["pauses"] == [{"start": 3.0, "end": 3.6}, {"start": 5.0, "end": 7.5}]
    assert d["long_pauses"] == [{"start": 5.0, "end": 7.5}]
    assert [(f["text"], f["start"], f["end"]) for f in d["fillers"]] == [
        ("um", 1.05, 1.3),
        ("uh", 2.3, 2.6),
        ("basically", 4.4, 5.0),
    ]
    assert all(set(f) == {"text", "start", "end", "kind"} for f in d["fillers"])
    assert d["repetitions"] == []
    assert set(d["rubric"]) == {"coverage", "points", "star", "about"}
    assert all(
        set(p)
        == {"id", "text", "hit", "evidence", "score", "keywords", "evidence_sentences", "status"}
        for p in d["rubric"]["points"]
    )
    assert set(d["verdicts"]) == {"length", "pace", "latency", "pauses", "fillers", "coverage"}
    assert d["rubric"]["coverage"] == 0.333
    assert d["rubric"]["star"] is None
    assert [{k: p[k] for k in ("id", "hit", "keywords")} for p in d["rubric"]["points"]] == [
        {"id": "regularization", "hit": True, "keywords": ["Regularization", "dropout"]},
        {"id": "data", "hit": False, "keywords": []},
        {"id": "bias", "hit": False, "keywords": []},
    ]
    assert d["model"] == "tiny.en"
    assert d["word_count"] == 5
    assert d["target_seconds"] == [30.0, 60.0]


def test_to_dict_star_for_star_question():
    words = words_from("At my previous job I fixed it. As a result it worked.")
    a = analyze(make_question(star=True), 8.0, words, [Span(0.0, 4.2)])
    assert a.to_dict()["rubric"]["star"] == {
        "situation": True,
        "task": False,
        "action": True,
        "result": True,
    }
    assert a.verdicts.star == "missing STAR part(s): task"


def test_no_words_is_an_unanswered_analysis():
    a = analyze(make_question(), 5.0, [], [Span(1.0, 2.0)])
    assert not a.answered
    assert a.words == [] and a.transcript == ""
    assert a.response_latency_s is None
    assert a.answer_s == 0.0
    assert a.words_per_minute is None and a.articulation_wpm is None
    assert a.pauses == [] and a.long_pauses == [] and a.fillers == []
    assert a.rubric.coverage == 0.0
    assert a.verdicts == Verdicts(answer="no speech was heard")
    d = a.to_dict()
    assert d["words"] == [] and d["response_latency_s"] is None and d["answer_s"] == 0.0


def evenly(n: int, start: float, end: float) -> list[Word]:
    """n content words filling [start, end) back to back."""
    step = (end - start) / n
    vocab = ["models", "learn", "patterns", "from", "data", "and", "generalize", "well"]
    return [Word(vocab[i % len(vocab)], start + i * step, start + (i + 1) * step) for i in range(n)]


@pytest.mark.parametrize(
    "n,target,pace,length",
    [
        (
            20,
            (5.0, 8.0),
            "slow: 120 words a minute (aim for 130-160)",
            "long: 10 s against a target of 5-8 s; tighten it",
        ),
        (25, (10.0, 20.0), "good: 150 words a minute", "on target: 10 s within 10-20 s"),
        (
            30,
            (12.0, 20.0),
            "fast: 180 words a minute (aim for 130-160); slow down",
            "short: 10 s against a target of 12-20 s; say more",
        ),
    ],
)
def test_pace_and_length_verdicts(n, target, pace, length):
    # one unbroken speech span from 2 s to 12 s: answer 10 s, no pauses
    a = analyze(make_question(target=target), 14.0, evenly(n, 2.0, 12.0), [Span(2.0, 12.0)])
    assert a.answer_s == 10.0
    assert a.words_per_minute == n * 6.0
    assert a.articulation_wpm == n * 6.0  # no gaps to take out
    assert a.verdicts.pace == pace
    assert a.verdicts.length == length
    assert a.verdicts.latency == "quick start: 2.0 s"
    assert a.verdicts.pauses == "no long pauses"
    assert a.verdicts.fillers == "few fillers (0)"


def test_latency_verdicts():
    late = analyze(make_question(), 20.0, evenly(4, 5.0, 7.0), [Span(5.0, 7.0)])
    assert late.verdicts.latency == (
        "took 5.0 s to start; a short framing sentence buys thinking time"
    )
    very_late = analyze(make_question(), 20.0, evenly(4, 9.0, 11.0), [Span(9.0, 11.0)])
    assert very_late.verdicts.latency == "long wait of 9.0 s before answering"


def test_heard_filled_pauses_and_breaks_inform_the_lexical_rules():
    """Whisper wrote "I mean since then" and "So I rushed"; the audio held an "um" after "mean"
    and a short silence after "So": both are lexical fillers then."""
    words = words_from("It failed. I mean since then I check. So I rushed it.")
    speech = [Span(0.0, 4.6)]
    plain = analyze(make_question(), 6.0, words, speech)
    assert [f.text for f in plain.fillers] == []
    heard = [Filler("um", 1.3, 1.6, "filled_pause")]  # over "mean" (1.05-1.35) and "since"
    brk = [Span(3.1, 3.2)]  # between "So" (2.8-3.1) and "I" (3.15-3.45)
    a = analyze(make_question(), 6.0, words, speech, heard, breaks=brk)
    assert [(f.text, f.kind) for f in a.fillers] == [
        ("i mean", "lexical"),
        ("um", "filled_pause"),
        ("so", "lexical"),
    ]
    assert [w.text for w in a.words if w.filler] == ["I", "mean", "um", "So"]
