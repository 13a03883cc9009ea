"""The event store's errors: its S codes live with every other code in ``sitrep.errors``."""

from __future__ import annotations

from sitrep.errors import (  # noqa: F401  re-exported for the store modules
    BAD_FORMAT,
    BAD_QUERY,
    BAD_URL,
    BAD_VALUE,
    CONFLICT,
    DB_FAILED,
    DB_FULL,
    DB_LOCKED,
    MESSAGES,
    NEWER_SCHEMA,
    NO_DATABASE,
    NO_EVENT,
    NO_FIELD,
    NO_FOLDER,
    NOT_SITREP_DB,
    SitrepError,
)


class StoreError(SitrepError):
    """A store problem: the CLI prints it on one line, the API raises it."""


def error(code: str, **kwargs: object) -> StoreError:
    return StoreError(code, MESSAGES[code].format(**kwargs))
