"""The session report: pure parts (summary, pace curve, transcript markup), the text exports, the
`report` command, and the HTML page driven in headless Chromium (selenium + chromedriver) at phone
and desktop widths, playing the real recordings from file:// URLs. Screenshots: test-artifacts/."""

from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import pytest

from tests.browser.page_shots import full_page_screenshot, show_at_width
from tests.conftest import skip_or_fail
from tests.sessions_fixture import RealHome, add_session, known_analysis, real_home
from tests.sessions_fixture import review_parser as parser
from tests.sessions_fixture import run_review_command as run
from voice_interviewer.reports.charts import pace_series
from voice_interviewer.reports.html import audio_src, transcript_html
from voice_interviewer.reports.summary import report_json, report_markdown, things_to_work_on
from voice_interviewer.scoring.analysis import Analysis, AnalyzedWord
from voice_interviewer.sessions.store import AnswerRecord, SessionStore

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"


@pytest.fixture
def home(tmp_path_factory, tmp_path) -> RealHome:
    return real_home(tmp_path_factory, tmp_path / "home")


def record(analysis: dict | None, seq: int = 1, status: str = "answered", follow_up_of=None):
    q = (analysis or {}).get("question", {"id": "q", "text": "Q?", "category": "technical"})
    return AnswerRecord(
        id=seq,
        seq=seq,
        question_id=q["id"],
        question_text=q["text"],
        category=q["category"],
        prompt_text=q["text"],
        follow_up_of=follow_up_of,
        status=status,
        end_reason="silence",
        wav_path=Path(f"/nowhere/{seq:02d}.wav"),
        wav_exists=True,
        analysis=None if analysis is None else Analysis.from_dict(analysis),
    )


# ---------------------------------------------------------------- pure parts


def test_things_to_work_on_ranks_the_worst_first():
    # Pace 100 wpm (severity 1.0), 5 fillers/min (0.33), coverage 2/3 (0.4):
    # pace, coverage, fillers.
    answers = [
        record(known_analysis("a", wpm=100, fpm=5, hits=(True, True, False)), 1),
        record(known_analysis("b", wpm=100, fpm=5, hits=(True, False, True)), 2),
    ]
    todo = things_to_work_on(answers)
    assert len(todo) == 3
    assert todo[0].startswith("Speak a little faster: you averaged 100 words a minute")
    assert todo[1].startswith("Cover the key points: you covered 67% of them")
    assert "“a point 3”" in todo[1] and "“b point 2”" in todo[1]
    assert todo[2].startswith("Cut the fillers: 5.0 a minute")


def test_things_to_work_on_short_answers_star_unanswered_and_nothing():
    star = {"situation": True, "task": True, "action": True, "result": False}
    short = known_analysis(
        "s", "behavioral", answer_s=20, target=(90, 180), star=star, hits=(True,) * 3
    )
    todo = things_to_work_on([record(short, 1), record(None, 2, status="unanswered")])
    assert todo[0].startswith(
        "Say more: 1 of 1 answers were shorter than their target (e.g. 20 s where 90-180 s"
    )
    assert todo[1].startswith("Answer every question: 1 of 2 got no answer")
    assert todo[2].startswith(
        "Tell complete STAR stories: the result did not come through in 1 of 1"
    )
    fine = known_analysis("f", wpm=145, fpm=1, hits=(True,) * 4, answer_s=90)
    assert things_to_work_on([record(fine)]) == []
    # A follow-up's low coverage and short length are not held against the session.
    probe = known_analysis("f", hits=(False,) * 4, answer_s=5)
    assert things_to_work_on([record(fine, 1), record(probe, 2, follow_up_of=1)]) == []


