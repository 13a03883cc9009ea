"""RSS and Atom feeds (feedparser): one report an entry, the full text fetched when needed.

A feed is recognised by its content (an ``<rss``, ``<feed`` or ``<rdf:RDF`` root), whether it
came as a file, on stdin or from a URL. Most news feeds carry only a summary: then the entry's
page is fetched (``sitrep.sources.web``) and its article text read by trafilatura; an entry
whose feed carries the full text (``content:encoded``, Atom ``content``) is read as it is. The
entry's date becomes ``published`` when the page gives none. An entry with neither link nor
text, or whose page cannot be fetched, is an error in its place.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from sitrep import errors
from sitrep.records import Report
from sitrep.sources.html import html_to_report
from sitrep.sources.web import Fetcher, default_fetcher

log = logging.getLogger("sitrep.sources")

_FEED_ROOT = re.compile(rb"<(rss|feed|rdf:RDF)[\s>]", re.IGNORECASE)
# Shorter entry text than this is a summary: the page is fetched for the article.
FULL_TEXT_CHARS = 600


def looks_like_feed(head: bytes) -> bool:
    """An XML document whose root is a feed's (after any prolog, comments, doctype)."""
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not start.startswith(b"<"):
        return False
    match = _FEED_ROOT.search(head)
    if match is None:
        return False
    before = head[: match.start()]
    return b"<html" not in before.lower() and b"<body" not in before.lower()


@dataclass
class Entry:
    """One feed entry, before its page is fetched."""

    key: str  # what identifies it across polls: its id, else its link, else its content
    link: str | None
    title: str | None
    published: date | None
    html: str  # the content (full text) or summary the feed carries
    full: bool  # whether ``html`` is the article rather than a summary


def parse_feed(data: bytes, source: str) -> list[Entry]:
    """The entries of a feed, or BAD_FEED when ``data`` is not one."""
    import feedparser

    parsed = feedparser.parse(data)
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception")
        detail = f"{type(reason).__name__}: {reason}" if reason else "no feed elements"
        raise errors.error(errors.BAD_FEED, report_id=source, source=source, detail=detail)
    return [_entry(e) for e in parsed.entries]


def _entry(raw: Any) -> Entry:
    contents = [c.get("value", "") for c in raw.get("content") or [] if c.get("value")]
    body = max(contents, key=len) if contents else ""
    summary = raw.get("summary") or ""
    html = body or summary
    full = bool(body) and len(_strip_tags(body)) >= FULL_TEXT_CHARS
    link = raw.get("link") or None
    key = raw.get("id") or link or (
        "sha1:" + hashlib.sha1((raw.get("title", "") + html).encode()).hexdigest()[:16])
    stamp = raw.get("published_parsed") or raw.get("updated_parsed")
    day = date(stamp.tm_year, stamp.tm_mon, stamp.tm_mday) if stamp else None
    return Entry(key=str(key), link=link, title=raw.get("title") or None, published=day,
                 html=html, full=full)


def _strip_tags(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html).strip()


def entry_report(entry: Entry, source: str, published: date | None = None,
                 fetcher: Fetcher | None = None, n: int = 0) -> Report:
    """The report of one entry: its page's article when the feed carries only a summary."""
    day = entry.published or published
    if entry.link and not entry.full:
        fetcher = fetcher or default_fetcher()
        page = fetcher.fetch(entry.link)
        from sitrep.sources.text import decode

        report = html_to_report(decode(page.body), None, source, day or page.last_modified)
        return Report(id=report.id, text=report.text, published=report.published,
                      source=source, url=entry.link, title=report.title or entry.title)
    if not entry.html.strip() or not _strip_tags(entry.html):
        raise errors.error(errors.EMPTY_ENTRY, report_id=entry.link or f"{source}#{n}",
                           entry=n, source=source)
    report = html_to_report(f"<html><body>{entry.html}</body></html>", None, source, day)
    return Report(id=report.id, text=report.text, published=day or report.published,
                  source=source, url=entry.link, title=entry.title or report.title)


def read_feed(data: bytes, source: str, published: date | None = None,
              fetcher: Fetcher | None = None) -> Iterator[Report | errors.SitrepError]:
    """A report (or an error in its place) for each entry of a feed, in the feed's order."""
    try:
        entries = parse_feed(data, source)
    except errors.SitrepError as exc:
        yield exc
        return
    for n, entry in enumerate(entries, 1):
        try:
            yield entry_report(entry, source, published, fetcher, n)
        except errors.SitrepError as exc:
            exc.report_id = exc.report_id or entry.link or f"{source}#{n}"
            log.warning("%s: %s %s", exc.report_id, exc.code, exc.message)
            yield exc
