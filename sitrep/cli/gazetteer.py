"""``sitrep gazetteer load|download``: add places to the index every command resolves with."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from sitrep.cli.common import UsageProblem, lazy
from sitrep.sources import InputError


class GazetteerFormat(StrEnum):
    geonames = "geonames"
    csv = "csv"


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
    from sitrep.places.loaders import geonames_kind
    from sitrep.sources import check_paths

    columns = parse_mapping(mapping)
    if country is not None and (len(country) != 2 or not country.isalpha()):
        raise UsageProblem(f"--country: '{country}' is not a two-letter ISO code")
    try:
        check_paths([path])
    except InputError as exc:
        raise UsageProblem(str(exc)) from None
    gazetteer = lazy("sitrep.places.index", "the gazetteer")
    added = gazetteer.load(path, format.value, columns, country.upper() if country else None)
    names = format is GazetteerFormat.geonames and geonames_kind(path) == "alternate_names"
    typer.echo(f"added {added} {'alternate name(s)' if names else 'place(s)'} from {path}")


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

    fetcher = lazy("sitrep.places.download", "the GeoNames downloader")
    target = Path(dest) if dest else Path(Settings().home) / "geonames"
    try:
        dumps = fetcher.download(country, target, alternate_names=alternate_names, url=url)
    except fetcher.DownloadError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    gazetteer = lazy("sitrep.places.index", "the gazetteer")
    for dump in dumps:
        added = gazetteer.load(dump.path, "geonames", None, None)
        what = "place(s)" if dump.kind == "places" else "alternate name(s)"
        typer.echo(f"added {added} {what} from {dump.path}")


# --- extensions and entry point ---------------------------------------------------------------


def register(app: typer.Typer) -> None:
    """Add the ``gazetteer`` command group to the ``sitrep`` app."""
    group = typer.Typer(help="Manage the gazetteer that every command resolves places with.",
                        no_args_is_help=True)
    group.command("load")(gazetteer_load)
    group.command("download")(gazetteer_download)
    app.add_typer(group, name="gazetteer")
