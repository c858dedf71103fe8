"""Hostile session archives, made the way an attacker (or a careless hand) would make them.

Used by the hardening tests and by ``python -m benchmarks.hardening``, which runs every probe
through the real command line and prints a table. Every archive starts from a real export (a
session saved through ``SessionStore`` with a real analysis and a real WAV) and then has one thing
changed, so a refusal can only come from that one thing.
"""

from __future__ import annotations

import hashlib
import json
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import numpy as np
import soundfile as sf

ROOT = Path(__file__).resolve().parents[1]
ANALYSIS = ROOT / "tests" / "data" / "analysis_overfitting.json"
RATE = 16000
GIB = 1 << 30


def analysis() -> dict:
    """A real ``score --json`` dict (Whisper tiny.en on a fixture clip)."""
    return json.loads(ANALYSIS.read_text())


def make_session(root: Path, seconds: float = 2.0, answers: int = 1) -> int:
    """Saves one ended session with ``answers`` scored answers (noise WAVs) into ``root``."""
    from voice_interviewer.scoring.analysis import Analysis
    from voice_interviewer.sessions.store import SessionStore

    a = analysis()
    q = a["question"]
    rng = np.random.default_rng(7)
    store = SessionStore(root)
    try:
        sid = store.create_session("amazon-mle", "Amazon MLE", "tiny.en", {"questions": [q["id"]]})
        for seq in range(1, answers + 1):
            aid, wav = store.begin_answer(sid, seq, q["id"], q["text"], q["category"], q["text"])
            noise = (rng.standard_normal(int(seconds * RATE)) * 0.05).astype(np.float32)
            sf.write(str(wav), noise, RATE, subtype="PCM_16", format="WAV")
            store.complete_answer(
                aid, status="answered", end_reason="silence", analysis=Analysis.from_dict(a)
            )
        store.end_session(sid, interrupted=False)
    finally:
        store.close()
    return sid


def make_archive(out: Path, seconds: float = 2.0, answers: int = 1) -> Path:
    """A real export of a freshly saved session."""
    from voice_interviewer.sessions.archive import export_session
    from voice_interviewer.sessions.store import SessionStore

    with tempfile.TemporaryDirectory() as tmp:
        sid = make_session(Path(tmp), seconds, answers)
        store = SessionStore(Path(tmp))
        try:
            return export_session(store, sid, out)
        finally:
            store.close()


def rewrite(
    src: Path,
    out: Path,
    edit: Callable[[dict], None] | None = None,
    entries: dict[str, bytes] | None = None,
) -> Path:
    """A copy of ``src`` with its manifest edited in place by ``edit`` and ``entries`` replaced or
    added (a WAV replaced keeps the manifest's checksum unless ``edit`` changes it)."""
    entries = dict(entries or {})
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            body = zin.read(item.filename)
            if item.filename == "manifest.json" and edit is not None:
                manifest = json.loads(body)
                edit(manifest)
                body = json.dumps(manifest).encode()
            zout.writestr(item.filename, entries.pop(item.filename, body))
        for name, body in entries.items():
            zout.writestr(name, body)
    return out


def edit_answer(**fields) -> Callable[[dict], None]:
    """A manifest edit setting fields of the first answer."""

    def edit(m: dict) -> None:
        m["answers"][0].update(fields)

    return edit


def edit_analysis(change: Callable[[dict], None]) -> Callable[[dict], None]:
    def edit(m: dict) -> None:
        change(m["answers"][0]["analysis"])

    return edit


def edit_session(**fields) -> Callable[[dict], None]:
    def edit(m: dict) -> None:
        m["session"].update(fields)

    return edit


# ------------------------------------------------------------------ bombs


def wav_header(data_bytes: int, rate: int = RATE) -> bytes:
    """A 16-bit mono PCM WAV header for ``data_bytes`` of samples."""
    fmt = struct.pack("<HHIIHH", 1, 1, rate, rate * 2, 2, 16)
    return (
        b"RIFF"
        + struct.pack("<I", 36 + data_bytes)
        + b"WAVE"
        + b"fmt "
        + struct.pack("<I", len(fmt))
        + fmt
        + b"data"
        + struct.pack("<I", data_bytes)
    )


