"""``sitrep extract``, ``geoparse`` and ``geocode``: reports or place strings in, records out."""

from __future__ import annotations

import csv
import logging
import sys
from collections.abc import Callable, Iterable, Iterator
from enum import StrEnum
from typing import IO, TYPE_CHECKING, Annotated, Any

import typer

from sitrep import errors
from sitrep.cli.common import (
    PathsArg,
    PublishedOpt,
    UrlsOpt,
    WorkersOpt,
    lazy,
    print_table,
    read_reports,
    write_json,
    write_jsonl,
)

if TYPE_CHECKING:
    from sitrep.records import DocumentResult

log = logging.getLogger("sitrep")


class Format(StrEnum):
    auto = "auto"
    jsonl = "jsonl"
    json = "json"
    table = "table"
    csv = "csv"


def _output_format(fmt: Format) -> Format:
    if fmt is Format.auto:
        return Format.table if sys.stdout.isatty() else Format.jsonl
    return fmt


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
    from sitrep.exporters import safe_cell

    writer = csv.DictWriter(out, fieldnames=EVENT_COLUMNS, extrasaction="ignore",
                            lineterminator="\n")
    writer.writeheader()
    for record in records:
        writer.writerows({k: safe_cell(v) for k, v in row.items()}
                         for row in _event_rows(record))


def _write_event_table(records: Iterable[dict[str, Any]], _out: IO[str]) -> None:
    rows = []
    for record in records:
        for row in _event_rows(record):
            if row.get("error"):
                continue  # already logged to stderr by the summary
            rows.append([row["event_date"], row["sub_event_type"] or row["plover_event"],
                         _place(row), row["actor1"], row["actor2"], row["killed_shown"],
                         row["injured_shown"], row["id"]])
    print_table("sitrep events",
                 ["date", "type", "place", "actor1", "actor2", "killed", "injured", "report"],
                 rows)


def _place(row: dict[str, Any]) -> str | None:
    parts = [p for p in (row.get("location"), row.get("admin1"), row.get("country_code")) if p]
    return ", ".join(dict.fromkeys(parts)) or None


WRITERS: dict[Format, Callable[[Iterable[dict[str, Any]], IO[str]], None]] = {
    Format.jsonl: write_jsonl,
    Format.json: write_json,
    Format.csv: _write_csv,
    Format.table: _write_event_table,
}


class _Tally:
    """Counts results as they stream past, for the exit status and the stderr summary."""

    def __init__(self) -> None:
        self.reports = self.failed = self.events = 0
        self.texts: dict[str, int] = {}  # id -> hash of its text, to warn of reused ids

    def watch(self, results: Iterable[DocumentResult]) -> Iterator[dict[str, Any]]:
        for result in results:
            self.reports += 1
            if result.text is not None:
                digest = hash(result.text)
                if self.texts.setdefault(result.id, digest) != digest:
                    log.warning("%s: this id was given earlier in this input to another text; "
                                "both results carry it (sitrep ingest refuses the second: %s)",
                                result.id, errors.DUPLICATE_ID)
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



def register(app: typer.Typer) -> None:
    """Add ``extract``, ``geoparse`` and ``geocode`` to the ``sitrep`` app."""
    app.command()(extract)
    app.command()(geoparse)
    app.command()(geocode)


def extract(
    paths: PathsArg = None,
    format: Annotated[Format, typer.Option("--format", "-f",
                                           help="Output format; auto is table on a terminal, "
                                                "jsonl otherwise.")] = Format.auto,
    published: PublishedOpt = None,
    urls: UrlsOpt = None,
    workers: WorkersOpt = 1,
    typing_model: Annotated[str | None, typer.Option(
        "--typing-model", metavar="MODEL", envvar="SITREP_TYPING_MODEL",
        help="Typing model trained with 'sitrep train typing' (default: the shipped one).")
    ] = None,
    typing_mode: Annotated[str | None, typer.Option(
        "--typing-mode", metavar="MODE", envvar="SITREP_TYPING_MODE",
        help="Typing mode: 'default' (words) or 'accurate' (adds a MiniLM encoder; needs "
             "pip install 'sitrep[accurate]'; slower, see docs/TYPING.md).")
    ] = None,
) -> None:
    """Code reports into conflict events: one document result per report, in input order."""
    from sitrep.api import extract_batch
    from sitrep.cli.progress import Progress, count_reports
    from sitrep.pipeline import typing as typing_stage

    # read the model before any report, so a bad file is one coded error (E030), not one per
    # report
    typing_stage.use_model(typing_model)
    typing_stage.use_mode(typing_mode)

    reports = read_reports(paths, published, urls)
    tally = _Tally()
    with Progress(lambda: count_reports(paths)) as progress:
        results = progress.track(extract_batch(reports, workers=workers),
                                 lambda result: result.error is not None)
        WRITERS[_output_format(format)](tally.watch(results), sys.stdout)
    tally.finish()


# --- geoparse, geocode, gazetteer -------------------------------------------------------------


class GeoFormat(StrEnum):
    jsonl = "jsonl"
    table = "table"


PLACE_COLUMNS = ["start", "end", "text", "name", "geonameid", "lat", "lon", "country_code",
                 "admin1", "feature_code", "score"]
GEOCODE_COLUMNS = ["query", "name", "geonameid", "lat", "lon", "country_code", "admin1",
                   "admin2", "feature_code", "score"]


def geoparse(
    paths: PathsArg = None,
    format: Annotated[GeoFormat, typer.Option("--format", "-f")] = GeoFormat.jsonl,
    published: PublishedOpt = None,
) -> None:
    """Find every place mention in reports and resolve each to a GeoNames entry."""
    from sitrep.config import Settings
    from sitrep.sources import check_text

    geo = lazy("sitrep.api", "geoparsing")
    settings = Settings()
    reports = read_reports(paths, published)
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
        write_jsonl(results(), sys.stdout)
    else:
        print_table("places", ["id", *PLACE_COLUMNS],
                     ([r["id"], *(p[c] for c in PLACE_COLUMNS)]
                      for r in results() for p in r["places"]))
    if failed:
        raise typer.Exit(1)


def geocode(
    queries: Annotated[list[str] | None, typer.Argument(
        metavar="QUERY", show_default=False,
        help="Place strings such as 'Chuhuiv, Kharkiv Oblast, Ukraine'; none reads one a line "
             "from stdin.")] = None,
    format: Annotated[GeoFormat, typer.Option("--format", "-f")] = GeoFormat.jsonl,
) -> None:
    """Resolve place strings to the best GeoNames entry (null fields when nothing matched)."""
    geo = lazy("sitrep.places.geocode", "geocoding")
    # Every query named on the command line gets its row, "" included (null fields), so output
    # lines up with input; blank lines of stdin are only spacing.
    lines = queries if queries else (q for q in (line.strip() for line in sys.stdin) if q)

    def results() -> Iterator[dict[str, Any]]:
        for query in lines:
            found = (geo.geocode(query) if query else None) or {}
            yield {**{c: None for c in GEOCODE_COLUMNS}, **found, "query": query}

    if format is GeoFormat.jsonl:
        write_jsonl(results(), sys.stdout)
    else:
        print_table("geocode", GEOCODE_COLUMNS, ([r[c] for c in GEOCODE_COLUMNS]
                                                  for r in results()))
