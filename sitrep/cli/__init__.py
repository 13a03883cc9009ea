"""The ``sitrep`` command line: thin commands over the Python API (``shared/contract/CLI.md``).

Machine formats (jsonl, json, csv) write only records to stdout; logs and the run summary go to
stderr. Exit status: 0 success, 1 some inputs failed (their results carry ``error``), 2 a usage
error, always as one line on stderr and never a traceback. Heavy imports (spaCy, the geoparser,
the gazetteer) happen inside the commands so that ``--help`` and usage errors stay fast.

This module only wires the app: each command group lives in a module of its own (named in
``COMMAND_GROUPS``) whose ``register(app)`` adds its commands, so a new group is a new module
and one line here.
"""

from __future__ import annotations

import importlib
import logging
import sys
from typing import Annotated, Any

import typer

try:  # typer vendors click since 0.20; its exceptions are not the installed click's
    from typer._click import exceptions as click_exceptions
except ImportError:  # pragma: no cover
    from click import exceptions as click_exceptions

from sitrep import __version__, errors
from sitrep.cli.common import UsageProblem
from sitrep.sources import InputError

log = logging.getLogger("sitrep")

# One module a command group, each with ``register(app)``; the order is the order of --help.
COMMAND_GROUPS: tuple[str, ...] = ("sitrep.cli.extract", "sitrep.cli.gazetteer",
                                   "sitrep.cli.store", "sitrep.cli.watch", "sitrep.cli.serve",
                                   "sitrep.cli.eval", "sitrep.cli.spark")


app = typer.Typer(
    name="sitrep",
    help="News reports about armed conflict in, coded conflict events (ACLED/UCDP/PLOVER) out.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"sitrep {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
    verbose: Annotated[int, typer.Option("--verbose", "-v", count=True,
                                         help="Log more to stderr (-vv for debug).",
                                         show_default=False)] = 0,
) -> None:
    level = (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbose, 2)]
    handler = _StderrHandler()
    handler.setFormatter((_BriefFormatter if verbose < 2 else logging.Formatter)(
        "sitrep: %(levelname)s: %(message)s"))
    # Configure sitrep's own logger only: the root logger belongs to whoever embeds sitrep.
    for old in [h for h in log.handlers if isinstance(h, _StderrHandler)]:
        log.removeHandler(old)
    log.addHandler(handler)
    log.setLevel(level)


class _StderrHandler(logging.StreamHandler):
    def __init__(self) -> None:
        super().__init__(sys.stderr)


class _BriefFormatter(logging.Formatter):
    """Log lines without tracebacks: a user sees what failed; -vv shows where."""

    def format(self, record: logging.LogRecord) -> str:
        record = logging.makeLogRecord(record.__dict__)
        record.exc_info = record.exc_text = record.stack_info = None
        return super().format(record)


def _register_commands(target: typer.Typer) -> None:
    """Add each group's commands; one that cannot load (an optional extra missing, a bug) is
    logged and left out, so it never takes the other commands down."""
    for name in COMMAND_GROUPS:
        try:
            module = importlib.import_module(name)
        except ImportError:
            log.debug("command group %s not available", name)
            continue
        register = getattr(module, "register", None)
        if callable(register):
            try:
                register(target)
            except Exception as exc:
                log.warning("command group %s failed to register: %s", name, exc)


_register_commands(app)


def help_markdown(width: int = 88) -> str:
    """The CLI reference (docs/CLI.md): every command's ``--help``, so the docs cannot drift."""
    root = typer.main.get_command(app)
    sections = ["# sitrep command-line reference\n",
                "Generated from `--help` by `make docs`; do not edit by hand.\n"]

    def walk(command: Any, path: list[str], parent: Any) -> None:
        ctx = command.context_class(command, info_name=path[-1], parent=parent,
                                    terminal_width=width, max_content_width=width,
                                    help_option_names=["-h", "--help"])
        name = " ".join(path)
        sections.append(f"## `{name}`\n\n```text\n{command.get_help(ctx).rstrip()}\n```\n")
        for sub_name in getattr(command, "list_commands", lambda _ctx: [])(ctx):
            sub = command.get_command(ctx, sub_name)
            if sub is not None and not sub.hidden:
                walk(sub, [*path, sub_name], ctx)

    walk(root, ["sitrep"], None)
    return "\n".join(sections)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit status; usage errors are one line, never a traceback."""
    command = typer.main.get_command(app)
    try:
        result = command.main(args=argv, prog_name="sitrep", standalone_mode=False)
    except (UsageProblem, InputError) as exc:
        return _fail(str(exc), 2)
    except click_exceptions.UsageError as exc:
        return _fail(exc.format_message().splitlines()[0], 2)
    except click_exceptions.ClickException as exc:
        return _fail(exc.format_message(), exc.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        return _fail("interrupted", 130)
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (| head): nothing more to say
        return 0
    except errors.SitrepError as exc:
        return _fail(str(exc), 2 if exc.code in errors.USAGE_ERRORS else 1)
    except SystemExit as exc:  # typer exits by itself on a broken pipe
        return exc.code if isinstance(exc.code, int) else 1
    except Exception as exc:  # a bug: say so in one line, the details go to the debug log
        log.debug("internal error", exc_info=True)
        return _fail(f"internal error: {type(exc).__name__}: {exc} (run with -vv for details)", 1)
    return result if isinstance(result, int) else 0


def _fail(message: str, status: int) -> int:
    print(f"sitrep: error: {message}", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
