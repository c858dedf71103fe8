"""Messages say what they mean (issue 14 item 6): numbers judged as shown, words joined as written,
unknown commands named, scripts told why a score failed, ALSA kept off the terminal."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

import voice_interviewer.cli.score as score_command
from voice_interviewer import cli
from voice_interviewer.errors import NoSpeechError
from voice_interviewer.live.feedback import feedback_lines
from voice_interviewer.scoring.analysis import Analysis
from voice_interviewer.scoring.analyze import analyze
from voice_interviewer.speech.timeline import Span, Word, join_words
from voice_interviewer.wording import plural, whole

from .test_analysis import evenly, make_question


def run(capsys, argv):
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err.splitlines()


# ---------------------------------------------------------------- unknown command


def test_unknown_command_is_one_line_with_a_suggestion(capsys):
    code, out, err = run(capsys, ["sesions"])
    assert code == 2 and out == ""
    assert err == [
        "Error: unknown command 'sesions'; did you mean 'sessions'? "
        "(`voice-interviewer --help` lists the commands)"
    ]


def test_unknown_command_without_a_close_one(capsys):
    code, out, err = run(capsys, ["zzzzzz", "--json"])
    assert code == 2 and len(err) == 1
    assert "unknown command 'zzzzzz'" in err[0] and "did you mean" not in err[0]


def test_known_commands_and_help_still_parse(capsys):
    code, out, _ = run(capsys, ["questions", "--json"])
    assert code == 0 and json.loads(out)[0]["id"]
    with pytest.raises(SystemExit) as exc:
        cli.main(["--version"])
    assert exc.value.code == 0


@pytest.mark.parametrize("command", ["questions", "devices", "check", "score", "report"])
def test_every_command_help_has_a_description(capsys, command):
    with pytest.raises(SystemExit):
        cli.main([command, "--help"])
    out = capsys.readouterr().out
    usage, _, rest = out.partition("\n\n")
    first_paragraph = rest.split("\n\n")[0]
    assert not first_paragraph.startswith(("positional", "options")), out


# ---------------------------------------------------------------- score --json without speech


class _DeafScorer:
    def __init__(self, *a, **k):
        pass

    def score_recording(self, audio, question, name, progress=None):
        raise NoSpeechError(f"{name}: no speech (nothing was said, or only noise)")


def test_score_json_without_speech_prints_the_reason(capsys, monkeypatch, tmp_path):
    import numpy as np
    import soundfile as sf

    import voice_interviewer.scoring.scorer as scorer_module

    wav = tmp_path / "silence.wav"
    sf.write(wav, np.zeros(16000, dtype=np.float32), 16000)
    monkeypatch.setattr(score_command, "load_transcriber", lambda model, console: object())
    monkeypatch.setattr(scorer_module, "Scorer", _DeafScorer)
    code, out, err = run(capsys, ["score", str(wav), "-q", "overfitting", "--json"])
    assert code == 1
    data = json.loads(out)
    assert data["error"] == "no_speech" and data["audio"] == str(wav)
    assert data["question"] == {"id": "overfitting"}
    assert "no speech" in data["message"]
    assert err == [f"Error: {wav}: no speech (nothing was said, or only noise)"]


# ---------------------------------------------------------------- numbers judged as shown


def test_whole_is_the_shown_number():
    assert whole(129.7) == 130 and whole(129.4) == 129 and f"{whole(59.6)}" == "60"


def test_pace_verdict_judges_the_number_it_shows():
    # 2 words short of 130 wpm over 60 s would be 128; 129.7 wpm is 64.85 words in 30 s: build
    # 173 words over 80 s = 129.75 wpm.
    a = analyze(
        make_question(target=(60.0, 120.0)), 82.0, evenly(173, 1.0, 81.0), [Span(1.0, 81.0)]
    )
    assert 129.5 <= a.words_per_minute < 130
    assert a.verdicts.pace == "good: 130 words a minute"
    lines = feedback_lines(Analysis.from_dict(a.to_dict()))
    assert "Your pace was 130 words a minute: a good pace." in lines


def test_length_verdict_judges_the_number_it_shows():
    a = analyze(
        make_question(target=(60.0, 120.0)), 62.0, evenly(150, 1.0, 60.6), [Span(1.0, 60.6)]
    )
    assert 59.5 <= a.answer_s < 60
    assert a.verdicts.length == "on target: 60 s within 60-120 s"
    assert feedback_lines(Analysis.from_dict(a.to_dict()))[0].startswith(
        "You spoke for 60 seconds (on target;"
    )


def test_plural():
    assert plural(1, "session") == "1 session" and plural(2, "session") == "2 sessions"
    assert plural(0, "analysis", "analyses") == "0 analyses"


# ---------------------------------------------------------------- words joined as written


@pytest.mark.parametrize(
    "words,text",
    [
        (["Cross", "-validation", "helps"], "Cross-validation helps"),
        (["a", "trade", "-off", "."], "a trade-off."),
        (["trade-", "off"], "trade-off"),
        (["95", "%", "of", "it", ",", "really"], "95% of it, really"),
        (["a", "-", "b"], "a - b"),
        (["one", "—", "two"], "one — two"),
    ],
)
def test_join_words(words, text):
    assert join_words(words) == text


def test_transcript_and_rubric_quotes_join_hyphenated_words():
    words = [
        Word(t, i * 0.4, i * 0.4 + 0.3)
        for i, t in enumerate(["I", "used", "Cross", "-validation", "for", "the", "trade", "-off"])
    ]
    a = analyze(make_question(), 5.0, words, [Span(0.0, 3.5)])
    assert a.transcript == "I used Cross-validation for the trade-off"


def test_html_transcript_keeps_a_split_word_together():
    from voice_interviewer.reports.html import transcript_html

    words = [Word("Cross", 1.0, 1.3), Word("-validation", 1.3, 1.9)]
    html = transcript_html(analyze(make_question(), 3.0, words, [Span(1.0, 1.9)]))
    assert "</span><span" in html and "</span> <span" not in html


# ---------------------------------------------------------------- ALSA kept off the terminal

_OPEN_A_MISSING_PCM = textwrap.dedent(
    """
    import ctypes, sys
    if sys.argv[1] == "quiet":
        from voice_interviewer.live.alsa_messages import alsa_message_count, quiet_alsa_messages
        assert quiet_alsa_messages()
    lib = ctypes.CDLL("libasound.so.2")
    pcm = ctypes.c_void_p()
    assert lib.snd_pcm_open(ctypes.byref(pcm), b"no_such_pcm_for_a_test", 0, 0) < 0
    if sys.argv[1] == "quiet":
        assert alsa_message_count() == 1, alsa_message_count()
    """
)


def test_alsa_messages_are_counted_not_printed():
    import ctypes.util

    if not ctypes.util.find_library("asound"):
        pytest.skip("libasound is not installed")
    run_ = lambda mode: subprocess.run(  # noqa: E731
        [sys.executable, "-c", _OPEN_A_MISSING_PCM, mode], capture_output=True, text=True
    )
    loud, quiet = run_("loud"), run_("quiet")
    assert loud.returncode == 0 and "ALSA lib" in loud.stderr  # the probe really makes ALSA talk
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stderr == ""


def test_alsa_messages_shown_when_asked(monkeypatch):
    from voice_interviewer.live import alsa_messages

    monkeypatch.setattr(alsa_messages._Quieted, "installed", False)
    monkeypatch.setenv(alsa_messages.ENV_SHOW, "1")
    assert alsa_messages.quiet_alsa_messages() is False


# ---------------------------------------------------------------- check on a silent microphone


@pytest.mark.parametrize("level,shown", [(0.0, "every sample was zero"), (1e-4, "-80 dBFS")])
def test_check_on_a_silent_microphone_says_it_once(capsys, monkeypatch, level, shown):
    import numpy as np

    from voice_interviewer.live import mic_check

    samples = np.full(48000, level, dtype=np.float32)
    monkeypatch.setattr(
        mic_check, "record_check", lambda s, d: (samples, mic_check.assess_level(samples, 16000))
    )
    code = cli.main(["check", "--json"])
    out, err = capsys.readouterr()
    assert code == 1 and json.loads(out)["speech_heard"] is False
    assert err.splitlines() == [
        f"Error: the microphone recorded only silence ({shown}): check it is unmuted and plugged "
        "in, or pick another with --input-device (see `voice-interviewer devices`)"
    ]
    assert "silent" not in err
