"""The new sources through the command line: folders, --urls, per-item errors, exit status."""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "data" / "sources"))
from feedserver import FeedServer  # noqa: E402

from sitrep.cli import main  # noqa: E402

REPORT = ("Russian missiles struck an apartment block in Kharkiv on Monday, killing three "
          "civilians and injuring twelve others, the regional governor said.")


def _lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines()]


def test_cli_sources_extract_folder_with_errors_in_place(tmp_path, capsys, pipeline) -> None:
    folder = tmp_path / "in"
    (folder / "tg").mkdir(parents=True)
    (folder / "a.jsonl.gz").write_bytes(gzip.compress(
        json.dumps({"id": "a", "text": REPORT, "published": "2024-05-06"}).encode() + b"\n"))
    (folder / "tg" / "result.json").write_text(json.dumps({
        "name": "Chan", "type": "public_channel", "id": 5, "messages": [
            {"id": 1, "type": "message", "date": "2024-05-06T09:00:00", "text": ""}]}))
    status = main(["extract", str(folder), "--format", "jsonl"])
    out, err = capsys.readouterr()
    results = _lines(out)
    assert status == 1
    assert [r["id"] for r in results] == ["a", "Chan#1"]
    assert results[0]["events"] and results[1]["error"]["code"] == "E028"
    assert "E028" in err


def test_cli_sources_ingest_urls(tmp_path, capsys, monkeypatch, pipeline) -> None:
    monkeypatch.chdir(tmp_path)
    with FeedServer(items=2) as server:
        urls = tmp_path / "urls.txt"
        urls.write_text(f"{server.url}/item/0\n{server.url}/item/1\n{server.url}/gone\n")
        status = main(["ingest", "--urls", str(urls), "--db", str(tmp_path / "s.db"),
                       "--format", "jsonl"])
    out, err = capsys.readouterr()
    assert status == 1
    lines = _lines(out)  # one line per URL, in order, the failed one included
    assert [r["status"] for r in lines] == ["stored", "stored", "failed"]
    assert lines[2]["error"]["code"] == "E029"
    assert "2 stored" in err and "E029" in err


def test_cli_sources_watch_once(tmp_path, capsys) -> None:
    with FeedServer(items=3) as server:
        sources = tmp_path / "sources.txt"
        sources.write_text(f"urls {tmp_path / 'pages.txt'}\n")
        (tmp_path / "pages.txt").write_text(f"{server.url}/item/0\n")
        assert main(["watch", str(sources), "--once", "--db", str(tmp_path / "w.db")]) == 0
    err = capsys.readouterr().err
    assert "1 new, 0 skipped, 0 failed" in err
    assert (tmp_path / "sources.txt.state.json").exists()


@pytest.mark.parametrize("args", [["watch", "nope.txt"], ["watch", "x", "--every", "soon"]])
def test_cli_sources_watch_usage_errors(args, capsys) -> None:
    assert main(args) == 2
    assert capsys.readouterr().err.count("\n") == 1
