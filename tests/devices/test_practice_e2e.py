"""End to end through real audio devices: `voice-interviewer practice` on a private PulseAudio
server.

The test plays a fixture answer into the null sink whose monitor is the default microphone once the
program says it is listening, and checks what the program heard, measured and saved.
"""

from __future__ import annotations

import json
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import soundfile as sf

from evaluation.truth import wer as _wer

pytestmark = pytest.mark.audio_devices

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "audio_fixtures" / "a04_missing-values_en-gb_190_clean"
DELAY_S = 1.0  # the candidate waits this long after the question before answering


class Practice:
    """A running `practice --jsonl` process whose events are read as they arrive. With
    ``auto_next`` (these tests' default) it goes straight on after feedback; without, it waits for
    the line the test writes."""

    def __init__(self, pulse, data_dir: Path, *args: str, auto_next: bool = True) -> None:
        cmd = [
            sys.executable,
            "-m",
            "voice_interviewer",
            "practice",
            "--jsonl",
            "--probes",  # one answer a question: the probes have their own tests (issue 25)
            "0",
            "--data-dir",
            str(data_dir),
            *args,
            *(["--auto-next"] if auto_next else []),
        ]
        self.proc = subprocess.Popen(
            cmd,
            env=pulse.env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.events: queue.Queue[dict] = queue.Queue()
        self.seen: list[dict] = []
        self.stdout_junk: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            try:
                self.events.put(json.loads(line))
            except json.JSONDecodeError:
                self.stdout_junk.append(line)

    def wait_for(self, name: str, timeout: float = 120.0) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                event = self.events.get(timeout=0.5)
            except queue.Empty:
                if self.proc.poll() is not None and self.events.empty():
                    break
                continue
            self.seen.append(event)
            if event["event"] == name:
                return event
        raise AssertionError(
            f"no {name!r} event; saw {[e['event'] for e in self.seen]}; "
            f"stderr: {self.stderr()[-2000:]}"
        )

    def finish(self, timeout: float = 60.0) -> int:
        try:
            self.proc.wait(timeout=timeout)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
        return self.proc.returncode

    def stderr(self) -> str:
        if self.proc.poll() is None:
            return ""
        return self.proc.stderr.read()


def _truth() -> dict:
    return json.loads(FIXTURE.with_suffix(".json").read_text())


def _room_noise(seconds: float):
    """A live microphone's noise floor (about -50 dBFS): not speech, but not a muted input
    either."""
    import numpy as np

    return np.random.default_rng(0).normal(0.0, 0.003, int(seconds * 16000)).astype(np.float32)


def _review(pulse, data_dir: Path) -> dict:
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "voice_interviewer",
            "review",
            "last",
            "--json",
            "--data-dir",
            str(data_dir),
        ],
        env=pulse.env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


def test_practice_session_through_real_devices(pulse_server, tmp_path):
    truth = _truth()
    p = Practice(
        pulse_server, tmp_path, "-q", truth["question_id"], "--end-silence", "4", "--wait", "15"
    )
    q = p.wait_for("question")
    assert q["id"] == truth["question_id"]
    listening = p.wait_for("listening", timeout=60)
    time.sleep(DELAY_S)
    player = pulse_server.play_into_mic(FIXTURE.with_suffix(".flac"), wait=False)
    start = p.wait_for("speech_start")
    end = p.wait_for("answer_end", timeout=90)
    feedback = p.wait_for("feedback", timeout=30)
    saved = p.wait_for("session_saved", timeout=30)
    player.wait(timeout=30)
    assert p.finish() == 0, p.stderr()
    assert not p.stdout_junk, f"non-JSON on stdout: {p.stdout_junk[:3]}"

    assert end["reason"] == "silence"
    a = feedback["analysis"]
    # Feedback comes quickly after the end-of-answer decision: only the last stretch was left.
    assert feedback["t"] - end["t"] < 3.0
    assert (
        _wer(truth["reference_text"], " ".join(w["text"] for w in a["words"] if not w["filler"]))
        <= 0.2
    )
    expected_latency = DELAY_S + truth["speech_start"]
    assert abs(a["response_latency_s"] - expected_latency) <= 0.4, (
        a["response_latency_s"],
        expected_latency,
    )
    assert abs(start["at_s"] - expected_latency) <= 0.4
    assert listening["t"] <= start["t"] <= end["t"]
    offset = (
        a["response_latency_s"] - truth["speech_start"]
    )  # where the fixture started in the recording
    for tp in truth["pauses"]:
        if tp["end"] - tp["start"] >= 1.0:
            assert any(
                min(p_["end"], tp["end"] + offset) - max(p_["start"], tp["start"] + offset)
                > 0.5 * (tp["end"] - tp["start"])
                for p_ in a["pauses"]
            ), f"pause {tp} not found in {a['pauses']}"
    truth_filled = [f for f in truth["fillers"] if f["kind"] == "filled_pause"]
    found_filled = [f for f in a["fillers"] if f["kind"] == "filled_pause"]
    hits = sum(
        any(abs(f["start"] - (t["start"] + offset)) <= 0.3 for f in found_filled)
        for t in truth_filled
    )
    assert hits >= len(truth_filled) - 1, (truth_filled, found_filled)

    session = _review(pulse_server, tmp_path)
    assert session["id"] == saved["session_id"]
    assert session["status"] == "complete"
    (answer,) = session["answers"]
    assert answer["status"] == "answered"
    assert answer["analysis"]["transcript"] == a["transcript"]
    wav = Path(answer["wav_path"])
    info = sf.info(str(wav))
    assert info.samplerate == 16000 and info.channels == 1
    assert abs(info.duration - a["duration_s"]) < 0.1
    assert wav.stat().st_mode & 0o777 == 0o600


