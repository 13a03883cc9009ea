"""Property-based tests of every exporter: whatever text the fields hold, a CSV reparses to the
rows that were written, no cell starts a formula, GeoJSON is a valid FeatureCollection."""

from __future__ import annotations

import csv
import io
import json
import math
import sys
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent / "data" / "store"))
from fixtures import load  # noqa: E402

from sitrep.exporters import (  # noqa: E402
    EXPORTERS,
    FORMULA_START,
    acled_row,
    export,
    safe_cell,
    ucdp_row,
)

stubs = load("stubs")
# Field text as it may come from a report: formulas, quotes, separators, line breaks, unicode.
field = st.one_of(st.none(), st.text(max_size=40), st.sampled_from(
    ["=1+1", "+cmd", "-3.5", "@SUM(A1)", "\t=x", "\r=x", "a,b", 'say "hi"', "line\nbreak",
     "cr\rhere", "-", "2024-05-10", "'"]))


@st.composite
def records(draw: st.DrawFn) -> dict[str, Any]:
    record = stubs.event("r", killed=draw(st.integers(0, 10_000))).to_dict()
    record["event_id"] = draw(field) or "ev-1"
    record["notes"] = draw(field)
    record["actor1"] = {"name": draw(field), "inter": 1, "country": None}
    location = record["location"]
    location["name"], location["admin1"] = draw(field), draw(field)
    location["lat"] = draw(st.floats(-90, 90, allow_nan=False))
    location["lon"] = draw(st.floats(-180, 180, allow_nan=False))
    record["sources"] = [{"document_id": draw(field) or "d", "source": draw(field),
                          "url": draw(field), "published": "2024-05-10"}]
    return record


def _cells(row: list[Any]) -> list[str]:
    """A row as csv writes it (after safe_cell), the way csv.reader reads it back."""
    return ["" if v is None else str(safe_cell(v)) for v in row]


@given(st.lists(records(), min_size=1, max_size=5))
def test_exporters_csv_reparses_to_the_same_safe_rows(batch: list[dict[str, Any]]) -> None:
    for name, make_row in (("acled-csv", acled_row), ("ucdp-csv", ucdp_row)):
        out = io.BytesIO()
        n = export(batch, name, out)
        rows = list(csv.reader(io.StringIO(out.getvalue().decode("utf-8"), newline="")))[1:]
        assert len(rows) == n
        expected = [_cells(make_row(r)) for r in batch if name != "acled-csv"
                    or r.get("event_type")]
        assert rows == expected
        for row in rows:
            for cell in row:
                assert not cell.startswith(FORMULA_START) or safe_cell(cell) == cell


@given(st.lists(records(), max_size=5))
def test_exporters_geojson_is_a_valid_feature_collection(batch: list[dict[str, Any]]) -> None:
    out = io.BytesIO()
    n = export(batch, "geojson", out)
    collection = json.loads(out.getvalue())
    assert collection["type"] == "FeatureCollection" and len(collection["features"]) == n
    for feature, record in zip(collection["features"], batch, strict=True):
        assert feature["type"] == "Feature" and feature["properties"] == record
        geometry = feature["geometry"]
        assert geometry["type"] == "Point" and len(geometry["coordinates"]) == 2
        lon, lat = geometry["coordinates"]
        assert math.isfinite(lon) and -180 <= lon <= 180 and -90 <= lat <= 90


@given(st.lists(records(), max_size=3))
def test_exporters_every_format_writes_every_record(batch: list[dict[str, Any]]) -> None:
    for name in EXPORTERS:
        assert export(batch, name, io.BytesIO()) <= len(batch)
