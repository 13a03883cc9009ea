"""Readers on stdin-like streams: the input kind from the whole first line, the encoding decided
once a stream, numbers as ids, stray control characters dropped (issue 14, items 1 and 7)."""

from __future__ import annotations

import io
import json

import pytest

from sitrep import errors
from sitrep.records import Report
from sitrep.sources import read_stream

TEXT = "Two people were killed when shelling hit a market in Kharkiv on Monday, police said. "


def _lines(n: int, size: int) -> str:
    text = (TEXT * (size // len(TEXT) + 1))[:size]
    return "".join(json.dumps({"id": f"r{i}", "text": f"Report {i}. {text}"}) + "\n"
                   for i in range(n))


def _ids(data: bytes, suffix: str = "") -> list[str]:
    items = list(read_stream(io.BytesIO(data), "<stdin>", suffix=suffix))
    return [item.id if isinstance(item, Report) else f"{item.code}:{item.report_id}"
            for item in items]


@pytest.mark.parametrize("size", [100, 4_000, 4_096, 4_200, 6_200, 70_000, 200_000])
def test_readers_stdin_jsonl_long_first_line(size: int) -> None:
    assert _ids(_lines(3, size).encode()) == ["r0", "r1", "r2"]


def test_readers_stdin_long_first_line_without_newline_is_one_line() -> None:
    data = _lines(1, 9_000).rstrip("\n").encode()
    assert _ids(data) == ["r0"]


def test_readers_stdin_text_starting_with_brace_stays_text() -> None:
    data = ("{note} " + TEXT * 100).encode()
    [report] = read_stream(io.BytesIO(data), "<stdin>")
    assert isinstance(report, Report) and report.text.startswith("{note}")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"])
def test_readers_stream_encoding_jsonl(encoding: str) -> None:
    data = _lines(3, 300).replace("Kharkiv", "Kharkiv – Харків").encode(encoding)
    items = list(read_stream(io.BytesIO(data), "<stdin>"))
    assert [i.id for i in items] == ["r0", "r1", "r2"]
    assert all("Харків" in i.text for i in items)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_readers_stream_encoding_text(encoding: str) -> None:
    [report] = read_stream(io.BytesIO((TEXT * 3).encode(encoding)), "x.txt", suffix=".txt")
    assert isinstance(report, Report) and report.text == TEXT * 3


@pytest.mark.parametrize(("value", "expected"), [(42, "42"), (0, "0"), (-7, "-7"),
                                                 (3.5, "3.5")])
def test_readers_jsonl_number_id_is_kept_as_a_string(value: object, expected: str) -> None:
    data = json.dumps({"id": value, "text": TEXT}).encode() + b"\n"
    assert _ids(data) == [expected]


def test_readers_stray_nul_is_dropped_not_refused() -> None:
    data = json.dumps({"id": "n", "text": TEXT + "\x00" + TEXT}).encode() + b"\n"
    [report] = read_stream(io.BytesIO(data), "<stdin>")
    assert isinstance(report, Report) and report.text == TEXT + TEXT
    [plain] = read_stream(io.BytesIO((TEXT + "\x00\x1b" + TEXT).encode()), "a.txt")
    assert isinstance(plain, Report) and plain.text == TEXT + TEXT


def test_readers_binary_is_still_refused() -> None:
    [item] = read_stream(io.BytesIO(bytes(range(256)) * 40), "blob.bin")
    assert isinstance(item, errors.SitrepError) and item.code == errors.NOT_TEXT


@pytest.mark.parametrize("command", [["extract", "--format", "jsonl"],
                                     ["extract", "-", "--format", "jsonl"]])
def test_readers_cli_stdin_long_jsonl_lines(command, capsys, monkeypatch, pipeline) -> None:
    from sitrep.cli import main

    data = _lines(3, 6_100)
    assert len(data.splitlines()[0]) > 6_100
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data.encode())))
    assert main(command) == 0
    results = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["id"] for r in results] == ["r0", "r1", "r2"]


def test_readers_cli_ingest_stdin_long_jsonl_lines(tmp_path, capsys, monkeypatch,
                                                   pipeline) -> None:
    from sitrep.cli import main

    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(_lines(3, 6_100).encode())))
    # The three texts share all but their first words: near-duplicates to the dedup stage,
    # which this test of the reader leaves out.
    assert main(["ingest", "--db", str(tmp_path / "s.db"), "--format", "jsonl",
                 "--no-dedup"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["id"], r["status"]) for r in lines] == [("r0", "stored"), ("r1", "stored"),
                                                       ("r2", "stored")]
