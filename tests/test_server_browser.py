"""The web page in a real headless Chromium (Debian's chromium and chromium-driver, Selenium):
map, type filter, timeline brush, event view with highlighted evidence, a correction seen on
reload, and a hostile report whose markup stays text."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

sys.path.insert(0, str(Path(__file__).parent / "data" / "store"))
from fixtures import load  # noqa: E402

CHROMIUM, DRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM.exists() and DRIVER.exists()),
    reason="needs Debian's chromium and chromium-driver "
           "(apt-get install -y chromium chromium-driver)")

stubs = load("stubs")
TOKEN = "browser-token"
HOSTILE = ("Kherson; 1 killed; missile\n<script>window.pwned = 1</script>"
           "<img src=x onerror=\"window.pwned = 2\">")
REPORTS = [("k1", "Kharkiv; 8 killed; missile", "2024-05-01"),
           ("k2", "Kharkiv; 9 killed; missile", "2024-05-01"),
           ("a1", "Aleppo; 12 killed; clash", "2024-05-05"),
           ("g1", "Gao; 30 killed; clash", "2024-05-20"),
           ("o1", "Odesa; 2 killed; drone", "2024-05-28"),
           ("x1", HOSTILE, "2024-05-10")]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from fastapi.testclient import TestClient

    from sitrep.server import create_app
    from sitrep.server.background import serving

    app = create_app(str(tmp_path_factory.mktemp("browser") / "b.db"), token=TOKEN,
                     extractor=stubs.stub_extractor)
    body = "".join(json.dumps({"id": i, "text": t, "published": p, "source": f"Wire {i}",
                               "url": f"https://news.example/{i}"}) + "\n"
                   for i, t, p in REPORTS)
    TestClient(app).post("/api/reports", content=body.encode(),
                         headers={"authorization": f"Bearer {TOKEN}",
                                  "content-type": "application/x-ndjson"})
    with serving(app) as url:
        yield url, TestClient(app)


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,900"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(str(DRIVER)), options=options)
    yield driver
    driver.quit()


def ready(driver, url: str) -> None:
    driver.get(url)
    wait_for(driver, "return document.body.dataset.ready === '1'")


def wait_for(driver, script: str, timeout: float = 20) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = driver.execute_script(script)
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for: {script}")


def summary(driver) -> str:
    return driver.find_element("id", "summary").text


def test_server_browser_map_filter_and_brush(site, browser):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.support.ui import Select

    url, _ = site
    ready(browser, url + "/")
    assert summary(browser) == "5 events on the map"
    assert browser.find_elements("css selector", ".leaflet-overlay-pane path, .marker-cluster")
    Select(browser.find_element("css selector", "select[name=type]")).select_by_value("Battles")
    browser.execute_script("document.body.dataset.ready = ''")
    browser.find_element("css selector", "#filters button[type=submit]").click()
    wait_for(browser, "return document.body.dataset.ready === '1'")
    assert summary(browser) == "2 events on the map"
    assert parse_qs(urlparse(browser.current_url).query)["type"] == ["Battles"]
    ready(browser, url + "/")  # brush the first days of the timeline
    chart = browser.find_element("id", "timeline")
    width = chart.size["width"]
    browser.execute_script("document.body.dataset.ready = ''")
    ActionChains(browser).move_to_element_with_offset(chart, -width // 2 + 2, 0).click_and_hold() \
        .move_by_offset(width // 2, 0).release().perform()
    wait_for(browser, "return document.body.dataset.ready === '1'")
    query = parse_qs(urlparse(browser.current_url).query)
    assert query["since"][0] <= "2024-05-01" and query["until"][0] < "2024-05-28"
    assert summary(browser) not in ("5 events on the map", "0 events on the map")
    shared = browser.current_url  # the URL holds the view: loading it again shows the same
    ready(browser, shared)
    assert browser.find_element("css selector", "input[name=since]").get_attribute("value") \
        == query["since"][0]


def test_server_browser_event_view_correction_and_hostile_report(site, browser):
    url, client = site
    events = client.get("/api/events").json()["events"]
    kharkiv = next(e for e in events if e["location"]["name"] == "Kharkiv")["event_id"]
    ready(browser, url + "/")
    link = browser.execute_script(
        "const m = Object.values(sitrep.map._layers).find(l => l.feature && "
        "l.feature.properties.event_id === arguments[0]); "
        "return m ? m.feature.properties.event_id : null;", kharkiv)
    assert link == kharkiv
    ready(browser, f"{url}/events/{kharkiv}")
    marks = browser.find_elements("css selector", ".report-text mark")
    assert {m.get_attribute("data-field") for m in marks} >= {"trigger"}
    assert marks[0].text == "Kharkiv; 8"  # the stub's trigger span: the first ten characters
    assert len(browser.find_elements("css selector", "article.source")) == 2
    form = browser.find_element("id", "correct-form")
    from selenium.webdriver.support.ui import Select

    Select(form.find_element("name", "field")).select_by_value("fatalities")
    form.find_element("name", "value").send_keys("11")
    form.find_element("name", "note").send_keys("hospital list")
    form.find_element("name", "token").send_keys(TOKEN)
    form.find_element("css selector", "button[type=submit]").click()
    wait_for(browser, "return document.getElementById('correct-status') && "
                      "document.getElementById('correct-status').textContent === 'Saved.'")
    ready(browser, f"{url}/events/{kharkiv}")
    facts = browser.find_element("css selector", ".facts").text
    assert "Killed\n11" in facts and "machine: 8" in facts
    assert "hospital list" in browser.find_element("id", "corrections").text
    assert "corrected" in browser.find_element("id", "event-head").text
    hostile = next(e for e in events if e["location"]["name"] == "Kherson")["event_id"]
    ready(browser, f"{url}/events/{hostile}")
    text = browser.find_element("css selector", ".report-text").text
    assert "<script>window.pwned = 1</script>" in text and "onerror" in text
    assert browser.execute_script("return window.pwned === undefined")
    assert not browser.find_elements("css selector", ".report-text img, .report-text script")
