"""``sitrep eval TASK PATH...``: thin commands over ``sitrep.evaluation.runner``."""

from __future__ import annotations

import json
import shlex
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from sitrep.evaluation.common import Score, format_figure
from sitrep.evaluation.runner import FIGURES, TASKS, Unavailable, evaluate

HELP = {
    "typing": "Event typing against CASE 2021 labels: weighted F1 over the 25 ACLED types.",
    "geoparse": "Geoparsing: recognition P/R/F1 by span overlap, Acc@161, recall@161.",
    "geocode": "Geocoding place strings: share within 25 km, median error in km.",
    "casualties": "Killed/wounded exact match, main event place (25 km) and date.",
}


def figures_table(task: str, scores: Sequence[Score]) -> Table:
    """Figures down, datasets across: long figure names stay readable."""
    table = Table(title=f"sitrep eval {task}")
    table.add_column("figure")
    for score in scores:
        table.add_column(Path(score.dataset).name, justify="right")
    table.add_row("rows", *[str(s.rows) for s in scores])
    for key, label in FIGURES[task].items():
        table.add_row(label, *[format_figure(key, s.figures.get(key)) for s in scores])
    return table


def errors_table(score: Score, n: int) -> Table:
    table = Table(title=f"{n} worst cases ({Path(score.dataset).name})", show_lines=True)
    for column in ("id", "gold", "predicted", "context"):
        table.add_column(column, overflow="fold")
    for case in score.worst(n):
        table.add_row(*(escape(cell) for cell in (case.id, case.gold, case.predicted,
                                                  case.context)))
    return table


def payload(task: str, scores: Sequence[Score], errors: int = 0) -> dict[str, Any]:
    """The JSON written by ``--json``: task, each dataset's rows and figures, the command."""
    return {
        "task": task,
        "command": " ".join(shlex.quote(a) for a in ["sitrep", *sys.argv[1:]]),
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "datasets": [s.to_dict() for s in scores],
        "worst": [c.to_dict() for c in scores[-1].worst(errors)] if errors else [],
    }


def run_task(task: str, paths: list[Path], errors: int, json_out: Path | None,
             predictions: Path | None, limit: int | None) -> None:
    err = Console(stderr=True)
    for path in [*paths, *([predictions] if predictions else [])]:
        if not path.is_file():
            err.print(f"sitrep eval: cannot read '{path}'", markup=False, highlight=False)
            raise typer.Exit(2)
    try:
        scores = evaluate(task, paths, predictions=predictions, limit=limit,
                          progress=lambda m: err.print(m, markup=False, highlight=False))
    except Unavailable as exc:
        err.print(f"sitrep eval {task}: not available yet: {exc}", markup=False)
        raise typer.Exit(1) from None
    except (ValueError, TypeError) as exc:  # a malformed gold or predictions file
        err.print(f"sitrep eval {task}: {exc}", markup=False)
        raise typer.Exit(2) from None
    out = Console()
    out.print(figures_table(task, scores))
    for score in scores:
        for note in score.notes:
            out.print(f"note ({Path(score.dataset).name}): {note}", markup=False)
    if errors:
        out.print(errors_table(scores[-1], errors))
    if json_out:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(json.dumps(payload(task, scores, errors), indent=2,
                                       ensure_ascii=False) + "\n", encoding="utf-8")


def _command(task: str) -> Callable[..., None]:
    def command(
        paths: Annotated[list[Path], typer.Argument(metavar="PATH...",
                                                    help="Gold JSONL files (../shared/eval).")],
        errors: Annotated[int, typer.Option("--errors", min=0,
                                            help="Show the N worst cases.")] = 0,
        json_out: Annotated[Path | None, typer.Option("--json",
                                                      help="Write the figures as JSON.")] = None,
        predictions: Annotated[Path | None, typer.Option(
            "--predictions",
            help="Score saved sitrep JSONL output (matched by id) instead of running sitrep.",
        )] = None,
        limit: Annotated[int | None, typer.Option("--limit", min=1,
                                                  help="Only the first N rows of each file.")
                         ] = None,
    ) -> None:
        run_task(task, paths, errors, json_out, predictions, limit)

    command.__doc__ = HELP[task]
    return command


def build_app() -> typer.Typer:
    app = typer.Typer(help="Measure sitrep on annotated data (scoring: docs/EVALUATION.md).",
                      no_args_is_help=True)
    for task in TASKS:
        app.command(task)(_command(task))
    return app


def register(app: typer.Typer) -> None:
    """Add the ``eval`` command group to the ``sitrep`` app."""
    app.add_typer(build_app(), name="eval")
