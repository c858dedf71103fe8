"""Chromium helpers the page tests share: a page at a phone's or a desktop's width, and a
screenshot of the whole page (not only the window), to look at."""

from __future__ import annotations

from pathlib import Path


def show_at_width(driver, width: int) -> None:
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600},
    )


def full_page_screenshot(driver, path: Path) -> None:
    import base64

    m = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
    size = m["cssContentSize"]
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot",
        {
            "format": "png",
            "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1},
        },
    )
    path.write_bytes(base64.b64decode(shot["data"]))
