"""Casualties scorer on hand-written gold/prediction files; figures computed by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitrep.evaluation import casualties
from sitrep.evaluation.common import Score, by_id, read_jsonl

DATA = Path(__file__).parent / "data" / "eval"


@pytest.fixture
def scored() -> Score:
    gold = read_jsonl(DATA / "casualties_gold.jsonl")
    preds = by_id(read_jsonl(DATA / "casualties_pred.jsonl"))
    return casualties.score(gold, [preds.get(r["id"]) for r in gold])


def test_casualties_counts_by_hand(scored: Score) -> None:
    # killed: c1 3+2=5 right, c2 0 right, c3 null best = 0 vs 4 wrong, c4 error = 0 vs 1 wrong,
    # c5 2 right -> 3/5. wounded: c3 has no gold; c1 2+null = 2 right, c2 right, c4 wrong,
    # c5 right -> 3/4.
    f = scored.figures
    assert (f["killed_exact"], f["killed_rows"]) == (pytest.approx(3 / 5), 5)
    assert (f["wounded_exact"], f["wounded_rows"]) == (pytest.approx(3 / 4), 4)


def test_casualties_place_and_date_of_most_confident_event(scored: Score) -> None:
    # location rows c1 (11 km, right), c4 (no event), c5 (null coordinates) -> 1/3.
    # date rows c1 (right: the 0.9 event, not the 0.5 one), c3 (a day off), c4 -> 1/3.
    f = scored.figures
    assert (f["location_within25"], f["location_rows"]) == (pytest.approx(1 / 3), 3)
    assert (f["date_exact"], f["date_rows"]) == (pytest.approx(1 / 3), 3)
    assert f["no_event"] == pytest.approx(2 / 5)
    assert f["failed"] == 1


def test_casualties_worst_cases(scored: Score) -> None:
    # severity: c4 1+3+0.5+0.5 = 5, c3 4+0.5, c5 0.5 (place only).
    worst = scored.worst(5)
    assert [c.id for c in worst] == ["c4", "c3", "c5"]
    assert worst[0].gold.startswith("killed 1, wounded 3")
    assert worst[0].predicted.startswith("error")


@pytest.mark.parametrize(
    ("result", "expected"),
    [
        (None, (0, 0)),
        ({"events": []}, (0, 0)),
        ({"events": [{"fatalities": {"best": 2}, "injuries": {"best": 5}},
                     {"fatalities": {"best": 3}, "injuries": {"best": None}}]}, (5, 5)),
        ({"events": [{"fatalities": None, "injuries": {}}]}, (0, 0)),
    ],
)
def test_casualties_totals(result: dict | None, expected: tuple[int, int]) -> None:
    assert casualties.totals(result) == expected


def test_casualties_no_predictions() -> None:
    gold = read_jsonl(DATA / "casualties_gold.jsonl")
    f = casualties.score(gold, [None] * len(gold)).figures
    assert f["killed_exact"] == pytest.approx(1 / 5)  # only c2's 0 is right
    assert f["location_within25"] == 0.0 and f["date_exact"] == 0.0
    assert f["no_event"] == 1.0


def test_casualties_empty_gold() -> None:
    f = casualties.score([], []).figures
    assert f["killed_exact"] is None and f["no_event"] is None


def _event(best: int | None, civilians: int | None) -> dict[str, object]:
    return {"fatalities": {"best": best, "civilians": civilians}, "injuries": {"best": 0}}


def test_victims_only_rows_are_scored_on_civilians_where_given() -> None:
    # one event with 9 dead of whom 8 civilians, another with 2 dead and no civilian figure:
    # everyone 11, victims 8 + 2 = 10
    result = {"events": [_event(9, 8), _event(2, None)]}
    rows = [{"id": "wad:r1", "killed": 10}, {"id": "gtd:r1", "killed": 11}]
    score = casualties.score(rows, [result, result], dataset="mixed.jsonl")
    assert score.figures["killed_exact"] == pytest.approx(1.0)
    by_file = casualties.score([{"id": "x", "killed": 10}], [result], dataset="d/wad_dev.jsonl")
    assert by_file.figures["killed_exact"] == pytest.approx(1.0)


def test_published_results_sit_beside_the_data_set_that_has_them() -> None:
    row, result = {"id": "x", "killed": 0, "wounded": 0}, {"events": []}
    gva = casualties.score([row], [result], dataset="eval/gva_dev.jsonl")
    gtd = casualties.score([row], [result], dataset="eval/gtd_dev.jsonl")
    assert gva.figures["killed_published"] is not None
    assert gva.figures["wounded_published"] is not None
    assert gva.notes
    assert gtd.figures["killed_published"] is None and not gtd.notes
