"""The index on disk under ``SITREP_HOME``: built once, opened once per process.

``get_gazetteer`` is how every reader gets the index; a rebuild (a new schema or an edited
shipped table) loads the user's files again, so an upgrade never loses a loaded gazetteer.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import sqlite3
import threading
from pathlib import Path

from sitrep.config import default_home
from sitrep.places.build import build
from sitrep.places.gazetteer import Gazetteer
from sitrep.places.loaders import load_into
from sitrep.places.tables import build_version

log = logging.getLogger(__name__)

INDEX_NAME = "gazetteer.sqlite"

_OPEN: dict[Path, Gazetteer] = {}
_OPEN_LOCK = threading.Lock()


def _recorded_loads(path: Path) -> list[tuple[str, str, str, str | None]]:
    """The user files loaded into an index, to load again when it is rebuilt."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return conn.execute("SELECT path, format, mapping, country FROM loads").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return []  # an index from before loads were recorded, or a corrupt one


def _reload(path: Path, loads: list[tuple[str, str, str, str | None]]) -> None:
    gaz = Gazetteer(path)
    try:
        for file, format, mapping, country in loads:
            if Path(file).exists():
                log.warning("loading %s into the rebuilt gazetteer again", file)
                load_into(gaz, file, format, json.loads(mapping), country)
            else:
                log.warning("%s was loaded into the gazetteer before it was rebuilt and is gone:"
                            " run `sitrep gazetteer load` with it again", file)
    finally:
        gaz.close()


def _valid(path: Path) -> bool:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT v FROM meta WHERE k = 'schema'").fetchone()
            ok = bool(row and row[0] == build_version())
            ok = ok and conn.execute("SELECT 1 FROM places LIMIT 1").fetchone() is not None
        finally:
            conn.close()
        return ok
    except sqlite3.DatabaseError:
        return False


def index_path(home: Path | None = None) -> Path:
    return Path(home or default_home()) / INDEX_NAME


# The index the environment pointed at last, so that a batch of queries does not work out
# the home folder once a query.
_LAST: tuple[tuple[str | None, str | None], Gazetteer] | None = None


def get_gazetteer(home: Path | None = None) -> Gazetteer:
    """The process's gazetteer for ``home``, building the index on first use (or if corrupt)."""
    global _LAST
    # XDG_DATA_HOME only counts without SITREP_HOME (see ``default_home``): not read per query.
    sitrep_home = os.environ.get("SITREP_HOME")
    env = (sitrep_home, None) if sitrep_home else (None, os.environ.get("XDG_DATA_HOME"))
    last = _LAST
    if home is None and last is not None and last[0] == env:
        return last[1]
    path = index_path(home)
    with _OPEN_LOCK:
        gaz = _OPEN.get(path)
        if gaz is not None:
            if home is None:
                _LAST = (env, gaz)
            return gaz
        if not path.exists() or not _valid(path):
            path.parent.mkdir(parents=True, exist_ok=True)
            # Several processes may start on a fresh home at once (test workers, parallel
            # ingests): one builds while the others wait, then all open the same file.
            with open(path.with_suffix(".lock"), "w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                if not path.exists() or not _valid(path):
                    log.info("building the gazetteer index at %s (once)", path)
                    loads = _recorded_loads(path) if path.exists() else []
                    path.unlink(missing_ok=True)
                    build(path)
                    if loads:
                        _reload(path, loads)
        gaz = _OPEN[path] = Gazetteer(path)
        if home is None:
            _LAST = (env, gaz)
        return gaz


def reset() -> None:
    """Close every open index (tests point SITREP_HOME elsewhere between sessions)."""
    global _LAST
    with _OPEN_LOCK:
        _LAST = None
        for gaz in _OPEN.values():
            gaz.close()
        _OPEN.clear()


def load(path: str | Path, format: str = "geonames", mapping: dict[str, str] | None = None,
         country: str | None = None, gazetteer: Gazetteer | None = None) -> int:
    """``load_into`` the process's gazetteer (or ``gazetteer``): ``sitrep gazetteer load``."""
    return load_into(gazetteer or get_gazetteer(), path, format, mapping, country)
