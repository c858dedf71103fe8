"""Offline text-to-speech through pyttsx3 (espeak-ng on Linux), rendered to a numpy array.

Speech is synthesised to a temporary WAV with ``engine.save_to_file`` + ``engine.runAndWait()``
(one engine, reused: pyttsx3's espeak driver initialises espeak once per process) and read back,
so playback goes through :func:`voice_interviewer.live.devices.play` like every other sound and
its end time is known.

pyttsx3's espeak driver announces every saved file with a Python ``print("Audio saved to ...")``
and espeak-ng itself may write to the C-level stdout. Our ``--json``/``--jsonl`` output goes to
stdout, so synthesis runs with both ``sys.stdout`` and file descriptor 1 pointed at /dev/null.
Redirecting fd 1 is process-wide: a module lock serialises synthesis, and other threads must not
write to stdout meanwhile (the CLI synthesises before printing, never concurrently).
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from voice_interviewer.errors import DeviceError

UNAVAILABLE = "speech synthesis unavailable: install espeak-ng (`sudo apt-get install espeak-ng`)"

_STDOUT_LOCK = threading.Lock()
SYNTH_TIMEOUT_S = 30.0  # longest wait for espeak to finish one text (a busy machine is slow)


@contextlib.contextmanager
def _silenced_stdout() -> Iterator[None]:
    """Send Python-level and C-level writes to stdout to /dev/null for the duration."""
    with _STDOUT_LOCK:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
        saved_fd = None
        try:
            saved_fd = os.dup(1)
        except OSError:  # no fd 1 at all (daemonised): nothing C-level to protect
            saved_fd = None
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            if saved_fd is not None:
                os.dup2(devnull, 1)
            with contextlib.redirect_stdout(io.StringIO()):
                yield
        finally:
            if saved_fd is not None:
                with contextlib.suppress(Exception):
                    sys.stdout.flush()
                os.dup2(saved_fd, 1)
                os.close(saved_fd)
            os.close(devnull)


class SpeechSynthesizer:
    """Renders text to float32 mono audio. The pyttsx3 engine is created on first use."""

    def __init__(self) -> None:
        self._engine: Any = None
        self._voices: list[tuple[str, str]] | None = None
        self._defaults: tuple[Any, Any] = (None, None)  # the engine's initial (voice, rate)
        self._lock = threading.Lock()
        # espeak renders on its own thread (AUDIO_OUTPUT_RETRIEVAL): runAndWait can return before
        # the driver has written the WAV (and printed "Audio saved to ..."); set when it has.
        self._finished = threading.Event()

    def _get_engine(self) -> Any:
        if self._engine is None:
            try:
                import pyttsx3

                with _silenced_stdout():
                    engine = pyttsx3.init()
                    engine.connect("finished-utterance", lambda **_: self._finished.set())
                    self._defaults = (engine.getProperty("voice"), engine.getProperty("rate"))
                self._engine = engine
            except Exception as exc:  # ImportError, OSError (no libespeak-ng), RuntimeError
                raise DeviceError(UNAVAILABLE) from exc
        return self._engine

    def list_voices(self) -> list[tuple[str, str]]:
        """Installed voices as (id, name) pairs."""
        if self._voices is None:
            engine = self._get_engine()
            try:
                voices = engine.getProperty("voices")
            except Exception as exc:
                raise DeviceError(UNAVAILABLE) from exc
            self._voices = [(str(v.id), str(v.name)) for v in voices]
        return list(self._voices)

    def resolve_voice(self, voice: str) -> str:
        """A voice id from an id or a case-insensitive name substring (exact matches win)."""
        voices = self.list_voices()
        wanted = voice.strip().lower()
        exact_keys = (
            lambda v: v[0].lower(),  # exact id ("gmw/en-us")
            lambda v: v[0].lower().rsplit("/", 1)[-1],  # id without its family ("en-us")
            lambda v: v[1].lower(),  # exact name ("english (america)")
        )
        for key in exact_keys:
            exact = [v for v in voices if key(v) == wanted]
            if exact:
                return exact[0][0]
        matches = [v for v in voices if wanted in v[1].lower() or wanted in v[0].lower()]
        if len(matches) == 1:
            return matches[0][0]
        if not matches:
            examples = ", ".join(f"{vid} ({name})" for vid, name in voices[:5])
            raise DeviceError(
                f"unknown voice {voice!r}: use an id or part of a name, e.g. {examples}"
                f" ({len(voices)} installed)"
            )
        shown = ", ".join(f"{vid} ({name})" for vid, name in matches[:5])
        more = f" and {len(matches) - 5} more" if len(matches) > 5 else ""
        raise DeviceError(f"voice {voice!r} is ambiguous: {shown}{more}; use a voice id")

    def synthesize(
        self, text: str, voice: str | None = None, rate: int | None = None
    ) -> tuple[np.ndarray, int]:
        """Speak ``text`` into memory: (float32 mono samples, sample rate).

        ``rate`` is in words per minute (pyttsx3's unit; espeak's default is 200)."""
        import soundfile as sf

        if not text.strip():
            raise ValueError("nothing to synthesise: empty text")
        voice_id = self.resolve_voice(voice) if voice is not None else None
        with self._lock:
            engine = self._get_engine()
            fd, name = tempfile.mkstemp(prefix="vi-tts-", suffix=".wav")
            os.close(fd)
            path = Path(name)
            try:
                default_voice, default_rate = self._defaults
                with _silenced_stdout():
                    # Properties stick to the shared engine: set both on every call.
                    if voice_id is not None or default_voice is not None:
                        engine.setProperty("voice", voice_id or default_voice)
                    if rate is not None or default_rate is not None:
                        engine.setProperty("rate", int(rate if rate is not None else default_rate))
                    self._finished.clear()
                    engine.save_to_file(text, str(path))
                    engine.runAndWait()
                    self._finished.wait(timeout=SYNTH_TIMEOUT_S)
                if path.stat().st_size == 0:
                    raise DeviceError(f"{UNAVAILABLE} (no audio was produced)")
                samples, samplerate = sf.read(str(path), dtype="float32", always_2d=True)
            except DeviceError:
                raise
            except Exception as exc:
                raise DeviceError(f"{UNAVAILABLE} ({type(exc).__name__}: {exc})") from exc
            finally:
                path.unlink(missing_ok=True)
        return np.ascontiguousarray(samples.mean(axis=1), dtype=np.float32), int(samplerate)


TTS_CHOICES = ("auto", "espeak", "piper")


class FallbackSynthesizer:
    """Piper first; if it cannot load or speak, espeak from then on (espeak always works)."""

    def __init__(self, primary: Any, fallback: Any) -> None:
        self.primary: Any | None = primary
        self.fallback = fallback
        self.failure: str | None = None  # why the primary was dropped

    def resolve_voice(self, voice: str) -> str:
        return (self.primary or self.fallback).resolve_voice(voice)

    def synthesize(
        self, text: str, voice: str | None = None, rate: int | None = None
    ) -> tuple[np.ndarray, int]:
        if self.primary is not None:
            try:
                return self.primary.synthesize(text, voice=voice, rate=rate)
            except DeviceError as exc:
                self.failure, self.primary = str(exc), None
        return self.fallback.synthesize(text, voice=voice, rate=rate)


def make_synthesizer(kind: str = "auto", voice: str | None = None):
    """The interviewer's voice: ``espeak`` (pyttsx3, always there), ``piper`` (a natural voice,
    the ``[piper]`` extra), or ``auto``: Piper when it is installed (falling back to espeak if it
    fails), else espeak; an espeak ``voice`` (e.g. ``en-gb``) asks for espeak."""
    from voice_interviewer.live.piper_voice import (
        NOT_INSTALLED,
        PiperSynthesizer,
        piper_voice_paths,
    )

    if kind not in TTS_CHOICES:
        raise ValueError(f"unknown TTS {kind!r}: choose from {', '.join(TTS_CHOICES)}")
    if kind == "espeak":
        return SpeechSynthesizer()
    installed = piper_voice_paths() is not None
    if kind == "piper":
        if not installed:
            raise DeviceError(NOT_INSTALLED)
        return PiperSynthesizer()
    piper = PiperSynthesizer() if installed else None
    if piper is None or (voice is not None and not piper.knows_voice(voice)):
        return SpeechSynthesizer()
    return FallbackSynthesizer(piper, SpeechSynthesizer())
