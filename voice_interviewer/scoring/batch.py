"""Scoring many recordings: what to score, the worker that scores one, and the runners.

    items (paths, folders, globs + one question; or a manifest)  ->  skip what the output holds
      -> run_local (this process, or N worker processes)  |  run_cluster (Dask distributed)
      -> BatchResult per answer, streamed back as each finishes

A worker loads the models once (``worker_scorer`` caches one ``Scorer`` per process and settings)
and scores answers one at a time. A bad recording is a ``BatchResult`` with an ``error``, never an
exception that stops the batch. Writing the results is ``batch_output``'s job.
"""

from __future__ import annotations

import csv
import ctypes
import functools
import glob
import json
import os
import resource
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from voice_interviewer.bank import Bank, Question
from voice_interviewer.errors import BankError, UsageError, VoiceInterviewerError
from voice_interviewer.scoring.analysis import Analysis
from voice_interviewer.user_files import read_regular

# What a folder's files are taken for: the formats `score` decodes (PyAV reads all of them).
AUDIO_SUFFIXES = frozenset(
    {".wav", ".flac", ".mp3", ".m4a", ".ogg", ".opus", ".oga", ".webm", ".aac", ".wma", ".mp4"}
)
_GLOB_CHARS = set("*?[")
MAX_MANIFEST_BYTES = 64 << 20  # a million answers' paths; read whole, so bounded


@dataclass(frozen=True)
class BatchItem:
    """One answer to score: the recording (as the user named it) and the question it answers."""

    audio: str
    question: Question

    @property
    def key(self) -> tuple[str, str]:
        """What identifies an answer across runs: the absolute path and the question id."""
        return os.path.abspath(self.audio), self.question.id


@dataclass(frozen=True)
class BatchSettings:
    """How every worker scores: the same for a local pool and a cluster."""

    model: str | None = None  # as for `score --model`; None: the default (tiny.en)
    filler_pass: bool = True
    fillers_under_words: bool = False  # see ``ScoreOptions``
    # CPU threads of one Whisper decode in a worker; None: 1 (cheaper, and no slower on a few
    # cores: see ``WhisperTranscriber``). --jobs spreads the work over the cores.
    threads: int | None = None


@dataclass(frozen=True)
class BatchResult:
    item: BatchItem
    analysis: Analysis | None  # None when the answer could not be scored
    error: str | None  # one line, naming the file, when it could not
    seconds: float  # wall time the worker spent on it
    worker_peak_rss_mb: float  # the worker's peak resident memory so far


# ---- what to score ------------------------------------------------------------------------------
def expand_paths(specs: Iterable[str]) -> list[str]:
    """Files named, the audio files in folders named (recursively), and glob matches, in order,
    each once. A spec matching nothing is kept as is: scoring it reports it in its row; a folder
    without audio files is an error."""
    out: list[str] = []
    for spec in specs:
        p = Path(spec)
        if p.is_dir():
            found = sorted(
                str(f) for f in p.rglob("*") if f.suffix.lower() in AUDIO_SUFFIXES and f.is_file()
            )
            if not found:
                suffixes = ", ".join(sorted(AUDIO_SUFFIXES))
                raise UsageError(f"{p}: is a folder with no audio files in it ({suffixes})")
        elif not p.exists() and _GLOB_CHARS & set(spec):
            found = sorted(glob.glob(spec, recursive=True)) or [spec]
        else:
            found = [spec]
        out.extend(found)
    return list(dict.fromkeys(out))


def items_for(paths: Iterable[str], question: Question) -> list[BatchItem]:
    return [BatchItem(a, question) for a in expand_paths(paths)]


def read_manifest(
    path: str | Path, bank: Bank, default_question: str | None = None
) -> list[BatchItem]:
    """A CSV with the header ``path,question`` or JSONL with those keys; relative paths are
    relative to the manifest. Malformed manifests and unknown questions are errors naming the
    line."""
    p = Path(path)
    raw = read_regular(
        p, "the manifest", UsageError, MAX_MANIFEST_BYTES, missing="no such manifest"
    )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{p}: cannot read the manifest (not UTF-8 at byte {exc.start})") from None
    rows = _jsonl_rows(p, text) if p.suffix.lower() in (".jsonl", ".ndjson") else _csv_rows(p, text)
    items = []
    for line, audio, qid in rows:
        qid = qid or default_question
        if not audio:
            raise UsageError(f"{p} line {line}: no path")
        if not qid:
            raise UsageError(f"{p} line {line}: no question (give one, or --question for all)")
        try:
            question = bank.question(qid)
        except BankError as exc:
            raise UsageError(f"{p} line {line}: {exc}") from None
        full = audio if os.path.isabs(audio) else os.path.normpath(p.parent / audio)
        items.append(BatchItem(str(full), question))
    if not items:
        raise UsageError(f"{p}: the manifest lists no recordings")
    return items


def _csv_rows(p: Path, text: str) -> list[tuple[int, str, str]]:
    reader = csv.DictReader(text.splitlines())
    if not reader.fieldnames or "path" not in [f.strip() for f in reader.fieldnames]:
        raise UsageError(f"{p}: a CSV manifest needs the header line 'path,question'")
    rows = []
    for i, row in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in row.items()}
        if any(row.values()):
            rows.append((i, row.get("path", ""), row.get("question", "")))
    return rows


def _jsonl_rows(p: Path, text: str) -> list[tuple[int, str, str]]:
    rows = []
    for i, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise UsageError(f"{p} line {i}: not JSON ({exc.msg})") from None
        if not isinstance(obj, dict):
            raise UsageError(f"{p} line {i}: expected an object with 'path' and 'question'")
        rows.append((i, str(obj.get("path") or ""), str(obj.get("question") or "")))
    return rows


