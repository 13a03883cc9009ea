"""``--workers``: the same bytes as one process, in input order, errors in their places."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conflict_corpus import reports, write_jsonl

from sitrep.cli import main
from sitrep.records import Report


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # 70 reports: two full chunks of 32 and a short one, with broken reports in two of them.
    rows = reports(70)
    rows.insert(10, {"id": "no-text"})  # a reader's error, passed through the workers
    return write_jsonl(tmp_path_factory.mktemp("workers") / "reports.jsonl", rows)


def _extract(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(["extract", *args])
    out, err = capsys.readouterr()
    return status, out, err


def test_parallel_workers_output_is_byte_identical(corpus: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    one = _extract([str(corpus), "--format", "jsonl"], capsys)
    two = _extract([str(corpus), "--format", "jsonl", "--workers", "2"], capsys)
    assert one[0] == two[0] == 1  # some reports are broken on purpose
    assert two[1] == one[1]
    lines = [json.loads(line) for line in two[1].splitlines()]
    assert len(lines) == 71
    assert [r["id"] for r in lines[:12]] == [*(f"r{i:04d}" for i in range(10)), "no-text",
                                             "r0010"]
    errors = {r["id"]: r["error"]["code"] for r in lines if r["error"]}
    assert errors == {"no-text": "E007", "r0017": "E001", "r0041": "E008", "r0067": "E001"}
    assert sum(len(r["events"]) for r in lines) > 40
    assert one[2].splitlines()[-1] == two[2].splitlines()[-1]  # the same summary


def test_parallel_workers_keep_texts_and_bound_memory() -> None:
    from sitrep.parallel import WorkerPool

    rows = reports(40)
    items = [Report(id=r["id"], text=r["text"]) for r in rows]
    pulled = 0

    def source():
        nonlocal pulled
        for item in items:
            pulled += 1
            yield item

    with WorkerPool(2, batch_size=4, in_flight=2) as pool:
        results = pool.pipe(source())
        first = next(results)
        # Two chunks out and the one whose result came back: never the whole input.
        assert pulled <= 3 * 4
        rest = list(results)
    coded = [first, *rest]
    assert [r.id for r in coded] == [r["id"] for r in rows]
    assert all(r.text == item.text for r, item in zip(coded, items, strict=True)
               if r.error is None)


def test_parallel_workers_dead_worker_fails_only_its_chunk() -> None:
    from sitrep import parallel

    items = [Report(id=f"k{i}", text=r["text"]) for i, r in enumerate(reports(12, broken=False))]
    items[5] = Report(id="kill", text=parallel.__doc__ or "")
    with parallel.WorkerPool(2, batch_size=4) as pool:
        pool_submit = pool._submit

        def submit(chunk):  # a chunk holding the "kill" report kills its worker
            if any(getattr(c, "id", None) == "kill" for c in chunk):
                return pool._pool().submit(_die)
            return pool_submit(chunk)

        pool._submit = submit
        results = list(pool.pipe(items))
    assert [r.id for r in results] == [i.id for i in items]
    failed = [r.id for r in results if r.error is not None]
    assert failed == ["k4", "kill", "k6", "k7"]
    assert all(r.error.code == "E010" for r in results if r.error is not None)


def _die() -> None:
    import os

    os._exit(3)


def test_parallel_workers_ingest_stores_the_same_events(
        corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dumps = []
    for workers in ("1", "2"):
        db = str(tmp_path / f"w{workers}.db")
        status = main(["ingest", str(corpus), "--db", db, "--workers", workers,
                       "--format", "jsonl"])
        statuses = capsys.readouterr().out
        assert status == 1  # the broken reports
        assert main(["events", "--db", db, "--format", "jsonl"]) == 0
        dumps.append((statuses, capsys.readouterr().out))
    assert dumps[0] == dumps[1]
    assert dumps[0][1].count("\n") > 20  # the corpus repeats itself: dedup keeps copies apart
