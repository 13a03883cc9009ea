"""Sources: where reports come from (files, stdin), one module a kind of input, one interface.

``read_paths`` and ``read_stream`` are that interface: whatever the input, they yield a
``Report`` for each item and, in place of each item that cannot become one, a coded
``SitrepError``, so a run never stops for one bad input and results keep the input order. Only a
path that cannot be opened at all is a usage problem (``InputError``, exit status 2).

Modules: ``text`` (decoding, checks, content ids: every kind ends there), ``jsonl``, ``html``.
May use: records, errors, config. Never the pipeline or anything above it.
"""

from __future__ import annotations

import io
import json
import re
import sys
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import IO

from sitrep import errors
from sitrep.config import Settings
from sitrep.records import Report
from sitrep.sources.html import html_to_report
from sitrep.sources.jsonl import read_jsonl, report_from_dict
from sitrep.sources.text import check_text, content_id, decode, english_score, text_report

__all__ = ["InputError", "check_paths", "check_text", "content_id", "decode", "english_score",
           "html_to_report", "read_jsonl", "read_paths", "read_stream", "report_from_dict",
           "sniff_kind"]

JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
# HTML carries markup around its text: allow the raw file this many times the text limit.
HTML_OVERHEAD = 5
_SNIFF = 4096

_HTML_SNIFF = re.compile(rb"<!doctype html|<html[\s>]|<head[\s>]|<body[\s>]|<p[\s>]|<div[\s>]",
                         re.IGNORECASE)


class InputError(Exception):
    """A path that cannot be read at all: a usage problem (exit 2), not a per-report error."""

    def __init__(self, path: str, detail: str) -> None:
        self.path = path
        self.detail = detail
        super().__init__(errors.MESSAGES[errors.UNREADABLE].format(path=path, detail=detail))


def sniff_kind(head: bytes, suffix: str = "") -> str:
    """"jsonl", "html" or "text", by file suffix and else by the first bytes."""
    suffix = suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in TEXT_SUFFIXES:
        return "text"
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if start.startswith(b"{"):
        first = start.split(b"\n", 1)[0]
        try:
            if isinstance(json.loads(first), dict):
                return "jsonl"
        except (json.JSONDecodeError, UnicodeDecodeError):
            pass
    if _HTML_SNIFF.search(head[:_SNIFF]):
        return "html"
    return "text"


def _read_document(stream: IO[bytes], head: bytes, kind: str, name: str,
                   published: date | None, settings: Settings, size: int | None
                   ) -> Iterator[Report | errors.SitrepError]:
    limit = settings.max_bytes * (HTML_OVERHEAD if kind == "html" else 1)
    # Refuse on the size alone when it is known: a 50 MB file must not be loaded to be refused.
    if size is not None and size > limit:
        yield errors.error(errors.TOO_LARGE, report_id=name, limit=settings.max_bytes)
        return
    data = head + stream.read(max(limit + 1 - len(head), 0))
    if len(data) > limit:
        yield errors.error(errors.TOO_LARGE, report_id=name, limit=settings.max_bytes)
        return
    if not data.strip():
        yield errors.error(errors.EMPTY_TEXT, report_id=name)
        return
    try:
        if kind == "html":
            yield html_to_report(decode(data), None, name, published)
        else:
            yield text_report(data, name, published)
    except errors.SitrepError as exc:
        exc.report_id = exc.report_id or name
        yield exc


def read_stream(stream: IO[bytes], name: str, published: date | None = None,
                suffix: str = "", settings: Settings | None = None, size: int | None = None
                ) -> Iterator[Report | errors.SitrepError]:
    """Reports from one input; ``size`` (when known) lets a too-large one be refused unread."""
    settings = settings or Settings()
    head = stream.read(_SNIFF)
    kind = sniff_kind(head, suffix)
    if kind == "jsonl":
        yield from read_jsonl(stream, head, published, settings)
    else:
        yield from _read_document(stream, head, kind, name, published, settings, size)


def check_paths(paths: Iterable[str]) -> None:
    """Fail before any output when a path cannot be read (a usage error, not a bad report)."""
    for path in paths:
        if path == "-":
            continue
        p = Path(path)
        if not p.exists():
            raise InputError(path, "no such file")
        if p.is_dir():
            raise InputError(path, "is a directory")
        try:
            with p.open("rb"):
                pass
        except OSError as exc:
            raise InputError(path, exc.strerror or str(exc)) from None


def read_paths(paths: Iterable[str] | None = None, published: date | None = None,
               settings: Settings | None = None) -> Iterator[Report | errors.SitrepError]:
    """Reports from files and stdin ("-" or no path), in order, errors in place of bad ones."""
    settings = settings or Settings()
    paths = list(paths or ["-"])
    check_paths(paths)
    for path in paths:
        if path == "-":
            yield from read_stream(_stdin(), "<stdin>", published, settings=settings)
            continue
        p = Path(path)
        try:
            with p.open("rb") as stream:
                size = p.stat().st_size
                yield from read_stream(stream, path, published, p.suffix, settings, size)
        except OSError as exc:
            raise InputError(path, exc.strerror or str(exc)) from None


def _stdin() -> IO[bytes]:
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is not None:
        return buffer
    return io.BytesIO(sys.stdin.read().encode("utf-8"))
