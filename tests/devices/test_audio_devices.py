"""Audio device layer: sounddevice adapter, TTS adapter, microphone level check.

Tests marked ``audio_devices`` play and record for real through the null sinks of a private
PulseAudio server (./pulse.py): the device code runs in a subprocess with the server's env,
since sounddevice initialises PortAudio (and ALSA picks its pulse plugin) at import time. The
others are pure and need no server.
"""

from __future__ import annotations

import builtins
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from tests.conftest import skip_or_fail
from voice_interviewer.errors import DeviceError
from voice_interviewer.live import devices as audio_io
from voice_interviewer.live.devices import DeviceInfo
from voice_interviewer.live.mic_check import (
    VERDICT_CLIPPING,
    VERDICT_OK,
    VERDICT_QUIET,
    VERDICT_SILENT,
    assess_level,
)

REPO = Path(__file__).resolve().parents[2]
SR = 16000
CLIP_TEXT = "Tell me about a project you are proud of, and what you would do differently."

audio_devices = pytest.mark.audio_devices


# -- helpers ------------------------------------------------------------------------------------


def _env(pulse, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(pulse.env)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    env.update(extra or {})
    return env


def _popen(pulse, code: str, *args: str, extra_env: dict[str, str] | None = None):
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        env=_env(pulse, extra_env),
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _result(proc: subprocess.Popen, timeout: float = 60) -> dict:
    out, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, f"subprocess failed ({proc.returncode}):\n{err}"
    return json.loads(out.strip().splitlines()[-1])


def run_py(pulse, code: str, *args: str, extra_env=None, timeout: float = 60) -> dict:
    """Run ``code`` in a fresh interpreter on the harness server; it prints JSON last."""
    return _result(_popen(pulse, code, *args, extra_env=extra_env), timeout)


def _wait_ready(proc: subprocess.Popen) -> None:
    line = proc.stdout.readline()
    if line.strip() != "READY":
        proc.kill()
        _, err = proc.communicate()
        pytest.fail(f"subprocess did not get ready: {line!r}\n{err}")


def _tone(seconds: float, amplitude: float = 0.5, freq: float = 440.0, sr: int = SR) -> np.ndarray:
    t = np.arange(int(seconds * sr)) / sr
    return (amplitude * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def _envelope(x: np.ndarray, window: int = 160) -> np.ndarray:
    return np.sqrt(np.convolve(x.astype(np.float64) ** 2, np.ones(window) / window, mode="same"))


@pytest.fixture(scope="module")
def espeak_clip(tmp_path_factory) -> Path:
    if shutil.which("espeak-ng") is None:
        skip_or_fail("espeak-ng not installed (apt-get install espeak-ng)")
    path = tmp_path_factory.mktemp("clip") / "question.wav"
    subprocess.run(["espeak-ng", "-w", str(path), CLIP_TEXT], check=True, capture_output=True)
    return path


# -- (a) device listing -------------------------------------------------------------------------


@audio_devices
def test_list_devices_shows_input_and_output(pulse_server):
    result = run_py(
        pulse_server,
        """
        import dataclasses, json
        from voice_interviewer.live.devices import list_devices, resolve_device
        devices = [dataclasses.asdict(d) for d in list_devices()]
        print(json.dumps({"devices": devices, "in": resolve_device(None, "input"),
                          "out": resolve_device(None, "output")}))
        """,
    )
    devices = result["devices"]
    assert any(d["max_input_channels"] > 0 for d in devices), devices
    assert any(d["max_output_channels"] > 0 for d in devices), devices
    assert sum(d["is_default_input"] for d in devices) == 1
    assert sum(d["is_default_output"] for d in devices) == 1
    assert {d["hostapi"] for d in devices} >= {"ALSA"}
    assert result["in"] is None and result["out"] is None  # defaults exist


# -- (b) recording what the microphone hears ----------------------------------------------------

RECORD = """
    import json, sys, time
    import numpy as np, soundfile as sf
    from voice_interviewer.live.devices import Microphone, SAMPLE_RATE
    out, seconds = sys.argv[1], float(sys.argv[2])
    t0 = time.monotonic()
    with Microphone() as mic:
        open_s = time.monotonic() - t0
        print("READY", flush=True)
        blocks = []
        while len(blocks) * 512 < seconds * SAMPLE_RATE:
            block = mic.read(timeout=3.0)
            assert block is not None, "no audio from the microphone"
            blocks.append(block)
        steps = np.diff([b.adc_time for b in blocks])
        sf.write(out, np.concatenate([b.samples for b in blocks]), SAMPLE_RATE)
        print(json.dumps({"open_s": open_s, "overflows": mic.overflows,
                          "dtype": str(blocks[0].samples.dtype), "shape": blocks[0].samples.shape,
                          "step_min": float(steps.min()), "step_max": float(steps.max())}))
"""


@audio_devices
def test_microphone_records_what_is_played_into_mic(pulse_server, espeak_clip, tmp_path):
    clip, clip_sr = sf.read(str(espeak_clip), dtype="float32")
    out = tmp_path / "recorded.wav"
    proc = _popen(pulse_server, RECORD, str(out), str(len(clip) / clip_sr + 2.5))
    _wait_ready(proc)
    pulse_server.play_into_mic(espeak_clip)
    info = _result(proc)
    print("microphone open took", info["open_s"])

    assert info["dtype"] == "float32" and info["shape"] == [audio_io.BLOCK_SIZE]
    assert info["overflows"] == 0
    block_s = audio_io.BLOCK_SIZE / SR  # ADC times advance by one block per block
    assert block_s - 0.005 < info["step_min"] <= info["step_max"] < block_s + 0.005
    recorded, rec_sr = sf.read(str(out), dtype="float32")
    assert rec_sr == SR
    # Resample the clip to 16 kHz and find it in the recording by normalised cross-correlation.
    ref = np.interp(np.arange(0, len(clip) / clip_sr, 1 / SR), np.arange(len(clip)) / clip_sr, clip)
    n = len(recorded) + len(ref)
    corr = np.fft.irfft(np.fft.rfft(recorded, n) * np.conj(np.fft.rfft(ref, n)), n)
    lag = int(np.argmax(corr[: len(recorded) - len(ref) + 1]))
    segment = recorded[lag : lag + len(ref)]
    score = corr[lag] / (np.linalg.norm(ref) * np.linalg.norm(segment) + 1e-12)
    assert score > 0.6, f"clip not found in the recording (correlation {score:.2f})"
    rms_in = np.sqrt(np.mean(segment**2))
    rms_out = np.sqrt(np.mean(np.concatenate([recorded[:lag], recorded[lag + len(ref) :]]) ** 2))
    assert rms_in > 0.02 and rms_out < rms_in / 20


# -- (c) play() end time and microphone ADC times share one clock -------------------------------

ALIGN = """
    import json, time
    import numpy as np
    from voice_interviewer.live.devices import Microphone, play
    sr, lead, tone_s, delay = 16000, 0.5, 1.0, 0.4
    t = np.arange(int(tone_s * sr)) / sr
    audio = np.concatenate([np.zeros(int(lead * sr)), 0.5 * np.sin(2 * np.pi * 440 * t)])
    t0 = time.monotonic()
    mic = Microphone().open()
    open_s = time.monotonic() - t0
    time.sleep(delay)  # a known delay between opening the microphone and speaking
    t0 = time.monotonic()
    end = play(audio.astype(np.float32), sr)
    play_s = time.monotonic() - t0
    after = mic.stream_time()
    blocks = []
    while not blocks or blocks[-1].adc_time < end + 0.5:
        block = mic.read(timeout=3.0)
        assert block is not None, "no audio from the microphone"
        blocks.append(block)
    mic.close()
    x = np.concatenate([b.samples for b in blocks])
    times = np.concatenate([b.adc_time + np.arange(len(b.samples)) / sr for b in blocks])
    env = np.sqrt(np.convolve(x.astype(float) ** 2, np.ones(160) / 160, mode="same"))
    loud = np.flatnonzero(env > 0.15)  # the tone's RMS is 0.35
    answer = x[times >= end]  # the recording cut at the end of playback
    print(json.dumps({"end": end, "after": after, "onset": times[loud[0]],
                      "offset": times[loud[-1]], "open_s": open_s, "play_s": play_s,
                      "answer_rms": float(np.sqrt(np.mean(answer[: sr // 2] ** 2))),
                      "before_peak": float(np.abs(x[times < end][-sr // 2 :]).max())}))
"""


@audio_devices
def test_play_end_time_aligns_with_microphone_adc_time(pulse_server):
    # PULSE_SINK=mic: play() goes into the sink the microphone (mic.monitor) listens to, so the
    # recording shows where the tone really is on the input stream's clock.
    r = run_py(pulse_server, ALIGN, extra_env={"PULSE_SINK": "mic"})
    print(
        f"open {r['open_s']:.3f}s play {r['play_s']:.3f}s; offset error "
        f"{r['offset'] - r['end']:+.4f}s onset error {r['onset'] - (r['end'] - 1.0):+.4f}s; "
        f"stream_time after play - end {r['after'] - r['end']:+.4f}s"
    )
    assert abs(r["offset"] - r["end"]) < 0.1  # the tone stops where play() says playback ended
    assert abs(r["onset"] - (r["end"] - 1.0)) < 0.1  # ... and started 1 s earlier
    assert -0.02 < r["after"] - r["end"] < 0.3  # play() returned once playback was over
    assert 1.5 <= r["play_s"] < 4.0
    assert r["before_peak"] > 0.3  # the cut keeps the tone before the end ...
    # ... and none of it after: the tone's RMS is 0.35; RMS, not the peak, because a lone click
    # from another stream on the shared server (0.17 once in a full run) is not the tone.
    assert r["answer_rms"] < 0.05


@audio_devices
def test_play_reaches_the_default_sink(pulse_server):
    recorded: dict[str, tuple[np.ndarray, int]] = {}
    recorder = threading.Thread(
        target=lambda: recorded.setdefault("speaker", pulse_server.record_speaker(4.0))
    )
    recorder.start()
    time.sleep(0.3)
    run_py(
        pulse_server,
        """
        import json, numpy as np
        from voice_interviewer.live.devices import play
        t = np.arange(22050) / 22050
        print(json.dumps({"end": play((0.5 * np.sin(2 * np.pi * 440 * t)).astype("float32"),
                                      22050)}))
        """,
    )
    recorder.join()
    samples, rate = recorded["speaker"]
    loud = np.count_nonzero(_envelope(samples) > 0.15) / rate
    assert 0.9 < loud < 1.1, f"expected 1 s of tone on speaker.monitor, heard {loud:.2f}s"


@audio_devices
def test_play_is_ctrl_c_safe(pulse_server):
    proc = _popen(
        pulse_server,
        """
        import json, time
        import numpy as np
        from voice_interviewer.live.devices import play
        print("READY", flush=True)
        t0 = time.monotonic()
        try:
            play(np.full(16000 * 10, 0.1, np.float32), 16000)
            interrupted = None
        except KeyboardInterrupt:
            interrupted = time.monotonic() - t0
        end = play(np.zeros(1600, np.float32), 16000)  # the device is free again
        print(json.dumps({"interrupted_after": interrupted, "end": end}))
        """,
    )
    _wait_ready(proc)
    time.sleep(1.0)
    proc.send_signal(signal.SIGINT)
    result = _result(proc, timeout=15)
    assert result["interrupted_after"] is not None and result["interrupted_after"] < 3.0


# -- (d) speech synthesis -----------------------------------------------------------------------


def _synthesizer():
    from voice_interviewer.live.tts import SpeechSynthesizer

    synth = SpeechSynthesizer()
    try:
        synth.list_voices()
    except DeviceError as exc:
        skip_or_fail(str(exc))
    return synth


def test_synthesize_returns_audio_and_prints_nothing(capfd):
    synth = _synthesizer()
    capfd.readouterr()
    first, sr = synth.synthesize("Why do you want to work here?")
    second, sr2 = synth.synthesize("Describe a difficult bug you fixed.", rate=150)
    out, _ = capfd.readouterr()
    assert out == "", f"synthesis wrote to stdout: {out!r}"
    print("still printing")  # stdout (fd 1 and sys.stdout) is restored afterwards
    assert capfd.readouterr().out == "still printing\n"

    for audio, rate in ((first, sr), (second, sr2)):
        assert audio.dtype == np.float32 and audio.ndim == 1
        assert 8000 <= rate <= 48000
        assert 0.8 < len(audio) / rate < 8.0
        assert 0.05 < np.abs(audio).max() <= 1.0


def test_synthesize_voice_selection():
    synth = _synthesizer()
    voices = synth.list_voices()
    assert voices and all(isinstance(v, str) and isinstance(n, str) for v, n in voices)
    voice_id, name = voices[0]
    assert synth.resolve_voice(voice_id) == voice_id
    assert synth.resolve_voice(name.upper()) == voice_id
    audio, _ = synth.synthesize("Hello.", voice=voice_id)
    assert audio.size > 0
    with pytest.raises(DeviceError) as err:
        synth.synthesize("Hello.", voice="no-such-voice-xyz")
    assert "\n" not in str(err.value) and "no-such-voice-xyz" in str(err.value)


# -- (e) device errors --------------------------------------------------------------------------


@audio_devices
def test_device_errors_are_one_line(pulse_server):
    result = run_py(
        pulse_server,
        """
        import json
        import numpy as np
        from voice_interviewer.live.devices import Microphone, play, resolve_device
        from voice_interviewer.errors import DeviceError
        attempts = {
            "unknown name": lambda: resolve_device("no-such-device", "input"),
            "bad index": lambda: Microphone(device=99).open(),
            "bad index string": lambda: resolve_device("99", "output"),
            "input rate": lambda: Microphone(samplerate=10_000_000).open(),
            "output rate": lambda: play(np.zeros(10, np.float32), 10_000_000),
        }
        errors = {}
        for what, attempt in attempts.items():
            try:
                attempt()
                errors[what] = None
            except DeviceError as exc:
                errors[what] = str(exc)
        print(json.dumps(errors))
        """,
    )
    for what, message in result.items():
        assert message, f"{what}: no DeviceError"
        assert "\n" not in message, message
    assert result["unknown name"].startswith("no input device matches 'no-such-device'")
    assert "default" in result["unknown name"]  # lists the candidates
    assert "99" in result["bad index"] and "--input-device" in result["bad index"]
    assert "--output-device" in result["bad index string"]
    assert "does not support 10000000 Hz" in result["input rate"]
    assert "does not support 10000000 Hz" in result["output rate"]


def _fake_devices(monkeypatch, devices: list[DeviceInfo]) -> None:
    monkeypatch.setattr(audio_io, "list_devices", lambda: devices)


def _dev(index, name, ins=2, outs=2, default_in=False, default_out=False) -> DeviceInfo:
    return DeviceInfo(index, name, "ALSA", ins, outs, 44100.0, default_in, default_out)


def test_resolve_device_without_any_device(monkeypatch):
    _fake_devices(monkeypatch, [])
    with pytest.raises(DeviceError) as err:
        audio_io.resolve_device(None, "input")
    assert str(err.value) == (
        "no input device found: plug in a microphone or pick one with --input-device "
        "(see `voice-interviewer devices`)"
    )
    with pytest.raises(DeviceError, match="^no output device found"):
        audio_io.resolve_device(None, "output")


def test_resolve_device_by_index_and_name(monkeypatch):
    devices = [
        _dev(0, "HDA Intel PCH: ALC257 Analog (hw:0,0)", default_in=True, default_out=True),
        _dev(1, "HDMI 0 (hw:0,3)", ins=0),
        _dev(2, "USB Headset: Audio (hw:1,0)"),
        _dev(3, "pulse"),
        _dev(4, "pulse monitor"),
    ]
    _fake_devices(monkeypatch, devices)
    assert audio_io.resolve_device(None, "input") is None
    assert audio_io.resolve_device("2", "input") == 2
    assert audio_io.resolve_device(" usb ", "input") == 2
    assert audio_io.resolve_device("PULSE", "input") == 3  # an exact name beats substrings
    assert audio_io.resolve_device("hdmi", "output") == 1
    with pytest.raises(DeviceError, match="has no input channels"):
        audio_io.resolve_device("1", "input")
    with pytest.raises(DeviceError, match="no input device matches 'hdmi'"):
        audio_io.resolve_device("hdmi", "input")
    with pytest.raises(DeviceError, match=r"'hw:' matches several input devices \(0: HDA"):
        audio_io.resolve_device("hw:", "input")
    with pytest.raises(DeviceError, match="no audio device number 7"):
        audio_io.resolve_device("7", "output")


def test_missing_portaudio_is_a_device_error(monkeypatch):
    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name == "sounddevice":
            raise OSError("PortAudio library not found")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    with pytest.raises(DeviceError) as err:
        audio_io.list_devices()
    assert str(err.value) == (
        "PortAudio library not found: install it with `sudo apt-get install libportaudio2`"
    )


# -- (f) level check ----------------------------------------------------------------------------


def test_assess_level_verdicts():
    rng = np.random.default_rng(0)
    silence = assess_level(np.zeros(SR * 2, np.float32), SR)
    assert silence.verdict == VERDICT_SILENT and silence.verdict.startswith("silent")
    assert silence.rms_dbfs == silence.peak_dbfs == -120.0 and silence.seconds == 2.0

    hiss = assess_level(rng.normal(0, 10 ** (-70 / 20), SR).astype(np.float32), SR)
    assert hiss.verdict == VERDICT_SILENT  # a muted or unplugged microphone's noise floor

    faint = assess_level(rng.normal(0, 10 ** (-50 / 20), SR).astype(np.float32), SR)
    assert faint.verdict == VERDICT_QUIET and faint.verdict.startswith("too quiet")
    assert abs(faint.rms_dbfs + 50) < 0.5

    speech_level = assess_level(rng.normal(0, 10 ** (-25 / 20), SR * 3).astype(np.float32), SR)
    assert speech_level.verdict == VERDICT_OK and speech_level.ok
    assert speech_level.clipped_fraction == 0.0

    sine = assess_level(_tone(1.0, amplitude=0.5), SR)
    assert sine.verdict == VERDICT_OK
    assert abs(sine.rms_dbfs - (-9.03)) < 0.05 and abs(sine.peak_dbfs - (-6.02)) < 0.05

    clipped = assess_level(np.clip(_tone(1.0, amplitude=2.0), -1.0, 1.0), SR)
    assert clipped.verdict == VERDICT_CLIPPING and clipped.verdict.startswith("clipping")
    assert clipped.clipped_fraction > 0.5 and clipped.peak_dbfs == 0.0

    assert assess_level(np.zeros(0, np.float32), SR).verdict == VERDICT_SILENT


@audio_devices
def test_record_check_through_the_microphone(pulse_server):
    code = """
        import json
        from voice_interviewer.live.mic_check import record_check
        samples, report = record_check(seconds=1.0)
        print(json.dumps({"n": len(samples), "verdict": report.verdict, "rms": report.rms_dbfs}))
    """
    quiet = run_py(pulse_server, code)
    assert quiet["n"] == SR and quiet["verdict"] == VERDICT_SILENT

    player = pulse_server.play_into_mic(_tone(4.0, amplitude=0.1), wait=False)
    try:
        time.sleep(0.5)
        loud = run_py(pulse_server, code)
    finally:
        player.wait(timeout=20)
    assert loud["verdict"] == VERDICT_OK, loud
    assert abs(loud["rms"] - (-23.0)) < 3.0


@audio_devices
def test_in_process_use_through_activate(pulse_server):
    with pulse_server.activate():
        devices = audio_io.list_devices()
        assert any(d.is_default_input for d in devices)
        with audio_io.Microphone() as mic:
            block = mic.read(timeout=3.0)
            assert block is not None and block.samples.shape == (audio_io.BLOCK_SIZE,)
            assert abs(mic.stream_time() - block.adc_time) < 1.0