def test_question_is_spoken_and_answer_starts_when_it_ends(pulse_server, tmp_path):
    """Speaking the question: it reaches the speaker, and recording starts when playback ends."""
    # Noise until killed below (a slow start on a busy machine must not meet a silent mic).
    noise = pulse_server.play_into_mic(_room_noise(90), wait=False)
    p = Practice(pulse_server, tmp_path, "-q", "overfitting", "--wait", "3", "--no-cue")
    speaker_wav = tmp_path / "speaker.wav"
    rec = pulse_server.start_speaker_recording(speaker_wav)  # until the session is saved
    q = p.wait_for("question", timeout=60)
    listening = p.wait_for("listening", timeout=60)
    end = p.wait_for("answer_end", timeout=30)
    p.wait_for("session_saved", timeout=30)
    assert p.finish() == 0, p.stderr()
    time.sleep(1.0)  # parecord may lag behind on a busy machine
    audio, rate = pulse_server.stop_recording(rec, speaker_wav)
    noise.kill()
    assert end["reason"] == "no_answer"
    loud = abs(audio) > 0.02
    assert loud.any(), "the question was not played on the speaker"
    spoken_s = (loud.nonzero()[0][-1] - loud.nonzero()[0][0]) / rate
    assert spoken_s > 1.5  # "What is overfitting, and how can it be mitigated?" takes a few seconds
    assert listening["t"] - q["t"] >= spoken_s - 0.5


def test_after_feedback_it_waits_for_r_or_enter(pulse_server, tmp_path):
    """Issue 25: r then Enter asks the same question again, Enter goes on; both attempts saved."""
    noise = pulse_server.play_into_mic(_room_noise(60), wait=False)
    p = Practice(
        pulse_server, tmp_path, "-q", "overfitting", "--no-speak", "--wait", "2", auto_next=False
    )
    assert p.wait_for("answer_end")["reason"] == "no_answer"
    waiting = p.wait_for("waiting")
    assert waiting["id"] == "overfitting" and waiting["attempt"] == 1 and waiting["last"]
    p.proc.stdin.write("r\n")
    p.proc.stdin.flush()
    assert p.wait_for("question")["id"] == "overfitting"  # asked again
    assert p.wait_for("answer_end")["reason"] == "no_answer"
    assert p.wait_for("waiting")["attempt"] == 2
    p.proc.stdin.write("\n")
    p.proc.stdin.flush()
    p.wait_for("session_saved")
    assert p.finish() == 0, p.stderr()
    noise.kill()
    session = _review(pulse_server, tmp_path)
    assert [(a["question_id"], a["attempt"]) for a in session["answers"]] == [
        ("overfitting", 1),
        ("overfitting", 2),
    ]


def test_no_answer_times_out(pulse_server, tmp_path):
    noise = pulse_server.play_into_mic(_room_noise(20), wait=False)
    p = Practice(
        pulse_server, tmp_path, "-q", "overfitting", "-q", "failure", "--no-speak", "--wait", "2"
    )
    assert p.wait_for("answer_end")["reason"] == "no_answer"
    assert p.wait_for("question")["id"] == "failure"  # the loop moves on
    assert p.wait_for("answer_end")["reason"] == "no_answer"
    p.wait_for("session_saved")
    assert p.finish() == 0
    noise.kill()
    session = _review(pulse_server, tmp_path)
    assert [a["status"] for a in session["answers"]] == ["unanswered", "unanswered"]


def test_enter_ends_the_answer(pulse_server, tmp_path):
    truth = _truth()
    p = Practice(pulse_server, tmp_path, "-q", truth["question_id"], "--no-speak", "--wait", "15")
    p.wait_for("listening")
    player = pulse_server.play_into_mic(FIXTURE.with_suffix(".flac"), wait=False)
    p.wait_for("speech_start")
    time.sleep(6)
    p.proc.stdin.write("\n")
    p.proc.stdin.flush()
    t_enter = time.time()
    end = p.wait_for("answer_end", timeout=10)
    assert end["reason"] == "enter"
    assert end["t"] - t_enter < 1.0
    feedback = p.wait_for("feedback", timeout=30)
    assert (
        feedback["analysis"]["answer_s"] < truth["answer_s"] - 5
    )  # cut short, not the full answer
    assert feedback["analysis"]["word_count"] > 5
    p.wait_for("session_saved")
    player.kill()
    assert p.finish() == 0


