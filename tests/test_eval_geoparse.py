"""Geoparse scorer on hand-written gold/prediction files; figures computed by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitrep.evaluation import geoparse
from sitrep.evaluation.common import Score, by_id, read_jsonl

DATA = Path(__file__).parent / "data" / "eval"
KM_PER_DEGREE = 111.1951  # one degree of latitude on a sphere of radius 6371.0088 km


@pytest.fixture
def scored() -> Score:
    gold = read_jsonl(DATA / "geoparse_gold.jsonl")
    preds = by_id(read_jsonl(DATA / "geoparse_pred.jsonl"))
    return geoparse.score(gold, [preds[r["id"]]["places"] for r in gold])


def test_geoparse_recognition_by_hand(scored: Score) -> None:
    # 5 gold toponyms, 6 predicted places, 4 matches: Kherson, Mykolaiv (by the longer of two
    # overlapping predictions), Sumy, Kyiv. Odesa is missed; "Mykol" and "Monday" are spurious.
    f = scored.figures
    assert (f["gold_toponyms"], f["predicted_places"], f["matched"]) == (5, 6, 4)
    assert f["precision"] == pytest.approx(4 / 6)
    assert f["recall"] == pytest.approx(4 / 5)
    assert f["f1"] == pytest.approx(16 / 22)


def test_geoparse_resolution_by_hand(scored: Score) -> None:
    # Sumy's gold has null coordinates: out of resolution. Kherson is 1 degree off (within 161),
    # Mykolaiv 3 degrees off, Kyiv unresolved (inf). Acc@161 = 1/3, recall@161 = 1/4 (Odesa
    # missed), median of [111, 334, inf] = 334 km.
    f = scored.figures
    assert f["acc161"] == pytest.approx(1 / 3)
    assert f["recall161"] == pytest.approx(1 / 4)
    assert f["median_error_km"] == pytest.approx(3 * KM_PER_DEGREE, abs=0.01)


@pytest.mark.parametrize(
    ("gold", "pred", "pairs"),
    [
        ([(0, 5)], [(5, 9)], []),  # touching spans do not overlap
        ([(0, 5)], [(4, 9)], [(0, 0)]),
        ([(0, 5)], [(0, 2), (0, 5)], [(0, 1)]),  # the larger overlap wins
        ([(0, 5), (7, 12)], [(0, 12)], [(0, 0)]),  # one prediction over two toponyms
        ([(0, 5), (7, 12)], [(3, 8), (8, 12)], [(0, 0), (1, 1)]),
        ([], [(0, 3)], []),
    ],
)
def test_geoparse_match_is_one_to_one(gold: list, pred: list, pairs: list) -> None:
    as_dicts = [{"start": s, "end": e} for s, e in gold], [{"start": s, "end": e} for s, e in pred]
    assert geoparse.match(*as_dicts) == pairs


def test_geoparse_no_predictions() -> None:
    gold = read_jsonl(DATA / "geoparse_gold.jsonl")
    scored = geoparse.score(gold, [None] * len(gold))
    f = scored.figures
    assert f["precision"] is None  # nothing predicted: precision undefined
    assert f["recall"] == 0.0 and f["f1"] == 0.0
    assert f["acc161"] is None and f["recall161"] == 0.0
    assert scored.notes  # the failed rows are reported


def test_geoparse_empty_gold() -> None:
    scored = geoparse.score([], [])
    assert scored.figures["f1"] is None and scored.figures["acc161"] is None


def test_geoparse_errors_show_text_around_span(scored: Score) -> None:
    contexts = " ".join(c.context for c in scored.cases)
    assert "[Odesa]" in contexts and "[Monday]" in contexts
    assert all(c.id in {"ga", "gd"} for c in scored.cases)


@pytest.mark.parametrize(("known_near", "split", "ceiling"), [
    # Mykolaiv (3 degrees off) and Kyiv (unresolved) are the two wrong resolutions of three.
    (set(), (2, 0), 1 / 3),
    ({"Mykolaiv"}, (1, 1), 2 / 3),
    ({"Mykolaiv", "Kyiv"}, (0, 2), 1.0),
])
def test_geoparse_wrong_split_by_gazetteer_reach(known_near: set[str], split: tuple[int, int],
                                                 ceiling: float) -> None:
    gold = read_jsonl(DATA / "geoparse_gold.jsonl")
    preds = by_id(read_jsonl(DATA / "geoparse_pred.jsonl"))
    asked: list[tuple[str, float]] = []

    def near(name: str, lat: float, lon: float, km: float) -> bool:
        asked.append((name, km))
        return name in known_near

    f = geoparse.score(gold, [preds[r["id"]]["places"] for r in gold], reading_near=near).figures
    assert (f["wrong_no_reading_near"], f["wrong_reading_near"]) == split
    assert f["acc161_ceiling"] == pytest.approx(ceiling)
    assert asked and all(km == geoparse.ACC_KM for _, km in asked)


def test_geoparse_without_gazetteer_gives_no_split(scored: Score) -> None:
    assert scored.figures["wrong_no_reading_near"] is None
    assert scored.figures["acc161_ceiling"] is None
