"""Issue 15 items 2-4: a hostile or damaged archive is refused whole, in one line naming the archive
and the field, with nothing written; a zip bomb is refused quickly with bounded memory."""

from __future__ import annotations

import hashlib
import json
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from evaluation import hostile
from tests.sessions_fixture import run_review_command as run
from voice_interviewer.errors import SessionError
from voice_interviewer.sessions import archive_reader
from voice_interviewer.sessions.corrections import load_corrections
from voice_interviewer.sessions.store import SessionStore


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    return hostile.make_archive(tmp_path_factory.mktemp("base") / "base.zip", answers=2)


def refused(archive: Path, data: Path) -> str:
    """Imports ``archive`` into ``data`` through the CLI; the one-line error it must give."""
    with pytest.raises(SessionError) as exc:
        run(["import", str(archive), "--data-dir", str(data)])
    msg = str(exc.value)
    assert "\n" not in msg and msg.startswith(f"{archive}: "), msg
    return msg


def nothing_written(data: Path, before: list[int] | None = None) -> None:
    if before is None:  # a fresh folder: not even created
        assert not data.exists(), sorted(data.rglob("*"))
        return
    store = SessionStore(data)
    try:
        assert [s.id for s in store.list_sessions()] == before
    finally:
        store.close()
    assert not list(data.glob(".import-*")), "staging folder left behind"
    folders = sorted(p.name for p in (data / "sessions").iterdir())
    assert folders == [str(i) for i in sorted(before)]


def _word_start_text(a: dict) -> None:
    a["words"][0]["start"] = "1.0"


def _drop(key):
    return lambda a: a.pop(key)


def _correct(whole=..., twice=False, **fields):
    """A manifest edit adding a correction of the first answer's first point, with ``fields``
    changed (None drops the key), or ``whole`` in its place."""
    good = {
        "seq": 1,
        "question_id": "overfitting",
        "point_id": "definition",
        "point_text": "Defines overfitting",
        "sentence": "It memorises the training data.",
        "made": True,
        "at": "2026-12-01T10:00:00+00:00",
    }
    c = {k: v for k, v in {**good, **fields}.items() if v is not None}

    def edit(m: dict) -> None:
        if whole is not ...:
            m["corrections"] = whole if whole is None else [whole]
        else:
            m["corrections"] = [c, dict(c, made=False)] if twice else [c]

    return edit


