"""``sitrep serve`` (the HTTP API and web map), ``sitrep correct`` and ``sitrep corrections
export``: the analyst's commands, kept apart so ``sitrep --help`` never imports FastAPI.

The write token: ``SITREP_TOKEN``, else the one stored under the sitrep home
(``server-token``), else a new one made on the first ``serve``, printed once and stored there.
A host other than loopback needs a token set explicitly, so a server reachable from the
network never runs with a token only its console has seen.
"""

from __future__ import annotations

import ipaddress
import json
import os
import secrets
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from sitrep.cli.store import DbOpt

TOKEN_FILE = "server-token"


def _usage(message: str) -> Exception:
    from sitrep.cli.common import UsageProblem

    return UsageProblem(message)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def server_token(home: Path, host: str) -> tuple[str, bool]:
    """The write token and whether it was just made (then it is printed once)."""
    token = os.environ.get("SITREP_TOKEN")
    if token:
        return token, False
    if not is_loopback(host):
        raise _usage(f"--host {host}: not a loopback address; set SITREP_TOKEN to serve on it")
    path = home / TOKEN_FILE
    if path.exists():
        return path.read_text(encoding="utf-8").strip(), False
    token = secrets.token_urlsafe(24)
    home.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_text(token + "\n", encoding="utf-8")
    return token, True


def _value(raw: str) -> Any:
    """A value from the command line: JSON when it parses (numbers, true, objects), else text."""
    try:
        return json.loads(raw)
    except json.JSONDecodeError:
        return raw


def register(app: typer.Typer) -> None:
    """Add ``serve``, ``correct`` and the ``corrections`` group to the ``sitrep`` app."""

    @app.command()
    def serve(
        db: DbOpt = None,
        host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
        port: Annotated[int, typer.Option("--port", min=0, max=65535)] = 8000,
        tile_url: Annotated[str | None, typer.Option(
            "--tile-url", metavar="URL", help="An online tile layer for the map "
            "(https://.../{z}/{x}/{y}.png); default: the packaged country borders only.")
        ] = os.environ.get("SITREP_TILE_URL"),
        cors: Annotated[list[str] | None, typer.Option(
            "--cors-origin", metavar="ORIGIN", help="Allow this origin (repeatable); "
            "CORS is off by default.")] = None,
    ) -> None:
        """Serve the HTTP API (OpenAPI at /docs) and the web map at / over the store."""
        import uvicorn

        from sitrep.config import default_home
        from sitrep.server import create_app
        from sitrep.store.db import open_store

        token, made = server_token(default_home(), host)
        store = open_store(db)
        if made:
            print(f"sitrep: write token (printed once, kept in {default_home() / TOKEN_FILE}): "
                  f"{token}", file=sys.stderr)
        app_ = create_app(None, store=store, token=token, tile_url=tile_url, cors_origins=cors)
        shown = f"[{host}]" if ":" in host else host
        print(f"sitrep: serving {store.display} at http://{shown}:{port}/ (Ctrl-C stops)",
              file=sys.stderr, flush=True)
        uvicorn.run(app_, host=host, port=port, log_level="warning")

    @app.command()
    def correct(
        event_id: Annotated[str, typer.Argument(metavar="EVENT_ID")],
        field: Annotated[str, typer.Option("--field", help="event_type, sub_event_type, "
                                           "disorder_type, event_date, location, actor1, actor2, "
                                           "fatalities, injuries, not_event, split, merge.")],
        value: Annotated[str, typer.Option("--value", help="The new value; JSON when it parses "
                                           "(9, true, {\"into\": \"ID\"}), else text.")],
        note: Annotated[str, typer.Option("--note", help="Why.")] = "",
        author: Annotated[str, typer.Option("--author")] = os.environ.get("USER", "analyst"),
        expected_version: Annotated[int | None, typer.Option(
            "--expected-version", min=0, help="Fail unless the field's correction version is "
            "this (0: never corrected).")] = None,
        db: DbOpt = None,
    ) -> None:
        """Correct a field of a merged event (the machine coding is kept beside it)."""
        from sitrep.store.corrections import correct as run_correct
        from sitrep.store.db import open_store

        row = run_correct(open_store(db, create=False), event_id, field, _value(value),
                          author=author, note=note, expected_version=expected_version)
        sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")

    group = typer.Typer(help="Analysts' corrections.", no_args_is_help=True)
    app.add_typer(group, name="corrections")

    @group.command("export")
    def corrections_export(
        db: DbOpt = None,
        output: Annotated[str | None, typer.Option("--output", "-o", metavar="PATH")] = None,
    ) -> None:
        """Write every correction as JSONL (with the machine record), e.g. as training data."""
        from sitrep.store.corrections import export
        from sitrep.store.db import open_store

        rows = export(open_store(db, create=False))
        out = open(output, "w", encoding="utf-8") if output else sys.stdout
        n = 0
        try:
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
                n += 1
        finally:
            if output:
                out.close()
        print(f"sitrep: exported {n} correction(s)", file=sys.stderr)
