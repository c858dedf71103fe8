"""Embeddings of a bank's own texts kept on disk, so a new process does not embed them again.

The off-topic guard compares every answer with every point of the bank's other questions: ~600
texts (point texts, list parts, reference phrasings) for the shipped bank, ~4 s of CPU the first
time a process scores an answer. They are the same texts every run, so their rows are kept in one
file per model (``<cache folder>/minilm-<model key>.npz``), keyed by a hash of each text. Only
the bank's texts go there, never an answer's sentences: the file holds nothing said by the user.

A cache is disposable: a file that cannot be read, or was written for another model, is ignored
(and replaced on the next write); a folder that cannot be written to just means no cache.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import threading
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from voice_interviewer.errors import SessionError
from voice_interviewer.paths import make_private_dir

log = logging.getLogger(__name__)

DIM = 384
# Far above a few banks' texts (~600 rows each, 1.5 KB a row): a file over this starts afresh.
MAX_ROWS = 20_000


def text_key(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32].encode("ascii")


def files_key(paths: Iterable[Path], salt: str) -> str:
    """A short hash of the model's files' contents (and ``salt``: how rows are made from them):
    rows made by another model, or another version of it, are never mixed in."""
    sha = hashlib.sha256(salt.encode())
    for path in paths:
        with open(path, "rb") as fh:
            while chunk := fh.read(1 << 20):
                sha.update(chunk)
    return sha.hexdigest()[:16]


class EmbeddingCache:
    """Rows by text for one model, read from its file on first use, written back when new rows
    come. Thread-safe."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._rows: dict[bytes, np.ndarray] | None = None
        self._lock = threading.Lock()

    def get(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        with self._lock:
            rows = self._load()
            found = {t: rows.get(text_key(t)) for t in texts}
        return {t: r for t, r in found.items() if r is not None}

    def put(self, fresh: dict[str, np.ndarray]) -> None:
        if not fresh:
            return
        with self._lock:
            rows = self._load()
            if len(rows) + len(fresh) > MAX_ROWS:
                rows.clear()
            rows.update((text_key(t), np.asarray(r, dtype=np.float32)) for t, r in fresh.items())
            self._write(rows)

    def _load(self) -> dict[bytes, np.ndarray]:
        if self._rows is None:
            self._rows = _read(self.path)
        return self._rows

    def _write(self, rows: dict[bytes, np.ndarray]) -> None:
        keys = np.array(list(rows), dtype="S32")
        matrix = np.stack(list(rows.values())).astype(np.float32)
        tmp = None
        try:
            make_private_dir(self.path.parent)
            fd, tmp = tempfile.mkstemp(prefix=".rows-", suffix=".npz", dir=self.path.parent)
            with os.fdopen(fd, "wb") as fh:
                np.savez(fh, keys=keys, rows=matrix)
            os.replace(tmp, self.path)
            tmp = None
        except (
            OSError,
            SessionError,
        ) as exc:  # no cache, not an error: the rows are computed again next time
            log.debug("%s: embedding cache not written (%s)", self.path, exc)
        finally:
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)


def _read(path: Path) -> dict[bytes, np.ndarray]:
    """The rows in ``path``; none when it is missing or not a file this module wrote."""
    try:
        with np.load(path, allow_pickle=False) as f:
            keys, rows = f["keys"], f["rows"]
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
        log.debug("%s: embedding cache ignored (%s)", path, exc)
        return {}
    ok = (
        keys.dtype == np.dtype("S32")
        and keys.ndim == 1
        and rows.dtype == np.float32
        and rows.shape == (len(keys), DIM)
        and len(keys) <= MAX_ROWS
        and bool(np.isfinite(rows).all())
    )
    return dict(zip(keys.tolist(), rows, strict=True)) if ok else {}
