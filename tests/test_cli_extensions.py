"""Command groups add commands through register(app); a missing or broken one leaves the rest."""

from __future__ import annotations

import sys
import types

import pytest
import typer

from sitrep import cli


def _module(name: str, register) -> types.ModuleType:
    module = types.ModuleType(name)
    module.register = register
    return module


def _commands(app: typer.Typer) -> set[str]:
    return {c.name or c.callback.__name__ for c in app.registered_commands}


@pytest.mark.parametrize(
    ("register", "expected"),
    [
        (lambda app: app.command("hello")(lambda: None), {"hello"}),
        (lambda app: (_ for _ in ()).throw(RuntimeError("broken")), set()),
    ],
)
def test_cli_extensions_register(monkeypatch, register, expected) -> None:
    monkeypatch.setitem(sys.modules, "sitrep_test_ext", _module("sitrep_test_ext", register))
    monkeypatch.setattr(cli, "COMMAND_GROUPS", ("sitrep_test_ext", "sitrep_missing_ext"))
    app = typer.Typer()
    cli._register_commands(app)
    assert _commands(app) == expected
