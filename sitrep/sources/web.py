"""Fetching pages and feeds over HTTP: one client, polite and bounded.

Every fetch sitrep makes goes through ``Fetcher``: a user agent that names sitrep, connect and
read timeouts plus a deadline for the whole response (a server dripping a byte a second never
trips a read timeout), a size cap applied while streaming (a 5 GB answer is cut at the cap, not
loaded), a bounded number of redirects, robots.txt read and obeyed per host, and at most
``per_host`` requests to one host at a time. Failures are coded ``SitrepError``s, so a caller
yields them in place of the item and goes on.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import urllib.robotparser
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from sitrep import errors

log = logging.getLogger("sitrep.sources")



def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("sitrep")
    except PackageNotFoundError:
        return "dev"


USER_AGENT = f"sitrep/{_version()} (conflict-event coder; +https://github.com/sitrep/sitrep)"
# The product token robots.txt rules are matched against.
ROBOTS_AGENT = "sitrep"
ROBOTS_TTL_S = 3600.0


def _env_float(name: str, default: float) -> float:
    return float(os.environ.get(name, default))


@dataclass
class WebSettings:
    """The HTTP client's limits; each has an environment variable for the command line."""

    connect_timeout: float = field(
        default_factory=lambda: _env_float("SITREP_CONNECT_TIMEOUT", 10.0))
    read_timeout: float = field(default_factory=lambda: _env_float("SITREP_READ_TIMEOUT", 20.0))
    # The whole response, headers to last byte.
    deadline: float = field(default_factory=lambda: _env_float("SITREP_FETCH_DEADLINE", 60.0))
    max_bytes: int = field(
        default_factory=lambda: int(os.environ.get("SITREP_MAX_DOWNLOAD", 10_000_000)))
    max_redirects: int = 5
    per_host: int = field(default_factory=lambda: int(os.environ.get("SITREP_PER_HOST", 2)))
    user_agent: str = USER_AGENT
    robots: bool = True
    # A robots.txt that could not be fetched (5xx, no answer) is asked for again after this
    # long; until then nothing on that host is fetched.
    robots_retry: float = field(
        default_factory=lambda: _env_float("SITREP_ROBOTS_RETRY", 60.0))


@dataclass
class Page:
    """A fetched answer: the final URL, its body and what its headers say about it."""

    url: str
    status: int
    body: bytes
    content_type: str = ""
    last_modified: date | None = None
    etag: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


def is_url(value: str) -> bool:
    return value.startswith(("http://", "https://"))


