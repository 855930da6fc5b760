"""A real headless Chromium (the system's, driven by Playwright) opening a report from disk.

The browser runs with the network off: the context is offline, host names resolve to nothing,
and every request that is not for a file:// URL is refused and recorded. Console errors and
uncaught exceptions are recorded too. Used by the report's browser test and by
`scripts/make_report_screenshot.py`, which makes the README's screenshot the same way.
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

# Where Debian (and most distributions) put Chromium.
CHROMIUM_NAMES = ("chromium", "chromium-browser")
# Flags that keep Chromium from reaching for the network by itself (updates, sync, DNS).
CHROMIUM_ARGS = (
    "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--disable-quic", "--host-resolver-rules=MAP * ~NOTFOUND",
)
VIEWPORT = {"width": 1100, "height": 900}
# The README's screenshot is reduced to this many colours: the report's flat fills need few.
SCREENSHOT_COLOURS = 128


class BrowserUnavailable(RuntimeError):
    """No Chromium or no Playwright here: the reason says which."""


@dataclass
class ReportBrowser:
    page: object  # playwright.sync_api.Page
    console_errors: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # requests for anything but file://

    def open(self, index: Path, fragment: str = "") -> None:
        self.page.goto(index.resolve().as_uri() + fragment)
        self.page.wait_for_load_state("load")

    def choose_region(self, code: str) -> None:
        """Click region `code` on the map, as a reader does."""
        self.page.locator(f'path.region[data-code="{code}"]').click()

    def switch_language(self, language: str) -> None:
        self.page.click(f"button[data-language={language}]")

    def screenshot(self, path: Path) -> Path:
        """A PNG of the viewport, reduced to SCREENSHOT_COLOURS colours where Pillow is installed."""
        data = self.page.screenshot(type="png")
        path.write_bytes(_fewer_colours(data))
        return path


def chromium_path() -> str | None:
    return next((found for name in CHROMIUM_NAMES if (found := shutil.which(name))), None)


@contextmanager
def report_browser(viewport: dict[str, int] | None = None) -> Iterator[ReportBrowser]:
    """A page in headless Chromium with the network off. Raises BrowserUnavailable saying why
    when Playwright or Chromium is missing or Chromium does not start."""
    executable = chromium_path()
    if executable is None:
        raise BrowserUnavailable(f"no Chromium on PATH (looked for {', '.join(CHROMIUM_NAMES)}); "
                                 "install Debian's package: apt-get install chromium")
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as e:
        raise BrowserUnavailable(f"playwright is not installed ({e}): pip install -e '.[test]'") from e
    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=executable, headless=True, args=list(CHROMIUM_ARGS))
        except PlaywrightError as e:
            raise BrowserUnavailable(f"{executable} did not start: {str(e).splitlines()[0]}") from e
        try:
            context = browser.new_context(viewport=viewport or VIEWPORT, offline=True, service_workers="block")
            page = context.new_page()
            session = ReportBrowser(page)
            page.on("console", lambda message: message.type == "error" and session.console_errors.append(message.text))
            page.on("pageerror", lambda error: session.console_errors.append(f"uncaught: {error}"))

            def refuse_network(route) -> None:
                if route.request.url.startswith("file:"):
                    route.continue_()
                else:
                    session.refused.append(route.request.url)
                    route.abort("internetdisconnected")

            context.route("**/*", refuse_network)
            yield session
        finally:
            browser.close()


def _fewer_colours(png: bytes) -> bytes:
    try:
        from PIL import Image
    except ImportError:  # Pillow comes with reportlab in the test extra; without it, keep the PNG as is
        return png
    image = Image.open(io.BytesIO(png)).convert("RGB")
    reduced = image.quantize(colors=SCREENSHOT_COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    reduced.save(out, format="PNG", optimize=True)
    return out.getvalue()
