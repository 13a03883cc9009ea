"""``sitrep serve``'s HTTP API over a real store (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).parent / "data" / "store"))
from fixtures import BACKENDS, db_url, load  # noqa: E402

from sitrep.server import create_app  # noqa: E402
from sitrep.store import counts, open_store  # noqa: E402
from sitrep.store.db import head_revision  # noqa: E402

stubs = load("stubs")
TOKEN = "test-token"
AUTH = {"authorization": f"Bearer {TOKEN}"}
HERE = Path(__file__).resolve().parent
# (id, text, published): the stub extractor codes "PLACE; N killed; KIND" lines.
REPORTS = [
    ("k1", "Kharkiv; 8 killed; missile", "2024-05-01"),
    ("k2", "Kharkiv; 9 killed; missile", "2024-05-01"),
    ("o1", "Odesa; 2 killed; drone", "2024-05-03"),
    ("a1", "Aleppo; 12 killed; clash", "2024-05-05"),
    ("g1", "Gao; 30 killed; clash", "2024-06-01"),
    ("x1", "Kherson; 1 killed; missile\n<script>window.pwned = 1</script>"
           "<img src=x onerror=\"window.pwned = 2\">", "2024-06-03"),
]


def jsonl(rows: list[tuple[str, str, str]]) -> bytes:
    return "".join(json.dumps({"id": i, "text": t, "published": p, "source": f"Wire {i}",
                               "url": f"https://news.example/{i}"}) + "\n"
                   for i, t, p in rows).encode()


def make_client(url: str, **settings) -> TestClient:
    app = create_app(url, token=TOKEN, extractor=stubs.stub_extractor, **settings)
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture(params=BACKENDS)
def client(request, tmp_path):
    c = make_client(db_url(request.param, tmp_path))
    answer = c.post("/api/reports", content=jsonl(REPORTS),
                    headers={**AUTH, "content-type": "application/x-ndjson"})
    assert answer.status_code == 200, answer.text
    yield c
    c.app.state.sitrep.store.dispose()


def event_at(client, place: str) -> dict:
    found = [e for e in client.get("/api/events").json()["events"]
             if e["location"]["name"] == place]
    assert len(found) == 1
    return found[0]


def test_server_api_lists_with_filters_sort_and_cursor(client):
    everything = client.get("/api/events").json()
    assert [e["location"]["name"] for e in everything["events"]] == [
        "Kharkiv", "Odesa", "Aleppo", "Gao", "Kherson"]
    assert everything["next_cursor"] is None
    assert len(event_at(client, "Kharkiv")["sources"]) == 2  # k1 and k2 merged
    picked = client.get("/api/events", params={"type": "Battles", "min_fatalities": 20}).json()
    assert [e["location"]["name"] for e in picked["events"]] == ["Gao"]
    assert [e["location"]["name"] for e in client.get(
        "/api/events", params={"bbox": "30,45,40,51", "since": "2024-05-02"}).json()
        ["events"]] == ["Odesa", "Kherson"]
    assert [e["location"]["name"] for e in client.get(
        "/api/events", params={"q": "ALEPPO"}).json()["events"]] == ["Aleppo"]
    pages, cursor = [], None
    while True:
        page = client.get("/api/events", params={"sort": "-fatalities", "limit": 2,
                                                 **({"cursor": cursor} if cursor else {})}
                          ).json()
        pages.append([e["fatalities"]["best"] for e in page["events"]])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == [[30, 12], [8, 2], [1]]


def test_server_api_event_detail_has_sources_spans_history_and_reasons(client):
    kharkiv = event_at(client, "Kharkiv")
    detail = client.get(f"/api/events/{kharkiv['event_id']}").json()
    assert [s["document_id"] for s in detail["sources"]] == ["k1", "k2"]
    first = detail["sources"][0]
    assert first["text"].startswith("Kharkiv; 8 killed")
    assert first["spans"][0]["field"] == "trigger"
    assert first["url"] == "https://news.example/k1"
    assert [f["best"] for f in detail["figures"] if f["kind"] == "fatalities"] == [8, 9]
    assert detail["sources"][0]["how"] == {"seed": True}
    assert "score" in json.dumps(detail["sources"][1]["how"])
    assert detail["corrections"] == [] and detail["machine"]["event_id"] == kharkiv["event_id"]
    report = client.get("/api/reports/k2").json()
    assert report["events"] == [kharkiv["event_id"]] and report["source"] == "Wire k2"


def test_server_api_geojson_export_stats_health(client):
    points = client.get("/api/events.geojson", params={"country": "UA"}).json()
    assert {f["properties"]["event_type"] for f in points["features"]} == {
        "Explosions/Remote violence"}
    assert len(points["features"]) == 3
    csv = client.get("/api/export", params={"format": "acled-csv", "country": "SY"})
    assert csv.status_code == 200 and csv.text.count("\n") == 2 and "Aleppo" in csv.text
    parquet = client.get("/api/export", params={"format": "parquet"})
    assert parquet.content[:4] == b"PAR1"
    stats = client.get("/api/stats", params={"country": "UA"}).json()
    assert stats["events"] == 3 and stats["fatalities"] == 8 + 2 + 1  # 8: the lower report
    assert [b["key"] for b in stats["by_day"]] == ["2024-05-01", "2024-05-03", "2024-06-03"]
    assert client.get("/healthz").json() == {"status": "ok", "schema_version": head_revision()}
    assert client.get("/api/version").json()["schema_version"] == head_revision()


def test_server_api_ingest_reports_per_line(client):
    body = jsonl([("d1", "Dnipro; 3 killed; missile", "2024-07-01")]) + b"{not json\n" + \
        json.dumps({"id": "n1"}).encode() + b"\n"
    answer = client.post("/api/reports", content=body,
                         headers={**AUTH, "content-type": "application/x-ndjson"}).json()
    assert [(r["line"], r["status"]) for r in answer["results"]] == [
        (1, "stored"), (2, "failed"), (3, "failed")]
    assert [r["error"]["code"] for r in answer["results"][1:]] == ["E006", "E007"]
    again = client.post("/api/reports", json={"id": "d1", "text": "Dnipro; 3 killed; missile",
                                              "published": "2024-07-01", "source": "Wire d1",
                                              "url": "https://news.example/d1"},
                        headers=AUTH).json()
    assert again["results"][0]["status"] == "unchanged"


def test_server_api_writes_need_the_token(client):
    body = {"field": "fatalities", "value": 1}
    event_id = event_at(client, "Gao")["event_id"]
    no = client.post(f"/api/events/{event_id}/corrections", json=body)
    assert no.status_code == 401 and "Bearer" in no.json()["detail"]
    wrong = client.post(f"/api/events/{event_id}/corrections", json=body,
                        headers={"authorization": "Bearer nope"})
    assert wrong.status_code == 403
    assert client.post("/api/reports", json={"text": "x"}).status_code == 401
    assert "access-control-allow-origin" not in client.get(
        "/api/events", headers={"origin": "https://elsewhere.example"}).headers


@pytest.mark.parametrize("path,params,named", [
    ("/api/events", {"bbox": "1,2,3"}, "bbox"),
    ("/api/events", {"since": "notadate"}, "since"),
    ("/api/events", {"country": "Ukraine"}, "country"),
    ("/api/events", {"min_fatalities": "-1"}, "min_fatalities"),
    ("/api/events", {"cursor": "garbage"}, "cursor"),
    ("/api/events", {"sort": "sideways"}, "sort"),
    ("/api/stats", {"until": "2024-13-01"}, "until"),
    ("/api/export", {"format": "xlsx"}, "format"),
])
def test_server_api_invalid_filters_name_the_parameter(client, path, params, named):
    answer = client.get(path, params=params)
    assert answer.status_code == 422
    assert answer.json()["detail"].startswith(named)


def test_server_api_bad_input_is_a_clear_4xx_and_changes_nothing(client, tmp_path):
    before = counts(client.app.state.sitrep.store)
    event_id = event_at(client, "Gao")["event_id"]
    assert client.get("/api/events/no-such-event").status_code == 404
    assert "S007" in client.get("/api/events/no-such-event").json()["detail"]
    assert client.get("/api/reports/no-such-report").status_code == 404
    malformed = client.post("/api/reports", content=b'{"id": "m1", "text": ',
                            headers={**AUTH, "content-type": "application/json"})
    assert malformed.status_code == 400 and "not valid JSON" in malformed.json()["detail"]
    huge = client.post("/api/reports", content=b"x" * (50 * 1024 * 1024),
                       headers={**AUTH, "content-type": "application/x-ndjson"})
    assert huge.status_code == 413 and "larger than" in huge.json()["detail"]
    unknown = client.post(f"/api/events/{event_id}/corrections", headers=AUTH,
                          json={"field": "colour", "value": "red"})
    assert unknown.status_code == 422 and "'colour' is not a field" in unknown.json()["detail"]
    bad = client.post(f"/api/events/{event_id}/corrections", headers=AUTH,
                      json={"field": "event_date", "value": "yesterday"})
    assert bad.status_code == 422 and "YYYY-MM-DD" in bad.json()["detail"]
    not_json = client.post(f"/api/events/{event_id}/corrections", content=b"{nope",
                           headers={**AUTH, "content-type": "application/json"})
    assert not_json.status_code == 422
    assert counts(client.app.state.sitrep.store) == before
    assert client.get(f"/api/events/{event_id}").json()["corrections"] == []


def test_server_api_concurrent_correction_of_a_field_is_a_409(client):
    event_id = event_at(client, "Gao")["event_id"]
    first = client.post(f"/api/events/{event_id}/corrections", headers=AUTH,
                        json={"field": "fatalities", "value": 31, "note": "morgue",
                              "expected_version": 0})
    assert first.status_code == 201 and first.json()["before"] == 30
    second = client.post(f"/api/events/{event_id}/corrections", headers=AUTH,
                         json={"field": "fatalities", "value": 40, "expected_version": 0})
    assert second.status_code == 409 and "changed meanwhile" in second.json()["detail"]
    by_value = client.post(f"/api/events/{event_id}/corrections", headers=AUTH,
                           json={"field": "fatalities", "value": 40, "expected_value": 30,
                                 "check_value": True})
    assert by_value.status_code == 409
    detail = client.get(f"/api/events/{event_id}").json()
    assert detail["event"]["fatalities"]["best"] == 31
    assert detail["machine"]["fatalities"]["best"] == 30
    assert detail["versions"] == {"fatalities": 1}


def test_server_api_corrections_are_used_and_survive_reingest(client):
    kharkiv = event_at(client, "Kharkiv")["event_id"]
    answer = client.post(f"/api/events/{kharkiv}/corrections", headers=AUTH,
                         json={"field": "event_type", "value": "Battles", "note": "a clash"})
    assert answer.status_code == 201
    assert "Kharkiv" in [e["location"]["name"] for e in client.get(
        "/api/events", params={"type": "battles"}).json()["events"]]
    changed = [("k2", "Kharkiv; 10 killed; missile", "2024-05-01")]  # k2 again, changed
    client.post("/api/reports", content=jsonl(changed),
                headers={**AUTH, "content-type": "application/x-ndjson"})
    event = client.get(f"/api/events/{kharkiv}").json()["event"]
    assert event["event_type"] == "Battles" and event["corrected"] is True
    assert event["corrected_fields"]["event_type"]["machine_value"] == \
        "Explosions/Remote violence"
    csv = client.get("/api/export", params={"format": "ucdp-csv", "q": "kharkiv"}).text
    assert csv.count("\n") == 2
    import io

    import pyarrow.parquet as pq

    table = pq.read_table(io.BytesIO(client.get("/api/export", params={
        "format": "parquet", "q": "kharkiv"}).content))
    assert table.column("corrected").to_pylist() == [True]
    assert table.column("event_type").to_pylist() == ["Battles"]
    geo = client.get("/api/events.geojson", params={"q": "kharkiv"}).json()
    assert geo["features"][0]["properties"]["corrected"] is True
    split = client.post(f"/api/events/{kharkiv}/corrections", headers=AUTH,
                        json={"field": "split", "value": {"document_id": "k2"}})
    assert split.status_code == 201
    assert len([e for e in client.get("/api/events").json()["events"]
                if e["location"]["name"] == "Kharkiv"]) == 2
    gao = event_at(client, "Gao")["event_id"]
    client.post(f"/api/events/{gao}/corrections", headers=AUTH,
                json={"field": "not_event", "value": True, "note": "an exercise"})
    assert "Gao" not in [e["location"]["name"] for e in
                         client.get("/api/events").json()["events"]]
    assert client.get(f"/api/events/{gao}").json()["not_event"] is True


def test_server_api_no_stack_traces(tmp_path):
    def broken(items):
        for _ in items:
            raise RuntimeError("secret internals")
        yield from ()

    c = TestClient(create_app(str(tmp_path / "s.db"), token=TOKEN, extractor=broken),
                   raise_server_exceptions=False)
    answer = c.post("/api/reports", json={"id": "r", "text": "Gao; 1 killed; clash"},
                    headers=AUTH)
    assert answer.status_code == 500
    assert answer.json() == {"detail": "internal error (see the server log)"}
    assert "Traceback" not in answer.text and "secret" not in answer.text


def test_server_api_cors_only_when_configured(tmp_path):
    c = TestClient(create_app(str(tmp_path / "s.db"), token=TOKEN,
                              cors_origins=["https://desk.example"]))
    answer = c.get("/api/events", headers={"origin": "https://desk.example"})
    assert answer.headers["access-control-allow-origin"] == "https://desk.example"


def test_server_api_real_pipeline_on_the_sample(tmp_path):
    """One run of the real pipeline: the sample's strikes come back with evidence spans."""
    c = TestClient(create_app(str(tmp_path / "real.db"), token=TOKEN))
    text = next((HERE.parent / "samples").glob("*.txt")).read_text(encoding="utf-8")
    answer = c.post("/api/reports", headers=AUTH, json={
        "id": "sample", "text": text, "published": "2023-03-22", "url": "https://x.example/s"})
    assert answer.json()["results"][0]["status"] == "stored"
    killed = [e for e in c.get("/api/events").json()["events"]
              if (e["fatalities"] or {}).get("best") == 8]
    assert killed, "the eight killed in the dormitory strike"
    detail = c.get(f"/api/events/{killed[0]['event_id']}").json()
    fields = {s["field"] for s in detail["sources"][0]["spans"]}
    assert {"trigger", "killed", "place"} <= fields
    assert all(text[s["start"]:s["end"]] for s in detail["sources"][0]["spans"])


