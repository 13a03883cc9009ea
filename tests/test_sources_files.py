"""Sources recognised by content in files and on stdin: folders, gzip, WARC, feeds, Telegram."""

from __future__ import annotations

import gzip
import io
import json
from datetime import date
from pathlib import Path

import pytest

from sitrep import errors
from sitrep.records import Report
from sitrep.sources import read_paths, read_stream

ARTICLE = ("Russian missiles struck an apartment block in Kharkiv on Monday, killing three "
           "civilians and injuring twelve others, the regional governor said.")


def _items(paths: list[str]) -> list[Report | errors.SitrepError]:
    return list(read_paths(paths))


def _codes(items: list[Report | errors.SitrepError]) -> list[str]:
    return ["ok" if isinstance(i, Report) else i.code for i in items]


def _warc(records: list[tuple[str, str, str]], compress: bool = False) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=compress)
    for uri, ctype, body in records:
        headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            uri, "response", payload=io.BytesIO(body.encode()), http_headers=headers))
    return out.getvalue()


def _page(title: str, text: str) -> str:
    return (f"<html><head><title>{title}</title></head><body><nav>Home | World | Sport</nav>"
            f"<article><h1>{title}</h1><p>{text}</p></article><footer>(c) Paper</footer>"
            "</body></html>")


def test_sources_directory_is_read_recursively_in_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a.txt").write_text(ARTICLE)
    (tmp_path / "b" / "c.jsonl").write_text('{"id": "c1", "text": "one"}\n')
    (tmp_path / "b" / "d.html.gz").write_bytes(gzip.compress(_page("D", ARTICLE).encode()))
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    (tmp_path / ".hidden.txt").write_text("secret")
    items = _items([str(tmp_path)])
    assert _codes(items) == ["ok", "ok", "ok"]
    assert items[1].id == "c1" and items[2].title == "D"


def test_sources_gzip_jsonl_file_and_stdin(tmp_path: Path) -> None:
    data = gzip.compress(b'{"id": "x", "text": "one"}\n{"id": "y", "text": "two"}\n')
    path = tmp_path / "r.jsonl.gz"
    path.write_bytes(data)
    assert [i.id for i in _items([str(path)])] == ["x", "y"]
    assert [i.id for i in read_stream(io.BytesIO(data), "<stdin>")] == ["x", "y"]


def test_sources_gzip_bomb_is_a_per_item_error(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.jsonl.gz"
    bomb.write_bytes(gzip.compress(b'{"id": "a", "text": "one"}\n' + b" " * (300 << 20)))
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE)
    items = _items([str(bomb), str(good)])
    assert _codes(items) == ["ok", errors.GZIP_BOMB, "ok"]


def test_sources_warc_html_responses_with_url_and_date(tmp_path: Path) -> None:
    data = _warc([("https://news.example/a", "text/html; charset=utf-8", _page("A", ARTICLE)),
                  ("https://news.example/logo.png", "image/png", "PNG"),
                  ("https://news.example/b", "text/html", _page("B", ARTICLE + " Later."))],
                 compress=True)
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(data)
    items = _items([str(path)])
    assert _codes(items) == ["ok", "ok"]
    assert items[0].url == "https://news.example/a" and items[0].title == "A"
    assert "Kharkiv" in items[0].text and "Home | World" not in items[0].text
    assert isinstance(items[0].published, date)


def test_sources_truncated_warc_record_is_an_error_and_the_run_goes_on(tmp_path: Path) -> None:
    data = _warc([("https://n.example/1", "text/html", _page("One", ARTICLE)),
                  ("https://n.example/2", "text/html", _page("Two", ARTICLE))])
    path = tmp_path / "cut.warc"
    path.write_bytes(data[:-150])
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE)
    items = _items([str(path), str(good)])
    assert _codes(items) == ["ok", errors.BAD_WARC, "ok"]


FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>
<item><title>Strike</title><pubDate>Mon, 06 May 2024 10:00:00 GMT</pubDate>
<description>{text}</description></item>
<item><title></title><description></description></item>
</channel></rss>"""


def test_sources_feed_file_entries_and_an_empty_entry(tmp_path: Path) -> None:
    long_text = " ".join([ARTICLE] * 6)
    path = tmp_path / "wire.xml"
    path.write_text(FEED.format(text=long_text))
    items = _items([str(path)])
    assert _codes(items) == ["ok", errors.EMPTY_ENTRY]
    assert items[0].published == date(2024, 5, 6) and items[0].title == "Strike"


def _telegram(username: str | None = "warnews") -> dict:
    export = {"name": "War News", "type": "public_channel", "id": 1001, "messages": [
        {"id": 7, "type": "message", "date": "2024-05-06T09:30:00",
         "text": ["Missiles hit ", {"type": "bold", "text": "Kharkiv"}, ", three killed."]},
        {"id": 8, "type": "service", "action": "pin_message", "text": ""},
        {"id": 9, "type": "message", "date": "2024-05-06T10:00:00", "text": "",
         "photo": "photos/photo_1.jpg"},
        {"id": 10, "type": "message", "date": "2024-05-07T10:00:00", "text": ARTICLE},
    ]}
    if username:
        export["username"] = username
    return export


@pytest.mark.parametrize("username", ["warnews", None])
def test_sources_telegram_export(tmp_path: Path, username: str | None) -> None:
    path = tmp_path / "result.json"
    path.write_text(json.dumps(_telegram(username), indent=1, ensure_ascii=False))
    items = _items([str(path)])
    assert _codes(items) == ["ok", errors.NO_MESSAGE_TEXT, "ok"]
    first = items[0]
    assert first.text == "Missiles hit Kharkiv, three killed."
    assert first.published == date(2024, 5, 6) and first.source == "War News"
    assert first.url == (f"https://t.me/{username}/7" if username else None)
