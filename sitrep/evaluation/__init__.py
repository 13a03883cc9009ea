"""Measuring sitrep: scorers for typing, geoparsing, geocoding and casualties (``sitrep eval``).

The scoring follows ``shared/eval/README.md``; ``docs/EVALUATION.md`` is rewritten by
``make eval`` from these same functions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import typer


def register(app: typer.Typer) -> None:
    """Add the ``eval`` command group to the main CLI."""
    from sitrep.evaluation.cli import build_app

    app.add_typer(build_app(), name="eval")