def pending(items: list[BatchItem], done: set[tuple[str, str]]) -> list[BatchItem]:
    """Items not yet scored, each once (a manifest may list an answer twice)."""
    seen = set(done)
    out = []
    for item in items:
        if item.key not in seen:
            seen.add(item.key)
            out.append(item)
    return out


# ---- the worker ---------------------------------------------------------------------------------
_scorers: dict[BatchSettings, object] = {}
_scorer_lock = threading.Lock()  # a Dask worker may run tasks on several threads


def worker_scorer(settings: BatchSettings):
    """The process's scorer for ``settings``, loaded on first use and kept: one model per worker."""
    from voice_interviewer.scoring.scorer import ScoreOptions, Scorer
    from voice_interviewer.speech.models import resolve_model
    from voice_interviewer.speech.whisper import WhisperTranscriber

    if settings not in _scorers:
        # One decode at a time: a second replica decoding beside it (as ``score`` of one file
        # does) put a worker's peak at 589 MB against 463 MB (--jobs 1, 2-minute answers; the
        # budget is 500 MB); --jobs gives the cores work instead.
        transcriber = WhisperTranscriber(
            resolve_model(settings.model), threads=settings.threads, parallel=1
        )
        _scorers[settings] = Scorer(
            transcriber,
            options=ScoreOptions(
                filler_pass=settings.filler_pass,
                fillers_under_words=settings.fillers_under_words,
            ),
        )
    return _scorers[settings]


def score_item(item: BatchItem, settings: BatchSettings) -> BatchResult:
    """Scores one answer; an unusable recording comes back as an error, the worker goes on."""
    t0 = time.perf_counter()
    analysis, error = None, None
    with _scorer_lock:
        try:
            analysis = worker_scorer(settings).score_file(item.audio, item.question)
        except VoiceInterviewerError as exc:
            error = str(exc)
        release_freed_memory()
    return BatchResult(item, analysis, error, time.perf_counter() - t0, peak_rss_mb())


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc (macOS, musl): nothing to release
        return None


def release_freed_memory() -> None:
    """Hands the memory an answer's decode freed back to the system. glibc keeps freed blocks
    for reuse, so a worker's resident memory grew from 330 to 500 MB over its first 12 fixture
    answers; trimmed after each file, to 365 MB, at no measurable CPU cost."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def peak_rss_mb() -> float:
    """This process's peak resident memory: Linux's VmHWM, the high-water mark of this process's
    own memory. Not ``ru_maxrss``: Linux carries that over from the parent across exec, so a
    worker started by a big process reported the parent's peak (a 13 MB child of a 600 MB
    parent reads 613 MB). Elsewhere ``ru_maxrss`` (KiB on Linux, bytes on macOS)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024


def load_worker(settings: BatchSettings) -> None:
    """Process-pool initializer: Ctrl-C is the parent's to handle; the model loads now, once."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    worker_scorer(settings)


# ---- runners ------------------------------------------------------------------------------------
def run_local(
    items: list[BatchItem],
    settings: BatchSettings,
    jobs: int = 1,
    on_ready: Callable[[], None] | None = None,
) -> Iterator[BatchResult]:
    """Results as they finish: in this process for ``jobs`` 1, else from ``jobs`` worker
    processes, each loading the model once. ``on_ready`` is called once the models are loaded."""
    if jobs <= 1 or len(items) <= 1:
        worker_scorer(settings)
        if on_ready:
            on_ready()
        for item in items:
            yield score_item(item, settings)
        return
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    # spawn, not fork: the parent may hold threads (progress bar), and a forked ONNX/CTranslate2
    # runtime is not safe.
    pool = ProcessPoolExecutor(
        max_workers=min(jobs, len(items)),
        mp_context=multiprocessing.get_context("spawn"),
        initializer=load_worker,
        initargs=(settings,),
    )
    try:
        waiting = {pool.submit(score_item, item, settings) for item in items}
        first = True
        while waiting:
            done, waiting = wait(waiting, return_when=FIRST_COMPLETED)
            if first and on_ready:
                on_ready()
                first = False
            for future in done:
                yield future.result()
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def run_cluster(
    items: list[BatchItem],
    settings: BatchSettings,
    address: str,
    on_ready: Callable[[], None] | None = None,
) -> Iterator[BatchResult]:
    """The same work on a Dask distributed cluster (the ``[cluster]`` extra): each worker process
    keeps its model between tasks; results come back as they finish. Connects at once, so a bad
    address is an error of this call, before any progress is shown."""
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise UsageError(
            "--cluster needs Dask distributed: pip install 'voice-interviewer[cluster]'"
        ) from None
    try:
        client = Client(address, timeout="20s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise UsageError(f"cannot reach the Dask scheduler at {address} ({exc})") from None
    except Exception as exc:  # something else answered: its bytes read as Dask's framing give
        # nonsense (a frame of 3 EiB: MemoryError) or any error of the protocol's layers
        raise UsageError(
            f"{address}: what answers there is not a Dask scheduler ({type(exc).__name__}); "
            "give the scheduler's address, e.g. tcp://host:8786"
        ) from None
    return _cluster_results(client, as_completed, items, settings, on_ready)


def _cluster_results(client, as_completed, items, settings, on_ready) -> Iterator[BatchResult]:
    try:
        futures = client.map(score_item, items, settings=settings, pure=False)
        first = True
        for future in as_completed(futures):
            if first and on_ready:
                on_ready()
                first = False
            yield future.result()
    finally:
        client.close()
