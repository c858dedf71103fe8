"""The report's Content-Security-Policy (issue 15 item 14), checked in headless Chromium: the page's
own script runs (click a word to hear it), an injected inline handler or script does not, and
media loads only from the session's recordings folder (or from data: when embedded)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from tests.browser.test_report_html import browser, wait_for  # noqa: F401  (the Chromium fixture)
from voice_interviewer import cli
from voice_interviewer.reports.csp import report_csp, script_hash_source
from voice_interviewer.reports.html import JS
from voice_interviewer.scoring.analysis import Analysis
from voice_interviewer.sessions.store import SessionStore

DATA = Path(__file__).parents[1] / "data"
INJECTED = (
    '<img src="data:," onerror="window.__handler_ran = true">'
    "<script>window.__script_ran = true</script>"
)


def test_policy_has_no_unsafe_inline_script_and_no_file_scheme(tmp_path):
    policy = report_csp(JS, [tmp_path / "a b;c"])
    directives = dict(d.split(" ", 1) for d in policy.split("; "))
    assert directives["script-src"] == script_hash_source(JS)
    assert directives["media-src"] == f"file://*{tmp_path.resolve().as_posix()}/a%20b%3Bc/"
    assert directives["default-src"] == "'none'"
    assert report_csp(JS, [tmp_path], embedded=True).endswith("media-src data:")
    assert "media-src" not in report_csp()  # the history page plays nothing


@pytest.fixture
def home(tmp_path) -> Path:
    """A session whose data folder name needs percent-encoding in the policy."""
    root = tmp_path / "data [draft] a;b"
    analysis = json.loads((DATA / "analysis_overfitting.json").read_text())
    duration = analysis["duration_s"]
    store = SessionStore(root)
    sid = store.create_session("amazon-mle", "Amazon MLE", "tiny.en", {})
    q = analysis["question"]
    aid, wav = store.begin_answer(sid, 1, q["id"], q["text"], q["category"], q["text"])
    sf.write(wav, np.zeros(int(duration * 16000), dtype=np.float32), 16000, subtype="PCM_16")
    store.complete_answer(
        aid, status="answered", end_reason="silence", analysis=Analysis.from_dict(analysis)
    )
    store.end_session(sid, interrupted=False)
    store.close()
    return root


def _report(home: Path, out: Path, capsys, *extra: str) -> tuple[Path, dict]:
    assert cli.main(["report", "1", "--html", str(out), "--data-dir", str(home), *extra]) == 0
    capsys.readouterr()
    words = json.loads((DATA / "analysis_overfitting.json").read_text())["words"]
    return out, words[5]


def _inject(html_path: Path, extra: str) -> None:
    """What escaping would have to miss: raw markup put into the written page."""
    html = html_path.read_text()
    html_path.write_text(html.replace("</main>", extra + "</main>", 1))


@pytest.mark.parametrize("where", ["session-folder", "elsewhere"])
def test_own_script_runs_injected_ones_do_not(browser, home, tmp_path, capsys, where):  # noqa: F811
    from selenium.webdriver.common.by import By

    out = (home / "sessions" / "1" if where == "session-folder" else tmp_path / "out") / "r.html"
    html_path, word = _report(home, out, capsys)
    # A recording outside the session's folder, linked by an injected player.
    stray = tmp_path / "elsewhere-audio" / "stray.wav"
    stray.parent.mkdir()
    sf.write(stray, np.zeros(16000, dtype=np.float32), 16000, subtype="PCM_16")
    _inject(
        html_path,
        INJECTED + f'<audio id="stray" preload="metadata" src="{stray.as_uri()}"></audio>',
    )
    browser.get(html_path.resolve().as_uri())
    wait_for(browser, "return document.querySelector('.answer audio').readyState >= 1")
    assert browser.execute_script("return document.querySelector('.answer audio').error") is None
    wait_for(browser, "return document.getElementById('stray').error !== null")
    assert browser.execute_script("return document.getElementById('stray').readyState") == 0
    ran = browser.execute_script(
        "return [window.__handler_ran === true, window.__script_ran === true]"
    )
    assert ran == [False, False]
    # The page's own script still works: a click on a word seeks the player to it.
    browser.execute_script(
        "const a = document.querySelector('.answer audio'); window.__seeked = null;"
        "a.addEventListener('seeked', () => { window.__seeked = a.currentTime; }, {once: true});"
    )
    el = browser.find_elements(By.CSS_SELECTOR, ".transcript .w")[5]
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", el)
    el.click()
    assert wait_for(browser, "return window.__seeked") == pytest.approx(word["start"], abs=0.05)


def test_embedded_report_plays_data_only(browser, home, tmp_path, capsys):  # noqa: F811
    html_path, _ = _report(home, tmp_path / "sent.html", capsys, "--embed-audio")
    _inject(
        html_path,
        f'<audio id="stray" preload="metadata" '
        f'src="{(home / "sessions" / "1").as_uri()}/01.wav"></audio>',
    )
    browser.get(html_path.resolve().as_uri())
    wait_for(browser, "return document.querySelector('.answer audio').readyState >= 1")
    assert browser.execute_script("return document.querySelector('.answer audio').error") is None
    wait_for(browser, "return document.getElementById('stray').error !== null")
