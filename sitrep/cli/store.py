"""The store's commands (ingest, events, export, why), kept outside ``sitrep.store`` so that
``sitrep --help`` and ``sitrep extract`` start without importing SQLAlchemy.

``register(app)`` adds them to the main app. Store problems are coded ``StoreError``s, which the
main CLI prints as one line: exit status 2 for a usage problem (a path that is no sitrep
database, an unknown event id, a filter that cannot match), 1 for a failure (locked, full).
"""

from __future__ import annotations

import json
import sys
from datetime import date
from enum import StrEnum
from typing import Annotated, Any

import typer

from sitrep.cli.common import WorkersOpt

DbOpt = Annotated[str | None, typer.Option(
    "--db", metavar="URL", show_default=False,
    help="Database: an SQLite path or an SQLAlchemy URL (postgresql://...); default "
         "$SITREP_DB, else sitrep.db in the working folder.")]
SinceOpt = Annotated[str | None, typer.Option("--since", metavar="YYYY-MM-DD",
                                              help="Events on or after this day.")]
UntilOpt = Annotated[str | None, typer.Option("--until", metavar="YYYY-MM-DD",
                                              help="Events on or before this day.")]
CountryOpt = Annotated[str | None, typer.Option("--country", metavar="CC",
                                                help="ISO 3166-1 alpha-2 country code.")]
BboxOpt = Annotated[str | None, typer.Option("--bbox", metavar="W,S,E,N",
                                             help="Bounding box in degrees.")]


class EventsFormat(StrEnum):
    auto = "auto"
    table = "table"
    jsonl = "jsonl"
    csv = "csv"


class IngestFormat(StrEnum):
    none = "none"
    jsonl = "jsonl"


class WhyFormat(StrEnum):
    text = "text"
    json = "json"


EVENT_CSV_COLUMNS = ["event_id", "event_date", "disorder_type", "event_type", "sub_event_type",
                     "plover_event", "actor1", "actor2", "civilian_targeting", "location",
                     "country_code", "admin1", "lat", "lon", "geo_precision", "fatalities",
                     "fatalities_low", "fatalities_high", "injuries", "sources", "confidence",
                     "notes"]


def _usage(message: str) -> Exception:
    from sitrep.cli.common import UsageProblem

    return UsageProblem(message)


