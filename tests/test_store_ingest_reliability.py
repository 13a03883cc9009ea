"""``sitrep ingest``: one output line per input in input order, counts that add up, duplicate ids
refused rather than replacing each other, reruns that change nothing (issue 14, items 4-6)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from sitrep import errors
from sitrep.cli import main
from sitrep.store import counts, open_store

GOOD = "Two people were killed when shelling hit a market in Kharkiv on Monday, police said."
OTHER = "Three soldiers were injured in a drone strike near Kherson on Tuesday, officials said."


def _write(path: Path, lines: list[str]) -> str:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def _ingest(args: list[str], capsys) -> tuple[int, list[dict], str]:
    status = main(["ingest", *args, "--format", "jsonl"])
    out, err = capsys.readouterr()
    return status, [json.loads(line) for line in out.splitlines()], err


def _summary(err: str) -> tuple[int, ...]:
    match = re.search(r"(\d+) report\(s\): (\d+) stored \((\d+) replacing older versions\), "
                      r"(\d+) unchanged, (?:\d+ duplicate\(s\) of stored reports, )?(\d+) failed",
                      err)
    assert match, err
    return tuple(int(g) for g in match.groups())


@pytest.fixture
def mixed(tmp_path: Path) -> str:
    return _write(tmp_path / "mixed.jsonl", [
        json.dumps({"id": "good-1", "text": GOOD}),
        json.dumps({"id": "empty", "text": ""}),
        "{broken",
        json.dumps({"id": "bad-date", "text": GOOD, "published": "2023-02-30"}),
        json.dumps({"id": ["x"], "text": GOOD}),
        json.dumps({"id": 42, "text": OTHER}),
    ])


def test_store_ingest_jsonl_one_line_per_input_in_order(mixed, tmp_path, capsys,
                                                        pipeline) -> None:
    db = str(tmp_path / "s.db")
    expected_ids = ["good-1", "empty", "line-3", "bad-date", "line-5", "42"]
    status, lines, err = _ingest([mixed, "--db", db], capsys)
    assert status == 1
    assert [line["id"] for line in lines] == expected_ids
    assert [line["status"] for line in lines] == ["stored", "failed", "failed", "failed",
                                                  "failed", "stored"]
    assert [(line["error"] or {}).get("code") for line in lines] == [
        None, errors.EMPTY_TEXT, errors.BAD_JSON, errors.BAD_DATE, errors.BAD_FIELD, None]
    reports, stored, _, unchanged, failed = _summary(err)
    assert (reports, stored, unchanged, failed) == (6, 2, 0, 4)
    assert stored + unchanged + failed == reports
    # A rerun: the same lines in the same order, nothing new stored, the same failures.
    before = counts(open_store(db))
    status, again, err = _ingest([mixed, "--db", db], capsys)
    assert status == 1
    assert [line["id"] for line in again] == expected_ids
    assert [line["status"] for line in again] == ["unchanged", "failed", "failed", "failed",
                                                  "failed", "unchanged"]
    assert _summary(err)[1:] == (0, 0, 2, 4)
    assert counts(open_store(db)) == before


def test_store_ingest_duplicate_id_refused_and_rerun_changes_nothing(tmp_path, capsys,
                                                                      pipeline) -> None:
    db = str(tmp_path / "s.db")
    path = _write(tmp_path / "dup.jsonl", [json.dumps({"id": "same", "text": GOOD}),
                                           json.dumps({"id": "same", "text": OTHER}),
                                           json.dumps({"id": "same", "text": GOOD})])
    status, lines, err = _ingest([path, "--db", db], capsys)
    assert status == 1
    assert [line["status"] for line in lines] == ["stored", "failed", "unchanged"]
    assert lines[1]["error"]["code"] == errors.DUPLICATE_ID
    assert "same" in err and errors.DUPLICATE_ID in err  # warned on stderr
    assert _summary(err) == (3, 1, 0, 1, 1)
    before = counts(open_store(db))
    status, lines, err = _ingest([path, "--db", db], capsys)
    assert [line["status"] for line in lines] == ["unchanged", "failed", "unchanged"]
    assert _summary(err) == (3, 0, 0, 2, 1)
    assert "replacing" in err and counts(open_store(db)) == before


def test_store_extract_warns_of_a_reused_id(tmp_path, capsys, pipeline) -> None:
    path = _write(tmp_path / "dup.jsonl", [json.dumps({"id": "same", "text": GOOD}),
                                           json.dumps({"id": "same", "text": OTHER})])
    assert main(["extract", path, "--format", "jsonl"]) == 0
    out, err = capsys.readouterr()
    assert [json.loads(line)["id"] for line in out.splitlines()] == ["same", "same"]
    assert "same" in err and errors.DUPLICATE_ID in err
