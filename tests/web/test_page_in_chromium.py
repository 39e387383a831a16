"""The web page end to end in headless Chromium: paste a seed post, submit, read the HTML report.

Needs /usr/bin/chromium (Debian's package; .ci/run installs it where apt can) and the playwright
package (its driver only: the browser is the system's). Skips with the reason where either is absent.
A screenshot is kept at tests/artifacts/web_report.png.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture
def live_url(live_server: Callable[..., str]) -> str:
    return live_server()


def test_paste_a_seed_and_see_the_broken_reference(live_url: str, shared_dir: Path) -> None:
    if CHROMIUM is None:
        pytest.skip("no chromium on this machine (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    seed = (shared_dir / "seeds" / "000_8d43cf46a157c8d8.txt").read_text(encoding="utf-8")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1600})
            page.goto(live_url + "/")
            assert "Check the arXiv references" in page.inner_text("h1")
            page.fill("#text", seed)
            page.select_option("#format", "markdown")
            page.click("#submit")
            page.wait_for_selector("h2.broken", timeout=60_000)
            body = page.inner_text("body")
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "web_report.png"), full_page=True)
        finally:
            browser.close()
    assert "Broken (1)" in body
    assert "author_mismatch" in body
    assert "2002.05709" in body
    assert (ARTIFACTS / "web_report.png").stat().st_size > 10_000


def test_an_empty_submission_is_a_clear_400(live_url: str) -> None:
    import httpx

    response = httpx.post(live_url + "/ui/check", data={"text": "  ", "format": "auto"}, timeout=30)
    assert response.status_code == 400
    assert "Paste a document" in response.text
