"""Voice activity: Silero VAD (the ONNX model faster-whisper ships) and pure span extraction.

The model turns 32 ms frames into speech probabilities; ``speech_spans`` turns probabilities into
speech spans with hysteresis. The same frame-by-frame stream serves a whole file (``score``) and a
live microphone (``practice``), so both see identical voice activity.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from voice_interviewer.speech.timeline import SAMPLE_RATE, Span

FRAME_SAMPLES = 512  # Silero's window at 16 kHz
FRAME_S = FRAME_SAMPLES / SAMPLE_RATE  # 0.032 s
_CONTEXT_SAMPLES = 64  # Silero v5+ expects the previous frame's last 64 samples in front


@dataclass(frozen=True)
class VadParams:
    """Hysteresis for turning per-frame probabilities into speech spans."""

    threshold: float = 0.5  # a frame at or above this starts speech
    neg_threshold: float = 0.35  # speech continues until frames drop below this ...
    min_silence_s: float = 0.1  # ... for at least this long
    min_speech_s: float = 0.064  # shorter blips are dropped (clicks, a cough's onset)


class SileroModel:
    """Loads the ONNX session once; cheap to share between streams (one frame ~0.1 ms)."""

    def __init__(self) -> None:
        import os

        import onnxruntime
        from faster_whisper.utils import get_assets_path

        opts = onnxruntime.SessionOptions()
        opts.inter_op_num_threads = 1
        opts.intra_op_num_threads = 1
        opts.log_severity_level = 4
        # No memory arena: it keeps the largest block ever asked for; the model is tiny.
        opts.enable_cpu_mem_arena = False
        path = os.path.join(get_assets_path(), "silero_vad_v6.onnx")
        self._session = onnxruntime.InferenceSession(
            path, providers=["CPUExecutionProvider"], sess_options=opts
        )

    def stream(self) -> VadStream:
        return VadStream(self)

    def probabilities(self, audio: np.ndarray) -> np.ndarray:
        """Per-frame speech probabilities of a whole recording (the last partial frame is
        padded)."""
        stream = self.stream()
        probs = stream.feed(audio)
        return np.concatenate([probs, stream.flush()])

    def _run(self, rows: np.ndarray, h: np.ndarray, c: np.ndarray):
        """Probabilities of consecutive frames (each row: 64 samples of context + the frame)."""
        out, h, c = self._session.run(None, {"input": rows, "h": h, "c": c})
        return np.asarray(out, dtype=np.float32).ravel(), h, c


class VadStream:
    """Feeds arbitrary-sized blocks; returns one probability per completed 32 ms frame."""

    def __init__(self, model: SileroModel) -> None:
        self._model = model
        self._h = np.zeros((1, 1, 128), dtype=np.float32)
        self._c = np.zeros((1, 1, 128), dtype=np.float32)
        self._context = np.zeros(_CONTEXT_SAMPLES, dtype=np.float32)
        self._pending = np.zeros(0, dtype=np.float32)

    def feed(self, samples: np.ndarray) -> np.ndarray:
        buf = np.concatenate([self._pending, np.asarray(samples, dtype=np.float32).ravel()])
        n = len(buf) // FRAME_SAMPLES
        self._pending = buf[n * FRAME_SAMPLES :]
        if n == 0:
            return np.zeros(0, dtype=np.float32)
        # All complete frames in one run: the model steps its LSTM through the rows in order
        # (the state carried row to row), so the probabilities equal frame-by-frame calls, at a
        # fifth of the cost (one ONNX call per block instead of one per 32 ms).
        frames = buf[: n * FRAME_SAMPLES].reshape(n, FRAME_SAMPLES)
        context = np.concatenate([self._context[None, :], frames[:-1, -_CONTEXT_SAMPLES:]])
        probs, self._h, self._c = self._model._run(
            np.concatenate([context, frames], axis=1), self._h, self._c
        )
        self._context = frames[-1, -_CONTEXT_SAMPLES:].copy()
        return probs

    def flush(self) -> np.ndarray:
        """Pads and scores the final partial frame, if any."""
        if not len(self._pending):
            return np.zeros(0, dtype=np.float32)
        pad = FRAME_SAMPLES - len(self._pending)
        return self.feed(np.zeros(pad, dtype=np.float32))


class SpanTracker:
    """Incremental hysteresis: push one probability per frame, get each speech span as it closes."""

    def __init__(self, params: VadParams = VadParams()) -> None:
        self.params = params
        self.frames = 0  # frames pushed so far
        self._start: int | None = None
        self._quiet = 0  # consecutive frames below neg_threshold while in speech
        self._min_silence = max(1, round(params.min_silence_s / FRAME_S))
        self._min_speech = max(1, round(params.min_speech_s / FRAME_S))

    @property
    def open_start(self) -> float | None:
        """Start time of the span in progress, if any."""
        return None if self._start is None else round(self._start * FRAME_S, 3)

    @property
    def in_speech(self) -> bool:
        """True once the open span is long enough to count (not a click)."""
        return (
            self._start is not None and self.frames - self._quiet - self._start >= self._min_speech
        )

    def push(self, p: float) -> Span | None:
        i = self.frames
        self.frames += 1
        if self._start is None:
            if p >= self.params.threshold:
                self._start, self._quiet = i, 0
            return None
        if p >= self.params.neg_threshold:
            self._quiet = 0
            return None
        self._quiet += 1
        if self._quiet < self._min_silence:
            return None
        return self._close(i - self._quiet + 1)

    def close(self) -> Span | None:
        """Ends an open span at the last speech frame (end of input)."""
        if self._start is None:
            return None
        return self._close(self.frames - self._quiet)

    def _close(self, end_frame: int) -> Span | None:
        start, self._start, self._quiet = self._start, None, 0
        if end_frame - start < self._min_speech:
            return None
        return Span(round(start * FRAME_S, 3), round(end_frame * FRAME_S, 3))


def speech_spans(probs: np.ndarray, params: VadParams = VadParams()) -> list[Span]:
    """Speech spans from per-frame probabilities (frame i covers [i*32ms, (i+1)*32ms))."""
    tracker = SpanTracker(params)
    spans = [s for p in probs if (s := tracker.push(float(p))) is not None]
    if (last := tracker.close()) is not None:
        spans.append(last)
    return spans


def silent_gaps(spans: list[Span], min_s: float) -> list[Span]:
    """Silences of at least ``min_s`` between consecutive speech spans."""
    return [
        Span(a.end, b.start)
        for a, b in zip(spans, spans[1:], strict=False)
        if b.start - a.end >= min_s
    ]
