"""The app's pages in headless Chromium at phone (390 px) and desktop (1280 px) widths (issue 25,
defect 4): the sessions table shows every column without sideways scrolling, History says why it is
empty when only demo sessions were saved (and draws no empty charts), every page names its icon and
nothing it loads is a 404. Screenshots: test-artifacts/web-page-*.png."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.browser.page_shots import full_page_screenshot, show_at_width
from tests.conftest import skip_or_fail
from tests.sessions_fixture import add_session, known_analysis, template

pytest.importorskip("starlette", reason="the [web] extra is not installed")

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
WIDTHS = (390, 1280)


class NoModel:
    """The pages served here never transcribe: the app only needs something to hold."""

    embedder = None


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        skip_or_fail("selenium is not installed (pip install selenium): cannot test the pages")
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        skip_or_fail(f"{CHROMIUM} or {CHROMEDRIVER} missing (apt-get install chromium-driver)")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--window-size=1280,1000",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
    ):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(options=opts, service=Service(executable_path=CHROMEDRIVER))
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def screenshot(driver, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    full_page_screenshot(driver, ARTIFACTS / name)


def responses(driver) -> list[tuple[str, int]]:
    """(url, status) of every response since the last call."""
    out = []
    for entry in driver.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg["method"] == "Network.responseReceived":
            r = msg["params"]["response"]
            out.append((r["url"], r["status"]))
    return out


def serve(home: Path):
    from voice_interviewer.web.server import BackgroundServer, prepare

    return BackgroundServer(prepare("127.0.0.1", 0, home, NoModel()))


def practice_home(root: Path) -> None:
    from voice_interviewer.sessions.store import SessionStore

    store = SessionStore(root)
    talk = known_analysis("supervised-vs-unsupervised", hits=(True, False, True))
    talk["words"] = template()["words"]
    for day in range(1, 5):
        calm = known_analysis("overfitting", fpm=0.5 + day / 4, long_pauses=day % 3)
        add_session(store, f"2025-01-0{day}T10:00:00+00:00", [talk, calm], bank_id="amazon-mle")
    store.close()


def load(driver, url: str) -> None:
    driver.get(url)
    driver.execute_script("return document.readyState")


@pytest.mark.parametrize("width", WIDTHS)
def test_pages_fit_and_load_whole(browser, tmp_path, width):
    practice_home(tmp_path)
    show_at_width(browser, width)
    with serve(tmp_path) as served:
        base = served.url.split("?")[0].rstrip("/")
        browser.get(served.url)  # the address holds the token: its cookie opens every page
        responses(browser)
        for path, name in (
            ("/", "practice"),
            ("/sessions", "sessions"),
            ("/history", "history"),
            ("/sessions/1/", "report"),
        ):
            browser.get(base + path)
            screenshot(browser, f"web-page-{name}-{width}.png")
            assert browser.execute_script("return window.innerWidth") == width
            icon = browser.execute_script(
                "const l = document.querySelector('link[rel~=icon]'); return l && l.href"
            )
            assert icon, f"{path}: no <link rel=icon>"
            status = browser.execute_async_script(
                "fetch(arguments[0]).then(r => arguments[1](r.status))", icon
            )
            assert status == 200, (path, icon, status)
            missing = [r for r in responses(browser) if r[1] >= 400]
            assert not missing, (path, missing)
            assert browser.execute_script("return document.documentElement.scrollWidth") <= width
            if name == "report":  # the pace chart up close: its axis title clear of the line
                chart = browser.find_element("css selector", "svg.pace")
                browser.execute_script("arguments[0].scrollIntoView()", chart)
                chart.screenshot(str(ARTIFACTS / f"web-page-pace-chart-{width}.png"))
            if name == "sessions":
                # Every column shows: nothing needs sideways scrolling inside the table either.
                assert browser.execute_script(
                    "return [...document.querySelectorAll('.scroll')]"
                    ".every(e => e.scrollWidth <= e.clientWidth + 1)"
                ), "the sessions table scrolls sideways"
                rights = browser.execute_script(
                    "return [...document.querySelectorAll("
                    "'#sessions .badge, #sessions button.danger, #sessions td.actions a')]"
                    ".map(e => e.getBoundingClientRect().right)"
                )
                assert len(rights) == 4 * 3 and max(rights) <= width, rights


def test_history_of_demo_sessions_only_says_why_it_is_empty(browser, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    from voice_interviewer.sessions.store import SessionStore

    store = SessionStore(tmp_path)
    sid = store.create_session("amazon-mle", "Amazon", "tiny.en", {}, kind="demo")
    store.end_session(sid, interrupted=False)
    store.close()
    with serve(tmp_path) as served:
        base = served.url.split("?")[0].rstrip("/")
        browser.get(served.url)
        for width in WIDTHS:
            show_at_width(browser, width)
            browser.get(base + "/history")
            text = browser.find_element("tag name", "main").text
            screenshot(browser, f"web-page-history-demo-only-{width}.png")
            assert "demo" in text.lower() and "left out" in text, text
            assert (
                browser.execute_script("return document.querySelectorAll('svg.chart').length") == 0
            )
