"""`sitrep gazetteer download`: fetch, unpack and load GeoNames country dumps (no network: a
local HTTP server plays GeoNames)."""

from __future__ import annotations

import http.server
import sys
import threading
import types
import zipfile
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest

from sitrep.cli import main
from sitrep.places.download import DownloadError, download

PLACE_ROW = "\t".join(["9100001", "Testivka", "Testivka", "Testiwka,Тестівка", "49.5", "31.2",
                       "P", "PPL", "UA", "", "18", "", "", "", "730", "", "150",
                       "Europe/Kyiv", "2024-01-01"]) + "\n"
ALT_ROW = "\t".join(["77", "9100001", "uk", "Тестівка", "1", "", "", "", "", ""]) + "\n"


def _zip(path: Path, member: str, text: str) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(member, text)


@pytest.fixture()
def geonames_site(tmp_path: Path) -> Iterator[str]:
    root = tmp_path / "site"
    (root / "alternatenames").mkdir(parents=True)
    _zip(root / "UA.zip", "UA.txt", PLACE_ROW)
    _zip(root / "alternatenames" / "UA.zip", "UA.txt", ALT_ROW)
    (root / "XX.zip").write_bytes(b"this is not a zip")
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *a, **k: None  # type: ignore[attr-defined]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_gazetteer_download_unpacks_places_and_alternate_names(geonames_site, tmp_path) -> None:
    dumps = download("ua", tmp_path / "dumps", url=geonames_site)
    assert [d.kind for d in dumps] == ["places", "alternate_names"]
    assert dumps[0].path.read_text(encoding="utf-8") == PLACE_ROW
    assert dumps[1].path.read_text(encoding="utf-8") == ALT_ROW
    assert not list((tmp_path / "dumps").glob("*.part"))


def test_gazetteer_download_without_alternate_names(geonames_site, tmp_path) -> None:
    dumps = download("UA", tmp_path / "d", alternate_names=False, url=geonames_site)
    assert [d.path.name for d in dumps] == ["UA.txt"]


@pytest.mark.parametrize(
    ("country", "message"),
    [("DE", "HTTP 404"), ("XX", "not a zip"), ("U1", "two-letter"), ("", "two-letter")],
)
def test_gazetteer_download_failures_say_why(geonames_site, tmp_path, country, message) -> None:
    with pytest.raises(DownloadError, match=message):
        download(country, tmp_path / "d", url=geonames_site)
    assert not (tmp_path / "d" / f"{country}.txt").exists()


def test_gazetteer_download_offline_points_to_load(tmp_path) -> None:
    with pytest.raises(DownloadError, match="gazetteer load"):
        download("UA", tmp_path / "d", url="http://127.0.0.1:9", timeout=2)


def test_cli_gazetteer_download_loads_each_dump(geonames_site, tmp_path, capsys,
                                                monkeypatch) -> None:
    loaded = []
    fake = types.ModuleType("sitrep.places.index")
    fake.load = lambda path, *rest: loaded.append((Path(path).name, *rest)) or 1
    monkeypatch.setitem(sys.modules, "sitrep.places.index", fake)
    status = main(["gazetteer", "download", "UA", "--dest", str(tmp_path / "g"),
                   "--url", geonames_site])
    assert status == 0
    assert loaded == [("UA.txt", "geonames", None, None),
                      ("alternateNames_UA.txt", "geonames", None, None)]
    assert "alternate name" in capsys.readouterr().out


def test_cli_gazetteer_download_offline_exits_1(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("SITREP_GEONAMES_URL", "http://127.0.0.1:9")
    status = main(["gazetteer", "download", "UA", "--dest", str(tmp_path / "g")])
    assert status == 1
    err = capsys.readouterr().err
    assert "cannot fetch" in err and "Traceback" not in err


def test_gazetteer_alternate_names_attach_to_loaded_places(tmp_path) -> None:
    from sitrep.places.build import create_empty
    from sitrep.places.geocode import geocode
    from sitrep.places.index import load
    from sitrep.places.loaders import geonames_kind

    places, names = tmp_path / "ZZ.txt", tmp_path / "alternateNames_ZZ.txt"
    places.write_text(PLACE_ROW, encoding="utf-8")
    names.write_text(
        ALT_ROW
        + "\t".join(["78", "9100001", "en", "Testiwka-upon-Sea", "", "", "", "", "", ""]) + "\n"
        + "\t".join(["79", "9100001", "link", "https://example.org/Testivka"]) + "\n"
        + "\t".join(["80", "9100001", "post", "09999"]) + "\n"
        + "\t".join(["81", "5550000", "en", "Nowhere Known"]) + "\n"
        + "not a row\n", encoding="utf-8")
    assert geonames_kind(places) == "places" and geonames_kind(names) == "alternate_names"
    gaz = create_empty(tmp_path / "g.sqlite")
    assert load(places, "geonames", gazetteer=gaz) == 1
    assert geocode("Testiwka-upon-Sea", gaz)["lat"] is None
    added = load(names, "geonames", gazetteer=gaz)
    assert added >= 1
    found = geocode("Testiwka-upon-Sea", gaz)
    assert found["geonameid"] == 9100001 and found["lat"] == pytest.approx(49.5)
    assert load(names, "geonames", gazetteer=gaz) == 0  # the same file twice changes nothing
    assert geocode("Nowhere Known", gaz)["lat"] is None  # no point for a place never loaded
    assert not gaz.lookup("09999")  # postcodes and links are not names
    gaz.close()
