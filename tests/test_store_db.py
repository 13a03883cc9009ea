"""Opening stores: schema creation and migration, and databases sitrep must refuse."""

from __future__ import annotations

import hashlib
import sqlite3
import sys
from datetime import date
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "data" / "store"))
from fixtures import BACKENDS, db_url, load  # noqa: E402

from sitrep.records import Report  # noqa: E402
from sitrep.store import StoreError, counts, ingest, open_store  # noqa: E402
from sitrep.store import errors as store_errors  # noqa: E402
from sitrep.store.db import Store, head_revision, migrate  # noqa: E402

stubs = load("stubs")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("backend", BACKENDS)
def test_store_db_creates_schema_at_head(backend, tmp_path):
    store = open_store(db_url(backend, tmp_path))
    assert store.revision() == head_revision()
    assert counts(store) == {"reports": 0, "mentions": 0, "events": 0, "figures": 0}


def test_store_db_sqlite_uses_wal(tmp_path):
    open_store(str(tmp_path / "s.db"))
    mode = sqlite3.connect(tmp_path / "s.db").execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"


@pytest.mark.parametrize("url", ["sitrep.db", "data/x.db"])
def test_store_db_bare_path_is_sqlite(url, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()
    store = open_store(url)
    assert store.dialect == "sqlite"
    assert (tmp_path / url).exists()


def test_store_db_env_default(tmp_path, monkeypatch):
    monkeypatch.setenv("SITREP_DB", str(tmp_path / "env.db"))
    assert open_store().url.endswith("env.db")


@pytest.mark.parametrize("content", [b"not a database at all\n" * 50, b"\x00\x01binary" * 99,
                                     b"SQLite format 2 garbage" * 10])
def test_store_db_refuses_non_sqlite_file(content, tmp_path):
    path = tmp_path / "x.db"
    path.write_bytes(content)
    before = digest(path)
    with pytest.raises(StoreError) as info:
        open_store(str(path))
    assert info.value.code == store_errors.NOT_SITREP_DB
    assert digest(path) == before


def test_store_db_refuses_foreign_sqlite_database(tmp_path):
    path = tmp_path / "other.db"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    connection.execute("INSERT INTO customers VALUES (1, 'a')")
    connection.commit()
    connection.close()
    before = digest(path)
    with pytest.raises(StoreError) as info:
        open_store(str(path))
    assert info.value.code == store_errors.NOT_SITREP_DB
    assert "customers" in info.value.message
    assert digest(path) == before


@pytest.mark.parametrize("backend", BACKENDS)
def test_store_db_refuses_foreign_tables(backend, tmp_path):
    from sqlalchemy import text

    url = db_url(backend, tmp_path)
    store = open_store(url)
    with store.write() as connection:
        for table in ("report_copies", "report_bands", "report_signatures", "figures",
                      "mentions", "events", "reports", "sitrep_meta", "sitrep_alembic_version"):
            connection.execute(text(f"DROP TABLE {table}"))
        connection.execute(text("CREATE TABLE other_app (id INTEGER PRIMARY KEY)"))
    store.dispose()
    with pytest.raises(StoreError) as info:
        open_store(url)
    assert info.value.code == store_errors.NOT_SITREP_DB


@pytest.mark.parametrize("backend", BACKENDS)
def test_store_db_migrates_older_schema(backend, tmp_path):
    """A database at schema 0001 with data is migrated on open and keeps its data."""
    from sqlalchemy import create_engine, func, select, text

    from sitrep.store.db import resolve_url
    from sitrep.store.models import figures

    url = resolve_url(db_url(backend, tmp_path))
    engine = create_engine(url)
    with engine.begin() as connection:
        migrate(connection, "0001")
        connection.execute(text(
            "INSERT INTO reports (id, document_id, content_hash, text, result, ingested_at) "
            "VALUES (1, 'r1', 'h1', 'text', '{}', '2024-01-01 00:00:00')"))
        connection.execute(text(
            "INSERT INTO events (id, event_id, event_date, actors, n_sources, words, record, "
            "updated_at) VALUES (1, 'e1', '2024-01-01', '', 1, '[]', '{}', "
            "'2024-01-01 00:00:00')"))
        connection.execute(text(
            "INSERT INTO mentions (id, report_id, event_pk, event_id, record, sentence, "
            "figure_context, reason) VALUES (1, 1, 1, 'e1', :record, '', '{}', '{}')"),
            {"record": '{"fatalities": {"best": 4, "low": 4, "high": 4, '
                       '"qualifier": "exact", "text": "four"}}'})
    engine.dispose()
    store = open_store(url)
    assert store.revision() == head_revision()
    assert counts(store)["reports"] == 1
    with store.read() as connection:
        assert connection.execute(select(func.max(figures.c.best))).scalar() == 4


@pytest.mark.parametrize("backend", BACKENDS)
def test_store_db_refuses_newer_schema(backend, tmp_path):
    from sqlalchemy import text

    url = db_url(backend, tmp_path)
    store = open_store(url)
    with store.write() as connection:
        connection.execute(text("UPDATE sitrep_alembic_version SET version_num = '9999'"))
    store.dispose()
    with pytest.raises(StoreError) as info:
        open_store(url)
    assert info.value.code == store_errors.NEWER_SCHEMA


def test_store_db_missing_database_for_reading(tmp_path):
    with pytest.raises(StoreError) as info:
        open_store(str(tmp_path / "absent.db"), create=False)
    assert info.value.code == store_errors.NO_DATABASE
    assert not (tmp_path / "absent.db").exists()


def test_store_db_bad_url():
    with pytest.raises(StoreError) as info:
        open_store("nosuchdriver://x/y")
    assert info.value.code == store_errors.BAD_URL


def _report(n: int, size: int = 200) -> Report:
    return Report(f"r{n}", f"Kharkiv; {n} killed; missile\n" + "x" * size, date(2024, 5, 10),
                  "Wire", f"https://wire.example/{n}")


def test_store_db_locked_changes_nothing(tmp_path):
    path = tmp_path / "locked.db"
    open_store(str(path)).dispose()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        store = Store(str(path), timeout=0.2)
        with pytest.raises(StoreError) as info:
            ingest(store, [_report(1)], extractor=stubs.stub_extractor)
        assert info.value.code == store_errors.DB_LOCKED
        assert "locked" in info.value.message
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert counts(open_store(str(path)))["reports"] == 0


def test_store_db_full_rolls_back_the_report(tmp_path):
    path = tmp_path / "full.db"
    small = Store(str(path))
    ingest(small, [_report(1)], extractor=stubs.stub_extractor)
    small.dispose()
    pages = sqlite3.connect(path).execute("PRAGMA page_count").fetchone()[0]
    store = Store(str(path), sqlite_pragmas={"max_page_count": pages + 2})
    with pytest.raises(StoreError) as info:
        ingest(store, [_report(2, size=200_000)], extractor=stubs.stub_extractor)
    assert info.value.code == store_errors.DB_FULL
    store.dispose()
    after = counts(open_store(str(path)))
    assert after["reports"] == 1 and after["mentions"] == 1
