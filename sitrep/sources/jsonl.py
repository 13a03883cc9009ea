"""JSONL: one report a line, with the fields of the contract's CLI.md.

A line never holds more than its share of memory: longer lines are refused as too large while
the rest of the stream is still read, and a broken line is an error in its place.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date, datetime
from typing import IO, Any

from sitrep import errors
from sitrep.config import Settings
from sitrep.records import Report
from sitrep.sources.text import clean_text, content_id

_CHUNK = 1 << 16


def parse_date(value: str) -> date:
    if len(value) > 10 and value[10] in "T ":
        return datetime.fromisoformat(value).date()
    return date.fromisoformat(value)


def _optional_str(d: dict[str, Any], name: str, report_id: str | None) -> str | None:
    value = d.get(name)
    if value is None or isinstance(value, str):
        return value
    raise errors.error(errors.BAD_FIELD, report_id=report_id, field=name,
                       detail=f"expected a string, got {type(value).__name__}")


def report_from_dict(d: Any, line: int | None = None, published: date | None = None) -> Report:
    """A ``Report`` from the JSONL fields of CLI.md; ``published`` is the default date."""
    where = f"line-{line}" if line is not None else None
    if not isinstance(d, dict):
        raise errors.error(errors.BAD_JSON, report_id=where, line=line or "?",
                           detail=f"got a JSON {type(d).__name__}")
    report_id = d.get("id")
    # Numbers are ids too (many exports number their rows): kept as their JSON spelling.
    if isinstance(report_id, int | float) and not isinstance(report_id, bool):
        report_id = json.dumps(report_id)
    if report_id is not None and not isinstance(report_id, str):
        raise errors.error(errors.BAD_FIELD, report_id=where, field="id",
                           detail=f"expected a string, got {type(report_id).__name__}")
    text = d.get("text")
    if not isinstance(text, str):
        detail = "missing" if text is None else f"expected a string, got {type(text).__name__}"
        raise errors.error(errors.BAD_FIELD, report_id=report_id or where, field="text",
                           detail=detail)
    text = clean_text(text)
    report_id = report_id or content_id(text)
    raw_date = d.get("published")
    if raw_date is not None:
        if not isinstance(raw_date, str):
            raise errors.error(errors.BAD_DATE, report_id=report_id, value=raw_date)
        try:
            published = parse_date(raw_date)
        except ValueError:
            raise errors.error(errors.BAD_DATE, report_id=report_id, value=raw_date) from None
    return Report(
        id=report_id,
        text=text,
        published=published,
        source=_optional_str(d, "source", report_id),
        url=_optional_str(d, "url", report_id),
        title=_optional_str(d, "title", report_id),
    )


def _lines(stream: IO[bytes], head: bytes, limit: int) -> Iterator[bytes | None]:
    """Lines of a byte stream without holding more than ``limit`` bytes of one; None for longer."""
    buffer = bytearray(head)
    skipping = False
    while True:
        newline = buffer.find(b"\n")
        if newline >= 0:
            line = bytes(buffer[:newline])
            del buffer[: newline + 1]
            yield None if skipping or len(line) > limit else line
            skipping = False
            continue
        if len(buffer) > limit:
            skipping = True
            buffer.clear()
        chunk = stream.read(_CHUNK)
        if not chunk:
            if skipping:
                yield None
            elif buffer:
                yield bytes(buffer)
            return
        buffer += chunk


def line_limit(settings: Settings) -> int:
    """The longest JSONL line read: the text escaped as JSON takes up to six bytes a character."""
    return settings.max_bytes * 6 + 4096


def read_jsonl(stream: IO[bytes], head: bytes = b"", published: date | None = None,
               settings: Settings | None = None) -> Iterator[Report | errors.SitrepError]:
    settings = settings or Settings()
    limit = line_limit(settings)
    for n, raw in enumerate(_lines(stream, head, limit), 1):
        if raw is None:
            yield errors.error(errors.TOO_LARGE, report_id=f"line-{n}", limit=settings.max_bytes)
            continue
        if not raw.strip():
            continue  # blank lines separate nothing and are not reports
        yield _report_from_line(raw, n, published)


def _report_from_line(raw: bytes, n: int, published: date | None) -> Report | errors.SitrepError:
    try:
        line = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return errors.error(errors.BAD_ENCODING, report_id=f"line-{n}")
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        return errors.error(errors.BAD_JSON, report_id=_salvage_id(line) or f"line-{n}",
                            line=n, detail=exc.msg)
    try:
        return report_from_dict(data, line=n, published=published)
    except errors.SitrepError as exc:
        return exc


def _salvage_id(line: str) -> str | None:
    """The id of a line that is not valid JSON, when its start still shows one."""
    match = re.match(r'\s*\{\s*"id"\s*:\s*"((?:[^"\\]|\\.)*)"', line)
    if not match:
        return None
    try:
        return json.loads(f'"{match.group(1)}"')
    except json.JSONDecodeError:
        return None
