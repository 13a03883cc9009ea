"""Typing scorer on hand-written gold/prediction files; figures computed by hand in comments."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitrep.evaluation import typing as typing_eval
from sitrep.evaluation.common import Score, by_id, read_jsonl

DATA = Path(__file__).parent / "data" / "eval"


@pytest.fixture
def scored() -> Score:
    gold = read_jsonl(DATA / "typing_gold.jsonl")
    preds = by_id(read_jsonl(DATA / "typing_pred.jsonl"))
    return typing_eval.score(gold, [preds.get(r["id"]) for r in gold], dataset="typing_gold")


def test_typing_weighted_and_macro_f1_by_hand(scored: Score) -> None:
    # ACLED rows t1 t2 t3 t4 t5 t10: gold AIR AIR ART CLASH PEACE CLASH,
    # predicted AIR ART ART none PEACE none.
    # F1: AIR (P 1/1, R 1/2) 2/3; ART (P 1/2, R 1/1) 2/3; CLASH 0; PEACE 1.
    # weighted = (2*2/3 + 2/3 + 0*2 + 1) / 6 = 0.5; macro = (2/3 + 2/3 + 0 + 1) / 4 = 7/12.
    f = scored.figures
    assert f["weighted_f1"] == pytest.approx(0.5)
    assert f["macro_f1"] == pytest.approx(7 / 12)
    assert f["accuracy"] == pytest.approx(0.5)
    assert f["acled_rows"] == 6
    assert scored.rows == 10


def test_typing_out_of_scope_rows(scored: Score) -> None:
    # t6 (disaster, no event) right; t7 (crime, an Attack event) wrong.
    assert scored.figures["no_event_share"] == pytest.approx(0.5)
    assert scored.figures["no_event_rows"] == 2
    assert scored.figures["diplo_recall"] == 1.0
    assert scored.figures["attrib_recall"] == 1.0
    assert scored.figures["failed"] == 1


def test_typing_worst_case_is_the_confident_wrong_label(scored: Score) -> None:
    worst = scored.worst(4)
    assert [c.id for c in worst] == ["t2", "t7", "t4", "t10"]
    assert worst[0].gold == "AIR_STRIKE" and worst[0].predicted.startswith("ART_MISS_ATTACK")
    assert worst[3].predicted.startswith("error")


@pytest.mark.parametrize(
    ("result", "expected"),
    [
        (None, None),
        ({"events": [], "claims": []}, None),
        ({"events": [{"sub_event_type": "Grenade", "confidence": 0.2},
                     {"sub_event_type": "Suicide bomb", "confidence": 0.8}]}, "SUIC_BOMB"),
        ({"events": [{"sub_event_type": None, "plover": {"event": "AGREE"}}],
          "claims": [{"stance": "claim_responsibility"}]}, "ATTRIB"),
        ({"events": [{"sub_event_type": None, "plover": {"event": "AID"}}]}, "DIPLO"),
        ({"events": [{"sub_event_type": None, "plover": {"event": "ACCUSE"}}]}, None),
        ({"events": [{"sub_event_type": "Arrests", "confidence": 0.1}],
          "claims": [{"stance": "claim_responsibility"}]}, "ARREST"),
    ],
)
def test_typing_predicted_label_rule(result: dict | None, expected: str | None) -> None:
    assert typing_eval.predicted_label(result)[0] == expected


def test_typing_no_predictions_scores_zero() -> None:
    gold = read_jsonl(DATA / "typing_gold.jsonl")
    scored = typing_eval.score(gold, [None] * len(gold))
    assert scored.figures["weighted_f1"] == 0.0
    assert scored.figures["macro_f1"] == 0.0
    assert scored.figures["no_event_share"] == 1.0
    assert scored.figures["failed"] == len(gold)


def test_typing_empty_gold_gives_no_figures() -> None:
    scored = typing_eval.score([], [])
    assert scored.rows == 0
    assert scored.figures["weighted_f1"] is None
    assert scored.figures["macro_f1"] is None
    assert scored.figures["no_event_share"] is None


def test_typing_mapping_covers_every_acled_sub_event_type() -> None:
    from sitrep.records import ACLED_TYPES

    assert set(typing_eval.CASE_TO_ACLED.values()) == set(ACLED_TYPES)
    assert len(typing_eval.CASE_TO_ACLED) == 25
