"""Make `docs/report.png`, the README's screenshot of the report.

Run from the repository root (needs Chromium and the test extra: pip install -e '.[test]'):

    .venv/bin/python scripts/make_report_screenshot.py

It runs `smartspec run` on a copy of the bundled raw/ in a temporary folder, then opens that
version's report the way the browser test does (tests/helpers/browser.py: headless Chromium,
network off), chooses Norrbotten, switches to English and saves the screenshot.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.helpers.browser import report_browser  # noqa: E402

logger = logging.getLogger("make_report_screenshot")

TARGET = ROOT / "docs" / "report.png"
REGION = "SE332"  # Norrbotten, as in the browser test
LANGUAGE = "en"


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    smartspec = Path(sys.executable).parent / "smartspec"
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        shutil.copytree(ROOT / "raw", work / "raw")
        environment = {**os.environ, "PREFECT_HOME": str(work / "prefect")}
        subprocess.run([str(smartspec), "run", "--raw", str(work / "raw"), "--output", str(work / "output")],
                       cwd=ROOT, env=environment, check=True)
        index = work / "output" / "priorities" / "v1" / "report" / "index.html"
        with report_browser() as browser:
            browser.open(index)
            browser.choose_region(REGION)
            browser.switch_language(LANGUAGE)
            TARGET.parent.mkdir(exist_ok=True)
            browser.screenshot(TARGET)
            if browser.console_errors or browser.refused:
                raise SystemExit(f"the page reported {browser.console_errors} and asked for {browser.refused}")
    logger.info("wrote %s (%d bytes)", TARGET.relative_to(ROOT), TARGET.stat().st_size)


if __name__ == "__main__":
    main()
