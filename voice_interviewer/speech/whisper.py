"""Speech to words: a narrow seam around faster-whisper.

``Transcriber`` is the protocol the pipeline depends on; ``WhisperTranscriber`` is the real one
(CTranslate2, CPU, int8). Tests of pure logic use hand-made ``Word`` lists instead.
"""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from voice_interviewer.errors import ModelError
from voice_interviewer.speech.models import ModelRef
from voice_interviewer.speech.timeline import SAMPLE_RATE, Word

# Second-look decodes encode this much (the clip padded with silence) instead of 30 s: measured on
# the fixtures, 5 s gives the same labels as 30 s at a sixth of the cost; 2-3 s make Whisper ramble.
LABEL_WINDOW_S = 5.0
HOP = 160  # samples in one 10 ms feature frame
BATCH_WINDOW_S = 30.0  # Whisper's window: a longer clip cannot be decoded in one


@dataclass(frozen=True)
class DecodeOptions:
    """How Whisper decodes: the one place for each decode setting."""

    beam_size: int = 5  # ``transcribe``: one stretch at a time (the live path, lost speech)
    language: str = "en"
    # ``transcribe_windows`` (the file path's packed windows). Beam 1 costs ~20% less on the
    # 2-minute answer but lost 2-4 WER points on the fixtures and most real filled pauses
    # (recall 0.89 -> 0.28): beam 5 stays.
    window_beam_size: int = 5
    # Windows encoded and decoded together. One at a time: the encoder's attention scores take
    # ~54 MB per window in flight (tiny.en), and on 1-2 threads a batch of 2 saved no CPU
    # (benchmarks.speed; beam 5 decoding is per window anyway).
    window_batch: int = 1
    # Timestamp tokens split a window into segments at the stretch junctions, which anchors the
    # word timing of each stretch's first words ("So" after a pause).
    window_timestamps: bool = True
    # A stretch whose text Whisper itself doubts (no_speech and low log-prob) is dropped: that is
    # how laughter and room noise turn into "Thanks for watching!".
    no_speech_threshold: float = 0.6
    log_prob_threshold: float = -1.0
    # ``transcribe`` of a short clip generates at most this many tokens per second of it (8 words
    # a second, the most anyone says, at 3 tokens a word, plus timestamps): past that it is a
    # repetition loop, which Whisper otherwise runs to 448 tokens at every fallback temperature
    # (tiny.en: 9-17 CPU s on a 2.9 s clip whose prompt repeated one phrase).
    max_tokens_per_s: float = 24.0

    def token_cap(self, samples: int) -> int | None:
        """``max_new_tokens`` for a clip of ``samples``; None (Whisper's own limit) when the cap
        would be near it anyway (the prompt takes up to half of the 448)."""
        cap = math.ceil(min(samples / SAMPLE_RATE, BATCH_WINDOW_S) * self.max_tokens_per_s) + 16
        return cap if cap < 200 else None


class Transcriber(Protocol):
    name: str
    parallel: int  # decodes that may run at once, from different threads (1: one at a time)

    def transcribe(self, audio: np.ndarray, *, prompt: str | None = None) -> list[Word]:
        """Words with times relative to the start of ``audio`` (16 kHz mono float32)."""
        ...

    def transcribe_windows(
        self, windows: Sequence[np.ndarray], *, prompt: str | None = None
    ) -> list[list[Word]]:
        """Words of each clip (at most 30 s each), as ``transcribe`` of each would give them;
        the real one decodes them as one batch."""
        ...

    def label(self, audio: np.ndarray, *, prompt: str | None = None) -> str:
        """A quick greedy guess of a short clip's text (a few tokens), for classifying it."""
        ...

    def label_many(self, clips: Sequence[np.ndarray], *, prompt: str | None = None) -> list[str]:
        """``label`` of each clip, decoded together."""
        ...


