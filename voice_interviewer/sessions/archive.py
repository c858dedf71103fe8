"""Moving a session between machines: one zip holding a manifest and the session's WAVs.

The manifest carries the session, its answers and the user's corrections of the rubric
(``corrections.json``, written again into the imported session's folder, so they are shown and
taught in the data folder it is imported into).

The format and every check on the way in are in ``archive_reader``. Import never leaves half a
session behind:

1. the archive's directory and manifest are checked (``SessionArchive.open``): nothing written;
2. the recordings are streamed into a staging folder inside the data folder (after checking
   there is room for them), each checked against its sha256 and as a WAV;
3. one database transaction creates the session and its answers, moving each staged WAV into
   the session's own new folder; any failure (a full disk included) rolls the transaction back
   and removes the folder, and the staging folder always goes.

An answer that was never completed in the original (``incomplete``) is left as a 'recording' row
again, and a session that never ended is not ended, so damage is carried over as such rather than
hidden. The session keeps its original start and end times; where it came from is kept in
``settings["imported_from"]``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

from voice_interviewer.errors import SessionError
from voice_interviewer.paths import make_private_dir
from voice_interviewer.sessions.archive_reader import (
    FORMAT,
    MANIFEST,
    VERSION,
    ArchivedAnswer,
    SessionArchive,
)
from voice_interviewer.sessions.corrections import load_corrections, write_corrections
from voice_interviewer.sessions.store import SessionStore, now_iso

STAGING_PREFIX = ".import-"
STALE_STAGING_S = 6 * 3600  # older staging folders were left by an import that was killed
SPACE_MARGIN = 1 << 20  # room for the database's growth besides the analyses, when the WAVs are in


def default_archive_name(session_id: int, started_at: str) -> str:
    return f"voice-interviewer-session-{session_id}-{started_at[:10]}.zip"


def export_session(store: SessionStore, session_id: int | str, out: Path | None = None) -> Path:
    """Writes the session to ``out`` (default: a name with its id and date, in the current folder)
    and returns the path. Written to a temporary file and renamed, so no half-written zip is
    left."""
    d = store.load_session(session_id)
    out = Path(out) if out else Path(default_archive_name(d.id, d.started_at))
    session = {k: v for k, v in d.to_dict().items() if k != "answers"}
    answers, files = [], []
    for a in d.answers:
        entry: dict[str, Any] = {
            k: getattr(a, k)
            for k in ("seq", "question_id", "question_text", "category", "prompt_text")
        }
        entry.update(follow_up_of=a.follow_up_of, status=a.status, end_reason=a.end_reason)
        entry["attempt"] = a.attempt  # added with Try again; older archives lack it (attempt 1)
        analysis = None if a.analysis is None else a.analysis.to_dict()
        entry.update(wav=None, wav_sha256=None, analysis=analysis)
        if a.wav_exists:
            entry["wav"] = f"audio/{a.wav_path.name}"
            entry["wav_sha256"] = _sha256(a.wav_path)
            files.append((a.wav_path, entry["wav"]))
        answers.append(entry)
    manifest = {"format": FORMAT, "version": VERSION, "exported_at": now_iso()}
    manifest.update(session=session, answers=answers)
    # A damaged corrections file stops the export (one line naming it) rather than be dropped.
    corrections = load_corrections(store.session_dir(d.id))
    manifest["corrections"] = [c.to_dict() for c in corrections]
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".export-", suffix=".zip", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as fh, zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
            for path, name in files:
                zf.write(path, name)
        os.chmod(tmp, 0o600)  # recordings of someone's voice are personal
        os.replace(tmp, out)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise SessionError(f"{out}: cannot write the archive ({exc.strerror})") from None
    return out


def _sha256(path: Path) -> str:
    sha = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            sha.update(chunk)
    return sha.hexdigest()


def import_archive(store: SessionStore, path: Path) -> int:
    """Creates a new session in ``store`` from the archive; returns its id."""
    with SessionArchive.open(Path(path)) as archive:
        staging = _stage(archive, store.root)
        try:
            return _write(store, archive, staging)
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def import_into(root: Path, path: Path) -> int:
    """``import_archive`` into the data folder ``root``, whose database is opened (or created)
    only once the archive and its recordings have checked out: a refused archive leaves no trace,
    not even a new empty data folder."""
    root = Path(root)
    with SessionArchive.open(Path(path)) as archive:
        existed = root.is_dir()
        make_private_dir(root)
        try:
            staging = _stage(archive, root)
        except BaseException:
            if not existed:
                with contextlib.suppress(OSError):
                    root.rmdir()  # made just now, and empty again without the staging folder
            raise
        try:
            store = SessionStore(root)
            try:
                return _write(store, archive, staging)
            finally:
                store.close()
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def free_bytes(folder: Path) -> int:
    """Space free for this user in ``folder`` (a function, so a test can pretend the disk is
    big)."""
    return shutil.disk_usage(folder).free


def _stage(archive: SessionArchive, root: Path) -> Path:
    """The archive's recordings, checked, in a new private folder inside ``root``."""
    _remove_stale_staging(root)
    need = archive.audio_bytes() + 2 * archive.manifest_bytes + SPACE_MARGIN
    free = free_bytes(root)
    if need > free:
        raise SessionError(
            f"{archive.path}: importing it needs {need / 1e6:.1f} MB and {root} has "
            f"{free / 1e6:.1f} MB free; free some space or choose another --data-dir"
        )
    try:
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=root))
    except OSError as exc:
        raise SessionError(f"{root}: cannot write there ({exc.strerror})") from None
    try:
        for n, a in enumerate(archive.manifest.answers):
            if a.wav is not None:
                archive.extract_wav(a, _staged(staging, n))
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def _remove_stale_staging(root: Path) -> None:
    """Staging folders of imports killed mid-way (SIGKILL, power loss): hours old, not in use."""
    now = time.time()
    for old in root.glob(STAGING_PREFIX + "*"):
        with contextlib.suppress(OSError):
            if old.is_dir() and now - old.stat().st_mtime > STALE_STAGING_S:
                shutil.rmtree(old)


