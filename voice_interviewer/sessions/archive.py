"""Moving a session between machines: one zip holding a manifest and the session's WAVs.

    manifest.json          {"format": "voice-interviewer-session", "version": 1, "session": {...},
                            "answers": [{seq, question_id, ..., status, wav, wav_sha256, analysis}]}
    audio/01-overfitting.wav

Import checks the whole archive (zip CRCs, the manifest, every WAV against its sha256) before it
writes anything, then goes through ``SessionStore`` like a practice session would: new ids, answer
rows first, WAV bytes copied unchanged. An answer that was never completed in the original
(``incomplete``) is left as a 'recording' row again, and a session that never ended is not ended,
so damage is carried over as such rather than hidden. The store stamps the session with the import
time; the original times are kept in ``settings["imported_from"]`` (``history`` dates by them).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from voice_interviewer.errors import SessionError
from voice_interviewer.sessions.store import (
    ANSWER_STATUSES,
    END_REASONS,
    SESSION_KINDS,
    SessionStore,
    now_iso,
)

FORMAT = "voice-interviewer-session"
VERSION = 1
MANIFEST = "manifest.json"


def default_archive_name(session_id: int, started_at: str) -> str:
    return f"voice-interviewer-session-{session_id}-{started_at[:10]}.zip"


def export_session(store: SessionStore, session_id: int | str, out: Path | None = None) -> Path:
    """Writes the session to ``out`` (default: a name with its id and date, in the current folder)
    and returns the path. Written to a temporary file and renamed, so no half-written zip is left."""
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
        entry.update(wav=None, wav_sha256=None, analysis=a.analysis)
        if a.wav_exists:
            entry["wav"] = f"audio/{a.wav_path.name}"
            entry["wav_sha256"] = hashlib.sha256(a.wav_path.read_bytes()).hexdigest()
            files.append((a.wav_path, entry["wav"]))
        answers.append(entry)
    manifest = {"format": FORMAT, "version": VERSION, "exported_at": now_iso()}
    manifest.update(session=session, answers=answers)
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


def _damaged(path: Path, why: str) -> SessionError:
    return SessionError(f"{path}: not a usable voice-interviewer session archive ({why})")


def read_archive(path: Path) -> tuple[dict, dict[str, bytes]]:
    """The manifest and the WAV bytes by entry name, all checked; a one-line SessionError if not."""
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as zf:
            bad = zf.testzip()  # reads every entry and checks its CRC
            if bad is not None:
                raise _damaged(path, f"entry {bad} is corrupt")
            names = set(zf.namelist())
            if MANIFEST not in names:
                raise _damaged(path, f"no {MANIFEST}")
            manifest = json.loads(zf.read(MANIFEST).decode("utf-8"))
            _check_manifest(path, manifest)
            wavs = {}
            for a in manifest["answers"]:
                if a.get("wav") is None:
                    continue
                if a["wav"] not in names:
                    raise _damaged(path, f"{a['wav']} is listed but not in the zip")
                data = zf.read(a["wav"])
                if hashlib.sha256(data).hexdigest() != a.get("wav_sha256"):
                    raise _damaged(path, f"{a['wav']} does not match its checksum")
                wavs[a["wav"]] = data
    except FileNotFoundError:
        raise SessionError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise SessionError(f"{path}: is a folder, not a zip archive") from None
    except (zipfile.BadZipFile, EOFError, zipfile.LargeZipFile, NotImplementedError) as exc:
        raise _damaged(path, f"damaged zip: {exc}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _damaged(path, f"{MANIFEST} is not valid JSON: {exc}") from None
    except OSError as exc:
        raise SessionError(f"{path}: cannot read the archive ({exc.strerror or exc})") from None
    return manifest, wavs


def _check_manifest(path: Path, m: Any) -> None:
    if not isinstance(m, dict) or m.get("format") != FORMAT:
        raise _damaged(path, f"{MANIFEST} is not a {FORMAT} manifest")
    if m.get("version") != VERSION:
        raise _damaged(path, f"format version {m.get('version')!r}; this program reads {VERSION}")
    s = m.get("session")
    if not isinstance(s, dict) or not all(
        isinstance(s.get(k), str) for k in ("bank_id", "bank_title", "model", "started_at")
    ):
        raise _damaged(path, "the session is missing its bank, model or date")
    if not isinstance(m.get("answers"), list):
        raise _damaged(path, "no answer list")
    seqs = set()
    for i, a in enumerate(m["answers"], 1):
        ok = isinstance(a, dict) and isinstance(a.get("seq"), int) and a["seq"] not in seqs
        ok = ok and all(isinstance(a.get(k), str) for k in ("question_id", "question_text", "category", "prompt_text"))  # fmt: skip
        ok = ok and a.get("status") in (*ANSWER_STATUSES, "incomplete")
        ok = ok and (a["status"] == "incomplete" or a.get("end_reason") in END_REASONS)
        ok = ok and (a.get("analysis") is None or isinstance(a["analysis"], dict))
        ok = ok and (a.get("wav") is None or isinstance(a["wav"], str))
        if not ok:
            raise _damaged(path, f"answer {i} in {MANIFEST} is malformed")
        seqs.add(a["seq"])


def import_archive(store: SessionStore, path: Path) -> int:
    """Creates a new session from the archive; returns its id. Nothing is written unless the
    whole archive checks out; a failure while writing removes the half-imported session."""
    manifest, wavs = read_archive(Path(path))
    s = manifest["session"]
    settings = dict(s.get("settings") or {})
    settings["imported_from"] = {
        "session_id": s.get("id"),
        "started_at": s["started_at"],
        "ended_at": s.get("ended_at"),
        "archive": Path(path).name,
    }
    kind = s.get("kind") if s.get("kind") in SESSION_KINDS else "practice"
    sid = store.create_session(
        s["bank_id"], s["bank_title"], s["model"], settings,
        kind=kind, started_at=s["started_at"], live=False,
    )  # fmt: skip
    try:
        for a in manifest["answers"]:
            aid, wav = store.begin_answer(
                sid, a["seq"], a["question_id"], a["question_text"], a["category"],
                a["prompt_text"], follow_up_of=a.get("follow_up_of"),
            )  # fmt: skip
            if a.get("wav") is not None:
                fd = os.open(wav, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                with os.fdopen(fd, "wb") as fh:
                    fh.write(wavs[a["wav"]])
            if a["status"] != "incomplete":
                store.complete_answer(aid, status=a["status"], end_reason=a["end_reason"], analysis=a.get("analysis"))  # fmt: skip
        if s.get("ended_at"):  # the archive's own times: history orders sessions by them
            ended = s["ended_at"] if isinstance(s["ended_at"], str) else None
            store.end_session(sid, interrupted=bool(s.get("interrupted")), ended_at=ended)
    except BaseException as exc:
        store.delete_session(sid)
        if isinstance(exc, OSError):
            raise SessionError(f"{path}: import failed while writing the recordings ({exc.strerror}); nothing was kept") from None  # fmt: skip
        raise
    return sid
