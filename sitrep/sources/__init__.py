"""Reading reports: plain text, HTML and JSONL files or stdin, into ``Report``s.

A reader never stops a run for one bad input: what cannot become a ``Report`` is yielded as a
coded ``SitrepError`` in its place, so results keep the input order. Only a path that cannot be
opened at all is a usage problem (``InputError``), which the CLI turns into exit status 2.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from sitrep import errors
from sitrep.config import Settings
from sitrep.records import Report

log = logging.getLogger(__name__)

JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
# HTML carries markup around its text: allow the raw file this many times the text limit.
HTML_OVERHEAD = 5
_CHUNK = 1 << 16
_SNIFF = 4096

# Words that make up a large share of any English running text, whatever its topic.
ENGLISH_WORDS = frozenset(
    "the of and to in a an is was were are be been being that for on with as by at from it its "
    "he she they his her their them this these those which who whom whose not but or has have "
    "had will would could should can may said says after over into than more when where while "
    "about also there out up we our you i if no one two all some other".split()
)
# Frequent function words of other languages sitrep is likely to be handed, none of them common
# English words, so they tell another language from English prose full of foreign names.
OTHER_WORDS = frozenset(
    # French
    "le la les des du une et est dans pour qui que sur par pas avec au aux ont sont ces cette été "
    "selon ils elle leur mais ou nous vous être "
    # Spanish / Portuguese / Italian
    "el los las del y en por para una es se su sus al lo como más fue han según pero este esta "
    "o os da do das dos em um uma não com foi il di della delle gli nel sono è non degli "
    # German / Dutch
    "der das und ist nicht mit dem ein eine zu von auf für sich wurde wurden bei nach het een "
    "van niet zijn wordt werd".split()
)
_WORD = re.compile(r"[^\W\d_]+")
_HTML_SNIFF = re.compile(rb"<!doctype html|<html[\s>]|<head[\s>]|<body[\s>]|<p[\s>]|<div[\s>]",
                         re.IGNORECASE)
# Characters that make text look like binary data: C0/C1 controls but layout whitespace, lone
# surrogates (undecodable bytes) and private-use code points.
_BINARY_CHARS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff]")


class InputError(Exception):
    """A path that cannot be read at all: a usage problem (exit 2), not a per-report error."""

    def __init__(self, path: str, detail: str) -> None:
        self.path = path
        self.detail = detail
        super().__init__(errors.MESSAGES[errors.UNREADABLE].format(path=path, detail=detail))


def content_id(text: str) -> str:
    """A short id that is the same for the same text, for reports given without one."""
    digest = hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()
    return f"sha1:{digest[:16]}"


# --- checks -----------------------------------------------------------------------------------


def _control_share(text: str) -> float:
    sample = text[:20_000]
    return len(_BINARY_CHARS.findall(sample)) / max(len(sample), 1)


def looks_binary(text: str) -> bool:
    return "\x00" in text or _control_share(text) > 0.05


def english_score(text: str, min_words: int = 20) -> float | None:
    """Share of function words that are English ones; None when the text is too short to judge.

    Counting only function words (not names or topic words) keeps English prose dense with
    foreign names English, and a text in another language with English names in it foreign.
    """
    words = _WORD.findall(text[:50_000])
    if len(words) < min_words:
        return None
    # Most words in another script (Cyrillic, Arabic, ...): not English, whatever it quotes.
    if sum(1 for w in words if not w.isascii() and not _latin(w)) > len(words) / 2:
        return 0.0
    english = other = 0
    for word in words:
        w = word.lower()
        if w in ENGLISH_WORDS:
            english += 1
        elif w in OTHER_WORDS:
            other += 1
    # Almost no function words of any kind (a list of names, headlines): nothing against English.
    return english / (english + other) if english + other >= 3 else 1.0


def _latin(word: str) -> bool:
    return unicodedata.name(word[0], "").startswith("LATIN")


def check_text(text: str, settings: Settings) -> None:
    """Refuse text the pipeline cannot code, with the coded error that says why."""
    if not text or not text.strip():
        raise errors.error(errors.EMPTY_TEXT)
    if looks_binary(text):
        raise errors.error(errors.NOT_TEXT)
    if len(text) > settings.max_bytes or len(text.encode("utf-8", "surrogatepass")) > (
        settings.max_bytes
    ):
        raise errors.error(errors.TOO_LARGE, limit=settings.max_bytes)
    score = english_score(text)
    if score is not None and score < settings.min_english_ratio:
        raise errors.error(errors.NOT_ENGLISH)


# --- decoding ---------------------------------------------------------------------------------


def _plausible_text(text: str) -> bool:
    """Whether a legacy-encoding decoding reads like text: mostly ASCII, the rest letters."""
    if not text:
        return False
    non_ascii = [ch for ch in text if ord(ch) > 127]
    if len(non_ascii) > 0.2 * len(text):
        return False
    odd = sum(1 for ch in non_ascii if not (ch.isalpha() or unicodedata.category(ch)[0] in "PZS"))
    return odd <= 0.1 * max(len(non_ascii), 1) and _control_share(text) < 0.01


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM, or UTF-16 with BOM), else Windows-1252 when it reads as text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise errors.error(errors.BAD_ENCODING) from None
    if b"\x00" in data:
        raise errors.error(errors.NOT_TEXT)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise errors.error(errors.BAD_ENCODING) from None
    if not _plausible_text(text):
        raise errors.error(errors.BAD_ENCODING)
    log.info("input is not UTF-8; read it as Windows-1252")
    return text


# --- JSONL ------------------------------------------------------------------------------------


def _parse_date(value: str) -> date:
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
    if report_id is not None and not isinstance(report_id, str):
        raise errors.error(errors.BAD_FIELD, report_id=where, field="id",
                           detail=f"expected a string, got {type(report_id).__name__}")
    text = d.get("text")
    if not isinstance(text, str):
        detail = "missing" if text is None else f"expected a string, got {type(text).__name__}"
        raise errors.error(errors.BAD_FIELD, report_id=report_id or where, field="text",
                           detail=detail)
    report_id = report_id or content_id(text)
    raw_date = d.get("published")
    if raw_date is not None:
        if not isinstance(raw_date, str):
            raise errors.error(errors.BAD_DATE, report_id=report_id, value=raw_date)
        try:
            published = _parse_date(raw_date)
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


def read_jsonl(stream: IO[bytes], head: bytes = b"", published: date | None = None,
               settings: Settings | None = None) -> Iterator[Report | errors.SitrepError]:
    settings = settings or Settings()
    # A line holds the text escaped as JSON, which may take up to six bytes a character.
    limit = settings.max_bytes * 6 + 4096
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


# --- HTML -------------------------------------------------------------------------------------


def html_to_report(html: str, report_id: str | None, source: str | None,
                   published: date | None) -> Report:
    """The article text of a web page, its title and date when the page gives them."""
    import trafilatura

    text, title, page_date = "", None, None
    try:
        doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                          include_tables=False, favor_recall=True)
    except Exception:  # trafilatura raises assorted errors on broken markup
        log.debug("trafilatura failed on %s", source, exc_info=True)
        doc = None
    if doc is not None:
        text = (doc.text or "").strip()
        title = doc.title or None
        if doc.date:
            try:
                page_date = _parse_date(doc.date)
            except ValueError:
                page_date = None
    if not text:
        text = _html_fallback_text(html)
    if not text.strip():
        raise errors.error(errors.BAD_HTML, report_id=report_id or source)
    return Report(id=report_id or content_id(text), text=text, published=page_date or published,
                  source=source, title=title)


def _html_fallback_text(html: str) -> str:
    """Every visible text node: for pages too short or too broken for boilerplate removal."""
    try:
        import lxml.html

        root = lxml.html.fromstring(html)
    except Exception:
        return ""
    for bad in root.xpath("//script|//style|//noscript|//template"):
        bad.drop_tree()
    blocks = (" ".join(t.split()) for t in root.itertext())
    return "\n".join(b for b in blocks if b)


# --- files and stdin --------------------------------------------------------------------------


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
        text = decode(data)
        if kind == "html":
            yield html_to_report(text, None, name, published)
        else:
            yield Report(id=content_id(text), text=text, published=published, source=name)
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