def test_pace_series_counts_spoken_words_in_a_sliding_window():
    words = [AnalyzedWord("w", i * 0.5, i * 0.5 + 0.3, False) for i in range(60)]
    words.insert(10, AnalyzedWord("um", 5.0, 5.2, True))
    series = pace_series(words)  # 2 words a second = 120 wpm everywhere, the filler ignored
    assert series[0][0] == 0.0 and series[-1][0] == pytest.approx(29.5)
    assert all(v == pytest.approx(120, abs=7) for _, v in series)
    short = pace_series(words[:9])  # shorter than the window: one rate for the whole answer
    assert len({v for _, v in short}) == 1
    assert pace_series([]) == []


def test_transcript_marks_fillers_repetitions_and_long_pauses():
    a = known_analysis("x")
    a["words"] = [
        {"text": "I", "start": 1.0, "end": 1.2, "filler": False},
        {"text": "I", "start": 1.3, "end": 1.5, "filler": False},
        {"text": "um", "start": 1.6, "end": 2.0, "filler": True},
        {"text": "think", "start": 4.5, "end": 5.0, "filler": False},
    ]
    a["repetitions"] = [{"text": "I I", "start": 1.0, "end": 1.5}]
    a["long_pauses"] = [{"start": 2.0, "end": 4.5}]
    html = transcript_html(Analysis.from_dict(a))
    assert re.findall(r'class="([^"]+)"', html) == ["w rep", "w rep", "w filler", "pause", "w"]
    assert 'data-start="4.500" data-end="5.000">think<' in html and "pause 2.5 s" in html


def test_audio_src_is_relative_to_the_html_file(tmp_path):
    wav = tmp_path / "home" / "sessions" / "3" / "01-a b.wav"
    assert audio_src(wav, wav.parent / "report.html") == "01-a%20b.wav"
    assert (
        audio_src(wav, tmp_path / "out" / "deep" / "r.html") == "../../home/sessions/3/01-a%20b.wav"
    )


# ---------------------------------------------------------------- exports and the command


def test_every_option_has_help():
    sub = next(a for a in parser()._actions if isinstance(a, argparse._SubParsersAction))
    assert set(sub.choices) == {"report", "history", "delete", "export", "import"}
    for name, sp in sub.choices.items():
        for action in sp._actions:
            if not isinstance(action, argparse._HelpAction):
                assert action.help, f"{name} {action.dest} has no help"


def test_report_command_writes_html_markdown_and_json(home, tmp_path, capsys, monkeypatch):
    opened = []
    monkeypatch.setattr("webbrowser.open", opened.append)
    assert run(["report", str(home.complete_id), "--data-dir", str(home.root), "--open"]) == 0
    default = home.root / "sessions" / str(home.complete_id) / "report.html"
    assert capsys.readouterr().out.strip() == str(default)
    assert opened == [default.resolve().as_uri()]
    html = default.read_text()
    assert not re.search(r"(src|href)=\"(https?:)?//", html), "the page must not load anything"
    assert re.findall(r'<audio controls preload="metadata" src="([^"]+)"', html) == [
        "01-overfitting.wav",
        "02-failure.wav",
        "03-prioritization.wav",
        "04-failure-followup.wav",
    ]
    assert (default.stat().st_mode & 0o777) == 0o600

    md, js = tmp_path / "r.md", tmp_path / "r.json"
    sid = str(home.complete_id)
    assert (
        run(["report", sid, "--data-dir", str(home.root), "--markdown", str(md), "--json", str(js)])
        == 0
    )
    data = json.loads(js.read_text())
    detail = SessionStore(home.root).load_session(home.complete_id)
    assert data["things_to_work_on"] == data["summary"]["things_to_work_on"]
    assert len(data["things_to_work_on"]) == 3
    assert [a["analysis"] for a in data["answers"]] == [
        None if a.analysis is None else a.analysis.to_dict() for a in detail.answers
    ]
    assert data["session"]["id"] == home.complete_id and "answers" not in data["session"]
    text = md.read_text()
    for thing in data["things_to_work_on"]:
        assert thing in text and thing in html.replace("&#x27;", "'")
    # Recordings are linked relative to where the Markdown file was written.
    assert f"[01-overfitting.wav](<home/sessions/{sid}/01-overfitting.wav>)" in text
    assert report_json(detail)["summary"]["asked"] == 4


