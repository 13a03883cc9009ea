"""Geocode scorer on hand-written gold/prediction files; figures computed by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitrep.evaluation import geocode
from sitrep.evaluation.common import Score, by_id, read_jsonl

DATA = Path(__file__).parent / "data" / "eval"
KM_PER_DEGREE = 111.1951


def _score(has_name: object = None) -> Score:
    gold = read_jsonl(DATA / "geocode_gold.jsonl")
    preds = by_id(read_jsonl(DATA / "geocode_pred.jsonl"))
    return geocode.score(gold, [preds.get(r["id"]) for r in gold], has_name=has_name)


def test_geocode_figures_by_hand() -> None:
    # q5 has no gold coordinates: 5 scored. Errors: q1 0.1 degree (11 km), q2 0.5 degree of
    # longitude at the equator (56 km), q3 no prediction (inf), q4 null coordinates (inf), q6 0.
    f = _score().figures
    assert f["scored"] == 5
    assert f["within25"] == pytest.approx(2 / 5)
    assert f["median_error_km"] == pytest.approx(0.5 * KM_PER_DEGREE, abs=0.01)
    assert f["median_error_resolved_km"] == pytest.approx(0.1 * KM_PER_DEGREE, abs=0.01)
    assert f["resolved"] == pytest.approx(3 / 5)


def test_geocode_median_is_infinite_when_most_are_unresolved() -> None:
    gold = [{"id": str(i), "query": "x", "lat": 1.0, "lon": 1.0} for i in range(3)]
    scored = geocode.score(gold, [{"lat": 1.0, "lon": 1.0}, None, {"lat": None, "lon": None}])
    assert scored.figures["median_error_km"] == float("inf")
    assert scored.to_dict()["figures"]["median_error_km"] is None  # JSON has no infinity
    assert scored.figures["median_error_resolved_km"] == 0.0


def test_geocode_absent_names_counted_with_gazetteer() -> None:
    known = {"Alpha", "Bravo", "Foxtrot"}
    f = _score(has_name=lambda name: name in known).figures
    assert f["absent_from_gazetteer"] == 3  # Charlie, Delta, Echo


def test_geocode_absent_names_not_given_without_gazetteer() -> None:
    scored = _score()
    assert scored.figures["absent_from_gazetteer"] is None
    assert scored.notes


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("Alpha, North Province, Examplia", "Alpha"),
        ("Bravo village, Coast district, Examplia", "Bravo"),
        ("Port Harbour town, Examplia", "Port Harbour"),
        ("Delta", "Delta"),
        ("New Town, Examplia", "New Town"),  # "Town" alone is the name, not a suffix to drop
        ("", ""),
    ],
)
def test_geocode_query_place_name(query: str, name: str) -> None:
    assert geocode.query_place_name(query) == name


def test_geocode_worst_cases_unresolved_first() -> None:
    worst = _score().worst(3)
    assert [c.predicted for c in worst[:2]] == ["unresolved", "unresolved"]
    assert worst[2].id == "q2" and "56 km off" in worst[2].predicted
