"""Take the README's screenshots (docs/screenshot-map.png, docs/screenshot-event.png) with
Debian's headless Chromium: a store of synthetic events plus the sample report coded by the
real pipeline, one analyst correction, served on 127.0.0.1.

Usage: python scripts/screenshots.py [--out docs] [--events 3000]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from serve_load import build  # noqa: E402

from sitrep.server import create_app  # noqa: E402
from sitrep.server.background import serving  # noqa: E402
from sitrep.sources import read_paths  # noqa: E402
from sitrep.store import corrections, ingest, open_store, query_events  # noqa: E402


def driver():  # noqa: ANN201
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,900", "--hide-scrollbars"):
        options.add_argument(arg)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def wait_ready(browser) -> None:  # noqa: ANN001
    deadline = time.monotonic() + 60
    while browser.execute_script("return document.body.dataset.ready") != "1":
        if time.monotonic() > deadline:
            raise RuntimeError("the page never became ready")
        time.sleep(0.1)
    time.sleep(1.0)  # clusters and tiles settle


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs"))
    parser.add_argument("--events", type=int, default=3000)
    args = parser.parse_args(argv)
    db = Path(tempfile.mkdtemp(prefix="sitrep-shots-")) / "shots.db"
    build(db, args.events)
    store = open_store(str(db))
    os.chdir(ROOT)  # the sample's source is its path: relative, as in `make demo`
    ingest(store, read_paths([str(p.relative_to(ROOT))
                              for p in sorted((ROOT / "samples").glob("*.txt"))],
                             published=__import__("datetime").date(2023, 3, 22)))
    strike = next(e for e in query_events(store, country="UA", since="2023-03-22",
                                          until="2023-03-22")
                  if (e.get("fatalities") or {}).get("best") == 8)
    corrections.correct(store, strike["event_id"], "fatalities", 9, author="analyst",
                        note="toll rose to nine in a later report")
    out = Path(args.out)
    browser = driver()
    try:
        with serving(create_app(None, store=store, token="screenshots")) as url:
            browser.get(url + "/?since=2024-03-01&until=2024-04-15")
            wait_ready(browser)
            browser.save_screenshot(str(out / "screenshot-map.png"))
            browser.get(f"{url}/events/{strike['event_id']}")
            wait_ready(browser)
            browser.execute_script(
                "document.querySelector('.report-text mark[data-fields~=killed]')"
                ".scrollIntoView({block: 'center'})")
            browser.execute_script("window.scrollTo(0, 0)")
            browser.save_screenshot(str(out / "screenshot-event.png"))
    finally:
        browser.quit()
    print(f"wrote {out / 'screenshot-map.png'} and {out / 'screenshot-event.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
