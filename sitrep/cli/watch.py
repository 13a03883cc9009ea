"""``sitrep watch``: poll feeds and URL lists into the store (``sitrep.store.watch``)."""

from __future__ import annotations

import logging
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    """Add ``watch`` to the ``sitrep`` app."""
    app.command()(watch)


def watch(
    sources: Annotated[str, typer.Argument(
        metavar="SOURCES.txt",
        help="One source a line: a feed (or page) URL, a feed file, or 'urls FILE' for a list "
             "of page URLs.")],
    every: Annotated[str, typer.Option(
        "--every", metavar="DURATION", help="Poll each source this often (30s, 15m, 2h).")
    ] = "15m",
    db: Annotated[str | None, typer.Option(
        "--db", metavar="URL", show_default=False,
        help="Database: an SQLite path or an SQLAlchemy URL; default $SITREP_DB, else "
             "sitrep.db.")] = None,
    state: Annotated[str | None, typer.Option(
        "--state", metavar="PATH", show_default=False,
        help="State file (what was seen, for restarts); default SOURCES.txt.state.json.")
    ] = None,
    published: Annotated[str | None, typer.Option(
        "--published", metavar="YYYY-MM-DD",
        help="Publication date for items that do not give their own.")] = None,
    once: Annotated[bool, typer.Option(
        "--once", help="Poll every source once and exit (for cron).")] = False,
) -> None:
    """Poll feeds and URL lists, ingesting only new items; one log line per poll and source.
    Stops cleanly on SIGTERM or Ctrl-C, finishing the report in hand."""
    from pathlib import Path

    from sitrep.cli.common import UsageProblem, _published
    from sitrep.store.db import open_store
    from sitrep.store.watch import parse_every
    from sitrep.store.watch import watch as run_watch

    try:
        seconds = parse_every(every)
    except ValueError as exc:
        raise UsageProblem(f"--every: {exc}") from None
    if not Path(sources).is_file():
        raise UsageProblem(f"cannot read '{sources}': no such file")
    day = _published(published)
    logging.getLogger("sitrep.watch").setLevel(logging.INFO)
    store = open_store(db)
    run_watch(store, sources, every=seconds, state_path=state, once=once, published=day,
              on_start=lambda w: w.install_signal_handlers())