class WhisperTranscriber:
    """faster-whisper on the CPU. Thread-safe: up to ``parallel`` decodes run at once, each on
    its own CTranslate2 replica (the replicas share the weights)."""

    def __init__(
        self,
        model: ModelRef,
        threads: int | None = None,
        options: DecodeOptions = DecodeOptions(),
        parallel: int | None = None,
    ):
        """``threads``: CPU threads of one decode (default 1). ``parallel``: decodes that may
        run at once, from different Python threads (default: one per core, at most 2).

        Measured on 2 cores (tiny.en, the 2-minute answer's five windows, beam 5): one decode on
        2 threads costs 6.4 CPU s and 5.5 s wall, on 1 thread 4.0 CPU s and 4.0 s wall (the
        decoder's matrices are small and the threads mostly wait on each other), and two
        1-thread decodes side by side 4.1 CPU s and 2.5 s wall, with the same words; base, two 25 s
        windows: 6.0 CPU s and 4.8 s wall on 2 threads, 4.1 and 3.9 on one."""
        self.name = model.name
        self.options = options
        cores = os.cpu_count() or 2
        self.parallel = max(1, parallel or min(cores, 2))
        self._lock = threading.Lock()  # guards the lazily made helpers below, not the decodes
        self._local = threading.local()  # each thread's BatchedInferencePipeline (it has state)
        self._tokenizer = None  # the labels' tokenizer, made on first use
        try:
            from faster_whisper import WhisperModel

            if model.local:
                # Never reach a model hub for a local folder, even from a dependency.
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
            self._model = WhisperModel(
                model.location,
                device="cpu",
                compute_type="int8",
                cpu_threads=threads or 1,
                num_workers=self.parallel,
                local_files_only=model.local,
            )
        except Exception as exc:  # CTranslate2/HF raise RuntimeError, OSError, ValueError, ...
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise ModelError(f"{model.location}: cannot load Whisper model ({reason})") from None

    @property
    def english_only(self) -> bool:
        return not self._model.model.is_multilingual

    def transcribe(self, audio: np.ndarray, *, prompt: str | None = None) -> list[Word]:
        opts = self.options
        segments, _info = self._model.transcribe(
            np.asarray(audio, dtype=np.float32),
            language=opts.language,
            beam_size=opts.beam_size,
            word_timestamps=True,
            vad_filter=False,  # the caller hands over speech stretches found by our own VAD
            condition_on_previous_text=False,
            initial_prompt=prompt or None,
            no_speech_threshold=opts.no_speech_threshold,
            log_prob_threshold=opts.log_prob_threshold,
            max_new_tokens=opts.token_cap(len(audio)),
        )
        return [w for seg in segments if _plausible(seg) for w in _segment_words(seg)]

    def transcribe_windows(
        self, windows: Sequence[np.ndarray], *, prompt: str | None = None
    ) -> list[list[Word]]:
        """Words of each clip (each at most 30 s), times relative to its start.

        faster-whisper's ``BatchedInferencePipeline`` over the clips, ``options.window_batch`` at
        a time, every window with the same ``prompt``; cheaper than ``transcribe`` (no temperature
        fallback, no segment seeking). ``PackedStretches`` hands it one window per call: in one
        call the pipeline carries the last word's time from a window into the next one's timing.
        """
        long = [i for i, w in enumerate(windows) if len(w) > BATCH_WINDOW_S * SAMPLE_RATE]
        if long:  # the batched pipeline would cut these at 30 s; each gets a sliding decode
            short = [i for i in range(len(windows)) if i not in long]
            got = dict(
                zip(
                    short,
                    self.transcribe_windows([windows[i] for i in short], prompt=prompt),
                    strict=True,
                )
            )
            got.update({i: self.transcribe(windows[i], prompt=prompt) for i in long})
            return [got[i] for i in range(len(windows))]
        if not windows:
            return []
        # Each clip padded to whole 10 ms frames: the pipeline times words from the frame a clip
        # starts in, so every clip must start on one.
        clips = [np.pad(np.asarray(w, dtype=np.float32), (0, -len(w) % HOP)) for w in windows]
        frames = np.cumsum([0] + [len(c) // HOP for c in clips[:-1]])
        starts = frames * HOP / SAMPLE_RATE
        opts = self.options
        out: list[list[Word]] = [[] for _ in clips]
        pipeline = self._pipeline()
        # It carries the last word's time over from the previous call into the alignment
        # of the next; every recording starts afresh (and scores alike in any worker).
        pipeline.last_speech_timestamp = 0.0
        segments, _info = pipeline.transcribe(
            np.concatenate(clips),
            language=opts.language,
            beam_size=opts.window_beam_size,
            word_timestamps=True,
            clip_timestamps=[
                {"start": float(a), "end": float(a) + len(c) / SAMPLE_RATE}
                for a, c in zip(starts, clips, strict=True)
            ],
            batch_size=opts.window_batch,
            without_timestamps=not opts.window_timestamps,
            initial_prompt=prompt or None,
            no_speech_threshold=opts.no_speech_threshold,
            log_prob_threshold=opts.log_prob_threshold,
            max_new_tokens=opts.token_cap(max(len(c) for c in clips)),
        )
        for seg in segments:
            if not _plausible(seg):
                continue
            # The window it came from; the pipeline times its words from ``seg.seek`` (the
            # window's start frame, which float rounding may put one frame early).
            k = int(np.searchsorted(frames, seg.seek + 1, side="right")) - 1
            out[k].extend(_segment_words(seg, origin=seg.seek * HOP / SAMPLE_RATE))
        return out

    def label(self, audio: np.ndarray, *, prompt: str | None = None) -> str:
        """A quick greedy guess of one short clip's text: see ``label_many``."""
        return self.label_many([audio], prompt=prompt)[0]

    def label_many(self, clips: Sequence[np.ndarray], *, prompt: str | None = None) -> list[str]:
        """Greedy decodes of short clips, each encoding only its own frames, all in one call.

        ``transcribe`` always encodes a 30 s window (0.27 s for tiny.en on 2 cores); the encoder
        also accepts the clip's own length (a 1 s clip: ~0.02 s), which is what makes a second look
        at every candidate filler affordable. Good enough to tell "Um" from a word; the main
        transcript keeps the full window. The clips are encoded together and decoded as one
        greedy batch: one pass over the prompt for all of them, which costs far less than one
        call per clip (the prompt is most of what the decoder reads).
        """
        if not clips:
            return []
        import ctranslate2

        wm = self._model
        # Each clip padded with real silence to LABEL_WINDOW_S (shorter windows make Whisper
        # ramble); a longer clip keeps its length, and clips of one length share a batch.
        minimum = int(LABEL_WINDOW_S * SAMPLE_RATE)
        lengths = [max(len(c), minimum) for c in clips]
        out = [""] * len(clips)
        tokenizer = self._label_tokenizer()
        previous = tokenizer.encode(" " + prompt.strip()) if prompt else []
        tokens = wm.get_prompt(tokenizer, previous, without_timestamps=True)
        for length in sorted(set(lengths)):
            group = [i for i, n in enumerate(lengths) if n == length]
            frames = length // wm.feature_extractor.hop_length
            features = np.stack(
                [
                    wm.feature_extractor(
                        np.pad(np.asarray(clips[i], dtype=np.float32), (0, length - len(clips[i])))
                    )[:, :frames]
                    for i in group
                ]
            )
            encoded = wm.model.encode(
                ctranslate2.StorageView.from_array(np.ascontiguousarray(features)),
                to_cpu=False,
            )
            results = wm.model.generate(
                encoded,
                [tokens] * len(group),
                beam_size=1,
                max_length=len(tokens) + 6,
                suppress_blank=True,
            )
            for i, result in zip(group, results, strict=True):
                ids = [t for t in result.sequences_ids[0] if t < tokenizer.eot]
                out[i] = tokenizer.decode(ids).strip()
        return out

    def _label_tokenizer(self):
        from faster_whisper.tokenizer import Tokenizer

        with self._lock:
            if self._tokenizer is None:
                wm = self._model
                self._tokenizer = Tokenizer(
                    wm.hf_tokenizer,
                    wm.model.is_multilingual,
                    task="transcribe",
                    language=self.options.language,
                )
            return self._tokenizer

    def _pipeline(self):
        """This thread's ``BatchedInferencePipeline``: it keeps the last word's time between
        calls, so two threads must not share one."""
        from faster_whisper import BatchedInferencePipeline

        pipeline = getattr(self._local, "pipeline", None)
        if pipeline is None:
            pipeline = self._local.pipeline = BatchedInferencePipeline(self._model)
        return pipeline


# Whisper's stock sign-offs, invented over silence or noise ("Thank you very much.").
_STOCK_WORDS = {
    "thank",
    "thanks",
    "you",
    "very",
    "much",
    "so",
    "for",
    "watching",
    "listening",
    "bye",
    "okay",
}


def _stock_phrase(text: str) -> bool:
    words = text.split()
    return (
        bool(words)
        and words[0] in ("thank", "thanks", "bye", "you", "okay")
        and set(words) <= _STOCK_WORDS
    )


def _segment_words(seg, origin: float = 0.0) -> list[Word]:
    """A faster-whisper segment's words (blank ones dropped), timed from ``origin``."""
    return [
        Word(w.word.strip(), float(w.start) - origin, float(w.end) - origin, float(w.probability))
        for w in seg.words or []
        if w.word.strip()
    ]


def _plausible(seg) -> bool:
    """Rejects Whisper's inventions on non-speech (laughter -> "Thank you for watching.").

    Measured on the real clips in shared/audio: hallucinated segments have avg_logprob about -1.0
    to -1.2, no_speech_prob 0.35-0.45 and mean word probability under 0.45; real speech (jfk.flac)
    has avg_logprob -0.3, no_speech_prob 0.07 and mean word probability 0.9.
    """
    words = seg.words or []
    mean_prob = sum(w.probability for w in words) / len(words) if words else 0.0
    # A low log-prob alone is no invention: real hesitant speech that Whisper reads at its
    # fallback temperature scores the same (base on real/uh.wav: -1.04 with no_speech_prob 0.07,
    # "Montreal, uh, for still liner."); only with doubt about speech is it dropped.
    if seg.avg_logprob < -1.0 and seg.no_speech_prob > 0.25:
        return False
    # "Thank you very much." invented after the last real word of a stretch (fixture a07):
    # no_speech_prob 0.78, avg_logprob -0.93. Real speech can score as doubtfully (a correct
    # 18-word segment: 0.51 / -0.69), so only Whisper's stock phrases are dropped on that ground.
    text = " ".join(seg.text.lower().replace(".", " ").replace(",", " ").replace("!", " ").split())
    if seg.no_speech_prob > 0.5 and seg.avg_logprob < -0.6 and _stock_phrase(text):
        return False
    return not (seg.no_speech_prob > 0.3 and mean_prob < 0.5)


class BackgroundTranscriber:
    """A Transcriber whose model loads in a background thread (while the first question is spoken).

    Calls block until the model is ready; a load error surfaces on the first call (and via
    ``wait``).
    """

    def __init__(self, load: Callable[[], Transcriber], name: str) -> None:
        self.name = name
        self._ready = threading.Event()
        self._model: Transcriber | None = None
        self._error: BaseException | None = None
        threading.Thread(target=self._load, args=(load,), name="model-loader", daemon=True).start()

    def _load(self, load: Callable[[], Transcriber]) -> None:
        try:
            self._model = load()
        except BaseException as exc:  # handed to the caller on first use
            self._error = exc
        finally:
            self._ready.set()

    def wait(self) -> Transcriber:
        self._ready.wait()
        if self._error is not None:
            raise self._error
        assert self._model is not None
        return self._model

    def close(self) -> None:
        """Waits for the loader thread to finish (whatever its outcome)."""
        self._ready.wait()

    @property
    def parallel(self) -> int:
        return self.wait().parallel

    def transcribe(self, audio: np.ndarray, *, prompt: str | None = None) -> list[Word]:
        return self.wait().transcribe(audio, prompt=prompt)

    def transcribe_windows(
        self, windows: Sequence[np.ndarray], *, prompt: str | None = None
    ) -> list[list[Word]]:
        return self.wait().transcribe_windows(windows, prompt=prompt)

    def label(self, audio: np.ndarray, *, prompt: str | None = None) -> str:
        return self.wait().label(audio, prompt=prompt)

    def label_many(self, clips: Sequence[np.ndarray], *, prompt: str | None = None) -> list[str]:
        return self.wait().label_many(clips, prompt=prompt)
