"""The inputs recognised by content before the file kinds: gzip, WARC, feeds, Telegram exports.

``read_stream`` asks ``sniff_special`` first; a stream none of these claims is text, HTML or
JSONL as before. Gzip is undone here whatever is inside (a ``.jsonl.gz``, a gzipped feed on
stdin), under the cap of ``sitrep.sources.gzipped``; WARC.gz is handed to warcio whole.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from datetime import date
from typing import IO

from sitrep import errors
from sitrep.config import Settings
from sitrep.records import Report
from sitrep.sources.feeds import looks_like_feed, read_feed
from sitrep.sources.gzipped import gunzip, is_gzip, prefixed
from sitrep.sources.telegram import looks_like_telegram, read_telegram
from sitrep.sources.warc import looks_like_warc, read_warc

log = logging.getLogger("sitrep.sources")

Items = Iterator[Report | errors.SitrepError]
# A feed document larger than this is refused (feeds are parsed whole).
MAX_FEED_BYTES = 50_000_000
# Raw HTML may be this many times the text limit (as for HTML files).
HTML_OVERHEAD = 5


def sniff_special(head: bytes) -> str | None:
    """"gzip", "warc", "feed" or "telegram" when the first bytes say so; else None."""
    if is_gzip(head):
        return "gzip"
    if looks_like_warc(head):
        return "warc"
    if looks_like_telegram(head):
        return "telegram"
    if looks_like_feed(head):
        return "feed"
    return None


def read_special(kind: str, stream: IO[bytes], head: bytes, name: str, published: date | None,
                 settings: Settings,
                 read_stream: Callable[..., Items]) -> Items:
    """The items of a stream ``sniff_special`` recognised, errors in place of bad ones."""
    try:
        if kind == "gzip":
            inner, inner_head = gunzip(stream, head, name)
            if looks_like_warc(inner_head):
                # warcio reads multi-member gzip itself, record by record, as crawls write it
                yield from read_warc(prefixed(inner_head, inner), name, published,
                                     settings.max_bytes * HTML_OVERHEAD)
                return
            inner_suffix = _last_suffix(name[:-3]) if name.lower().endswith(".gz") else ""
            yield from read_stream(prefixed(inner_head, inner), name, published,
                                   suffix=inner_suffix, settings=settings)
        elif kind == "warc":
            yield from read_warc(prefixed(head, stream), name, published,
                                 settings.max_bytes * HTML_OVERHEAD)
        elif kind == "telegram":
            yield from read_telegram(stream, head, name, published)
        elif kind == "feed":
            data = head + stream.read(MAX_FEED_BYTES + 1 - len(head))
            if len(data) > MAX_FEED_BYTES:
                yield errors.error(errors.TOO_LARGE, report_id=name, limit=MAX_FEED_BYTES)
                return
            yield from read_feed(data, name, published)
    except errors.SitrepError as exc:  # a gzip bomb or broken gzip part way: the rest is lost
        exc.report_id = exc.report_id or name
        log.warning("%s: %s %s", exc.report_id, exc.code, exc.message)
        yield exc


def _last_suffix(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:] if dot >= 0 else ""