FIELDS = [
    # (label, manifest edit, the field the message names)
    (
        "started_at yesterday",
        hostile.edit_session(started_at="yesterday"),
        "session.started_at: expected an ISO date",
    ),
    ("ended_at a number", hostile.edit_session(ended_at=5), "session.ended_at"),
    (
        "settings a list",
        hostile.edit_session(settings=[1, 2]),
        "session.settings: expected an object",
    ),
    (
        "settings number a string",
        hostile.edit_session(settings={"end_silence_s": "3"}),
        "session.settings.end_silence_s",
    ),
    (
        "imported_from date",
        hostile.edit_session(settings={"imported_from": {"started_at": "x"}}),
        "session.settings.imported_from.started_at",
    ),
    (
        "settings extra NaN",
        hostile.edit_session(settings={"extra": [float("inf")]}),
        "session.settings.extra[0]: expected a finite number",
    ),
    ("bank_id markup", hostile.edit_session(bank_id="evil[/]"), "session.bank_id"),
    ("kind unknown", hostile.edit_session(kind="exam"), "session.kind"),
    ("seq 10**30", hostile.edit_answer(seq=10**30), "answers[0].seq: expected a whole number"),
    ("seq true", hostile.edit_answer(seq=True), "answers[0].seq"),
    (
        "seq twice",
        lambda m: m["answers"][1].update(seq=m["answers"][0]["seq"]),
        "answers[1].seq: 1 is used twice",
    ),
    (
        "NUL in question_id",
        hostile.edit_answer(question_id="over\x00fit"),
        "answers[0].question_id",
    ),
    (
        "question_id traversal",
        hostile.edit_answer(question_id="../../x"),
        "answers[0].question_id",
    ),
    (
        "NUL in question_text",
        hostile.edit_answer(question_text="a\x00b"),
        "answers[0].question_text: contains a NUL",
    ),
    (
        "follow_up_of nowhere",
        hostile.edit_answer(follow_up_of=99),
        "answers[0].follow_up_of: no answer 99",
    ),
    ("end_reason unknown", hostile.edit_answer(end_reason="boom"), "answers[0].end_reason"),
    (
        "analysis empty",
        hostile.edit_answer(analysis={}),
        "answers[0].analysis: missing key",
    ),
    (
        "analysis a list",
        hostile.edit_answer(analysis=[]),
        "answers[0].analysis: must be an object",
    ),
    (
        "no rubric",
        hostile.edit_analysis(_drop("rubric")),
        "answers[0].analysis: missing key 'rubric'",
    ),
    (
        "rubric a list",
        hostile.edit_analysis(lambda a: a.update(rubric=[])),
        "answers[0].analysis.rubric: must be an object",
    ),
    (
        "transcript a dict",
        hostile.edit_analysis(lambda a: a.update(transcript={})),
        "answers[0].analysis.transcript: must be a string",
    ),
    (
        "word time a string",
        hostile.edit_analysis(_word_start_text),
        "answers[0].analysis.words[0].start: must be a number",
    ),
    (
        "coverage NaN",
        hostile.edit_analysis(lambda a: a["rubric"].update(coverage=float("nan"))),
        "answers[0].analysis.rubric.coverage: expected a finite number",
    ),
    (
        "hit a string",
        hostile.edit_analysis(lambda a: a["rubric"]["points"][0].update(hit="yes")),
        "answers[0].analysis.rubric.points[0].hit: must be true or false",
    ),
    (
        "target one number",
        hostile.edit_analysis(lambda a: a.update(target_seconds=[60])),
        "answers[0].analysis.target_seconds: must be a list of two numbers",
    ),
    (
        "long_pauses a number",
        hostile.edit_analysis(lambda a: a.update(long_pauses=3)),
        "answers[0].analysis.long_pauses: must be a list",
    ),
    (
        "wav traversal",
        hostile.edit_answer(wav="../../etc/passwd"),
        "answers[0].wav: expected audio/NAME.wav",
    ),
    (
        "wav missing",
        hostile.edit_answer(wav="audio/99-none.wav"),
        "answers[0].wav: audio/99-none.wav is listed but not in the zip",
    ),
    ("sha256 short", hostile.edit_answer(wav_sha256="abc"), "answers[0].wav_sha256"),
    ("corrections null", _correct(None), "corrections: expected a list"),
    ("correction a string", _correct("made"), "corrections[0]: expected an object"),
    ("correction no verdict", _correct(made=None), "corrections[0]: not a correction"),
    ("correction made yes", _correct(made="yes"), "corrections[0].made: expected true or false"),
    ("correction seq true", _correct(seq=True), "corrections[0].seq: expected a whole number"),
    ("correction of nothing", _correct(seq=9), "corrections[0]: no answer 9"),
    ("correction other question", _correct(question_id="failure"), "corrections[0]: no answer 1"),
    ("correction point traversal", _correct(point_id="../x"), "corrections[0].point_id"),
    ("correction unknown point", _correct(point_id="nope"), "has no rubric point 'nope'"),
    ("correction NUL", _correct(sentence="a\x00b"), "corrections[0].sentence: contains a NUL"),
    ("correction date", _correct(at="yesterday"), "corrections[0].at: expected an ISO date"),
    ("corrected twice", _correct(twice=True), "corrections[1]: answer 1's point 'definition'"),
]