def test_embed_audio_inlines_the_recordings(home, tmp_path, capsys):
    out = tmp_path / "elsewhere" / "r.html"
    run(["report", "1", "--data-dir", str(home.root), "--html", str(out), "--embed-audio"])
    srcs = re.findall(r'<audio controls preload="metadata" src="([^"]+)"', out.read_text())
    assert len(srcs) == 4 and all(s.startswith("data:audio/wav;base64,UklGR") for s in srcs)


def test_damaged_session_report_shows_what_it_holds(home):
    detail = SessionStore(home.root).load_session(home.crashed_id)
    assert [a.status for a in detail.answers] == ["answered", "incomplete", "answered"]
    md = report_markdown(detail)
    assert "The session never ended" in md
    assert "incomplete: the program stopped mid-answer" in md and "Recording: missing" in md
    from voice_interviewer.reports.html import render_session_html

    html = render_session_html(detail, home.root / "sessions" / "2" / "report.html")
    # The cut-off answer has no analysis but keeps its player; the lost WAV is flagged.
    assert html.count("<audio ") == 2 and 'src="02-prioritization.wav"' in html
    assert "recording missing" in html and "This session never ended" in html


def test_report_errors_are_one_line(tmp_path):
    from voice_interviewer.errors import SessionError

    with pytest.raises(SessionError, match="no saved sessions in"):
        run(["report", "1", "--data-dir", str(tmp_path / "empty")])
    store = SessionStore(tmp_path / "h")
    add_session(store, "2025-01-01T10:00:00+00:00", [known_analysis("a")])
    with pytest.raises(SessionError, match="no session 9"):
        run(["report", "9", "--data-dir", str(tmp_path / "h")])


