"""WARC and WARC.gz files (warcio): one report a response record that holds an HTML page.

Common Crawl News and most crawlers write WARC; only ``response`` records whose HTTP answer is
HTML count as items (requests, metadata, robots and images are skipped silently). The record's
target URI becomes the report's URL and its WARC-Date the ``published`` date when the page gives
none. A truncated or corrupt record is an error in its place; the records after it cannot be
found again in a damaged stream, so the file ends there.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import date, datetime
from typing import IO

from sitrep import errors
from sitrep.records import Report
from sitrep.sources.html import html_to_report
from sitrep.sources.text import decode

log = logging.getLogger("sitrep.sources")

HTML_TYPES = ("text/html", "application/xhtml+xml")


def looks_like_warc(head: bytes) -> bool:
    return head.startswith(b"WARC/")


def _warc_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        return None


def read_warc(stream: IO[bytes], name: str, published: date | None = None,
              max_bytes: int = 10_000_000) -> Iterator[Report | errors.SitrepError]:
    """Reports from the HTML response records of a WARC stream (plain or gzipped)."""
    from warcio.archiveiterator import ArchiveIterator

    n = 0
    uri: str | None = None
    try:
        for record in ArchiveIterator(stream, check_digests=False):
            if record.rec_type != "response":
                continue
            uri = record.rec_headers.get_header("WARC-Target-URI")
            http = record.http_headers
            ctype = (http.get_header("Content-Type") or "") if http else ""
            if not ctype.lower().startswith(HTML_TYPES):
                continue
            n += 1
            body = record.content_stream().read(max_bytes + 1)
            where = uri or f"{name}#{n}"
            missing = getattr(record.raw_stream, "limit", 0)
            if len(body) <= max_bytes and missing > 0:  # warcio reads a short record silently
                yield errors.error(errors.BAD_WARC, report_id=where, source=name,
                                   detail=f"truncated, {missing} bytes missing")
                return
            if len(body) > max_bytes:
                yield errors.error(errors.TOO_LARGE, report_id=where, limit=max_bytes)
                continue
            day = _warc_date(record.rec_headers.get_header("WARC-Date")) or published
            try:
                report = html_to_report(decode(body), None, uri or name, day)
            except errors.SitrepError as exc:
                exc.report_id = where
                yield exc
                continue
            yield Report(id=report.id, text=report.text, published=report.published,
                         source=name, url=uri, title=report.title)
    except errors.SitrepError:
        raise
    except Exception as exc:  # warcio raises assorted errors on truncated or corrupt input
        detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        log.warning("%s: WARC record after %s unreadable: %s", name, uri or "the start", detail)
        yield errors.error(errors.BAD_WARC, report_id=f"{name}#{n + 1}", source=name,
                           detail=detail)
