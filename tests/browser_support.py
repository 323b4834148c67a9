"""Headless Chromium for the browser tests: the Debian ``chromium`` package driven by
Playwright (no browser is downloaded at run time). ``open_browser`` fails the test in CI
(CI=true) and skips it elsewhere when the browser or Playwright is missing."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from pathlib import Path

from .conftest import require

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 20_000


def playwright_available() -> bool:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return True


@contextlib.contextmanager
def open_browser(
    profile: Path,
    *,
    locale: str = "en-US",
    javascript: bool = True,
    viewport: tuple[int, int] = (1280, 900),
    bypass_csp: bool = False,
) -> Iterator:
    """A browser context on a fresh user-data-dir, asking for ``locale`` (Accept-Language),
    with or without JavaScript, at a window size of ``viewport`` CSS pixels."""
    require("playwright (pip install playwright)", playwright_available())
    require(
        "chromium (apt-get install chromium)", CHROMIUM.is_file() or bool(shutil.which("chromium"))
    )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        context = driver.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM if CHROMIUM.is_file() else shutil.which("chromium")),
            headless=True,
            args=CHROMIUM_ARGS,
            locale=locale,
            java_script_enabled=javascript,
            bypass_csp=bypass_csp,  # only to inject axe-core; the pages' own CSP stays tested
            viewport={"width": viewport[0], "height": viewport[1]},
        )
        context.set_default_timeout(TIMEOUT_MS)
        try:
            yield context
        finally:
            context.close()


def screenshot(page, name: str, *, full_page: bool = True) -> Path:
    """Save a screenshot under tests/artifacts/ (git-ignored); long pages: the viewport."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"


def serious_accessibility_problems(page) -> list[str]:
    """axe-core's serious and critical violations on the page (axe is injected from
    tests/vendor, never fetched)."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
        ".map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))"
    )
    return list(found)


def rendered_size(page, selector: str) -> tuple[float, float]:
    """Width and height the browser gives the first element matching ``selector``."""
    box = page.locator(selector).first.bounding_box()
    return (box["width"], box["height"]) if box else (0.0, 0.0)
