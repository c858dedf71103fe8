"""delete / export / import on real saved sessions (Whisper-scored fixture clips)."""

from __future__ import annotations

import io
import json
import stat
import zipfile
from pathlib import Path

import pytest

from tests.sessions_fixture import RealHome, real_home
from tests.sessions_fixture import run_review_command as run
from voice_interviewer.errors import SessionError, UsageError
from voice_interviewer.reports.history import collect_history
from voice_interviewer.sessions.store import SessionStore

KEPT = (
    "seq",
    "question_id",
    "question_text",
    "category",
    "prompt_text",
    "follow_up_of",
    "status",
    "end_reason",
    "analysis",
)


@pytest.fixture
def home(tmp_path_factory, tmp_path) -> RealHome:
    return real_home(tmp_path_factory, tmp_path / "home")


def snapshot(root: Path, session_id: int) -> tuple[dict, list[dict], list[bytes | None]]:
    store = SessionStore(root)
    try:
        d = store.load_session(session_id)
    finally:
        store.close()
    meta = {
        k: getattr(d, k)
        for k in ("bank_id", "bank_title", "model", "status", "interrupted", "answered", "asked")
    }
    answers = [{k: getattr(a, k) for k in KEPT} for a in d.answers]
    wavs = [a.wav_path.read_bytes() if a.wav_exists else None for a in d.answers]
    return meta, answers, wavs


def one_line_error(exc_info) -> str:
    msg = str(exc_info.value)
    assert "\n" not in msg
    return msg


@pytest.mark.parametrize("which", ["complete", "crashed"])
def test_export_delete_import_round_trip(home, tmp_path, capsys, which):
    sid = home.complete_id if which == "complete" else home.crashed_id
    before = snapshot(home.root, sid)
    archive = tmp_path / "out" / "s.zip"
    assert run(["export", str(sid), "-o", str(archive), "--data-dir", str(home.root)]) == 0
    assert capsys.readouterr().out.strip() == str(archive)
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert run(["delete", str(sid), "--yes", "--data-dir", str(home.root)]) == 0
    assert not (home.root / "sessions" / str(sid)).exists()
    with pytest.raises(SessionError, match=f"no session {sid}"):
        SessionStore(home.root).load_session(sid)

    assert run(["import", str(archive), "--data-dir", str(home.root)]) == 0
    new_id = int(capsys.readouterr().out.split("session ")[2].split(" ")[0])
    assert new_id not in (home.complete_id, home.crashed_id)
    after = snapshot(home.root, new_id)
    assert after == before  # same analyses, statuses, follow-ups; byte-identical WAVs
    if which == "crashed":  # damage is carried over, not hidden
        assert after[0]["status"] == "incomplete"
        assert [a["status"] for a in after[1]] == ["answered", "incomplete", "answered"]
        assert after[2][2] is None  # the lost recording is still lost

    # History dates the imported session by when it was practised, not when it was imported.
    store = SessionStore(home.root)
    original = json.loads(zipfile.ZipFile(archive).read("manifest.json"))["session"]
    trend = next(s for s in collect_history(store).sessions if s.id == new_id)
    assert trend.started_at == original["started_at"]
    store.close()


def test_import_into_a_fresh_data_folder(home, tmp_path, capsys):
    archive = tmp_path / "s.zip"
    run(["export", "last", "-o", str(archive), "--data-dir", str(home.root)])
    fresh = tmp_path / "elsewhere"
    assert run(["import", str(archive), "--data-dir", str(fresh)]) == 0
    assert snapshot(fresh, 1) == snapshot(home.root, home.crashed_id)