class Fetcher:
    """A shared, thread-safe HTTP client with sitrep's limits (see the module docstring)."""

    def __init__(self, settings: WebSettings | None = None) -> None:
        import httpx

        self.settings = settings or WebSettings()
        s = self.settings
        self._client = httpx.Client(
            timeout=httpx.Timeout(s.read_timeout, connect=s.connect_timeout),
            follow_redirects=False, headers={"User-Agent": s.user_agent})
        self._hosts: defaultdict[str, threading.BoundedSemaphore] = defaultdict(
            lambda: threading.BoundedSemaphore(max(s.per_host, 1)))
        self._lock = threading.Lock()
        self._robots: dict[str, tuple[float, urllib.robotparser.RobotFileParser | None]] = {}

    def close(self) -> None:
        self._client.close()

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> Page:
        """The answer to a GET of ``url`` (redirects followed); 304 is returned, other non-2xx
        statuses raise HTTP_STATUS, network trouble FETCH_FAILED."""
        if self.settings.robots:
            self._check_robots(url)
        seen = 0
        current = url
        while True:
            page, location = self._get(current, headers)
            if location is None:
                break
            seen += 1
            if seen > self.settings.max_redirects:
                raise errors.error(errors.TOO_MANY_REDIRECTS, report_id=url, url=url,
                                   limit=self.settings.max_redirects)
            current = location
            if self.settings.robots:
                self._check_robots(current)
        if page.status == 304:
            return page
        if not 200 <= page.status < 300:
            raise errors.error(errors.HTTP_STATUS, report_id=url, url=url, status=page.status)
        return page

    def _get(self, url: str, headers: dict[str, str] | None) -> tuple[Page, str | None]:
        import httpx

        s = self.settings
        host = urlsplit(url).netloc.lower()
        with self._hosts_lock(host):
            start = time.monotonic()
            try:
                with self._client.stream("GET", url, headers=headers) as response:
                    if response.is_redirect:
                        location = str(response.url.join(response.headers["location"]))
                        return Page(url, response.status_code, b""), location
                    length = response.headers.get("content-length", "")
                    if length.isdigit() and int(length) > s.max_bytes:
                        raise errors.error(errors.DOWNLOAD_TOO_LARGE, report_id=url, url=url,
                                           limit=s.max_bytes)
                    body = bytearray()
                    for chunk in response.iter_raw():
                        body += chunk
                        if len(body) > s.max_bytes:
                            raise errors.error(errors.DOWNLOAD_TOO_LARGE, report_id=url,
                                               url=url, limit=s.max_bytes)
                        if time.monotonic() - start > s.deadline:
                            raise errors.error(errors.FETCH_FAILED, report_id=url, url=url,
                                               detail=f"no complete answer in {s.deadline:g} s")
                    data = _decode_content(bytes(body), response.headers, url, s.max_bytes)
                    return Page(str(response.url), response.status_code, data,
                                response.headers.get("content-type", ""),
                                _http_date(response.headers.get("last-modified")),
                                response.headers.get("etag"), dict(response.headers)), None
            except httpx.HTTPError as exc:
                detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
                raise errors.error(errors.FETCH_FAILED, report_id=url, url=url,
                                   detail=detail) from None

    def _hosts_lock(self, host: str) -> threading.BoundedSemaphore:
        with self._lock:
            return self._hosts[host]

    def _check_robots(self, url: str) -> None:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        now = time.monotonic()
        with self._lock:
            cached = self._robots.get(origin)
        if cached is None or cached[0] < now:
            cached = self._load_robots(origin, now)
            with self._lock:
                self._robots[origin] = cached
        parser = cached[1]
        if parser is None:  # robots.txt unreachable or failing: fetch nothing there for now
            raise errors.error(errors.FETCH_FAILED, report_id=url, url=url,
                               detail=f"{origin}/robots.txt could not be read")
        if not parser.can_fetch(ROBOTS_AGENT, url):
            raise errors.error(errors.ROBOTS_DISALLOWED, report_id=url, host=parts.netloc,
                               url=url)

    def _load_robots(self, origin: str, now: float
                     ) -> tuple[float, urllib.robotparser.RobotFileParser | None]:
        """RFC 9309: a 4xx robots.txt allows everything; a 5xx or no answer allows nothing."""
        parser = urllib.robotparser.RobotFileParser()
        try:
            page, location = self._get(origin + "/robots.txt", None)
            if location is not None:  # one redirect, as robots files often move to https
                page, _ = self._get(location, None)
        except errors.SitrepError as exc:
            log.info("robots.txt of %s: %s", origin, exc.message)
            return now + self.settings.robots_retry, None
        if page.status >= 500:
            return now + self.settings.robots_retry, None
        if page.status >= 400:
            parser.allow_all = True
        else:
            parser.parse(page.body.decode("utf-8", "replace").splitlines())
        return now + ROBOTS_TTL_S, parser


def _decode_content(data: bytes, headers: object, url: str, limit: int) -> bytes:
    """Undo a gzip or deflate Content-Encoding under the same size cap as the raw body."""
    import zlib

    encoding = getattr(headers, "get", lambda *_: "")("content-encoding", "") or ""
    encoding = encoding.lower().strip()
    if encoding not in ("gzip", "x-gzip", "deflate"):
        return data
    wbits = 31 if "gzip" in encoding else 15
    decoder = zlib.decompressobj(wbits)
    try:
        out = decoder.decompress(data, limit + 1)
    except zlib.error as exc:
        raise errors.error(errors.FETCH_FAILED, report_id=url, url=url,
                           detail=f"bad {encoding} encoding: {exc}") from None
    if len(out) > limit or decoder.unconsumed_tail:
        raise errors.error(errors.DOWNLOAD_TOO_LARGE, report_id=url, url=url, limit=limit)
    return out


def _http_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return parsedate_to_datetime(value).date()
    except (TypeError, ValueError, IndexError):
        return None


_default: Fetcher | None = None
_default_lock = threading.Lock()


def default_fetcher() -> Fetcher:
    """The process's fetcher, made on first use (so reading files never imports httpx)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = Fetcher()
        return _default
