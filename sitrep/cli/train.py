"""``sitrep train typing`` and ``sitrep info``: thin commands over ``sitrep.training``.

Training needs the ``train`` extra (scikit-learn); ``sitrep info`` and the pipeline never do.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from sitrep.errors import SitrepError


def _fail(message: str, status: int = 2) -> typer.Exit:
    Console(stderr=True).print(message, markup=False, highlight=False)
    return typer.Exit(status)


def train_typing(
    data: Annotated[list[Path], typer.Argument(
        metavar="DATA...", help="Labelled rows: CASE or ACLED-notes JSONL, or ACLED CSV exports "
                                "(columns notes and sub_event_type; others ignored).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Model file to write.")],
    folds: Annotated[int, typer.Option(
        "--folds", min=0, help="Cross-validation folds (by country when the data has several "
                               "countries); 0 skips it.")] = 5,
    min_rows: Annotated[int, typer.Option(
        "--min-rows", min=2, help="Fewest rows a label may have.")] = 5,
    drop_rare: Annotated[bool, typer.Option(
        "--drop-rare", help="Train without labels that have fewer than --min-rows rows "
                            "(refused by default).")] = False,
    alpha: Annotated[float, typer.Option("--alpha", min=1e-9,
                                         help="L2 regularisation strength.")] = 1e-5,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the shuffling.")] = 13,
) -> None:
    """Train the event-typing classifier on your own labelled data.

    Use the result with ``sitrep extract --typing-model MODEL`` or SITREP_TYPING_MODEL=MODEL.
    """
    err = Console(stderr=True)
    try:
        from sitrep.training.typing import Settings, train_files
    except ImportError as exc:
        raise _fail(f"sitrep train: needs the train extra (pip install 'sitrep[train]'): {exc}",
                    1) from None
    if output.resolve().is_dir():
        raise _fail(f"sitrep train: --output {output} is a folder, give a file name")
    try:
        model = train_files(data, settings=Settings(alpha=alpha, seed=seed), folds=folds,
                            min_rows=min_rows, drop_rare=drop_rare,
                            progress=lambda m: err.print(m, markup=False, highlight=False))
    except SitrepError as exc:
        raise _fail(f"sitrep train: {exc}") from None
    except ImportError as exc:
        raise _fail(f"sitrep train: needs the train extra (pip install 'sitrep[train]'): {exc}",
                    1) from None
    output.parent.mkdir(parents=True, exist_ok=True)
    model.write(output)
    Console().print(model_table(model.meta, output))


def model_table(meta: dict[str, Any], path: Path | str) -> Table:
    """What a model file says about itself: data, date, version, cross-validated figures."""
    table = Table(title=f"typing model {path}", show_header=False)
    table.add_column("what")
    table.add_column("value", overflow="fold")
    table.add_row("trained", f"{meta.get('trained', '?')} by sitrep "
                             f"{meta.get('sitrep_version', '?')}")
    for src in meta.get("data") or []:
        labels = ", ".join(f"{k} {v}" for k, v in sorted(
            (src.get("labels") or {}).items(), key=lambda kv: -kv[1]))
        table.add_row(f"data: {src.get('name')}", f"{src.get('rows')} rows ({labels})")
    for cv in meta.get("cross_validation") or []:
        figures = ", ".join(f"{k} {v}" for k, v in cv.items() if k not in {"kind", "folds"})
        table.add_row(f"{cv.get('folds')}-fold CV, {cv.get('kind')}", figures)
    for note in meta.get("notes") or []:
        table.add_row("note", str(note))
    return table


def info(
    typing_model: Annotated[Path | None, typer.Option(
        "--typing-model", help="Describe this model file instead of the one in use.")] = None,
) -> None:
    """Show sitrep's version and the typing model in use: its training data and figures."""
    from sitrep import __version__
    from sitrep.pipeline import typing as typing_stage

    path = typing_model or typing_stage.model_path()
    try:
        model = typing_stage.read_model(path)
    except SitrepError as exc:
        raise _fail(f"sitrep info: {exc}") from None
    out = Console()
    out.print(f"sitrep {__version__}", markup=False, highlight=False)
    out.print(f"typing model: {path} ({Path(path).stat().st_size / 1e6:.1f} MB, "
              f"{len(model.vocab)} features, {len(model.labels)} labels)", markup=False,
              highlight=False)
    out.print(model_table(model.meta, path))
    _accurate_info(out)


def _accurate_info(out: Console) -> None:
    """The accurate mode's encoder and head, when shipped: what they were trained on."""
    from sitrep.pipeline import typing_accurate as acc

    if not (acc.HEAD_PATH.exists() and acc.ENCODER_PATH.exists()):
        return
    try:
        head = acc.read_head(acc.HEAD_PATH)
    except SitrepError as exc:
        out.print(f"accurate mode: {exc}", markup=False, highlight=False)
        return
    out.print(f"accurate mode (--typing-mode accurate): encoder {acc.ENCODER_PATH} "
              f"({acc.ENCODER_PATH.stat().st_size / 1e6:.1f} MB), {len(head.labels)} labels, "
              f"word model share {head.word_share}", markup=False, highlight=False)
    out.print(model_table(head.meta, acc.HEAD_PATH))


def register(app: typer.Typer) -> None:
    """Add ``sitrep train typing`` and ``sitrep info``."""
    group = typer.Typer(help="Train sitrep's models on your own labelled data (needs the "
                             "train extra: scikit-learn).", no_args_is_help=True)
    group.command("typing")(train_typing)
    app.add_typer(group, name="train")
    app.command("info")(info)