def test_server_cli_refuses_open_host_without_token(monkeypatch, tmp_path, capsys):
    from sitrep.cli import main

    monkeypatch.delenv("SITREP_TOKEN", raising=False)
    monkeypatch.setenv("SITREP_HOME", str(tmp_path))
    assert main(["serve", "--db", str(tmp_path / "s.db"), "--host", "0.0.0.0"]) == 2
    assert "SITREP_TOKEN" in capsys.readouterr().err
    from sitrep.cli.serve import server_token

    token, made = server_token(tmp_path, "127.0.0.1")
    assert made and server_token(tmp_path, "127.0.0.1") == (token, False)


def test_server_cli_correct_and_export(tmp_path, capsys):
    from sitrep.cli import main

    db = str(tmp_path / "c.db")
    c = make_client(db)
    c.post("/api/reports", content=jsonl(REPORTS[:1]),
           headers={**AUTH, "content-type": "application/x-ndjson"})
    event_id = c.get("/api/events").json()["events"][0]["event_id"]
    c.app.state.sitrep.store.dispose()
    assert main(["correct", event_id, "--field", "fatalities", "--value", "9", "--note",
                 "hospital", "--author", "ana", "--db", db]) == 0
    assert json.loads(capsys.readouterr().out)["before"] == 8
    assert main(["correct", event_id, "--field", "fatalities", "--value", "10",
                 "--expected-version", "0", "--db", db]) == 1
    assert "changed meanwhile" in capsys.readouterr().err
    out = tmp_path / "corrections.jsonl"
    assert main(["corrections", "export", "--db", db, "--output", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [(r["field"], r["value"], r["before"], r["author"]) for r in rows] == [
        ("fatalities", 9, 8, "ana")]
    assert rows[0]["machine"]["fatalities"]["best"] == 8
    store = open_store(db)
    assert counts(store)["events"] == 1


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("sort", ["fatalities", "-fatalities", "date", "-date"])
def test_server_api_cursor_pages_cover_missing_values_once(backend, sort, tmp_path):
    from sitrep.records import Report

    specs = {"n1": ("Kharkiv", None, "2024-05-01"), "n2": ("Odesa", 3, "2024-05-02"),
             "n3": ("Aleppo", None, "2024-05-03"), "n4": ("Gao", 3, "2024-05-04"),
             "n5": ("Idlib", 7, "2024-05-05")}
    table = {rid: [stubs.event(rid, place=place, killed=killed, day=day)]
             for rid, (place, killed, day) in specs.items()}
    app = create_app(db_url(backend, tmp_path), token=TOKEN,
                     extractor=stubs.table_extractor(table))
    from sitrep.store.ingest import ingest

    ingest(app.state.sitrep.store, [Report(rid, rid, None) for rid in specs],
           extractor=stubs.table_extractor(table))
    c = TestClient(app)
    seen, cursor = [], None
    for _ in range(10):
        page = c.get("/api/events", params={"sort": sort, "limit": 2,
                                            **({"cursor": cursor} if cursor else {})}).json()
        seen += [e["location"]["name"] for e in page["events"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    everything = c.get("/api/events", params={"sort": sort, "limit": 100}).json()["events"]
    assert seen == [e["location"]["name"] for e in everything] and len(seen) == 5
    if sort == "fatalities":
        assert seen == ["Kharkiv", "Aleppo", "Odesa", "Gao", "Idlib"]  # missing tolls first
    if sort == "-fatalities":
        assert seen == ["Idlib", "Gao", "Odesa", "Aleppo", "Kharkiv"]
    app.state.sitrep.store.dispose()


def test_server_api_streamed_body_over_the_limit_is_a_413(tmp_path):
    c = make_client(str(tmp_path / "s.db"), max_body=1024)

    def chunks():  # no Content-Length: the limit is counted while the body is read
        for _ in range(8):
            yield b"x" * 512

    answer = c.post("/api/reports", content=chunks(),
                    headers={**AUTH, "content-type": "application/x-ndjson"})
    assert answer.status_code == 413 and "larger than 1024 bytes" in answer.json()["detail"]
    assert counts(c.app.state.sitrep.store)["reports"] == 0
