"""Reports for Spark from JSONL, Parquet or WARC, each with its place in the input.

Every item is ``(position, Report | SitrepError)``: the position (0-based, across the whole
input) keeps results in input order and lets the job cut batches where one process would, and a
line or record that cannot become a report is a coded error in its place, as with the CLI.
Functions that run on executors are module-level, so Spark ships them by name.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sitrep import errors
from sitrep.records import Report

Item = tuple[int, Report | errors.SitrepError]
KINDS = ("jsonl", "parquet", "warc")
REPORT_FIELDS = ("id", "text", "published", "source", "url", "title")


def input_kind(path: str, kind: str = "auto") -> str:
    """The kind named, else the one the path's suffix (or a folder's files) says."""
    if kind != "auto":
        return kind
    name = path.rstrip("/").lower()
    p = Path(path)
    if p.is_dir():
        suffixes = {f.name.lower().split(".", 1)[-1] for f in p.iterdir() if f.is_file()}
        name = next((s for s in suffixes if "parquet" in s or "warc" in s), "jsonl")
    if "parquet" in name.rsplit("/", 1)[-1]:
        return "parquet"
    if ".warc" in name or name.endswith("warc"):
        return "warc"
    return "jsonl"


def jsonl_items(lines: Iterable[tuple[str, int]]) -> Iterator[Item]:
    """``(line, index)`` pairs, as ``zipWithIndex`` gives them, to items (blank lines skipped,
    as the CLI skips them, numbered as its ``line-N``)."""
    from sitrep.sources.jsonl import _report_from_line

    for line, index in lines:
        if line.strip():
            yield index, _report_from_line(line.encode("utf-8"), index + 1, None)


def row_items(rows: Iterable[tuple[Any, int]]) -> Iterator[Item]:
    """Parquet rows (``Row`` or dict) with the JSONL fields to items."""
    from sitrep.sources import report_from_dict

    for row, index in rows:
        data = row.asDict() if hasattr(row, "asDict") else dict(row)
        if isinstance(data.get("published"), datetime | date):
            data["published"] = data["published"].isoformat()[:10]
        try:
            yield index, report_from_dict(data, line=index + 1)
        except errors.SitrepError as exc:
            yield index, exc


def warc_reports(name: str, data: bytes) -> Iterator[Report | errors.SitrepError]:
    """The HTML responses of one WARC file (gzipped or not) as reports, ids from the
    ``WARC-Record-ID``, the URL and the capture date kept.

    A small reader of our own: ``sitrep.sources`` has no WARC reader on this branch yet.
    """
    from warcio.archiveiterator import ArchiveIterator

    from sitrep.sources import decode, html_to_report

    for record in ArchiveIterator(io.BytesIO(data)):
        if record.rec_type != "response":
            continue
        content_type = (record.http_headers.get_header("Content-Type") or ""
                        if record.http_headers else "")
        if "html" not in content_type.lower():
            continue
        url = record.rec_headers.get_header("WARC-Target-URI")
        record_id = (record.rec_headers.get_header("WARC-Record-ID") or "").strip("<>")
        captured = (record.rec_headers.get_header("WARC-Date") or "")[:10]
        try:
            published = date.fromisoformat(captured) if captured else None
        except ValueError:
            published = None
        try:
            report = html_to_report(decode(record.content_stream().read()),
                                    record_id or None, url, published)
            report.url = url
            yield report
        except errors.SitrepError as exc:
            exc.report_id = exc.report_id or record_id or url
            yield exc


def warc_items(files: Iterable[tuple[str, bytes]]) -> Iterator[tuple[tuple[str, int], Any]]:
    """``(path, bytes)`` pairs, as ``binaryFiles`` gives them, to ``((path, n), item)``."""
    for name, data in files:
        for n, item in enumerate(warc_reports(name, data)):
            yield (name, n), item
