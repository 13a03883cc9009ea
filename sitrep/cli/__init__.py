"""The ``sitrep`` command line: thin commands over the Python API (``shared/contract/CLI.md``).

Machine formats (jsonl, json, csv) write only records to stdout; logs and the run summary go to
stderr. Exit status: 0 success, 1 some inputs failed (their results carry ``error``), 2 a usage
error, always as one line on stderr and never a traceback. Heavy imports (spaCy, the geoparser,
the gazetteer) happen inside the commands so that ``--help`` and usage errors stay fast.

Extension point: a module named in ``EXTENSIONS`` that exposes ``register(app: typer.Typer)``
adds its commands when it is importable (``sitrep.store_cli`` adds ``ingest``, ``events``,
``export`` and ``why``; ``sitrep.evaluation`` adds ``sitrep eval``).
"""

from __future__ import annotations

import csv
import importlib
import json
import logging
import sys
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from enum import StrEnum
from types import ModuleType
from typing import IO, TYPE_CHECKING, Annotated, Any

import typer

try:  # typer vendors click since 0.20; its exceptions are not the installed click's
    from typer._click import exceptions as click_exceptions
except ImportError:  # pragma: no cover
    from click import exceptions as click_exceptions

from sitrep import __version__, errors
from sitrep.readers import InputError

if TYPE_CHECKING:
    from sitrep.records import DocumentResult

log = logging.getLogger("sitrep")

# Modules that add commands to the app through ``register(app)``.
EXTENSIONS: tuple[str, ...] = ("sitrep.store_cli", "sitrep.evaluation")


class UsageProblem(Exception):
    """A problem with how sitrep was called: exit status 2 with a one-line message."""


class Format(StrEnum):
    auto = "auto"
    jsonl = "jsonl"
    json = "json"
    table = "table"
    csv = "csv"


class GazetteerFormat(StrEnum):
    geonames = "geonames"
    csv = "csv"


app = typer.Typer(
    name="sitrep",
    help="News reports about armed conflict in, coded conflict events (ACLED/UCDP/PLOVER) out.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
gazetteer_app = typer.Typer(help="Manage the gazetteer that every command resolves places with.",
                            no_args_is_help=True)
app.add_typer(gazetteer_app, name="gazetteer")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"sitrep {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
    verbose: Annotated[int, typer.Option("--verbose", "-v", count=True,
                                         help="Log more to stderr (-vv for debug).",
                                         show_default=False)] = 0,
) -> None:
    level = (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbose, 2)]
    handler = _StderrHandler()
    handler.setFormatter((_BriefFormatter if verbose < 2 else logging.Formatter)(
        "sitrep: %(levelname)s: %(message)s"))
    # Configure sitrep's own logger only: the root logger belongs to whoever embeds sitrep.
    for old in [h for h in log.handlers if isinstance(h, _StderrHandler)]:
        log.removeHandler(old)
    log.addHandler(handler)
    log.setLevel(level)


class _StderrHandler(logging.StreamHandler):
    def __init__(self) -> None:
        super().__init__(sys.stderr)


class _BriefFormatter(logging.Formatter):
    """Log lines without tracebacks: a user sees what failed; -vv shows where."""

    def format(self, record: logging.LogRecord) -> str:
        record = logging.makeLogRecord(record.__dict__)
        record.exc_info = record.exc_text = record.stack_info = None
        return super().format(record)


# --- shared helpers ---------------------------------------------------------------------------

PathsArg = Annotated[
    list[str] | None,
    typer.Argument(metavar="PATH",
                   help="Report files (text, HTML or JSONL); '-' or none reads stdin.",
                   show_default=False),
]
PublishedOpt = Annotated[
    str | None,
    typer.Option("--published", metavar="YYYY-MM-DD",
                 help="Publication date for inputs that do not give their own."),
]