@pytest.mark.parametrize("label, edit, field", FIELDS, ids=[f[0] for f in FIELDS])
def test_a_bad_field_is_refused_naming_it(tmp_path, base, label, edit, field):
    bad = hostile.rewrite(base, tmp_path / "bad.zip", edit=edit)
    assert field in refused(bad, tmp_path / "fresh")
    nothing_written(tmp_path / "fresh")
    # into a folder with a session already: that one stays, nothing is added
    data = tmp_path / "data"
    hostile.make_session(data)
    assert field in refused(bad, data)
    nothing_written(data, [1])


def test_a_good_correction_is_imported_with_the_session(tmp_path, base):
    good = hostile.rewrite(base, tmp_path / "good.zip", edit=_correct())
    assert run(["import", str(good), "--data-dir", str(tmp_path / "d")]) == 0
    store = SessionStore(tmp_path / "d")
    try:
        [c] = load_corrections(store.session_dir(1))
    finally:
        store.close()
    assert (c.seq, c.point_id, c.made, c.sentence) == (
        1,
        "definition",
        True,
        "It memorises the training data.",
    )


def test_a_damaged_corrections_file_stops_the_export_in_one_line(tmp_path):
    sid = hostile.make_session(tmp_path / "d")
    store = SessionStore(tmp_path / "d")
    try:
        bad = store.session_dir(sid) / "corrections.json"
    finally:
        store.close()
    bad.write_text('[{"seq": 1}]')
    out = tmp_path / "s.zip"
    with pytest.raises(SessionError) as exc:
        run(["export", str(sid), "-o", str(out), "--data-dir", str(tmp_path / "d")])
    msg = str(exc.value)
    assert "\n" not in msg and msg.startswith(f"{bad}: correction 1: not a correction"), msg
    assert not out.exists()


def test_deeply_nested_json_is_one_line(tmp_path, base):
    raw = json.loads(zipfile.ZipFile(base).read("manifest.json"))
    text = json.dumps(raw).replace(
        '"settings": {', '"settings": {"deep": ' + "[" * 200_000 + "]" * 200_000 + ", ", 1
    )
    bad = hostile.rewrite(base, tmp_path / "deep.zip", entries={"manifest.json": text.encode()})
    assert "manifest.json is not valid JSON: nested too deeply" in refused(bad, tmp_path / "d")
    nothing_written(tmp_path / "d")


def test_a_recording_that_is_not_a_wav_is_refused(tmp_path, base):
    body = b"#!/bin/sh\necho not audio\n" * 50
    edit = hostile.edit_answer(wav_sha256=hashlib.sha256(body).hexdigest())
    name = json.loads(zipfile.ZipFile(base).read("manifest.json"))["answers"][0]["wav"]
    bad = hostile.rewrite(base, tmp_path / "bad.zip", edit=edit, entries={name: body})
    assert "is not a WAV recording (no RIFF/WAVE header)" in refused(bad, tmp_path / "data")
    nothing_written(tmp_path / "data")


def test_too_many_entries_and_duplicates(tmp_path, base):
    many = hostile.make_many_entries(base, tmp_path / "many.zip", count=archive_reader.MAX_ENTRIES)
    assert f"at most {archive_reader.MAX_ENTRIES}" in refused(many, tmp_path / "data")
    huge = hostile.make_many_entries(base, tmp_path / "huge.zip", count=70_000)  # a zip64 directory
    assert "zip64" in refused(huge, tmp_path / "data")
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(tmp_path / "dup.zip", "w") as dst:
        for item in src.infolist():
            dst.writestr(item.filename, src.read(item.filename))
        with pytest.warns(UserWarning):  # zipfile itself warns of the duplicate
            dst.writestr("manifest.json", b"{}")
    assert "entry 'manifest.json' appears twice" in refused(tmp_path / "dup.zip", tmp_path / "data")
    nothing_written(tmp_path / "data")


