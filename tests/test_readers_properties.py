"""Property-based tests of the readers: any bytes, any supported encoding, JSONL lines of any
length around every buffer size give one result per input, in order, never an exception."""

from __future__ import annotations

import io
import json

from hypothesis import given
from hypothesis import strategies as st

from sitrep import errors
from sitrep.records import Report
from sitrep.sources import clean_text, read_stream

ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"]
# The readers' buffer sizes: the sniff window, the encoding sample, the JSONL chunk.
BUFFERS = [512, 4096, 65536]
texts = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=200)


def _read(data: bytes, suffix: str = "") -> list[Report | errors.SitrepError]:
    return list(read_stream(io.BytesIO(data), "<stdin>", suffix=suffix))


@given(st.binary(max_size=3000), st.sampled_from(["", ".txt", ".jsonl", ".html"]))
def test_readers_any_bytes_give_results_not_exceptions(data: bytes, suffix: str) -> None:
    for item in _read(data, suffix):
        assert isinstance(item, Report | errors.SitrepError)
        if isinstance(item, errors.SitrepError):
            assert item.code in errors.MESSAGES
        else:
            assert isinstance(item.text, str) and "\x00" not in item.text


@given(st.lists(texts, min_size=1, max_size=5), st.sampled_from(ENCODINGS))
def test_readers_jsonl_any_encoding_round_trips(bodies: list[str], encoding: str) -> None:
    data = "".join(json.dumps({"id": f"r{i}", "text": t}) + "\n" for i, t in enumerate(bodies))
    items = _read(data.encode(encoding))
    assert [i.id for i in items] == [f"r{i}" for i in range(len(bodies))]
    assert [i.text for i in items] == [clean_text(t) for t in bodies]


@given(st.lists(st.tuples(st.sampled_from(BUFFERS), st.integers(-48, 48)), min_size=1,
                max_size=4), st.booleans())
def test_readers_jsonl_lines_around_buffer_sizes(sizes: list[tuple[int, int]],
                                                 final_newline: bool) -> None:
    lines = []
    for i, (buffer, delta) in enumerate(sizes):
        head = json.dumps({"id": f"r{i}", "text": ""})
        pad = max(buffer + delta - len(head), 1)
        lines.append(json.dumps({"id": f"r{i}", "text": "x" * pad}))
    data = "\n".join(lines) + ("\n" if final_newline else "")
    items = _read(data.encode())
    assert [i.id for i in items] == [f"r{i}" for i in range(len(sizes))]


@given(texts, st.sampled_from(ENCODINGS + ["cp1252"]))
def test_readers_text_any_encoding(text: str, encoding: str) -> None:
    try:
        data = ("Report: " + text).encode(encoding)
    except UnicodeEncodeError:
        return
    [item] = _read(data, ".txt")
    if isinstance(item, Report):
        assert "\x00" not in item.text
    else:
        assert item.code in {errors.BAD_ENCODING, errors.NOT_TEXT, errors.EMPTY_TEXT}
