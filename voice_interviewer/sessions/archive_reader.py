"""Reading a session archive someone handed you, trusting nothing in it.

    manifest.json          {"format": "voice-interviewer-session", "version": 1, "session": {...},
                            "answers": [{seq, question_id, ..., status, wav, wav_sha256, analysis}],
                            "corrections": [{seq, question_id, point_id, ..., made, at}]}
    audio/01-overfitting.wav

``SessionArchive.open`` checks the zip's directory (entry count from the end record before the
directory is even parsed, unique names, no encryption, sizes within the limits below) and reads the
manifest, bounded, then checks every field of it (``records``): a typed ``Manifest`` or a one-line
``SessionError`` naming the archive and the field. ``extract_wav`` streams one recording to a file,
counting the bytes it really gets (the sizes in the zip's headers are claims), hashing as it goes,
and checks the sha256 and the WAV header: memory stays a few MiB whatever the archive holds. Every
entry is read once; the zip CRC of each is checked as its end is reached.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from voice_interviewer.errors import SessionError
from voice_interviewer.sessions import records as r
from voice_interviewer.sessions.corrections import Correction, check_correction
from voice_interviewer.user_files import open_regular

if TYPE_CHECKING:
    from voice_interviewer.scoring.analysis import Analysis

FORMAT = "voice-interviewer-session"
VERSION = 1
MANIFEST = "manifest.json"
# Limits: far above any real session (a recording of one answer is ~2 MB a minute), far below
# what would hurt the machine.
MAX_ENTRIES = 2_000
MAX_MANIFEST_BYTES = 32 << 20
MAX_WAV_BYTES = 512 << 20  # 4.6 hours of 16 kHz 16-bit mono
MAX_TOTAL_BYTES = 2 << 30
CHUNK = 1 << 20
WAV_HEAD = 4096  # the header (and its chunks before the samples) must fit in this
WAV_ENTRY_RE = re.compile(r"audio/[A-Za-z0-9][A-Za-z0-9._-]{0,150}\.wav")
SHA256_RE = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class ArchivedSession:
    bank_id: str
    bank_title: str
    model: str
    kind: str
    started_at: str
    ended_at: str | None
    interrupted: bool
    settings: dict[str, Any]
    original_id: int | None  # the session's id on the machine it was exported from


@dataclass(frozen=True)
class ArchivedAnswer:
    seq: int
    question_id: str
    question_text: str
    category: str
    prompt_text: str
    follow_up_of: int | None
    status: str  # an ANSWER_STATUSES value, or 'incomplete' (never finished in the original)
    end_reason: str | None
    wav: str | None  # its entry in the zip
    wav_sha256: str | None
    analysis: Analysis | None  # read from its ``score --json`` object, checked
    attempt: int = 1  # Try again's 2, 3...; archives written before attempts have none: 1


@dataclass(frozen=True)
class Manifest:
    session: ArchivedSession
    answers: list[ArchivedAnswer]
    # The user's corrections of the rubric (``sessions.corrections``); archives written before
    # corrections existed have none.
    corrections: list[Correction] = field(default_factory=list)


def damaged(path: Path, why: str) -> SessionError:
    return SessionError(f"{path}: not a usable voice-interviewer session archive ({why})")


class SessionArchive:
    """An open archive whose directory and manifest check out. Use as a context manager."""

    def __init__(self, path: Path, fh: BinaryIO, zf: zipfile.ZipFile, manifest: Manifest) -> None:
        self.path = path
        self.manifest = manifest
        self.manifest_bytes = 0  # its size: the analyses go into the database
        self._fh = fh
        self._zip = zf

    @classmethod
    def open(cls, path: Path) -> SessionArchive:
        path = Path(path)
        fh = open_regular(path, "a zip archive", SessionError)  # owned by the archive
        try:
            _check_end_record(path, fh)
            zf = zipfile.ZipFile(fh)
        except BaseException as exc:
            fh.close()
            if isinstance(exc, zipfile.BadZipFile | EOFError | OSError | ValueError):
                raise damaged(path, f"damaged zip: {exc}") from None
            raise
        try:
            infos = _check_directory(path, zf)
            raw = _read_entry(path, zf, infos[MANIFEST], MAX_MANIFEST_BYTES)
            manifest = parse_manifest(path, raw, infos)
        except BaseException:
            zf.close()
            fh.close()
            raise
        archive = cls(path, fh, zf, manifest)
        archive.manifest_bytes = len(raw)
        return archive

    def audio_bytes(self) -> int:
        """What the recordings take on disk once extracted (as the directory claims them)."""
        return sum(self._zip.getinfo(a.wav).file_size for a in self.manifest.answers if a.wav)

    def extract_wav(self, answer: ArchivedAnswer, dest: Path) -> None:
        """Streams the answer's recording to ``dest`` (a new file, 0600) and checks it; on any
        failure ``dest`` is removed and a one-line SessionError raised."""
        assert answer.wav is not None and answer.wav_sha256 is not None
        info = self._zip.getinfo(answer.wav)
        sha, size, head = hashlib.sha256(), 0, b""
        try:
            fd = os.open(dest, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as out, self._zip.open(info) as src:
                while chunk := src.read(CHUNK):
                    size += len(chunk)
                    if size > min(info.file_size, MAX_WAV_BYTES):  # never trust the header
                        raise damaged(self.path, f"{answer.wav} is larger than its zip header says")
                    if len(head) < WAV_HEAD:
                        head += chunk[: WAV_HEAD - len(head)]
                    sha.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())  # on disk before the database says it is there
            if sha.hexdigest() != answer.wav_sha256:
                raise damaged(self.path, f"{answer.wav} does not match its checksum")
            problem = wav_problem(head)
            if problem:
                raise damaged(self.path, f"{answer.wav} is not a WAV recording ({problem})")
        except BaseException as exc:
            dest.unlink(missing_ok=True)
            if isinstance(exc, zipfile.BadZipFile | EOFError | zlib.error | NotImplementedError):
                raise damaged(self.path, f"entry {answer.wav} is corrupt ({exc})") from None
            if isinstance(exc, OSError):
                raise SessionError(
                    f"{self.path}: import failed while writing the recordings to {dest.parent} "
                    f"({exc.strerror or exc}); nothing was kept"
                ) from None
            raise

    def close(self) -> None:
        self._zip.close()
        self._fh.close()

    def __enter__(self) -> SessionArchive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# ------------------------------------------------------------------ the zip's directory


def _check_end_record(path: Path, fh: BinaryIO) -> None:
    """Refuses an archive whose directory is too long, before ``zipfile`` parses all of it."""
    fh.seek(0, os.SEEK_END)
    size = fh.tell()
    fh.seek(max(0, size - 65_557))  # the end record (22 bytes) and a comment of up to 64 KiB
    tail = fh.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        raise damaged(path, "damaged zip: no end of central directory")
    entries, cd_size = struct.unpack("<HI", tail[at + 10 : at + 16])
    if entries == 0xFFFF or cd_size == 0xFFFFFFFF:
        raise damaged(
            path,
            "a zip64 archive (over 65535 entries or 4 GiB): larger than a session archive can be",
        )
    if entries > MAX_ENTRIES or cd_size > MAX_ENTRIES * 1024:
        raise damaged(path, f"{entries} entries; a session archive has at most {MAX_ENTRIES}")


def _check_directory(path: Path, zf: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        raise damaged(path, f"{len(infos)} entries; a session archive has at most {MAX_ENTRIES}")
    by_name: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        name = info.filename
        if name in by_name:
            raise damaged(path, f"entry {name!r} appears twice")
        by_name[name] = info
        if info.flag_bits & 0x1:
            raise damaged(path, f"entry {name!r} is encrypted")
        limit = MAX_MANIFEST_BYTES if name == MANIFEST else MAX_WAV_BYTES
        if info.file_size > limit:
            raise damaged(path, f"entry {name!r} is {_mb(info.file_size)}; at most {_mb(limit)}")
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise damaged(path, f"its entries hold {_mb(total)}; at most {_mb(MAX_TOTAL_BYTES)}")
    if MANIFEST not in by_name:
        raise damaged(path, f"no {MANIFEST}")
    return by_name


def _mb(n: int) -> str:
    return f"{n / (1 << 20):.0f} MiB"


def _read_entry(path: Path, zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """The entry's bytes, read in chunks and counted: at most ``limit`` whatever its header says."""
    parts, size = [], 0
    try:
        with zf.open(info) as src:
            while chunk := src.read(CHUNK):
                size += len(chunk)
                if size > min(info.file_size, limit):
                    raise damaged(path, f"{info.filename} is larger than its zip header says")
                parts.append(chunk)
    except (zipfile.BadZipFile, EOFError, NotImplementedError, zlib.error) as exc:
        raise damaged(path, f"entry {info.filename} is corrupt ({exc})") from None
    return b"".join(parts)


