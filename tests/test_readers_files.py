"""Files and stdin: text, HTML and JSONL, sniffed when the suffix does not say."""

from __future__ import annotations

import io
import sys
import time
import tracemalloc
from datetime import date
from pathlib import Path

import pytest

from sitrep import errors
from sitrep.records import Report
from sitrep.sources import InputError, read_paths, sniff_kind

REPORT = (
    "Armed men attacked a police post on the outskirts of the town early on Sunday, killing "
    "two officers before fleeing into the forest, the regional governor said."
)
PAGE = """<!DOCTYPE html>
<html><head><title>Police post attacked</title>
<meta property="article:published_time" content="2024-02-11T07:00:00Z">
<script>var tracking = "do not read me";</script></head>
<body><nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article><h1>Police post attacked</h1>
<p>{report}</p>
<p>Residents said the gunfire lasted for nearly an hour, and that reinforcements arrived only
after the attackers had left. The governor ordered an investigation into the attack.</p>
</article><footer>Copyright Example News. All rights reserved.</footer></body></html>
""".replace("{report}", REPORT)


def _one(path: Path, **kwargs) -> Report | errors.SitrepError:
    (item,) = list(read_paths([str(path)], **kwargs))
    return item


def test_readers_text_file(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text(REPORT, encoding="utf-8")
    report = _one(path, published=date(2024, 2, 11))
    assert isinstance(report, Report)
    assert report.text == REPORT and report.source == str(path)
    assert report.id.startswith("sha1:") and report.published == date(2024, 2, 11)


def test_readers_html_file_strips_boilerplate_and_keeps_metadata(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    report = _one(path, published=date(2020, 1, 1))
    assert isinstance(report, Report)
    assert "killing two officers" in report.text
    assert "tracking" not in report.text and "All rights reserved" not in report.text
    assert report.title == "Police post attacked"
    assert report.published == date(2024, 2, 11)  # the page's own date wins


def test_readers_html_is_sniffed_without_suffix(tmp_path: Path) -> None:
    path = tmp_path / "download"
    path.write_text(PAGE, encoding="utf-8")
    report = _one(path)
    assert isinstance(report, Report) and "<p>" not in report.text


@pytest.mark.parametrize(
    "html",
    [
        "<html><body><p>Rebels shelled the market on Monday <b>killing three",
        "<div><p>Rebels shelled the market</div></span></p> on Monday killing three</td>",
        "<p>Rebels shelled the market on Monday<p>killing three<<>>",
    ],
)
def test_readers_malformed_html_best_effort(tmp_path: Path, html: str) -> None:
    path = tmp_path / "broken.html"
    path.write_text(html, encoding="utf-8")
    report = _one(path)
    assert isinstance(report, Report)
    assert "Rebels shelled the market" in report.text and "<p>" not in report.text


@pytest.mark.parametrize("html", ["<html><head><script>x=1</script></head><body></body></html>",
                                  "<html><body><img src='a.png'></body></html>"])
def test_readers_html_without_text(tmp_path: Path, html: str) -> None:
    path = tmp_path / "empty.html"
    path.write_text(html, encoding="utf-8")
    item = _one(path)
    assert isinstance(item, errors.SitrepError) and item.code == errors.BAD_HTML


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", errors.EMPTY_TEXT),
        (b"  \n\t\n", errors.EMPTY_TEXT),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", errors.NOT_TEXT),
        (bytes(range(128, 256)) * 8, errors.BAD_ENCODING),
        (b"\xc3\x28 broken \xa0\xa1 sequence \xf0\x28\x8c\x28 \x81\x8d\x8f", errors.BAD_ENCODING),
    ],
)
def test_readers_bad_file_contents(tmp_path: Path, data: bytes, code: str) -> None:
    path = tmp_path / "input.txt"
    path.write_bytes(data)
    item = _one(path)
    assert isinstance(item, errors.SitrepError)
    assert item.code == code and item.report_id == str(path)


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "utf-16", "utf-8-sig"])
def test_readers_legacy_encodings_that_read_as_text(tmp_path: Path, encoding: str) -> None:
    text = "Protesters gathered in the café district of the capital on São Tomé's national day."
    path = tmp_path / "legacy.txt"
    path.write_bytes(text.encode(encoding))
    report = _one(path)
    assert isinstance(report, Report) and report.text == text


def test_readers_huge_file_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    line = (REPORT + "\n").encode()
    with path.open("wb") as out:
        for _ in range(50_000_000 // len(line) + 1):
            out.write(line)
    assert path.stat().st_size >= 50_000_000
    tracemalloc.start()
    started = time.perf_counter()
    item = _one(path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert isinstance(item, errors.SitrepError) and item.code == errors.TOO_LARGE
    assert peak < 5_000_000
    assert time.perf_counter() - started < 5


@pytest.mark.parametrize(
    ("head", "suffix", "kind"),
    [
        (b'{"id": "a", "text": "x"}\n', "", "jsonl"),
        (b'{"id": "a", "text": "x"}\n', ".txt", "text"),
        (b"<!doctype html><html>", "", "html"),
        (b"Plain text with a < sign", "", "text"),
        (b"anything", ".ndjson", "jsonl"),
        (b"anything", ".HTM", "html"),
        (b"{not json} said the report", "", "text"),
    ],
)
def test_readers_sniff_kind(head: bytes, suffix: str, kind: str) -> None:
    assert sniff_kind(head, suffix) == kind


def test_readers_stdin_dash_and_default(monkeypatch: pytest.MonkeyPatch) -> None:
    for paths in (["-"], None):
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(REPORT.encode())))
        (report,) = list(read_paths(paths))
        assert isinstance(report, Report) and report.text == REPORT


def test_readers_inputs_keep_order_across_files(tmp_path: Path) -> None:
    first = tmp_path / "a.txt"
    first.write_text(REPORT, encoding="utf-8")
    lines = tmp_path / "b.jsonl"
    lines.write_text('{"id": "x", "text": "one"}\nbroken\n{"id": "y", "text": "two"}\n')
    items = list(read_paths([str(first), str(lines), str(first)]))
    ids = [getattr(i, "id", None) or i.report_id for i in items]
    assert ids[1:4] == ["x", "line-2", "y"] and ids[0] == ids[4]


@pytest.mark.parametrize("make", ["missing"])  # folders are read since issue 17
def test_readers_unreadable_path_is_a_usage_error(tmp_path: Path, make: str) -> None:
    path = tmp_path / "nope"
    if make == "directory":
        path.mkdir()
    with pytest.raises(InputError):
        list(read_paths([str(path)]))
