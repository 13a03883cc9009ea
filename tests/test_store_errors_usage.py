"""Store errors: usage problems exit 2 without raw errno text, queries that cannot match say
why, and docs/ERRORS.md lists every code (issue 14, items 8 and 9)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sitrep import errors
from sitrep.cli import main
from sitrep.store import StoreError, open_store
from sitrep.store.query import EventFilter, check_filter, query_events

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "s.db")
    open_store(path).dispose()
    return path


def _run(args: list[str], capsys) -> tuple[int, str]:
    status = main(args)
    out, err = capsys.readouterr()
    assert out == ""
    return status, err


@pytest.mark.parametrize(("args", "code", "hint"), [
    (["events", "--type", "No such"], errors.BAD_QUERY, "Armed clash"),
    (["events", "--type", "shelling"], errors.BAD_QUERY, "Shelling/artillery/missile attack"),
    (["events", "--country", "ZZ"], errors.BAD_QUERY, "did you mean"),
    (["events", "--since", "2024-01-01", "--until", "2023-01-01"], errors.BAD_QUERY, "empty"),
    (["export", "-f", "acled-csv", "--country", "QQ"], errors.BAD_QUERY, "country"),
    (["why", "nosuchid"], errors.NO_EVENT, "nosuchid"),
])
def test_store_query_that_cannot_match_is_a_usage_error(db, capsys, args, code, hint) -> None:
    status, err = _run([*args, "--db", db], capsys)
    assert status == 2
    assert err.startswith(f"sitrep: error: {code}") and hint in err
    assert len(err.splitlines()) == 1


@pytest.mark.parametrize("kind", ["directory", "text file", "missing"])
@pytest.mark.parametrize("command", [["events"], ["why", "x"], ["export", "-f", "geojson"]])
def test_store_bad_db_path_is_a_usage_error(tmp_path, capsys, kind, command) -> None:
    path = tmp_path / "thing"
    if kind == "directory":
        path.mkdir()
    elif kind == "text file":
        path.write_text("not a database\n")
    status, err = _run([*command, "--db", str(path)], capsys)
    assert status == 2
    assert "Errno" not in err and "Traceback" not in err
    code = errors.NO_DATABASE if kind == "missing" else errors.NOT_SITREP_DB
    assert err.startswith(f"sitrep: error: {code}")


def test_store_ingest_into_a_directory_is_a_usage_error(tmp_path, capsys) -> None:
    (tmp_path / "r.txt").write_text("Two people were killed in Kharkiv.")
    status, err = _run(["ingest", str(tmp_path / "r.txt"), "--db", str(tmp_path)], capsys)
    assert status == 2 and "Errno" not in err and errors.NOT_SITREP_DB in err


def test_store_valid_filters_pass(db) -> None:
    for where in (EventFilter(type="shelling/ARTILLERY/missile attack"),
                  EventFilter(type="assault"),
                  EventFilter(country="ua"), EventFilter(country="XK"),
                  EventFilter(since=date(2024, 1, 1), until=date(2024, 1, 1))):
        check_filter(where)
        assert list(query_events(open_store(db), where)) == []


def test_store_api_query_refuses_what_cannot_match(db) -> None:
    with pytest.raises(StoreError) as info:
        list(query_events(open_store(db), type="No such"))
    assert info.value.code == errors.BAD_QUERY


def test_store_errors_reference_is_current() -> None:
    """docs/ERRORS.md is generated from sitrep/errors.py (make docs) and lists every code."""
    page = (ROOT / "docs" / "ERRORS.md").read_text(encoding="utf-8")
    assert page == errors.reference_markdown(), "run `make docs` to regenerate docs/ERRORS.md"
    for code in errors.MESSAGES:
        assert f"| {code} |" in page
    assert {f"S00{n}" for n in range(1, 10)} <= set(errors.MESSAGES)


def test_store_ingest_into_a_missing_folder_is_a_usage_error(tmp_path, capsys) -> None:
    (tmp_path / "r.txt").write_text("Two people were killed in Kharkiv.")
    db = tmp_path / "no" / "such" / "s.db"
    status, err = _run(["ingest", str(tmp_path / "r.txt"), "--db", str(db)], capsys)
    assert status == 2 and err.startswith(f"sitrep: error: {errors.NO_FOLDER}")
    assert not (tmp_path / "no").exists()


def test_store_bad_time_budget_setting_is_a_usage_error(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("SITREP_TIME_BUDGET", "soon")
    (tmp_path / "r.txt").write_text("Two people were killed in Kharkiv.")
    status, err = _run(["extract", str(tmp_path / "r.txt")], capsys)
    assert status == 2 and "SITREP_TIME_BUDGET" in err and "internal" not in err
