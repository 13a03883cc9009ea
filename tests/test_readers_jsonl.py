"""JSONL input: one report a line, a coded error in place of each bad line, the run goes on."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest

from sitrep import errors
from sitrep.config import Settings
from sitrep.records import Report
from sitrep.sources import read_stream, report_from_dict

TEXT = "Security forces dispersed protesters with tear gas in the capital on Saturday."


def _read(lines: list[bytes], **kwargs) -> list[Report | errors.SitrepError]:
    data = b"\n".join(lines) + b"\n"
    return list(read_stream(io.BytesIO(data), "input.jsonl", suffix=".jsonl", **kwargs))


def _line(**fields) -> bytes:
    return json.dumps(fields).encode()


def test_readers_jsonl_fields() -> None:
    (report,) = _read([_line(id="r1", text=TEXT, published="2024-05-04", source="Wire",
                             url="https://example.org/a", title="Protest dispersed")])
    assert report == Report("r1", TEXT, date(2024, 5, 4), "Wire", "https://example.org/a",
                            "Protest dispersed")


def test_readers_jsonl_missing_id_uses_content_hash() -> None:
    (report,) = _read([_line(text=TEXT)])
    assert report.id.startswith("sha1:")


def test_readers_jsonl_default_published_only_fills_gaps() -> None:
    default = date(2023, 1, 1)
    own, given = _read([_line(id="a", text=TEXT, published="2024-05-04"), _line(id="b", text=TEXT)],
                       published=default)
    assert own.published == date(2024, 5, 4)
    assert given.published == default


@pytest.mark.parametrize(
    ("line", "code", "report_id"),
    [
        (b"not json at all", errors.BAD_JSON, "line-2"),
        (b'{"id": "r9", "text": "unterminated', errors.BAD_JSON, "r9"),
        (b"[1, 2, 3]", errors.BAD_JSON, "line-2"),
        (b'"just a string"', errors.BAD_JSON, "line-2"),
        (_line(id="r2"), errors.BAD_FIELD, "r2"),
        (_line(id="r3", text=42), errors.BAD_FIELD, "r3"),
        (_line(id="r4", text=None), errors.BAD_FIELD, "r4"),
        (_line(id=["r1"], text=TEXT), errors.BAD_FIELD, "line-2"),
        (_line(id=True, text=TEXT), errors.BAD_FIELD, "line-2"),
        (_line(id="r5", text=TEXT, source=["a"]), errors.BAD_FIELD, "r5"),
        (_line(id="r6", text=TEXT, published="2023-02-30"), errors.BAD_DATE, "r6"),
        (_line(id="r7", text=TEXT, published="2023-13-01"), errors.BAD_DATE, "r7"),
        (_line(id="r8", text=TEXT, published="yesterday"), errors.BAD_DATE, "r8"),
        (_line(id="r10", text=TEXT, published=20230322), errors.BAD_DATE, "r10"),
        (b'{"id": "r11", "text": "caf\xe9"}', errors.BAD_ENCODING, "line-2"),
    ],
)
def test_readers_jsonl_bad_line_in_place(line: bytes, code: str, report_id: str) -> None:
    items = _read([_line(id="first", text=TEXT), line, _line(id="last", text=TEXT)])
    assert len(items) == 3
    first, bad, last = items
    assert isinstance(first, Report) and first.id == "first"
    assert isinstance(last, Report) and last.id == "last"
    assert isinstance(bad, errors.SitrepError)
    assert bad.code == code
    assert bad.report_id == report_id


def test_readers_jsonl_accepts_datetime_published() -> None:
    (report,) = _read([_line(id="a", text=TEXT, published="2024-05-04T08:30:00")])
    assert report.published == date(2024, 5, 4)


def test_readers_jsonl_blank_lines_are_skipped() -> None:
    items = _read([_line(id="a", text=TEXT), b"", b"   ", _line(id="b", text=TEXT)])
    assert [r.id for r in items] == ["a", "b"]


@pytest.mark.parametrize("words", [5_000, 40_000])  # within one read chunk, and across several
def test_readers_jsonl_oversized_line_is_refused_and_the_next_read(words: int) -> None:
    huge = _line(id="big", text="word " * words)
    items = _read([huge, _line(id="after", text=TEXT)], settings=Settings(max_bytes=100))
    assert isinstance(items[0], errors.SitrepError)
    assert items[0].code == errors.TOO_LARGE and items[0].report_id == "line-1"
    assert isinstance(items[1], Report) and items[1].id == "after"


def test_readers_report_from_dict_is_strict_about_types() -> None:
    with pytest.raises(errors.SitrepError) as info:
        report_from_dict({"id": "x", "text": TEXT, "title": 3}, line=1)
    assert info.value.code == errors.BAD_FIELD and info.value.report_id == "x"
