"""An index built by other build code is not current: the same shipped tables read by an older
builder give other name keys, and a user upgrading sitrep must get the keys of the code they run."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from sitrep.places import index, tables
from sitrep.places.build import create_empty


@pytest.fixture()
def built(tmp_path: Path) -> Path:
    """An index in a fresh home, written by the running code (the embedded tier left empty)."""
    path = index.index_path(tmp_path)
    gaz = create_empty(path)
    gaz.conn.execute("INSERT INTO places (id, uid, name, lat, lon, feature_code, population) "
                     "VALUES (1, 'test:1', 'Somewhere', 1.0, 2.0, 'PPL', 10)")
    gaz.conn.commit()
    gaz.close()
    return path


def _version_of(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT v FROM meta WHERE k = 'schema'").fetchone()[0]
    finally:
        conn.close()


def test_index_from_the_running_build_code_is_current(built: Path) -> None:
    assert index._valid(built)
    assert _version_of(built) == tables.build_version()


def test_index_from_other_build_code_is_stale(built: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A builder edited (here: one line more in a copy of build.py) makes the index stale,
    though the schema number and the shipped tables are the same."""
    code = tmp_path / "code"
    code.mkdir()
    for name in tables.BUILD_MODULES:
        (code / name).write_text((tables.CODE_DIR / name).read_text(encoding="utf-8"),
                                 encoding="utf-8")
    with open(code / "build.py", "a", encoding="utf-8") as fh:
        fh.write("NEW_RULE = 1\n")
    monkeypatch.setattr(tables, "CODE_DIR", code)
    tables.build_version.cache_clear()
    try:
        assert not index._valid(built)
        schema, table_digest, _ = tables.build_version().split(":")
        old_schema, old_tables, _ = _version_of(built).split(":")
        assert (schema, table_digest) == (old_schema, old_tables)
    finally:
        monkeypatch.undo()
        tables.build_version.cache_clear()
    assert index._valid(built)


def test_line_endings_are_no_change_of_build_code(built: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    code = tmp_path / "code"
    code.mkdir()
    for name in tables.BUILD_MODULES:
        text = (tables.CODE_DIR / name).read_text(encoding="utf-8")
        (code / name).write_bytes(text.replace("\n", "\r\n").encode())
    monkeypatch.setattr(tables, "CODE_DIR", code)
    tables.build_version.cache_clear()
    try:
        assert index._valid(built)
    finally:
        monkeypatch.undo()
        tables.build_version.cache_clear()


def test_stale_index_is_rebuilt_on_open(built: Path, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """What get_gazetteer does with an index an older builder wrote: build it again."""
    conn = sqlite3.connect(built)
    schema, table_digest, _ = tables.build_version().split(":")
    conn.execute("UPDATE meta SET v = ? WHERE k = 'schema'",
                 (f"{schema}:{table_digest}:000000000000",))
    conn.commit()
    conn.close()
    builds: list[Path] = []

    def fake_build(path: Path) -> None:
        builds.append(path)
        gaz = create_empty(path)
        gaz.conn.execute("INSERT INTO places (id, uid, name, lat, lon, feature_code, population)"
                         " VALUES (1, 'test:2', 'Elsewhere', 3.0, 4.0, 'PPL', 10)")
        gaz.conn.commit()
        gaz.close()

    monkeypatch.setattr(index, "build", fake_build)
    gaz = index.get_gazetteer(tmp_path)
    try:
        assert builds == [built]
        names = [r[0] for r in gaz.conn.execute("SELECT name FROM places")]
        assert names == ["Elsewhere"]
    finally:
        index._OPEN.pop(built, None)
        gaz.close()