# ------------------------------------------------------------------ the manifest


def parse_manifest(path: Path, raw: bytes, entries: dict[str, zipfile.ZipInfo]) -> Manifest:
    """The manifest checked field by field against the format; a one-line error naming the
    archive and the first field that is wrong."""
    try:
        m = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        why = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        raise damaged(path, f"{MANIFEST} is not valid JSON: {why}") from None
    if not isinstance(m, dict) or m.get("format") != FORMAT:
        raise damaged(path, f"{MANIFEST} is not a {FORMAT} manifest")
    if m.get("version") != VERSION:
        raise damaged(path, f"format version {m.get('version')!r}; this program reads {VERSION}")
    try:
        session = _session(m.get("session"))
        answers = [
            _answer(f"answers[{i}]", a, entries)
            for i, a in enumerate(r.listing("answers", m.get("answers")))
        ]
        _check_answers_together(answers)
        corrections = _corrections(m.get("corrections", []), answers)
    except r.RecordError as exc:
        raise damaged(path, f"{MANIFEST}: {exc}") from None
    return Manifest(session, answers, corrections)


def _session(s: Any) -> ArchivedSession:
    r.mapping("session", s)
    r.ident("session.bank_id", s.get("bank_id"))
    r.text("session.bank_title", s.get("bank_title"))
    r.text("session.model", s.get("model"), limit=200)
    r.timestamp("session.started_at", s.get("started_at"))
    r.timestamp("session.ended_at", s.get("ended_at"), optional=True)
    r.ended_after_start("session", s["started_at"], s.get("ended_at"))
    kind = s.get("kind", "practice")
    if kind not in r.SESSION_KINDS:
        raise r.RecordError("session.kind", f"expected one of {r.SESSION_KINDS}, got {kind!r}")
    interrupted = s.get("interrupted", False)
    if interrupted not in (True, False):  # also 0 and 1
        raise r.RecordError("session.interrupted", f"expected true or false, got {interrupted!r}")
    settings = s.get("settings") or {}
    r.check_settings("session.settings", settings)
    r.check_foreign_json("session.settings", settings)
    if s.get("id") is not None:
        r.integer("session.id", s["id"], 1, 2**62)
    return ArchivedSession(
        s["bank_id"],
        s["bank_title"],
        s["model"],
        kind,
        s["started_at"],
        s.get("ended_at"),
        bool(interrupted),
        settings,
        s.get("id"),
    )