def _silent_wav_deflated(size: int) -> tuple[bytes, int, str]:
    """A WAV of ``size`` bytes (header + zero samples) as a raw deflate stream, its CRC-32 and
    sha256, without holding it: after the first MiB the window is all zeros, so every further
    MiB (flushed on a block boundary) compresses to the same bytes."""
    mib = 1 << 20
    assert size % mib == 0 and size >= 2 * mib
    first = wav_header(size - 44) + bytes(mib - 44)
    zeros = bytes(mib)
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = comp.compress(first) + comp.flush(zlib.Z_FULL_FLUSH)
    block = comp.compress(zeros) + comp.flush(zlib.Z_FULL_FLUSH)
    tail = comp.flush()
    crc, sha = zlib.crc32(first), hashlib.sha256(first)
    for _ in range(size // mib - 1):
        crc = zlib.crc32(zeros, crc)
        sha.update(zeros)
    return head + block * (size // mib - 1) + tail, crc, sha.hexdigest()


def _zip_with_raw_entry(
    out: Path, files: dict[str, bytes], name: str, raw: bytes, crc: int, size: int, listed: int
) -> None:
    """A zip holding ``files`` (deflated normally) and one entry ``name`` written from an already
    deflated stream; its central directory claims ``listed`` bytes uncompressed (the truth is
    ``size``: a smaller ``listed`` is a lying header)."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, body in files.items():
            zf.writestr(n, body)
    with zipfile.ZipFile(out) as zf:
        infos = zf.infolist()
    data = out.read_bytes()
    cd_offset = struct.unpack("<I", data[-6:-2])[0]
    body = bytearray(data[:cd_offset])
    local_at = len(body)
    fname = name.encode()
    body += struct.pack(
        "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(raw), size, len(fname), 0
    )
    body += fname + raw
    cd = bytearray(data[cd_offset:-22])
    cd += struct.pack(
        "<IHHHHHHIIIHHHHHII",
        0x02014B50,
        20,
        20,
        0,
        8,
        0,
        0x21,
        crc,
        len(raw),
        listed,
        len(fname),
        0,
        0,
        0,
        0,
        0o600 << 16,
        local_at,
    )
    cd += fname
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(infos) + 1, len(infos) + 1, len(cd), len(body), 0
    )
    out.write_bytes(bytes(body) + bytes(cd) + end)


def make_wav_bomb(src: Path, out: Path, size: int = GIB, lying: bool = False) -> Path:
    """``src`` with its first answer's WAV replaced by a ``size``-byte silent WAV whose checksum
    the manifest carries: a ~1 MB file. ``lying``: the zip directory claims 4 KiB."""
    raw, crc, sha = _silent_wav_deflated(size)
    with zipfile.ZipFile(src) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        name = manifest["answers"][0]["wav"]
        files = {i.filename: zf.read(i.filename) for i in zf.infolist() if i.filename != name}
    manifest["answers"][0]["wav_sha256"] = sha
    files["manifest.json"] = json.dumps(manifest).encode()
    _zip_with_raw_entry(out, files, name, raw, crc, size, 4096 if lying else size)
    return out


def make_manifest_bomb(src: Path, out: Path, size: int = GIB, lying: bool = False) -> Path:
    """``src`` with a ``size``-byte manifest: the real one followed by spaces (valid JSON)."""
    with zipfile.ZipFile(src) as zf:
        manifest = zf.read("manifest.json")
        files = {i.filename: zf.read(i.filename) for i in zf.infolist()}
    del files["manifest.json"]
    mib = 1 << 20
    pad = size - len(manifest)
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = manifest + b" " * (mib - len(manifest))
    spaces = b" " * mib
    head = comp.compress(first) + comp.flush(zlib.Z_FULL_FLUSH)
    block = comp.compress(spaces) + comp.flush(zlib.Z_FULL_FLUSH)
    crc = zlib.crc32(first)
    n = (pad + len(manifest)) // mib - 1
    for _ in range(n):
        crc = zlib.crc32(spaces, crc)
    raw = head + block * n + comp.flush()
    total = mib * (n + 1)
    _zip_with_raw_entry(out, files, "manifest.json", raw, crc, total, 4096 if lying else total)
    return out


def make_many_entries(src: Path, out: Path, count: int = 100_000) -> Path:
    """``src`` plus ``count`` empty entries: a directory too long to be a session."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zout:
        for item in zin.infolist():
            zout.writestr(item.filename, zin.read(item.filename))
        for i in range(count):
            zout.writestr(f"junk/{i}", b"")
    return out