# ---------------------------------------------------------------- in a real browser


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        skip_or_fail(
            "selenium is not installed (pip install selenium): "
            "cannot test the HTML report in a browser"
        )
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        skip_or_fail(
            f"{CHROMIUM} or {CHROMEDRIVER} missing (apt-get install chromium chromium-driver): "
            "cannot test the HTML report in a browser"
        )
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--autoplay-policy=no-user-gesture-required",
        "--mute-audio",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
    ):
        opts.add_argument(arg)
    driver = webdriver.Chrome(options=opts, service=Service(executable_path=CHROMEDRIVER))
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def wait_for(driver, script: str, timeout: float = 10.0):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout, poll_frequency=0.05).until(
        lambda d: d.execute_script(script)
    )


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("where", ["session-folder", "elsewhere"])
def test_report_in_chromium(browser, home, tmp_path, width, where, capsys):
    from selenium.webdriver.common.by import By

    sid = home.complete_id
    argv = ["report", str(sid), "--data-dir", str(home.root)]
    if where == "elsewhere":  # another folder: the audio must be found through ../ paths
        argv += ["--html", str(tmp_path / "reports" / "mine.html")]
    run(argv)
    html_path = Path(capsys.readouterr().out.strip())
    detail = SessionStore(home.root).load_session(sid)
    show_at_width(browser, width)
    browser.get(html_path.resolve().as_uri())
    assert browser.execute_script("return window.innerWidth") == width
    # Every recording loads from file:// (metadata read: the element knows its duration).
    wait_for(
        browser, "return [...document.querySelectorAll('audio')].every(a => a.readyState >= 1)"
    )
    errors = browser.execute_script(
        "return [...document.querySelectorAll('audio')].map(a => a.error && a.error.code)"
    )
    assert errors == [None] * 4
    durations = browser.execute_script(
        "return [...document.querySelectorAll('audio')].map(a => a.duration)"
    )
    assert durations[0] == pytest.approx(detail.answers[0].analysis.duration_s, abs=0.05)
    # Nothing sticks out sideways at phone width.
    assert browser.execute_script("return document.documentElement.scrollWidth") <= width
    clipped = (
        "return [...document.querySelectorAll('.scroll')]"
        ".filter(e => e.scrollWidth > e.clientWidth + 1).length"
    )
    assert browser.execute_script(clipped) == 0  # no table needs sideways scrolling either

    for a in detail.answers[:3]:
        section = browser.find_element(By.ID, f"answer-{a.seq}")
        words = section.find_elements(By.CSS_SELECTOR, ".transcript .w")
        assert [w.text for w in words] == [w.text for w in a.analysis.words]
        assert all(w.is_displayed() for w in words[:5])
        table = section.find_element(By.CSS_SELECTOR, "table.measurements")
        assert table.is_displayed()
        assert a.analysis.verdicts.pace in table.text
        assert f"{a.analysis.words_per_minute:.0f}" in table.text
        fillers = section.find_elements(By.CSS_SELECTOR, ".transcript .w.filler")
        assert len(fillers) == sum(w.filler for w in a.analysis.words)
        assert len(section.find_elements(By.CSS_SELECTOR, "svg.pace polyline")) == 1
    summary = browser.find_element(By.CSS_SELECTOR, "section.summary")
    assert summary.is_displayed() and "Work on next" in summary.text
    assert len(summary.find_elements(By.CSS_SELECTOR, "ol.todo li")) == 3
    assert "incomplete" not in summary.text  # this session ended normally
    follow_up = browser.find_element(By.ID, "answer-4")
    assert "no answer was heard" in follow_up.text and "What was the result?" in follow_up.text

    # Clicking a word seeks its answer's player to that word's start, then plays.
    for seq, index in ((1, 12), (3, 30)):
        word = detail.answers[seq - 1].analysis.words[index]
        el = browser.find_elements(By.CSS_SELECTOR, f"#answer-{seq} .transcript .w")[index]
        browser.execute_script(
            "const a = arguments[0]; window.__seeked = null;"
            "a.addEventListener('seeked', () => { window.__seeked = a.currentTime; },"
            " {once: true});",
            browser.find_element(By.CSS_SELECTOR, f"#answer-{seq} audio"),
        )
        browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", el)
        el.click()
        seeked = wait_for(browser, "return window.__seeked")
        assert seeked == pytest.approx(word.start, abs=0.05)
        now = browser.execute_script(
            "const a = document.querySelector(arguments[0]); a.pause(); return a.currentTime;",
            f"#answer-{seq} audio",
        )
        assert word.start - 0.05 <= now < word.start + 3.0

    if where == "session-folder":
        ARTIFACTS.mkdir(exist_ok=True)
        browser.execute_script("window.scrollTo(0, 0)")
        full_page_screenshot(browser, ARTIFACTS / f"report-{width}px.png")


def test_damaged_session_in_chromium(browser, home, capsys):
    from selenium.webdriver.common.by import By

    run(["report", str(home.crashed_id), "--data-dir", str(home.root)])
    html_path = Path(capsys.readouterr().out.strip())
    show_at_width(browser, 360)
    browser.get(html_path.resolve().as_uri())
    wait_for(
        browser, "return [...document.querySelectorAll('audio')].every(a => a.readyState >= 1)"
    )
    cut = browser.find_element(By.ID, "answer-2")
    assert "incomplete" in cut.text and cut.find_element(By.TAG_NAME, "audio").is_displayed()
    assert browser.execute_script(
        "return document.querySelector('#answer-2 audio').duration"
    ) == pytest.approx(8.0, abs=0.05)
    assert "recording missing" in browser.find_element(By.ID, "answer-3").text
    clipped = (
        "return [...document.querySelectorAll('.scroll')]"
        ".filter(e => e.scrollWidth > e.clientWidth + 1).length"
    )
    assert browser.execute_script(clipped) == 0
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 360
    ARTIFACTS.mkdir(exist_ok=True)
    full_page_screenshot(browser, ARTIFACTS / "report-damaged-360px.png")
