"""Refresh the README's screenshot of the home page from a running Tongban.

    .venv/bin/tongban serve --port 8101 &        # any running instance with the catalog loaded
    .venv/bin/python scripts/screenshot_home.py http://127.0.0.1:8101/ [--out docs/screenshot-home.png]

Starts no server itself. Drives Debian's Chromium (TONGBAN_CHROMIUM overrides the path) at
desktop width, in English by default (the README's language; --language zh-hans for Chinese).
"""

import argparse
import os
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("TONGBAN_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]  # fmt: skip
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshot-home.png"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "url", help="the home page of a running Tongban, e.g. http://127.0.0.1:8101/"
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--language", default="en", help="Accept-Language to send")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=900)
    options = parser.parse_args()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_page(
            viewport={"width": options.width, "height": options.height},
            extra_http_headers={"Accept-Language": options.language},
        )
        response = page.goto(options.url, wait_until="networkidle")
        if response is None or not response.ok:
            raise SystemExit(f"{options.url} answered {response.status if response else 'nothing'}")
        options.out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(options.out))
        browser.close()
    print(options.out)


if __name__ == "__main__":
    main()
