"""Sources: where reports come from (files, stdin), one module a kind of input, one interface.

``read_paths`` and ``read_stream`` are that interface: whatever the input, they yield a
``Report`` for each item and, in place of each item that cannot become one, a coded
``SitrepError``, so a run never stops for one bad input and results keep the input order. Only a
path that cannot be opened at all is a usage problem (``InputError``, exit status 2).

Modules: ``text`` (decoding, checks, content ids: every kind ends there), ``jsonl``, ``html``;
recognised by content first (``kinds``): ``gzipped``, ``warc``, ``feeds``, ``telegram``; and
beyond single files: ``directory``, ``urls`` (pages and URL lists) over ``web`` (the HTTP
client and robots.txt).
May use: records, errors, config. Never the pipeline or anything above it.
"""

from __future__ import annotations

import codecs
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
from sitrep.sources import directory
from sitrep.sources.html import html_to_report
from sitrep.sources.jsonl import line_limit, read_jsonl, report_from_dict
from sitrep.sources.kinds import read_special, sniff_special
from sitrep.sources.text import (
    check_text,
    clean_text,
    content_id,
    decode,
    english_score,
    stream_encoding,
    text_report,
)
from sitrep.sources.urls import read_url, read_url_list
from sitrep.sources.web import is_url

__all__ = ["InputError", "check_paths", "check_text", "clean_text", "content_id", "decode",
           "english_score",
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
    """Reports from one input; ``size`` (when known) lets a too-large one be refused unread.

    The encoding is decided once for the whole stream (a UTF-16 one is recoded to UTF-8 as it
    is read, so JSONL lines and text read alike), and the kind from the whole first line: a
    JSONL stream whose first line is longer than any fixed window is still JSONL.
    """
    settings = settings or Settings()
    head = stream.read(_SNIFF)
    encoding = stream_encoding(head)
    if encoding is not None:
        stream = _Recoded(stream, head, encoding)
        head, size = stream.read(_SNIFF), None
    special = sniff_special(head)
    if special is not None:
        yield from read_special(special, stream, head, name, published, settings, read_stream)
        return
    if _starts_object(head):
        head = _first_line(stream, head, line_limit(settings))
    kind = sniff_kind(head, suffix)
    if kind == "jsonl":
        yield from read_jsonl(stream, head, published, settings)
    else:
        yield from _read_document(stream, head, kind, name, published, settings, size)


def _starts_object(head: bytes) -> bool:
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


def _first_line(stream: IO[bytes], head: bytes, limit: int) -> bytes:
    """``head`` read on to the end of its first line (at most ``limit`` bytes more)."""
    while b"\n" not in head and len(head) <= limit:
        chunk = stream.read(1 << 16)
        if not chunk:
            break
        head += chunk
    return head


class _Recoded(io.RawIOBase):
    """A byte stream in another encoding (UTF-16) read as UTF-8, a chunk at a time.

    Undecodable input (a lone surrogate, an odd last byte) becomes bytes that are not UTF-8, so
    the report (or JSONL line) holding it gets E004 in its place, not the whole stream.
    """

    def __init__(self, raw: IO[bytes], head: bytes, encoding: str) -> None:
        self._raw = raw
        self._decoder = codecs.getincrementaldecoder(encoding)("surrogatepass")
        self._pending = self._recode(head)

    def _recode(self, data: bytes, final: bool = False) -> bytes:
        try:
            text = self._decoder.decode(data, final)
        except UnicodeDecodeError:  # an odd byte at the end: left as a byte that is not UTF-8
            text = "\udcff"
        return text.encode("utf-8", "surrogatepass")

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:  # type: ignore[override]
        while size < 0 or len(self._pending) < size:
            chunk = self._raw.read(1 << 16 if size < 0 else max(size, 1 << 16))
            if not chunk:
                self._pending += self._recode(b"", final=True)
                break
            self._pending += self._recode(chunk)
        if size < 0:
            out, self._pending = self._pending, b""
        else:
            out, self._pending = self._pending[:size], self._pending[size:]
        return out


def check_paths(paths: Iterable[str]) -> None:
    """Fail before any output when a path cannot be read (a usage error, not a bad report)."""
    for path in paths:
        if path == "-" or is_url(path):
            continue
        p = Path(path)
        if not p.exists():
            raise InputError(path, "no such file")
        if p.is_dir():
            continue
        try:
            with p.open("rb"):
                pass
        except OSError as exc:
            raise InputError(path, exc.strerror or str(exc)) from None


def read_paths(paths: Iterable[str] | None = None, published: date | None = None,
               settings: Settings | None = None, urls: str | None = None
               ) -> Iterator[Report | errors.SitrepError]:
    """Reports from files, directories, page or feed URLs and stdin ("-", or no path and no
    ``urls`` list), in order, errors in place of bad ones; then those of the ``urls`` list."""
    settings = settings or Settings()
    paths = list(paths or ([] if urls else ["-"]))
    check_paths(paths)
    for path in paths:
        if path == "-":
            yield from read_stream(_stdin(), "<stdin>", published, settings=settings)
            continue
        if is_url(path):
            yield from read_url(path, published, settings, read_stream)
            continue
        p = Path(path)
        if p.is_dir():
            for file in directory.files(p):
                yield from read_paths([str(file)], published, settings)
            continue
        try:
            with p.open("rb") as stream:
                size = p.stat().st_size
                yield from read_stream(stream, path, published, p.suffix, settings, size)
        except OSError as exc:
            raise InputError(path, exc.strerror or str(exc)) from None
    if urls is not None:
        yield from read_url_list(urls, published, settings, read_stream)


def _stdin() -> IO[bytes]:
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is not None:
        return buffer
    return io.BytesIO(sys.stdin.read().encode("utf-8"))
