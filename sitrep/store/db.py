"""Opening a store: the URL, the engine, SQLite's WAL and locking, schema checks and migrations.

SQLite (the default, ``sitrep.db``) runs in WAL mode so readers never block the writer; every
write transaction starts with ``BEGIN IMMEDIATE``, so concurrent ingests queue on the write lock
(up to ``SITREP_DB_TIMEOUT`` seconds) instead of failing half way. On PostgreSQL writers queue on
one advisory lock, which keeps merging serial there too. A database that is not sitrep's, or
was written by a newer sitrep, is refused before anything is written; an older one is migrated
(Alembic, run from the installed package) under the write lock.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError

from sitrep.store import errors
from sitrep.store.models import APPLICATION, VERSION_TABLE, meta

DEFAULT_DB = "sitrep.db"
DEFAULT_TIMEOUT = 30.0
# Pages of WAL between automatic checkpoints (SQLite's default is 1,000): 256 MB. A merge
# rewrites the same event, figure and index pages batch after batch; each checkpoint copies
# them into the database and syncs it, which a merge waits for (fewer, larger checkpoints
# copy a page rewritten by many batches once). After a checkpoint the WAL file is cut back
# to WAL_KEEP_BYTES, so it does not keep its largest size on disk.
WAL_CHECKPOINT_PAGES = 65536
WAL_KEEP_BYTES = 64 * 1024 * 1024
# Page cache of a connection, in KiB (SQLite's default: 2,000). Merging updates index pages
# all over a growing file (events, mentions and figures by event): with the default cache,
# most of those pages were read back from the OS for every batch. Pages are allocated as used.
CACHE_KIB = 131072
# Bytes of the database file read through memory mapping: pages outside the cache are read
# from the OS's cache without a system call and a copy each (a merge of 100,000 events read
# its growing event, mention and figure indexes that way: 57-60 s of CPU against 64 without,
# in 1,024-report batches). The mapping is the OS's file cache, shared and reclaimable.
MMAP_BYTES = 1 << 30
SQLITE_MAGIC = b"SQLite format 3\x00"
# Any fixed number: the key of the PostgreSQL advisory lock that serialises sitrep's writers.
PG_WRITE_LOCK = 0x5173_7265


# One encoder each for every call: ``json.dumps`` with options builds a new one each time,
# which cost a tenth of encoding a record.
_UTF8 = json.JSONEncoder(ensure_ascii=False)
_ASCII = json.JSONEncoder()
_EMPTY: dict[type, str] = {dict: "{}", list: "[]"}
# _UTF8's C encoder, made once (``encode`` makes one on every call), without the check for
# circular references (records are trees; one would fail on recursion depth instead): the
# same text for a fifth less time.
_MAKE_ENCODER = getattr(json.encoder, "c_make_encoder", None)
_ENCODE_TREE = None if _MAKE_ENCODER is None else _MAKE_ENCODER(
    None, _UTF8.default, json.encoder.encode_basestring, None, ": ", ", ", False, False, True)


def dumps(value: Any) -> str:
    """JSON columns as UTF-8 text, so ``sitrep events`` can print them as stored; escaped
    where the text holds what UTF-8 cannot encode (lone surrogates)."""
    if type(value) in _EMPTY:
        if not value:  # most figure contexts: {}
            return _EMPTY[type(value)]
        out = _UTF8.encode(value) if _ENCODE_TREE is None else "".join(_ENCODE_TREE(value, 0))
    else:
        out = _UTF8.encode(value)
    if not out.isascii():
        try:
            out.encode("utf-8")
        except UnicodeEncodeError:
            return _ASCII.encode(value)
    return out


def resolve_url(db: str | None = None) -> str:
    """``--db``, else ``SITREP_DB``, else ``sitrep.db``; a bare path means an SQLite file."""
    value = db or os.environ.get("SITREP_DB") or DEFAULT_DB
    if "://" not in value:
        return f"sqlite:///{Path(value).expanduser().resolve()}"
    if value.startswith(("postgresql://", "postgres://")):
        # psycopg 3 is the PostgreSQL driver sitrep installs; SQLAlchemy defaults to psycopg2.
        return "postgresql+psycopg://" + value.split("://", 1)[1]
    return value


@lru_cache(maxsize=1)
def _alembic_config() -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "sitrep:migrations")
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config()).get_current_head() or ""


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {s.revision for s in ScriptDirectory.from_config(_alembic_config()).walk_revisions()}


class Store:
    """One sitrep database. ``write()`` and ``read()`` give connections in a transaction."""

    def __init__(self, db: str | None = None, *, timeout: float | None = None,
                 create: bool = True, sqlite_pragmas: dict[str, Any] | None = None) -> None:
        self.url = resolve_url(db)
        self.timeout = float(timeout if timeout is not None
                             else os.environ.get("SITREP_DB_TIMEOUT", DEFAULT_TIMEOUT))
        try:
            parsed = make_url(self.url)
        except ArgumentError as exc:
            raise errors.error(errors.BAD_URL, db=self.url, detail=exc) from None
        self.dialect = parsed.get_backend_name()
        self.display = parsed.render_as_string(hide_password=True)
        self._pragmas = dict(sqlite_pragmas or {})
        if self.dialect == "sqlite":
            self._check_sqlite_file(parsed.database, create)
        self.engine = self._engine()
        self.ensure_schema(create)

    # --- engine ---------------------------------------------------------------------------

    def _check_sqlite_file(self, path: str | None, create: bool) -> None:
        if not path or path == ":memory:":
            return
        file = Path(path)
        if file.is_dir():
            raise errors.error(errors.NOT_SITREP_DB, db=path, detail="it is a directory")
        if not file.exists() or file.stat().st_size == 0:
            if not create:
                raise errors.error(errors.NO_DATABASE, db=path)
            if not file.parent.is_dir():
                raise errors.error(errors.NO_FOLDER, db=path,
                                   detail=f"no folder {file.parent}")
            return
        try:
            with file.open("rb") as handle:
                head = handle.read(len(SQLITE_MAGIC))
        except OSError as exc:  # the reason in words, not Python's "[Errno 13] ..."
            raise errors.error(errors.DB_FAILED, db=path,
                               detail=(exc.strerror or type(exc).__name__).lower()) from None
        if head != SQLITE_MAGIC:
            raise errors.error(errors.NOT_SITREP_DB, db=path, detail="not an SQLite file")

    def _engine(self) -> Engine:
        try:
            if self.dialect == "sqlite":
                engine = create_engine(self.url, connect_args={"timeout": self.timeout},
                                       json_serializer=dumps)
                self._sqlite_events(engine)
                return engine
            connect_args: dict[str, Any] = {}
            if self.dialect == "postgresql":
                connect_args = {"connect_timeout": max(1, int(self.timeout)),
                                "options": f"-c lock_timeout={int(self.timeout * 1000)}"}
            return create_engine(self.url, connect_args=connect_args, pool_pre_ping=True,
                                 json_serializer=dumps)
        except (ArgumentError, NoSuchModuleError, ImportError) as exc:
            raise errors.error(errors.BAD_URL, db=self.display, detail=exc) from None

    def _sqlite_events(self, engine: Engine) -> None:
        timeout_ms = int(self.timeout * 1000)
        pragmas = self._pragmas

        @event.listens_for(engine, "connect")
        def _connect(dbapi_connection: Any, _record: Any) -> None:
            # Let SQLAlchemy's "begin" event issue BEGIN, so writers can ask for IMMEDIATE.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute(f"PRAGMA busy_timeout = {timeout_ms}")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA synchronous = NORMAL")
            # Checkpoints (and syncs) seldom: see WAL_CHECKPOINT_PAGES.
            cursor.execute(f"PRAGMA wal_autocheckpoint = {WAL_CHECKPOINT_PAGES}")
            cursor.execute(f"PRAGMA journal_size_limit = {WAL_KEEP_BYTES}")
            cursor.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
            cursor.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
            for name, value in pragmas.items():
                cursor.execute(f"PRAGMA {name} = {value}")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _begin(connection: Connection) -> None:
            connection.exec_driver_sql(connection.get_execution_options().get("sqlite_begin",
                                                                              "BEGIN"))

    def dispose(self) -> None:
        self.engine.dispose()

    # --- transactions -----------------------------------------------------------------------

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One write transaction: all of it or none of it, writers one at a time."""
        with self.translate():
            with self.engine.connect() as connection:
                if self.dialect == "sqlite":
                    connection = connection.execution_options(sqlite_begin="BEGIN IMMEDIATE")
                with connection.begin():
                    if self.dialect == "postgresql":
                        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                                           {"key": PG_WRITE_LOCK})
                    yield connection

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.translate():
            with self.engine.connect() as connection, connection.begin():
                yield connection

    @contextmanager
    def translate(self) -> Iterator[None]:
        """Database failures as coded store errors (the transaction is rolled back)."""
        try:
            yield
        except DBAPIError as exc:
            raise self.coded(exc) from exc

    def coded(self, exc: DBAPIError) -> errors.StoreError:
        message = str(exc.orig or exc).lower()
        if "locked" in message or "lock timeout" in message or "lock_timeout" in message:
            return errors.error(errors.DB_LOCKED, db=self.display, timeout=self.timeout)
        if "full" in message or "no space left" in message or "could not extend" in message:
            return errors.error(errors.DB_FULL, db=self.display)
        if "not a database" in message or "file is encrypted" in message:
            return errors.error(errors.NOT_SITREP_DB, db=self.display,
                                detail="not an SQLite file")
        detail = str(exc.orig or exc).strip().splitlines()[0] if str(exc.orig or exc) else exc
        return errors.error(errors.DB_FAILED, db=self.display, detail=detail)

    # --- schema -----------------------------------------------------------------------------

    def _revision(self, connection: Connection) -> tuple[str, str | None]:
        """('empty'|'sitrep'|'foreign: detail', alembic revision)."""
        tables = set(inspect(connection).get_table_names())
        if not tables:
            return "empty", None
        if meta.name not in tables:
            names = ", ".join(sorted(tables)[:5])
            return f"foreign: it has other tables ({names}) and no {meta.name}", None
        app = connection.execute(
            select(meta.c.value).where(meta.c.key == "application")).scalar()
        if app != APPLICATION:
            return f"foreign: {meta.name} names '{app}'", None
        if VERSION_TABLE not in tables:
            return "sitrep", None
        return "sitrep", connection.execute(
            text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()

    def ensure_schema(self, create: bool = True) -> None:
        """Refuse strangers and newer schemas; create or migrate to the head, under the lock."""
        head = head_revision()
        with self.read() as connection:
            state, revision = self._revision(connection)
        self._check_state(state, revision)
        if state == "empty" and not create:
            raise errors.error(errors.NO_DATABASE, db=self.display)
        if self.dialect == "sqlite":
            self._enable_wal()
        if revision == head:
            return
        with self.write() as connection:
            # Another process may have migrated while this one waited for the lock.
            state, revision = self._revision(connection)
            self._check_state(state, revision)
            if revision != head:
                migrate(connection, "head")

    def _enable_wal(self) -> None:
        """WAL (persistent in the file), only once the database is known to be sitrep's."""
        with self.translate():
            raw = self.engine.raw_connection()
            try:
                raw.driver_connection.execute("PRAGMA journal_mode = WAL")  # type: ignore
            finally:
                raw.close()

    def _check_state(self, state: str, revision: str | None) -> None:
        if state.startswith("foreign"):
            raise errors.error(errors.NOT_SITREP_DB, db=self.display,
                               detail=state.split(": ", 1)[1])
        if revision is not None and revision not in known_revisions():
            raise errors.error(errors.NEWER_SCHEMA, db=self.display, revision=revision)

    def revision(self) -> str | None:
        with self.read() as connection:
            return self._revision(connection)[1]


def migrate(connection: Connection, target: str = "head") -> None:
    """Run the Alembic migrations on an open connection (inside the caller's transaction)."""
    from alembic import command

    config = _alembic_config()
    config.attributes["connection"] = connection
    try:
        command.upgrade(config, target)
    finally:
        config.attributes.pop("connection", None)


def open_store(db: str | None = None, *, create: bool = True,
               timeout: float | None = None) -> Store:
    """The store at ``db`` (``--db`` / ``SITREP_DB`` / ``sitrep.db``), checked and migrated."""
    try:
        return Store(db, create=create, timeout=timeout)
    except OperationalError as exc:  # pragma: no cover - translated inside, kept as a net
        raise errors.error(errors.DB_FAILED, db=db, detail=exc) from None
