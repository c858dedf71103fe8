"""wavfile.WavAppender: a valid WAV on disk after every append, before close."""

from __future__ import annotations

import os
import stat

import numpy as np
import pytest
import soundfile

from voice_interviewer.errors import SessionError
from voice_interviewer.speech.wavfile import WavAppender


def test_valid_after_every_append_before_close(tmp_path):
    path = tmp_path / "answer.wav"
    wav = WavAppender(path)
    try:
        info = soundfile.info(path)  # the header is there before any audio
        assert (info.frames, info.samplerate, info.channels) == (0, 16000, 1)
        assert info.subtype == "PCM_16"
        total = 0
        for n in (512, 100, 1600):
            wav.append(np.full(n, 0.5, dtype=np.float32))
            total += n
            assert wav.frames == total
            data, rate = soundfile.read(path, dtype="float32")
            assert rate == 16000 and data.shape == (total,)
        np.testing.assert_allclose(data, 0.5, atol=1 / 32768)
    finally:
        wav.close()
    assert soundfile.info(path).frames == 2212


def test_file_mode_is_0600(tmp_path):
    path = tmp_path / "private.wav"
    with WavAppender(path):
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_samples_are_clipped_and_scaled(tmp_path):
    path = tmp_path / "c.wav"
    with WavAppender(path) as wav:
        wav.append(np.array([2.0, -2.0, 0.0, 1.0, -1.0, 0.25], dtype=np.float32))
    data, _ = soundfile.read(path, dtype="int16")
    assert data.tolist() == [32767, -32767, 0, 32767, -32767, 8191]


def test_close_twice_is_harmless(tmp_path):
    wav = WavAppender(tmp_path / "x.wav")
    wav.close()
    wav.close()


def test_unwritable_path_is_a_session_error(tmp_path):
    with pytest.raises(SessionError, match="cannot write the recording"):
        WavAppender(tmp_path / "missing-dir" / "x.wav")