def _published(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageProblem(f"--published: '{value}' is not a valid YYYY-MM-DD date") from None


def _reports(paths: list[str] | None, published: str | None) -> Iterator[Any]:
    from sitrep.readers import check_paths, read_paths

    day = _published(published)
    try:
        check_paths(paths or ["-"])
    except InputError as exc:
        raise UsageProblem(str(exc)) from None
    return read_paths(paths, published=day)


def _output_format(fmt: Format) -> Format:
    if fmt is Format.auto:
        return Format.table if sys.stdout.isatty() else Format.jsonl
    return fmt


def _lazy(module: str, feature: str) -> ModuleType:
    """Import a feature module on first use, so a missing one is a clear usage error."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise UsageProblem(f"{feature} is not available in this installation ({exc})") from None


def _write_jsonl(records: Iterable[dict[str, Any]], out: IO[str]) -> None:
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        out.flush()


def _write_json(records: Iterable[dict[str, Any]], out: IO[str]) -> None:
    out.write("[")
    for n, record in enumerate(records):
        out.write(",\n" if n else "\n")
        out.write(json.dumps(record, ensure_ascii=False, indent=2))
    out.write("\n]\n")


def _print_table(title: str, columns: list[str], rows: Iterable[list[Any]]) -> None:
    """A rich table on a terminal; the same, plain and wide, when stdout is a pipe or a file."""
    from rich import box
    from rich.console import Console
    from rich.table import Table

    tty = sys.stdout.isatty()
    console = Console(file=sys.stdout, width=None if tty else 200, no_color=not tty,
                      force_terminal=tty)
    table = Table(title=title, box=box.SIMPLE_HEAVY if tty else box.ASCII)
    for column in columns:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row))
    console.print(table)


# --- extract ----------------------------------------------------------------------------------

EVENT_COLUMNS = ["id", "event_id", "event_date", "disorder_type", "event_type", "sub_event_type",
                 "plover_event", "actor1", "actor2", "civilian_targeting", "location",
                 "country_code", "admin1", "lat", "lon", "geo_precision", "fatalities",
                 "injuries", "weapons", "targets", "confidence", "notes", "error"]


def figure(count: dict[str, Any] | None) -> str:
    """A count as people read it: '8+' for "at least eight", '>20', '~30', '4-7', '?'."""
    if not count or count.get("qualifier") in (None, "none"):
        return "0"
    best, low, high = count.get("best"), count.get("low"), count.get("high")
    qualifier = count["qualifier"]
    if qualifier == "unknown" or best is None:
        return "?"
    if qualifier == "at_least":
        return f"{low if low is not None else best}+"
    if qualifier == "more_than":
        return f">{(low if low is not None else best) - 1}"
    if qualifier == "approximately":
        return f"~{best}"
    if qualifier == "up_to":
        return f"<={high if high is not None else best}"
    if qualifier == "range" and low is not None and high is not None:
        return f"{low}-{high}"
    return str(best)


def _event_rows(result: dict[str, Any]) -> Iterator[dict[str, Any]]:
    error = result.get("error")
    if error:
        yield {"id": result["id"], "error": f"{error['code']}: {error['message']}"}
    for event in result.get("events", []):
        location = event.get("location") or {}
        yield {
            "id": result["id"],
            "event_id": event["event_id"],
            "event_date": event["event_date"],
            "disorder_type": event["disorder_type"],
            "event_type": event["event_type"],
            "sub_event_type": event["sub_event_type"],
            "plover_event": (event.get("plover") or {}).get("event"),
            "actor1": (event.get("actor1") or {}).get("name"),
            "actor2": (event.get("actor2") or {}).get("name"),
            "civilian_targeting": event["civilian_targeting"],
            "location": location.get("name"),
            "country_code": location.get("country_code"),
            "admin1": location.get("admin1"),
            "lat": location.get("lat"),
            "lon": location.get("lon"),
            "geo_precision": location.get("geo_precision"),
            "fatalities": (event.get("fatalities") or {}).get("best"),
            "injuries": (event.get("injuries") or {}).get("best"),
            "killed_shown": figure(event.get("fatalities")),
            "injured_shown": figure(event.get("injuries")),
            "weapons": "|".join(event.get("weapons", [])),
            "targets": "|".join(event.get("targets", [])),
            "confidence": event["confidence"],
            "notes": event["notes"],
            "error": None,
        }


def _write_csv(records: Iterable[dict[str, Any]], out: IO[str]) -> None:
    writer = csv.DictWriter(out, fieldnames=EVENT_COLUMNS, extrasaction="ignore",
                            lineterminator="\n")
    writer.writeheader()
    for record in records:
        writer.writerows(_event_rows(record))


def _write_event_table(records: Iterable[dict[str, Any]], _out: IO[str]) -> None:
    rows = []
    for record in records:
        for row in _event_rows(record):
            if row.get("error"):
                continue  # already logged to stderr by the summary
            rows.append([row["event_date"], row["sub_event_type"] or row["plover_event"],
                         _place(row), row["actor1"], row["actor2"], row["killed_shown"],
                         row["injured_shown"], row["id"]])
    _print_table("sitrep events",
                 ["date", "type", "place", "actor1", "actor2", "killed", "injured", "report"],
                 rows)


def _place(row: dict[str, Any]) -> str | None:
    parts = [p for p in (row.get("location"), row.get("admin1"), row.get("country_code")) if p]
    return ", ".join(dict.fromkeys(parts)) or None


WRITERS: dict[Format, Callable[[Iterable[dict[str, Any]], IO[str]], None]] = {
    Format.jsonl: _write_jsonl,
    Format.json: _write_json,
    Format.csv: _write_csv,
    Format.table: _write_event_table,
}


class _Tally:
    """Counts results as they stream past, for the exit status and the stderr summary."""

    def __init__(self) -> None:
        self.reports = self.failed = self.events = 0

    def watch(self, results: Iterable[DocumentResult]) -> Iterator[dict[str, Any]]:
        for result in results:
            self.reports += 1
            self.events += len(result.events)
            if result.error is not None:
                self.failed += 1
                log.warning("%s: %s %s", result.id, result.error.code, result.error.message)
            yield result.to_dict()

    def finish(self) -> None:
        print(f"sitrep: {self.reports} report(s), {self.events} event(s), "
              f"{self.failed} failed", file=sys.stderr)
        if self.failed:
            raise typer.Exit(1)


@app.command()
def extract(
    paths: PathsArg = None,
    format: Annotated[Format, typer.Option("--format", "-f",
                                           help="Output format; auto is table on a terminal, "
                                                "jsonl otherwise.")] = Format.auto,
    published: PublishedOpt = None,
) -> None:
    """Code reports into conflict events: one document result per report, in input order."""
    from sitrep.api import extract_batch

    reports = _reports(paths, published)
    tally = _Tally()
    WRITERS[_output_format(format)](tally.watch(extract_batch(reports)), sys.stdout)
    tally.finish()


# --- geoparse, geocode, gazetteer -------------------------------------------------------------


class GeoFormat(StrEnum):
    jsonl = "jsonl"
    table = "table"


PLACE_COLUMNS = ["start", "end", "text", "name", "geonameid", "lat", "lon", "country_code",
                 "admin1", "feature_code", "score"]
GEOCODE_COLUMNS = ["query", "name", "geonameid", "lat", "lon", "country_code", "admin1",
                   "admin2", "feature_code", "score"]


@app.command()
def geoparse(
    paths: PathsArg = None,
    format: Annotated[GeoFormat, typer.Option("--format", "-f")] = GeoFormat.jsonl,
    published: PublishedOpt = None,
) -> None:
    """Find every place mention in reports and resolve each to a GeoNames entry."""
    from sitrep.config import Settings
    from sitrep.readers import check_text

    geo = _lazy("sitrep.geo", "geoparsing")
    settings = Settings()
    reports = _reports(paths, published)
    failed = 0

    def results() -> Iterator[dict[str, Any]]:
        nonlocal failed
        for item in reports:
            try:
                if isinstance(item, errors.SitrepError):
                    raise item
                check_text(item.text, settings)
                places = [p.to_dict() for p in geo.geoparse(item.text)]
                yield {"id": item.id, "places": places, "error": None}
            except errors.SitrepError as exc:
                failed += 1
                report_id = getattr(item, "id", None) or exc.report_id or "?"
                log.warning("%s: %s %s", report_id, exc.code, exc.message)
                yield {"id": report_id, "places": [], "error": exc.info().to_dict()}

    if format is GeoFormat.jsonl:
        _write_jsonl(results(), sys.stdout)
    else:
        _print_table("places", ["id", *PLACE_COLUMNS],
                     ([r["id"], *(p[c] for c in PLACE_COLUMNS)]
                      for r in results() for p in r["places"]))
    if failed:
        raise typer.Exit(1)


@app.command()
def geocode(
    queries: Annotated[list[str] | None, typer.Argument(
        metavar="QUERY", show_default=False,
        help="Place strings such as 'Chuhuiv, Kharkiv Oblast, Ukraine'; none reads one a line "
             "from stdin.")] = None,
    format: Annotated[GeoFormat, typer.Option("--format", "-f")] = GeoFormat.jsonl,
) -> None:
    """Resolve place strings to the best GeoNames entry (null fields when nothing matched)."""
    geo = _lazy("sitrep.geo", "geocoding")
    # Every query named on the command line gets its row, "" included (null fields), so output
    # lines up with input; blank lines of stdin are only spacing.
    lines = queries if queries else (q for q in (line.strip() for line in sys.stdin) if q)

    def results() -> Iterator[dict[str, Any]]:
        for query in lines:
            found = (geo.geocode(query) if query else None) or {}
            yield {**{c: None for c in GEOCODE_COLUMNS}, **found, "query": query}

    if format is GeoFormat.jsonl:
        _write_jsonl(results(), sys.stdout)
    else:
        _print_table("geocode", GEOCODE_COLUMNS, ([r[c] for c in GEOCODE_COLUMNS]
                                                  for r in results()))


def parse_mapping(value: str | None) -> dict[str, str]:
    """``name=name_en,alt_names=name_ua+hromada_en`` -> {"name": "name_en", ...}."""
    mapping: dict[str, str] = {}
    for item in (value or "").split(","):
        if not item.strip():
            continue
        column, sep, header = item.partition("=")
        if not sep or not column.strip() or not header.strip():
            raise UsageProblem(f"--map: '{item}' is not COLUMN=HEADER")
        mapping[column.strip()] = header.strip()
    return mapping


@gazetteer_app.command("load")
def gazetteer_load(
    path: Annotated[str, typer.Argument(metavar="PATH",
                                        help="A GeoNames dump file or a CSV with a header.")],
    format: Annotated[GazetteerFormat, typer.Option("--format", "-f")] = GazetteerFormat.geonames,
    mapping: Annotated[str | None, typer.Option(
        "--map", metavar="COL=HEADER,...",
        help="Map sitrep's CSV columns to the file's headers, e.g. "
             "name=name_en,alt_names=name_ua+hromada_en.")] = None,
    country: Annotated[str | None, typer.Option(
        "--country", metavar="CC", help="ISO 3166-1 alpha-2 code for every row.")] = None,
) -> None:
    """Add places to the gazetteer; loading the same file twice changes nothing."""
    from sitrep.readers import check_paths

    columns = parse_mapping(mapping)
    if country is not None and (len(country) != 2 or not country.isalpha()):
        raise UsageProblem(f"--country: '{country}' is not a two-letter ISO code")
    try:
        check_paths([path])
    except InputError as exc:
        raise UsageProblem(str(exc)) from None
    gazetteer = _lazy("sitrep.gazetteer", "the gazetteer")
    added = gazetteer.load(path, format.value, columns, country.upper() if country else None)
    sniff = getattr(gazetteer, "geonames_kind", None)
    names = format is GazetteerFormat.geonames and sniff and sniff(path) == "alternate_names"
    typer.echo(f"added {added} {'alternate name(s)' if names else 'place(s)'} from {path}")


@gazetteer_app.command("download")
def gazetteer_download(
    country: Annotated[str, typer.Argument(metavar="CC",
                                           help="ISO 3166-1 alpha-2 code, e.g. UA.")],
    dest: Annotated[str | None, typer.Option(
        "--dest", metavar="DIR",
        help="Keep the unpacked dumps here (default: $SITREP_HOME/geonames).")] = None,
    url: Annotated[str | None, typer.Option(
        "--url", metavar="URL",
        help="GeoNames dump root (default: $SITREP_GEONAMES_URL, else GeoNames' own).")] = None,
    alternate_names: Annotated[bool, typer.Option(
        "--alternate-names/--no-alternate-names",
        help="Also fetch the country's alternate names (all scripts).")] = True,
) -> None:
    """Fetch a country's GeoNames dumps (needs a network) and load them into the gazetteer."""
    from pathlib import Path

    from sitrep.config import Settings

    fetcher = _lazy("sitrep.geonames_download", "the GeoNames downloader")
    target = Path(dest) if dest else Path(Settings().home) / "geonames"
    try:
        dumps = fetcher.download(country, target, alternate_names=alternate_names, url=url)
    except fetcher.DownloadError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    gazetteer = _lazy("sitrep.gazetteer", "the gazetteer")
    for dump in dumps:
        added = gazetteer.load(dump.path, "geonames", None, None)
        what = "place(s)" if dump.kind == "places" else "alternate name(s)"
        typer.echo(f"added {added} {what} from {dump.path}")


# --- extensions and entry point ---------------------------------------------------------------


def _register_extensions(target: typer.Typer) -> None:
    for name in EXTENSIONS:
        try:
            module = importlib.import_module(name)
        except ImportError:
            log.debug("extension %s not available", name)
            continue
        register = getattr(module, "register", None)
        if callable(register):
            try:
                register(target)
            except Exception as exc:  # a broken extension must not take the core commands down
                log.warning("extension %s failed to register: %s", name, exc)


_register_extensions(app)


def help_markdown(width: int = 88) -> str:
    """The CLI reference (docs/CLI.md): every command's ``--help``, so the docs cannot drift."""
    root = typer.main.get_command(app)
    sections = ["# sitrep command-line reference\n",
                "Generated from `--help` by `make docs`; do not edit by hand.\n"]

    def walk(command: Any, path: list[str], parent: Any) -> None:
        ctx = command.context_class(command, info_name=path[-1], parent=parent,
                                    terminal_width=width, max_content_width=width,
                                    help_option_names=["-h", "--help"])
        name = " ".join(path)
        sections.append(f"## `{name}`\n\n```text\n{command.get_help(ctx).rstrip()}\n```\n")
        for sub_name in getattr(command, "list_commands", lambda _ctx: [])(ctx):
            sub = command.get_command(ctx, sub_name)
            if sub is not None and not sub.hidden:
                walk(sub, [*path, sub_name], ctx)

    walk(root, ["sitrep"], None)
    return "\n".join(sections)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit status; usage errors are one line, never a traceback."""
    command = typer.main.get_command(app)
    try:
        result = command.main(args=argv, prog_name="sitrep", standalone_mode=False)
    except (UsageProblem, InputError) as exc:
        return _fail(str(exc), 2)
    except click_exceptions.UsageError as exc:
        return _fail(exc.format_message().splitlines()[0], 2)
    except click_exceptions.ClickException as exc:
        return _fail(exc.format_message(), exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        return _fail("interrupted", 130)
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (| head): nothing more to say
        return 0
    except errors.SitrepError as exc:
        return _fail(str(exc), 1)
    except SystemExit as exc:  # typer exits by itself on a broken pipe
        return exc.code if isinstance(exc.code, int) else 1
    except Exception as exc:  # a bug: say so in one line, the details go to the debug log
        log.debug("internal error", exc_info=True)
        return _fail(f"internal error: {type(exc).__name__}: {exc} (run with -vv for details)", 1)
    return result if isinstance(result, int) else 0


def _fail(message: str, status: int) -> int:
    print(f"sitrep: error: {message}", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