def _day(option: str, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _usage(f"{option}: '{value}' is not a valid YYYY-MM-DD date") from None


def build_filter(since: str | None = None, until: str | None = None, country: str | None = None,
                 type: str | None = None, bbox: str | None = None, actor: str | None = None,
                 min_fatalities: int | None = None, limit: int | None = None) -> Any:
    from sitrep.store.query import EventFilter, check_filter, parse_bbox

    box = None
    if bbox is not None:
        try:
            box = parse_bbox(bbox)
        except ValueError as exc:
            raise _usage(f"--bbox: '{bbox}': {exc}") from None
    if country is not None and (len(country) != 2 or not country.isalpha()):
        raise _usage(f"--country: '{country}' is not a two-letter ISO code")
    where = EventFilter(since=_day("--since", since), until=_day("--until", until),
                        country=country, type=type, bbox=box, actor=actor,
                        min_fatalities=min_fatalities, limit=limit)
    check_filter(where)  # S013, exit 2: a filter that cannot match says so before any query
    return where


def event_row(record: dict[str, Any]) -> dict[str, Any]:
    location = record.get("location") or {}
    fatalities = record.get("fatalities") or {}
    return {
        "event_id": record.get("event_id"), "event_date": record.get("event_date"),
        "disorder_type": record.get("disorder_type"), "event_type": record.get("event_type"),
        "sub_event_type": record.get("sub_event_type"),
        "plover_event": (record.get("plover") or {}).get("event"),
        "actor1": (record.get("actor1") or {}).get("name"),
        "actor2": (record.get("actor2") or {}).get("name"),
        "civilian_targeting": record.get("civilian_targeting"),
        "location": location.get("name"), "country_code": location.get("country_code"),
        "admin1": location.get("admin1"), "lat": location.get("lat"), "lon": location.get("lon"),
        "geo_precision": location.get("geo_precision"), "fatalities": fatalities.get("best"),
        "fatalities_low": fatalities.get("low"), "fatalities_high": fatalities.get("high"),
        "injuries": (record.get("injuries") or {}).get("best"),
        "sources": len(record.get("sources") or []), "confidence": record.get("confidence"),
        "notes": record.get("notes"),
    }


def register(app: typer.Typer) -> None:
    """Add the store's commands to the ``sitrep`` app."""

    @app.command()
    def ingest(
        paths: Annotated[list[str] | None, typer.Argument(
            metavar="PATH", show_default=False,
            help="Report files (text, HTML, JSONL, feeds, WARC, Telegram result.json, each maybe "
                 ".gz), folders of them, page or feed URLs; '-' or none reads stdin.")] = None,
        db: DbOpt = None,
        published: Annotated[str | None, typer.Option(
            "--published", metavar="YYYY-MM-DD",
            help="Publication date for inputs that do not give their own.")] = None,
        format: Annotated[IngestFormat, typer.Option(
            "--format", "-f", help="jsonl: one line per report with what happened to it.")
        ] = IngestFormat.none,
        urls: Annotated[str | None, typer.Option(
            "--urls", metavar="FILE",
            help="Also read the pages (or feeds) of these URLs, one a line ('-': stdin).")
        ] = None,
        dedup: Annotated[bool, typer.Option(
            "--dedup/--no-dedup",
            help="Skip copies of stored reports (same text, or a near-duplicate of another "
                 "outlet's) before extraction, keeping them as extra sources.")] = True,
        workers: WorkersOpt = 1,
    ) -> None:
        """Store reports and their events, merging events across reports (re-ingesting a
        report changes nothing; a changed report with the same URL replaces its events)."""
        from sitrep.api import extract_batch
        from sitrep.cli.common import read_reports
        from sitrep.cli.progress import Progress, count_reports
        from sitrep.store.db import open_store
        from sitrep.store.dedup import Dedup
        from sitrep.store.ingest import ingest as run_ingest

        reports = read_reports(paths, published, urls)
        store = open_store(db)
        progress = Progress(lambda: count_reports(paths))

        def report(result: Any, outcome: str) -> None:
            progress.update(outcome == "failed")
            if format is IngestFormat.jsonl:
                line = {"id": result.id, "status": outcome, "events": len(result.events),
                        "error": result.error.to_dict() if result.error else None}
                sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")
                sys.stdout.flush()

        with progress:
            stats = run_ingest(store, reports, on_result=report,
                               extractor=lambda items: extract_batch(items, workers=workers),
                               dedup=Dedup() if dedup else None)
        for report_id, code, message in stats.errors:
            print(f"sitrep: warning: {report_id}: {code} {message}", file=sys.stderr)
        print(f"sitrep: {stats.reports} report(s): {stats.stored} stored "
              f"({stats.replaced} replacing older versions), {stats.unchanged} unchanged, "
              f"{stats.duplicates} duplicate(s) of stored reports, "
              f"{stats.failed} failed; {stats.mentions} event(s): {stats.joined} merged into "
              f"stored events, {stats.new_events} new", file=sys.stderr)
        if stats.failed:
            raise typer.Exit(1)

    @app.command()
    def events(
        db: DbOpt = None, since: SinceOpt = None, until: UntilOpt = None,
        country: CountryOpt = None,
        type: Annotated[str | None, typer.Option(
            "--type", metavar="T", help="ACLED event, sub-event or disorder type, or a PLOVER "
                                        "event (case-insensitive).")] = None,
        bbox: BboxOpt = None,
        actor: Annotated[str | None, typer.Option(
            "--actor", metavar="A", help="Part of an actor's name (case-insensitive).")] = None,
        min_fatalities: Annotated[int | None, typer.Option(
            "--min-fatalities", metavar="N", min=0, help="Best fatality figure at least N.")
        ] = None,
        limit: Annotated[int | None, typer.Option("--limit", metavar="N", min=1,
                                                  help="At most N events.")] = None,
        format: Annotated[EventsFormat, typer.Option(
            "--format", "-f", help="auto is table on a terminal, jsonl otherwise.")
        ] = EventsFormat.auto,
    ) -> None:
        """List merged events; with jsonl, one codebook event record a line."""
        import csv

        from sitrep.cli.common import print_table
        from sitrep.store.db import open_store
        from sitrep.store.query import query_event_texts, query_events

        where = build_filter(since, until, country, type, bbox, actor, min_fatalities, limit)
        store = open_store(db, create=False)
        if format is EventsFormat.auto:
            format = EventsFormat.table if sys.stdout.isatty() else EventsFormat.jsonl
        if format is EventsFormat.jsonl:  # the stored JSON text, not decoded and re-encoded
            for line in query_event_texts(store, where):
                sys.stdout.write(line + "\n")
            return
        records = query_events(store, where)
        if format is EventsFormat.csv:
            from sitrep.exporters import safe_cell

            writer = csv.DictWriter(sys.stdout, fieldnames=EVENT_CSV_COLUMNS,
                                    lineterminator="\n")
            writer.writeheader()
            writer.writerows({k: safe_cell(v) for k, v in event_row(r).items()}
                             for r in records)
        else:
            rows = ([r["event_date"], r["sub_event_type"] or r["plover_event"],
                     ", ".join(p for p in (r["location"], r["country_code"]) if p),
                     r["actor1"], r["fatalities"], r["injuries"], r["sources"], r["event_id"]]
                    for r in map(event_row, records))
            print_table("sitrep events", ["date", "type", "place", "actor1", "killed",
                                           "injured", "reports", "event_id"], rows)

    @app.command()
    def export(
        format: Annotated[str, typer.Option(
            "--format", "-f", metavar="acled-csv|ucdp-csv|geojson|parquet",
            help="Export format.")],
        output: Annotated[str | None, typer.Option(
            "--output", "-o", metavar="PATH", help="Write here instead of stdout.")] = None,
        db: DbOpt = None, since: SinceOpt = None, until: UntilOpt = None,
        country: CountryOpt = None, bbox: BboxOpt = None,
    ) -> None:
        """Export merged events in the formats analysts load (ACLED CSV, UCDP GED CSV,
        GeoJSON, Parquet)."""
        from sitrep.exporters import EXPORTERS
        from sitrep.exporters import export as run_export
        from sitrep.store.db import open_store
        from sitrep.store.query import query_events

        if format not in EXPORTERS:
            raise _usage(f"--format: '{format}' is not one of {', '.join(EXPORTERS)}")
        where = build_filter(since, until, country, None, bbox)
        records = query_events(open_store(db, create=False), where)
        if output is None:
            if format == "parquet" and sys.stdout.isatty():
                raise _usage("--format parquet: binary output needs --output PATH or a pipe")
            n = run_export(records, format, sys.stdout.buffer)
            sys.stdout.buffer.flush()
        else:
            try:
                with open(output, "wb") as out:
                    n = run_export(records, format, out)
            except OSError as exc:
                raise _usage(f"--output: cannot write '{output}': {exc.strerror}") from None
        print(f"sitrep: exported {n} event(s) as {format}", file=sys.stderr)

    @app.command()
    def why(
        event_id: Annotated[str, typer.Argument(metavar="EVENT_ID",
                                                help="A merged event's id (or one report's "
                                                     "event id).")],
        db: DbOpt = None,
        format: Annotated[WhyFormat, typer.Option("--format", "-f")] = WhyFormat.text,
    ) -> None:
        """Show the reports merged into an event, the reasons, and its figures over time."""
        from sitrep.store.db import open_store
        from sitrep.store.query import why as explain
        from sitrep.store.query import why_text

        explanation = explain(open_store(db, create=False), event_id)
        if format is WhyFormat.json:
            sys.stdout.write(json.dumps(explanation, ensure_ascii=False, indent=2) + "\n")
        else:
            sys.stdout.write(why_text(explanation) + "\n")