def _staged(staging: Path, n: int) -> Path:
    return staging / f"{n}.wav"


def _write(store: SessionStore, archive: SessionArchive, staging: Path) -> int:
    """One transaction: the session, its answers, the staged WAVs moved into its folder."""
    s = archive.manifest.session
    settings = dict(s.settings)
    settings["imported_from"] = {
        "session_id": s.original_id,
        "started_at": s.started_at,
        "ended_at": s.ended_at,
        "archive": archive.path.name,
    }
    folder = None
    try:
        with store.transaction():
            sid = store.create_session(
                s.bank_id,
                s.bank_title,
                s.model,
                settings,
                kind=s.kind,
                started_at=s.started_at,
                live=False,
            )
            folder = store.session_dir(sid)
            for n, a in enumerate(archive.manifest.answers):
                _write_answer(store, sid, a, _staged(staging, n))
            if archive.manifest.corrections:
                write_corrections(folder, archive.manifest.corrections)
            if s.ended_at:
                store.end_session(sid, interrupted=s.interrupted, ended_at=s.ended_at)
    except BaseException as exc:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)  # this import's own new folder
        if isinstance(exc, OSError):
            raise SessionError(
                f"{archive.path}: import failed while writing the recordings "
                f"({exc.strerror or exc}); nothing was kept"
            ) from None
        if isinstance(exc, SessionError):
            raise SessionError(f"{archive.path}: import failed, nothing was kept: {exc}") from None
        raise
    return sid


def _write_answer(store: SessionStore, sid: int, a: ArchivedAnswer, staged: Path) -> None:
    aid, wav = store.begin_answer(
        sid,
        a.seq,
        a.question_id,
        a.question_text,
        a.category,
        a.prompt_text,
        follow_up_of=a.follow_up_of,
        attempt=a.attempt,
    )
    if a.wav is not None:
        os.replace(staged, wav)  # same file system: a rename, no copy, no space needed
    if a.status != "incomplete":
        store.complete_answer(aid, status=a.status, end_reason=a.end_reason, analysis=a.analysis)
