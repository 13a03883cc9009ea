"""Coded messages of the event store, in the style of ``sitrep.errors`` (S for store)."""

from __future__ import annotations

from sitrep.errors import SitrepError

DB_LOCKED = "S001"
DB_FULL = "S002"
NOT_SITREP_DB = "S003"
NEWER_SCHEMA = "S004"
NO_DATABASE = "S005"
BAD_URL = "S006"
NO_EVENT = "S007"
DB_FAILED = "S008"
BAD_FORMAT = "S009"

MESSAGES: dict[str, str] = {
    DB_LOCKED: "the database {db} is locked by another process (waited {timeout:g} s); "
               "nothing was changed, try again (or set SITREP_DB_TIMEOUT)",
    DB_FULL: "the database {db} is full (no space left on the device or a size limit); "
             "the report being stored was rolled back",
    NOT_SITREP_DB: "{db} is not a sitrep database ({detail}); nothing was changed",
    NEWER_SCHEMA: "the database {db} was written by a newer sitrep (schema {revision}); "
                  "upgrade sitrep to use it",
    NO_DATABASE: "no sitrep database at {db}; run 'sitrep ingest' first or pass --db",
    BAD_URL: "'{db}' is not a database URL SQLAlchemy understands ({detail})",
    NO_EVENT: "no event with id '{event_id}' in {db}",
    DB_FAILED: "the database {db} failed: {detail}",
    BAD_FORMAT: "unknown export format '{name}' (known: {known})",
}


class StoreError(SitrepError):
    """A store problem: the CLI prints it on one line, the API raises it."""


def error(code: str, **kwargs: object) -> StoreError:
    return StoreError(code, MESSAGES[code].format(**kwargs))
