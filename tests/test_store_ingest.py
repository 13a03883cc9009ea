"""Ingesting: unchanged reports are no-ops, changed ones replace, kills and races lose nothing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).parent / "data" / "store"))
from fixtures import BACKENDS, HERE, db_url, load  # noqa: E402

from sitrep.errors import SitrepError  # noqa: E402
from sitrep.records import ErrorInfo, Report  # noqa: E402
from sitrep.store import counts, ingest, open_store, query_events  # noqa: E402
from sitrep.store.models import events, mentions, reports  # noqa: E402

stubs = load("stubs")
PLACES = ["Kharkiv", "Odesa", "Kherson", "Dnipro", "Aleppo", "Idlib", "Gao", "Mogadishu"]


def report(n: int, place: str = "Kharkiv", killed: int = 3, url: str | None = "auto",
           day: date = date(2024, 5, 10), kind: str = "missile") -> Report:
    return Report(f"r{n}", f"{place}; {killed} killed; {kind}\nReport number {n}.", day,
                  "Wire", f"https://wire.example/{n}" if url == "auto" else url)


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    s = open_store(db_url(request.param, tmp_path))
    yield s
    s.dispose()


def test_store_ingest_reingest_is_noop(store):
    items = [report(1), report(2, "Odesa")]
    first = ingest(store, items, extractor=stubs.stub_extractor)
    assert (first.stored, first.unchanged) == (2, 0)
    before = counts(store)
    calls = []

    def counting(reports):
        for r in reports:
            calls.append(r.id)
            yield from stubs.stub_extractor([r])

    again = ingest(store, items, extractor=counting)
    assert (again.stored, again.unchanged) == (0, 2)
    assert calls == []  # skipped before extraction
    assert counts(store) == before


@pytest.mark.parametrize("url", ["https://wire.example/story", None])
def test_store_ingest_changed_report_replaces(store, url):
    ingest(store, [report(1, killed=4, url=url)], extractor=stubs.stub_extractor)
    changed = report(1, killed=6, url=url)
    changed.text += " Updated."
    stats = ingest(store, [changed], extractor=stubs.stub_extractor)
    assert (stats.stored, stats.replaced) == (1, 1)
    assert counts(store)["reports"] == 1
    assert counts(store)["mentions"] == 1
    [event] = list(query_events(store))
    assert event["fatalities"]["best"] == 6
    assert len(event["sources"]) == 1


def test_store_ingest_replacement_keeps_other_sources(store):
    ingest(store, [report(1, killed=4), report(2, killed=5)], extractor=stubs.stub_extractor)
    [event] = list(query_events(store))
    assert len(event["sources"]) == 2
    changed = report(1, killed=4, kind="protest")  # the outlet corrected its story
    ingest(store, [changed], extractor=stubs.stub_extractor)
    types = sorted(e["sub_event_type"] for e in query_events(store))
    assert types == ["Peaceful protest", "Shelling/artillery/missile attack"]
    assert all(len(e["sources"]) == 1 for e in query_events(store))


def test_store_ingest_errors_are_counted_and_stored_once(store):
    def failing(items):
        for r in items:
            yield stubs.DocumentResult(id=r.id, published=r.published, text=r.text,
                                       error=ErrorInfo("E005", "not English"))

    bad_line = SitrepError("E006", "line 3 is not a JSON object", report_id="line-3")
    stats = ingest(store, [report(1), bad_line], extractor=failing)
    # Each input counted once (issue 14): the failed report's row is kept, but it is failed.
    assert (stats.reports, stats.failed, stats.stored, stats.unchanged) == (2, 2, 0, 0)
    assert counts(store)["reports"] == 1
    # A rerun does not code it again and says again that it failed, with its stored error.
    def never(items):
        for r in items:
            raise AssertionError(f"{r.id} coded again")
        yield from ()

    again = ingest(store, [report(1)], extractor=never)
    assert (again.failed, again.unchanged) == (1, 0)
    assert again.errors == [("r1", "E005", "not English")]
    assert counts(store)["events"] == 0


def _write_reports(path: Path, n: int) -> list[dict]:
    rows = [{"id": f"doc-{i}", "text": f"{PLACES[i % len(PLACES)]}; {i % 7} killed; "
             f"{'missile' if i % 3 else 'clash'}\nBody of report {i}.",
             "published": f"2024-05-{1 + i % 20:02d}", "source": f"Outlet {i % 4}",
             "url": f"https://news.example/{i}"} for i in range(n)]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return rows


def _worker(url: str, path: Path, delay: float = 0.0) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(HERE.parents[2])}
    return subprocess.Popen([sys.executable, str(HERE / "ingest_worker.py"), url, str(path),
                             str(delay)], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _assert_consistent(store, n: int) -> None:
    with store.read() as connection:
        assert connection.execute(select(func.count()).select_from(reports)).scalar() == n
        duplicates = connection.execute(
            select(reports.c.document_id).group_by(reports.c.document_id)
            .having(func.count() > 1)).all()
        assert duplicates == []
        assert connection.execute(select(func.count()).select_from(mentions)).scalar() == n
        empty = connection.execute(select(events.c.id).where(~events.c.id.in_(
            select(mentions.c.event_pk)))).all()
        assert empty == []
        sources = connection.execute(select(func.sum(events.c.n_sources))).scalar()
        assert sources == n


@pytest.mark.parametrize("backend", BACKENDS)
def test_store_ingest_sigkill_half_way_then_rerun(backend, tmp_path):
    url = db_url(backend, tmp_path)
    store = open_store(url)
    path = tmp_path / "reports.jsonl"
    _write_reports(path, 30)
    worker = _worker(url, path, delay=0.05)
    deadline = time.monotonic() + 60
    while counts(store)["reports"] < 6 and time.monotonic() < deadline:
        assert worker.poll() is None, worker.stderr.read()
        time.sleep(0.02)
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    stored = counts(store)["reports"]
    assert 6 <= stored < 30
    with store.read() as connection:  # no half-written report: every report has its event
        assert connection.execute(select(func.count()).select_from(mentions)).scalar() == stored
    rerun = _worker(url, path)
    out, err = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, err
    _assert_consistent(store, 30)
    store.dispose()


@pytest.mark.parametrize("backend", BACKENDS)
def test_store_ingest_concurrent_processes(backend, tmp_path):
    url = db_url(backend, tmp_path)
    open_store(url).dispose()
    path = tmp_path / "reports.jsonl"
    _write_reports(path, 20)
    workers = [_worker(url, path, delay=0.005) for _ in range(2)]
    for w in workers:
        out, err = w.communicate(timeout=120)
        assert w.returncode == 0, err
    store = open_store(url)
    _assert_consistent(store, 20)
    store.dispose()