def test_export_default_name_in_the_current_folder(home, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    run(["export", str(home.complete_id), "--data-dir", str(home.root)])
    [made] = tmp_path.glob("voice-interviewer-session-*.zip")
    assert made.name.startswith(f"voice-interviewer-session-{home.complete_id}-20")
    with zipfile.ZipFile(made) as zf:
        names = sorted(zf.namelist())
    assert names == [
        "audio/01-overfitting.wav",
        "audio/02-failure.wav",
        "audio/03-prioritization.wav",
        "audio/04-failure-followup.wav",
        "manifest.json",
    ]


def damage(archive: Path, how: str, out: Path) -> Path:
    data = archive.read_bytes()
    if how == "truncated":
        out.write_bytes(data[: len(data) // 2])
    elif how == "not-a-zip":
        out.write_bytes(b"this is not a zip file at all" * 10)
    elif how == "corrupt-entry":  # flip bytes inside a stored WAV: the CRC no longer matches
        buf = io.BytesIO()
        with zipfile.ZipFile(archive) as src, zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as dst:
            for item in src.infolist():
                dst.writestr(item.filename, src.read(item.filename))
        raw = bytearray(buf.getvalue())
        at = raw.find(b"data", raw.find(b"WAVE")) + 5000
        raw[at : at + 16] = bytes(b ^ 0xFF for b in raw[at : at + 16])
        out.write_bytes(bytes(raw))
    else:
        with zipfile.ZipFile(archive) as src, zipfile.ZipFile(out, "w") as dst:
            manifest = json.loads(src.read("manifest.json"))
            for item in src.infolist():
                body = src.read(item.filename)
                if item.filename == "manifest.json":
                    if how == "no-manifest":
                        continue
                    if how == "bad-json":
                        body = body[:-20]
                    if how == "bad-answer":
                        manifest["answers"][0]["status"] = "exploded"
                        body = json.dumps(manifest).encode()
                elif how == "swapped-wav" and item.filename.endswith("01-overfitting.wav"):
                    body = src.read("audio/02-failure.wav")
                dst.writestr(item.filename, body)
    return out


@pytest.mark.parametrize(
    "how, message",
    [
        ("truncated", "damaged zip"),
        ("not-a-zip", "damaged zip"),
        ("corrupt-entry", "is corrupt"),
        ("no-manifest", "no manifest.json"),
        ("bad-json", "manifest.json is not valid JSON"),
        ("bad-answer", "manifest.json: answers[0].status: expected one of"),
        ("swapped-wav", "audio/01-overfitting.wav does not match its checksum"),
    ],
)
def test_damaged_archive_is_refused_with_one_line(home, tmp_path, capsys, how, message):
    good = tmp_path / "good.zip"
    run(["export", str(home.complete_id), "-o", str(good), "--data-dir", str(home.root)])
    bad = damage(good, how, tmp_path / f"{how}.zip")
    before = [s.id for s in SessionStore(home.root).list_sessions()]
    with pytest.raises(SessionError) as exc:
        run(["import", str(bad), "--data-dir", str(home.root)])
    msg = one_line_error(exc)
    assert msg.startswith(f"{bad}: ") and message in msg
    assert [s.id for s in SessionStore(home.root).list_sessions()] == before  # nothing written
    fresh = tmp_path / "fresh"
    with pytest.raises(SessionError):
        run(["import", str(bad), "--data-dir", str(fresh)])
    assert not (fresh / "sessions.db").exists()


def test_import_of_a_missing_file(tmp_path):
    with pytest.raises(SessionError, match="no such file") as exc:
        run(["import", str(tmp_path / "nope.zip"), "--data-dir", str(tmp_path / "h")])
    one_line_error(exc)


def test_delete_asks_on_a_terminal_and_needs_yes_elsewhere(home, monkeypatch, capsys):
    sid, root = str(home.complete_id), str(home.root)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # not a terminal
    with pytest.raises(UsageError, match="pass --yes") as exc:
        run(["delete", sid, "--data-dir", root])
    one_line_error(exc)
    assert (home.root / "sessions" / sid).is_dir()

    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    assert run(["delete", sid, "--data-dir", root]) == 0
    assert "Nothing deleted." in capsys.readouterr().out
    assert (home.root / "sessions" / sid).is_dir()

    prompts = []
    monkeypatch.setattr("builtins.input", lambda prompt: prompts.append(prompt) or "y")
    assert run(["delete", sid, "--data-dir", root]) == 0
    assert prompts and f"Delete session {sid} (" in prompts[0] and "3 of 4 answered" in prompts[0]
    assert not (home.root / "sessions" / sid).exists()
    assert [s.id for s in SessionStore(home.root).list_sessions()] == [home.crashed_id]