def test_ctrl_c_mid_answer_keeps_the_partial_answer(pulse_server, tmp_path):
    truth = _truth()
    p = Practice(pulse_server, tmp_path, "-q", truth["question_id"], "-q", "failure", "--no-speak")
    p.wait_for("listening")
    player = pulse_server.play_into_mic(FIXTURE.with_suffix(".flac"), wait=False)
    p.wait_for("speech_start")
    time.sleep(8)
    p.proc.send_signal(signal.SIGINT)
    saved = p.wait_for("session_saved", timeout=60)
    code = p.finish()
    player.kill()
    assert code == 130
    session = _review(pulse_server, tmp_path)
    assert session["id"] == saved["session_id"]
    assert session["status"] == "interrupted"
    (answer,) = session["answers"]  # the second question was never asked
    assert answer["status"] == "interrupted"
    assert answer["analysis"] is not None and answer["analysis"]["word_count"] >= 5
    assert sf.info(answer["wav_path"]).duration >= 8


def test_muted_microphone_is_reported(pulse_server, tmp_path):
    """Nothing at all reaches the microphone (exact digital silence): say what to check."""
    p = Practice(pulse_server, tmp_path, "-q", "overfitting", "--no-speak", "--wait", "2")
    assert p.wait_for("answer_end")["reason"] == "no_answer"
    assert p.finish() != 0
    last = p.stderr().strip().splitlines()[-1]
    assert last.startswith("Error:") and "unmuted" in last, last


def test_unknown_input_device_is_one_line_error(pulse_server, tmp_path):
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "voice_interviewer",
            "practice",
            "--no-speak",
            "--data-dir",
            str(tmp_path),
            "--input-device",
            "no-such-microphone",
        ],
        env=pulse_server.env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode != 0
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error:") and "no-such-microphone" in lines[0], (
        out.stderr
    )


def test_no_audio_server_is_one_line_error(tmp_path):
    """Without any sound server or card, PortAudio has no devices: say so, no traceback."""
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("PULSE")}
    env["PULSE_SERVER"] = f"unix:{tmp_path}/nothing-listens-here"
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "voice_interviewer",
            "practice",
            "--no-speak",
            "--data-dir",
            str(tmp_path),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode != 0
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error:"), out.stderr
    assert "Traceback" not in out.stderr


def _cli(pulse, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "voice_interviewer", *args],
        env=pulse.env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_devices_lists_the_virtual_devices(pulse_server):
    out = _cli(pulse_server, "devices", "--json")
    assert out.returncode == 0, out.stderr
    devices = json.loads(out.stdout)
    assert any(d["max_input_channels"] > 0 and d["is_default_input"] for d in devices)
    assert any(d["max_output_channels"] > 0 and d["is_default_output"] for d in devices)


def test_check_hears_speech_and_reports_a_silent_microphone(pulse_server):
    player = pulse_server.play_into_mic(FIXTURE.with_suffix(".flac"), wait=False)
    time.sleep(1.5)  # into the answer's speech
    out = _cli(pulse_server, "check", "--json", "--seconds", "3")
    player.kill()
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["speech_heard"] is True and result["rms_dbfs"] > -50
    time.sleep(1.0)
    out = _cli(pulse_server, "check", "--json", "--seconds", "2")
    assert out.returncode != 0  # nothing plays: exact digital silence
    assert (
        out.stderr.strip()
        .splitlines()[-1]
        .startswith("Error: the microphone recorded only silence")
    )


def test_demo_runs_a_whole_session(pulse_server, tmp_path):
    """The demo on the virtual devices: questions spoken, bundled answers fed in real time."""
    out = _cli(pulse_server, "demo", "--jsonl", "--data-dir", str(tmp_path), timeout=240)
    assert out.returncode == 0, out.stderr[-2000:]
    events = [json.loads(line) for line in out.stdout.splitlines()]
    names = [e["event"] for e in events]
    assert names.count("question") == 2 and names.count("feedback") == 2, names
    assert names[-1] == "session_saved"
    # Order and content, not speed (benchmarks/latency.py measures how soon feedback comes): each
    # answer's end comes before its feedback, and the feedback is of a whole answer.
    ends = [i for i, n in enumerate(names) if n == "answer_end"]
    feedback = [i for i, n in enumerate(names) if n == "feedback"]
    assert len(ends) == 2 and all(a < f for a, f in zip(ends, feedback, strict=True)), names
    for e in events:
        if e["event"] == "feedback":
            assert e["analysis"]["word_count"] > 40
            assert e["decision_to_feedback_s"] >= 0
    session = _review(pulse_server, tmp_path)
    assert session["status"] == "complete"
    assert [a["status"] for a in session["answers"]] == ["answered", "answered"]