def _answer(where: str, a: Any, entries: dict[str, zipfile.ZipInfo]) -> ArchivedAnswer:
    r.mapping(where, a)
    r.integer(f"{where}.seq", a.get("seq"), 1, r.MAX_SEQ)
    r.ident(f"{where}.question_id", a.get("question_id"))
    for key in ("question_text", "category", "prompt_text"):
        r.text(f"{where}.{key}", a.get(key))
    if a.get("follow_up_of") is not None:
        r.integer(f"{where}.follow_up_of", a["follow_up_of"], 1, r.MAX_SEQ)
    attempt = a.get("attempt", 1)
    r.integer(f"{where}.attempt", attempt, 1, r.MAX_SEQ)
    status = a.get("status")
    if status not in (*r.ANSWER_STATUSES, "incomplete"):
        raise r.RecordError(
            f"{where}.status",
            f"expected one of {(*r.ANSWER_STATUSES, 'incomplete')}, got {status!r}",
        )
    reason = a.get("end_reason")
    if not (reason in r.END_REASONS or (reason is None and status == "incomplete")):
        raise r.RecordError(
            f"{where}.end_reason", f"expected one of {r.END_REASONS}, got {reason!r}"
        )
    analysis = None
    if a.get("analysis") is not None:
        r.check_foreign_json(f"{where}.analysis", a["analysis"])
        analysis = r.check_analysis(f"{where}.analysis", a["analysis"])
    wav, sha = a.get("wav"), a.get("wav_sha256")
    if wav is not None:
        if not isinstance(wav, str) or not WAV_ENTRY_RE.fullmatch(wav):
            raise r.RecordError(f"{where}.wav", f"expected audio/NAME.wav, got {wav!r:.60}")
        if wav not in entries:
            raise r.RecordError(f"{where}.wav", f"{wav} is listed but not in the zip")
        if not isinstance(sha, str) or not SHA256_RE.fullmatch(sha):
            raise r.RecordError(f"{where}.wav_sha256", "expected 64 lowercase hex digits")
    return ArchivedAnswer(
        a["seq"],
        a["question_id"],
        a["question_text"],
        a["category"],
        a["prompt_text"],
        a.get("follow_up_of"),
        status,
        reason,
        wav,
        sha if wav else None,
        analysis,
        attempt,
    )


