"""Speech to words: a narrow seam around faster-whisper.

``Transcriber`` is the protocol the pipeline depends on; ``WhisperTranscriber`` is the real one
(CTranslate2, CPU, int8). Tests of pure logic use hand-made ``Word`` lists instead.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from voice_interviewer.errors import ModelError
from voice_interviewer.speech.models import ModelRef
from voice_interviewer.speech.timeline import SAMPLE_RATE, Word

# Second-look decodes encode this much (the clip padded with silence) instead of 30 s: measured on
# the fixtures, 5 s gives the same labels as 30 s at a sixth of the cost; 2-3 s make Whisper ramble.
LABEL_WINDOW_S = 5.0


@dataclass(frozen=True)
class DecodeOptions:
    beam_size: int = 5
    language: str = "en"
    # A stretch whose text Whisper itself doubts (no_speech and low log-prob) is dropped: that is
    # how laughter and room noise turn into "Thanks for watching!".
    no_speech_threshold: float = 0.6
    log_prob_threshold: float = -1.0


class Transcriber(Protocol):
    name: str

    def transcribe(self, audio: np.ndarray, *, prompt: str | None = None) -> list[Word]:
        """Words with times relative to the start of ``audio`` (16 kHz mono float32)."""
        ...

    def label(self, audio: np.ndarray, *, prompt: str | None = None) -> str:
        """A quick greedy guess of a short clip's text (a few tokens), for classifying it."""
        ...


class WhisperTranscriber:
    """faster-whisper on the CPU. Thread-safe: one decode at a time on a shared model."""

    def __init__(
        self, model: ModelRef, threads: int | None = None, options: DecodeOptions = DecodeOptions()
    ):
        self.name = model.name
        self.options = options
        self._lock = threading.Lock()
        try:
            from faster_whisper import WhisperModel

            if model.local:
                # Never reach a model hub for a local folder, even from a dependency.
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
            self._model = WhisperModel(
                model.location,
                device="cpu",
                compute_type="int8",
                cpu_threads=threads or min(os.cpu_count() or 2, 4),
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
        with self._lock:
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
            )
            words: list[Word] = []
            for seg in segments:
                if not _plausible(seg):
                    continue
                for w in seg.words or []:
                    if w.word.strip():
                        words.append(
                            Word(w.word.strip(), float(w.start), float(w.end), float(w.probability))
                        )
        return words

    def label(self, audio: np.ndarray, *, prompt: str | None = None) -> str:
        """Greedy decode of a short clip, encoding only the clip's own frames.

        ``transcribe`` always encodes a 30 s window (0.27 s for tiny.en on 2 cores); the encoder
        also accepts the clip's own length (a 1 s clip: ~0.02 s), which is what makes a second look
        at every candidate filler affordable. Good enough to tell "Um" from a word; the main
        transcript keeps the full window.
        """
        import ctranslate2
        from faster_whisper.tokenizer import Tokenizer

        wm = self._model
        with self._lock:
            # Padded with real silence to LABEL_WINDOW_S: shorter windows make Whisper ramble.
            clip = np.asarray(audio, dtype=np.float32)
            window = max(len(clip), int(LABEL_WINDOW_S * SAMPLE_RATE))
            clip = np.concatenate([clip, np.zeros(window - len(clip), np.float32)])
            frames = window // wm.feature_extractor.hop_length
            padded = np.ascontiguousarray(wm.feature_extractor(clip)[:, :frames])
            encoded = wm.model.encode(
                ctranslate2.StorageView.from_array(padded[None]), to_cpu=False
            )
            tokenizer = Tokenizer(
                wm.hf_tokenizer,
                wm.model.is_multilingual,
                task="transcribe",
                language=self.options.language,
            )
            previous = tokenizer.encode(" " + prompt.strip()) if prompt else []
            tokens = wm.get_prompt(tokenizer, previous, without_timestamps=True)
            result = wm.model.generate(
                encoded, [tokens], beam_size=1, max_length=len(tokens) + 6, suppress_blank=True
            )[0]
            ids = [t for t in result.sequences_ids[0] if t < tokenizer.eot]
            return tokenizer.decode(ids).strip()


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


def _plausible(seg) -> bool:
    """Rejects Whisper's inventions on non-speech (laughter -> "Thank you for watching.").

    Measured on the real clips in shared/audio: hallucinated segments have avg_logprob about -1.0
    to -1.2, no_speech_prob 0.35-0.45 and mean word probability under 0.45; real speech (jfk.flac)
    has avg_logprob -0.3, no_speech_prob 0.07 and mean word probability 0.9.
    """
    words = seg.words or []
    mean_prob = sum(w.probability for w in words) / len(words) if words else 0.0
    if seg.avg_logprob < -1.0:
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

    Calls block until the model is ready; a load error surfaces on the first call (and via ``wait``).
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

    def transcribe(self, audio: np.ndarray, *, prompt: str | None = None) -> list[Word]:
        return self.wait().transcribe(audio, prompt=prompt)

    def label(self, audio: np.ndarray, *, prompt: str | None = None) -> str:
        return self.wait().label(audio, prompt=prompt)
