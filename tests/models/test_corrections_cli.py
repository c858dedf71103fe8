"""Corrections end to end (issue 24): `correct` saves a verdict with a saved session, the report
shows it (and, as a file, the command to change it), later answers in the data folder learn from
it, and `banks examples export` writes the corrected answer into a bank file."""

from __future__ import annotations

import pytest

from tests.fakes import FakeWhisper
from tests.sessions_fixture import add_session
from voice_interviewer.bank import read_bank_file, resolve_bank
from voice_interviewer.cli.app import build_parser
from voice_interviewer.errors import VoiceInterviewerError
from voice_interviewer.scoring.semantic_model import shared_embedder
from voice_interviewer.scoring.text_answer import rubric_of_text, score_text
from voice_interviewer.sessions.corrections import learned_examples, load_corrections
from voice_interviewer.sessions.store import SessionStore

ANSWER = "Looking back, the slip was mine to carry."
LATER = "In hindsight the slip was mine to carry."


def run(argv: list[str]) -> int:
    parser, _ = build_parser()
    args = parser.parse_args(argv)
    return args.func(args)


@pytest.fixture
def home(tmp_path):
    q = resolve_bank(None).question("failure")
    store = SessionStore(tmp_path)
    # A typed answer saved as a session answer (the store wants lists where typed has nulls).
    answer = score_text(q, ANSWER, shared_embedder()).to_dict()
    for key in ("pauses", "long_pauses", "fillers", "repetitions"):
        answer[key] = answer[key] or []
    sid = add_session(store, "2026-12-01T10:00:00+00:00", [answer])
    store.close()
    return tmp_path, sid


def test_a_correction_is_saved_shown_taught_and_exported(home, tmp_path, capsys):
    root, sid = home
    q = resolve_bank(None).question("failure")
    embedder = shared_embedder()
    before = rubric_of_text(q, LATER, embedder, learned=learned_examples(root))
    assert next(p for p in before.points if p.id == "ownership").status == "missed"

    assert run(["correct", str(sid), "1", "ownership", "made", "--data-dir", str(root)]) == 0
    assert "marked made" in capsys.readouterr().out
    store = SessionStore(root)
    saved = load_corrections(store.session_dir(sid))
    store.close()
    assert [(c.seq, c.point_id, c.made) for c in saved] == [(1, "ownership", True)]

    after = rubric_of_text(q, LATER, embedder, learned=learned_examples(root))
    assert next(p for p in after.points if p.id == "ownership").status == "made"

    html = tmp_path / "r.html"
    assert run(["report", str(sid), "--html", str(html), "--data-dir", str(root)]) == 0
    page = html.read_text()
    assert "you marked it made" in page
    assert f"voice-interviewer correct {sid} 1 ownership missed" in page

    out = tmp_path / "with-examples.toml"
    assert run(["banks", "examples", "export", str(out), "--data-dir", str(root)]) == 0
    exported = read_bank_file(out).question("failure")
    assert exported.examples[-1].text == ANSWER
    assert "ownership" in exported.examples[-1].hits
    assert "# Amazon Machine Learning Engineer" in out.read_text()  # comments kept


def test_corrections_travel_with_an_exported_session(home, tmp_path, capsys):
    """`export` then `import` into another data folder: the correction is there, shown in the
    report and taught to later answers scored in that folder."""
    root, sid = home
    q = resolve_bank(None).question("failure")
    embedder = shared_embedder()
    assert run(["correct", str(sid), "1", "ownership", "made", "--data-dir", str(root)]) == 0
    archive = tmp_path / "s.zip"
    assert run(["export", str(sid), "-o", str(archive), "--data-dir", str(root)]) == 0
    other = tmp_path / "other"
    before = rubric_of_text(q, LATER, embedder, learned=learned_examples(other))
    assert next(p for p in before.points if p.id == "ownership").status == "missed"

    assert run(["import", str(archive), "--data-dir", str(other)]) == 0
    store = SessionStore(other)
    [new] = [s.id for s in store.list_sessions()]
    saved = load_corrections(store.session_dir(new))
    store.close()
    store = SessionStore(root)
    original = load_corrections(store.session_dir(sid))
    store.close()
    assert saved == original and [(c.seq, c.point_id, c.made) for c in saved] == [
        (1, "ownership", True)
    ]
    after = rubric_of_text(q, LATER, embedder, learned=learned_examples(other))
    assert next(p for p in after.points if p.id == "ownership").status == "made"
    html = tmp_path / "r.html"
    assert run(["report", str(new), "--html", str(html), "--data-dir", str(other)]) == 0
    assert "you marked it made" in html.read_text()


def test_a_correction_of_an_unknown_point_is_one_line(home):
    root, sid = home
    with pytest.raises(VoiceInterviewerError, match="no point 'nope' in this answer's rubric"):
        run(["correct", str(sid), "1", "nope", "made", "--data-dir", str(root)])
    with pytest.raises(VoiceInterviewerError, match="has no answer 7"):
        run(["correct", str(sid), "7", "ownership", "made", "--data-dir", str(root)])


def test_the_served_report_takes_a_correction_from_its_form(home):
    pytest.importorskip("starlette", reason="the [web] extra is not installed")
    import http.client
    from urllib.parse import urlencode

    from voice_interviewer.scoring.scorer import Scorer
    from voice_interviewer.web.server import BackgroundServer, prepare

    root, sid = home

    def request(port, token, path, method="GET", body=None):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Host": f"127.0.0.1:{port}", "Cookie": f"vi_token={token}"}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        r = conn.getresponse()
        out = r.status, r.getheader("location"), r.read().decode()
        conn.close()
        return out

    with BackgroundServer(
        prepare("127.0.0.1", 0, root, Scorer(FakeWhisper(refuse="a correction needs no decode")))
    ) as s:
        status, _, page = request(s.port, s.token, f"/sessions/{sid}/")
        assert status == 200
        assert f'action="/sessions/{sid}/correct"' in page and 'value="made"' in page
        form = urlencode({"seq": "1", "point": "ownership", "verdict": "made"})
        status, location, _ = request(s.port, s.token, f"/sessions/{sid}/correct", "POST", form)
        assert (status, location) == (303, f"/sessions/{sid}/#answer-1")
        assert "you marked it made" in request(s.port, s.token, f"/sessions/{sid}/")[2]
        bad = urlencode({"seq": "1", "point": "ownership", "verdict": "maybe"})
        assert request(s.port, s.token, f"/sessions/{sid}/correct", "POST", bad)[0] == 400
    assert [c.made for c in learned_examples(root).examples] == [True]