def _check_answers_together(answers: list[ArchivedAnswer]) -> None:
    if len(answers) > r.MAX_SEQ:
        raise r.RecordError("answers", f"{len(answers)} answers; at most {r.MAX_SEQ}")
    seqs: set[int] = set()
    wavs: set[str] = set()
    for i, a in enumerate(answers):
        if a.seq in seqs:
            raise r.RecordError(f"answers[{i}].seq", f"{a.seq} is used twice")
        if a.wav in wavs:
            raise r.RecordError(f"answers[{i}].wav", f"{a.wav} belongs to two answers")
        seqs.add(a.seq)
        if a.wav:
            wavs.add(a.wav)
    for i, a in enumerate(answers):
        if a.follow_up_of is not None and a.follow_up_of not in seqs:
            raise r.RecordError(
                f"answers[{i}].follow_up_of", f"no answer {a.follow_up_of} to follow"
            )


def _corrections(listed: Any, answers: list[ArchivedAnswer]) -> list[Correction]:
    """Each correction checked, and checked to be about a point of a scored answer of this
    archive (a correction of nothing would teach later answers a verdict nobody gave)."""
    by_seq = {a.seq: a for a in answers}
    out: list[Correction] = []
    for i, d in enumerate(r.listing("corrections", listed)):
        where = f"corrections[{i}]"
        c = check_correction(where, d)
        a = by_seq.get(c.seq)
        if a is None or a.question_id != c.question_id:
            raise r.RecordError(where, f"no answer {c.seq} to question {c.question_id!r}")
        points = [p.id for p in a.analysis.rubric.points] if a.analysis else []
        if c.point_id not in points:
            raise r.RecordError(
                f"{where}.point_id", f"answer {c.seq} has no rubric point {c.point_id!r}"
            )
        if any((x.seq, x.point_id) == (c.seq, c.point_id) for x in out):
            raise r.RecordError(where, f"answer {c.seq}'s point {c.point_id!r} is corrected twice")
        out.append(c)
    return out


# ------------------------------------------------------------------ WAV header


def wav_problem(head: bytes) -> str | None:
    """What makes ``head`` (the file's first bytes) not the start of a PCM WAV file, or None."""
    if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        return "no RIFF/WAVE header"
    at, fmt_seen = 12, False
    while at + 8 <= len(head):
        chunk, size = head[at : at + 4], struct.unpack("<I", head[at + 4 : at + 8])[0]
        if chunk == b"fmt ":
            if size < 16 or at + 24 > len(head):
                return "a short fmt chunk"
            tag, channels, rate, _, _, bits = struct.unpack("<HHIIHH", head[at + 8 : at + 24])
            if tag not in (1, 3, 0xFFFE):
                return f"format tag {tag}, not PCM"
            if not (1 <= channels <= 8 and 4000 <= rate <= 384_000 and bits in (8, 16, 24, 32)):
                return f"{channels} channels, {rate} Hz, {bits} bits"
            fmt_seen = True
        elif chunk == b"data":
            return None if fmt_seen else "samples before the fmt chunk"
        at += 8 + size + (size & 1)
    return f"no data chunk in the first {WAV_HEAD} bytes"
