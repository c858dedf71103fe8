"""The terminal's microphone while the session waits for Next (issue 25), on real devices (the
null sinks of a private PulseAudio server, ./pulse.py).

The terminal keeps one microphone stream open for the whole session. What it captures while the
candidate reads the feedback (and before, while nobody reads it) is no answer's: it must not be
queued until the next answer (it used to pile up for as long as the candidate read, up to the
queue's 600 s cap, and the next answer's start skipped it), and audio after the wait must be
queued again.
"""

from __future__ import annotations

import pytest

from tests.devices.test_audio_devices import run_py

WAIT = """
    import json, time
    import numpy as np
    from voice_interviewer.live.devices import Microphone, play
    from voice_interviewer.live.front_end import terminal_front_end

    sr = 16000
    tone = (0.5 * np.sin(2 * np.pi * 440 * np.arange(sr) / sr)).astype(np.float32)  # RMS 0.35

    def speak():
        # The tone, played into what the microphone hears (PULSE_SINK=mic); returns its end once
        # the microphone has delivered all of it: its callback has stamped blocks past the end.
        end = play(tone, sr)
        deadline = time.monotonic() + 20
        while (mic._next_adc or 0.0) < end + 0.3 and time.monotonic() < deadline:
            time.sleep(0.02)
        return end

    class Keys:  # the candidate reads the feedback, says something, then presses Enter
        def pressed(self):
            return False

        def clear(self):
            pass

        def next_step(self):
            said["during"] = speak()
            return "next"

    said = {}
    mic = Microphone().open()
    front = terminal_front_end(mic, Keys())
    said["before"] = speak()  # while the feedback is worked out: nobody reads the microphone
    step = front.next_step()
    queued = []  # what the next answer would find waiting
    while (block := mic.read(timeout=0)) is not None:
        queued.append(block)
    said["after"] = speak()
    later = []
    while not later or later[-1].adc_time < said["after"]:
        block = mic.read(timeout=3.0)
        assert block is not None, "no audio from the microphone after the wait"
        later.append(block)
    mic.close()

    def rms(blocks):
        return [float(np.sqrt(np.mean(b.samples.astype(float) ** 2))) for b in blocks]

    print(json.dumps({"step": step, "said": said, "queued_s": len(queued) * 512 / sr,
                      "queued_adc": [b.adc_time for b in queued], "queued_rms": rms(queued),
                      "later_rms": rms(later)}))
"""


@pytest.mark.audio_devices
def test_audio_while_waiting_for_next_is_not_kept_for_the_next_answer(pulse_server):
    r = run_py(pulse_server, WAIT, extra_env={"PULSE_SINK": "mic"}, timeout=120)
    loudest = max(r["queued_rms"], default=0.0)
    print(f"queued after the wait: {r['queued_s']:.2f} s of audio, loudest block RMS {loudest:.2f}")
    assert r["step"] == "next"
    # Nothing said before or during the wait is left queued: every block waiting for the next
    # answer was captured after the tone said during the wait ...
    assert all(t > r["said"]["during"] for t in r["queued_adc"])
    assert loudest < 0.05  # ... and none of either tone is in it
    # Once the wait is over the microphone's audio is kept again.
    assert max(r["later_rms"]) > 0.2
