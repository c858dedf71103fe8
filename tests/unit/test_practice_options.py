"""practice/demo options for ending an answer, the voice and the cue: parsed into the settings the
session runs with (issue 14 items 1 and 7)."""

from __future__ import annotations

import math

import pytest

from voice_interviewer.cli.app import build_parser
from voice_interviewer.cli.live_session import endpoint_params as _endpoint
from voice_interviewer.speech.endpointing import LIVE_DEFAULTS, Endpointer


def parse(*argv: str):
    return build_parser()[0].parse_args(["practice", *argv])


def test_defaults_are_the_forgiving_live_defaults():
    args = parse()
    assert _endpoint(args) == LIVE_DEFAULTS
    assert (args.end_on, args.no_cue, args.speak_feedback, args.tts) == (
        "silence",
        False,
        False,
        "auto",
    )


def test_end_on_enter_never_ends_on_silence():
    e = _endpoint(parse("--end-on", "enter", "--max-answer", "90"))
    assert e.end_silence_s == math.inf and e.grace_s == 0 and e.max_answer_s == 90
    ep = Endpointer(e)
    events = ep.push([0.9] * 30 + [0.0] * 2500)  # 80 s of silence after a word
    assert ep.ended is None and not any(type(x).__name__ == "AnswerEnded" for x in events)
    assert ep.push([0.0] * 400)[-1].reason == "max"  # only the time limit (or Enter) ends it


def test_end_silence_and_grace_options():
    e = _endpoint(parse("--end-silence", "1.5", "--grace", "0"))
    assert (e.end_silence_s, e.grace_s) == (1.5, 0.0)
    assert e.end_silence_max_s == LIVE_DEFAULTS.end_silence_max_s  # the growth still applies
    e = _endpoint(parse("--end-silence", "8"))
    assert e.end_silence_max_s == 8  # a cap never below the base


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("--grace", "-1"), "--grace"),
        (("--end-silence", "0"), "--end-silence"),
        (("--grace", "nan"), "--grace"),
        (("--probes", "-1"), "--probes"),
    ],
)
def test_bad_values_are_one_line_errors(argv, message, tmp_path, capsys):
    from voice_interviewer.cli import main

    code = main(["practice", "--data-dir", str(tmp_path), "--no-speak", *argv])
    err = capsys.readouterr().err.strip().splitlines()
    assert code != 0 and len(err) == 1 and message in err[0], err


def test_help_explains_the_new_options(capsys):
    with pytest.raises(SystemExit):
        parse("--help")
    out = " ".join(capsys.readouterr().out.split())
    for option in ("--end-on", "--grace", "--no-cue", "--speak-feedback", "--tts"):
        assert option in out
    assert "piper" in out and "pause" in out


def test_probes_default_to_one_in_practice_and_none_in_the_demo():
    demo = build_parser()[0].parse_args(["demo"])
    assert (parse().probes, demo.probes, parse("--probes", "2").probes) == (1, 0, 2)
    assert (parse().show_example, parse("--show-example").show_example) == (False, True)
