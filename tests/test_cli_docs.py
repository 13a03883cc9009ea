"""docs/CLI.md is generated from --help: it fails here when a command changes undocumented."""

from __future__ import annotations

from pathlib import Path

from sitrep.cli import help_markdown

ROOT = Path(__file__).resolve().parents[1]


def test_cli_docs_up_to_date() -> None:
    checked_in = (ROOT / "docs" / "CLI.md").read_text(encoding="utf-8")
    assert checked_in == help_markdown(), "docs/CLI.md is stale: run `make docs`"


def test_cli_docs_cover_every_command() -> None:
    text = help_markdown()
    for command in ("sitrep extract", "sitrep geoparse", "sitrep geocode",
                    "sitrep gazetteer load"):
        assert f"## `{command}`" in text