def test_wav_header_check():
    good = hostile.wav_header(32000) + bytes(32000)
    assert archive_reader.wav_problem(good[:4096]) is None
    assert (
        archive_reader.wav_problem(b"RIFF\0\0\0\0WAVEdata\0\0\0\0")
        == "samples before the fmt chunk"
    )
    flac = b"fLaC" + bytes(100)
    assert archive_reader.wav_problem(flac) == "no RIFF/WAVE header"
    odd = bytearray(good[:64])
    odd[20:22] = (85).to_bytes(2, "little")  # MPEG layer 3 in a WAV wrapper
    assert archive_reader.wav_problem(bytes(odd)) == "format tag 85, not PCM"


# ------------------------------------------------------------------ bombs

GIB = 1 << 30


@pytest.fixture(scope="module")
def bombs(tmp_path_factory, base) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("bombs")
    return {
        "wav": hostile.make_wav_bomb(base, d / "wav.zip"),
        "wav-lying": hostile.make_wav_bomb(base, d / "wav-lying.zip", lying=True),
        "manifest": hostile.make_manifest_bomb(base, d / "manifest.zip"),
        "manifest-lying": hostile.make_manifest_bomb(base, d / "manifest-lying.zip", lying=True),
    }


@pytest.mark.parametrize(
    "which, reason",
    [
        ("wav", "is 1024 MiB; at most 512 MiB"),
        ("wav-lying", "is corrupt"),  # zipfile stops at the size claimed: the CRC is wrong
        ("manifest", "'manifest.json' is 1024 MiB; at most 32 MiB"),
        ("manifest-lying", "manifest.json is corrupt"),
    ],
)
def test_a_zip_bomb_is_refused_quickly_in_little_memory(tmp_path, bombs, which, reason):
    bomb = bombs[which]
    assert bomb.stat().st_size < 2 << 20  # ~1 MB on disk, 1 GiB inside
    data = tmp_path / "data"
    hostile.make_session(data)
    tracemalloc.start()
    t0 = time.monotonic()
    try:
        msg = refused(bomb, data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    seconds = time.monotonic() - t0
    assert reason in msg
    # Before: 2.1 GB of memory, 1.1 GB written into the data folder, a minute.
    assert peak < 16 << 20, f"peak {peak / 1e6:.0f} MB"
    assert seconds < 20, f"{seconds:.1f} s"
    nothing_written(data, [1])
    assert sum(f.stat().st_size for f in data.rglob("*.wav")) < 1 << 20


def test_a_wav_under_the_limit_streams_to_disk_in_little_memory(tmp_path, base):
    """A 256 MiB recording (within the limits: a real if silent answer) is imported, streamed."""
    big = hostile.make_wav_bomb(base, tmp_path / "big.zip", size=256 << 20)
    data = tmp_path / "data"
    tracemalloc.start()
    try:
        assert run(["import", str(big), "--data-dir", str(data)]) == 0
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 32 << 20, f"peak {peak / 1e6:.0f} MB"
    [wav, _] = sorted(data.rglob("*.wav"), key=lambda p: -p.stat().st_size)
    assert wav.stat().st_size == 256 << 20
    assert not list(data.glob(".import-*"))


def test_staging_left_by_a_killed_import_is_cleared_later(tmp_path, base):
    import os

    data = tmp_path / "data"
    hostile.make_session(data)
    old, fresh = data / ".import-killed", data / ".import-running"
    for d in (old, fresh):
        d.mkdir()
        (d / "0.wav").write_bytes(b"RIFF partial")
    os.utime(old, (time.time() - 7 * 3600,) * 2)
    assert run(["import", str(base), "--data-dir", str(data)]) == 0
    assert not old.exists() and fresh.exists()  # another import may be using a recent one


def test_a_fifo_or_a_folder_is_refused_without_waiting(tmp_path):
    import os

    fifo = tmp_path / "pipe.zip"
    os.mkfifo(fifo)
    t0 = time.monotonic()
    assert "is a named pipe (FIFO), not a zip archive" in refused(fifo, tmp_path / "data")
    assert time.monotonic() - t0 < 5
    assert "is a folder, not a zip archive" in refused(tmp_path, tmp_path / "data")
    nothing_written(tmp_path / "data")
