"""What every command shares: usage errors, the report-path arguments, and the writers.

Commands live one group a module beside this one; each module's ``register(app)`` adds its
commands, and ``sitrep.cli`` only wires them together.
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Iterable, Iterator
from datetime import date
from types import ModuleType
from typing import IO, Annotated, Any

import typer

from sitrep.sources import InputError


class UsageProblem(Exception):
    """A problem with how sitrep was called: exit status 2 with a one-line message."""



PathsArg = Annotated[
    list[str] | None,
    typer.Argument(metavar="PATH",
                   help="Report files (text, HTML, JSONL, feeds, WARC, Telegram result.json, "
                        "each maybe .gz), folders of them, page or feed URLs; '-' or none "
                        "reads stdin.",
                   show_default=False),
]
PublishedOpt = Annotated[
    str | None,
    typer.Option("--published", metavar="YYYY-MM-DD",
                 help="Publication date for inputs that do not give their own."),
]
UrlsOpt = Annotated[
    str | None,
    typer.Option("--urls", metavar="FILE",
                 help="Also read the pages (or feeds) of these URLs, one a line ('-': stdin)."),
]
WorkersOpt = Annotated[
    int,
    typer.Option("--workers", "-w", metavar="N", min=0,
                 help="Processes coding reports, each with its own model (0: one per core); "
                      "the output is the same as with one, in input order."),
]


def _published(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageProblem(f"--published: '{value}' is not a valid YYYY-MM-DD date") from None


def read_reports(paths: list[str] | None, published: str | None,
                 urls: str | None = None) -> Iterator[Any]:
    from sitrep.config import Settings
    from sitrep.sources import check_paths, read_paths

    day = _published(published)
    try:
        Settings()  # a bad SITREP_* value (SITREP_TIME_BUDGET=soon) is a usage error
    except ValueError as exc:
        raise UsageProblem(str(exc)) from None
    try:
        check_paths(paths or ([] if urls else ["-"]))
        if urls is not None and urls != "-":
            check_paths([urls])
    except InputError as exc:
        raise UsageProblem(str(exc)) from None
    return read_paths(paths, published=day, urls=urls)


def lazy(module: str, feature: str) -> ModuleType:
    """Import a feature module on first use, so a missing one is a clear usage error."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise UsageProblem(f"{feature} is not available in this installation ({exc})") from None


def write_jsonl(records: Iterable[dict[str, Any]], out: IO[str]) -> None:
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        out.flush()


def write_json(records: Iterable[dict[str, Any]], out: IO[str]) -> None:
    out.write("[")
    for n, record in enumerate(records):
        out.write(",\n" if n else "\n")
        out.write(json.dumps(record, ensure_ascii=False, indent=2))
    out.write("\n]\n")


def print_table(title: str, columns: list[str], rows: Iterable[list[Any]]) -> None:
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
