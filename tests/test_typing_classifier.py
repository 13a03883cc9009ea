"""The typing classifier: reproducible training, a compact artefact, sensible probabilities."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from sitrep.pipeline import typing as typing_stage
from sitrep.pipeline import typing_model
from sitrep.training import typing as training
from sitrep.training.data import Example

OWN = Path(__file__).parent / "data" / "typing_train.jsonl"


@pytest.fixture(scope="module")
def own_rows() -> list[dict[str, str]]:
    return list(typing_stage.iter_rows(OWN))


def _fit(rows: list[dict[str, str]], seed: int) -> typing_stage.TypingModel:
    examples = [Example(r["text"], r["label"], "own", "own") for r in rows]
    return training.fit(examples, training.Settings(seed=seed, epochs=10))


def test_typing_classifier_training_reproducible(own_rows: list[dict[str, str]]) -> None:
    a, b = _fit(own_rows, seed=7), _fit(own_rows, seed=7)
    assert a.vocab == b.vocab and a.labels == b.labels
    assert np.array_equal(a.weights, b.weights) and np.array_equal(a.bias, b.bias)
    c = _fit(own_rows, seed=8)
    assert not np.array_equal(a.weights, c.weights)


def test_typing_classifier_json_round_trip(own_rows: list[dict[str, str]]) -> None:
    model = _fit(own_rows, seed=1)
    again = typing_stage.TypingModel.from_json(json.loads(json.dumps(model.to_json())))
    for text in ("Warplanes bombed a bridge.", "Police detained six activists at the rally."):
        assert model.classify(text)[0][0] == again.classify(text)[0][0]


def test_typing_classifier_learns_own_snippets(own_rows: list[dict[str, str]]) -> None:
    model = _fit(own_rows, seed=1)
    hits = sum(model.classify(r["text"])[0][0] == r["label"] for r in own_rows)
    assert hits / len(own_rows) > 0.9


def test_typing_shipped_model_small_and_wordy() -> None:
    path = typing_stage.MODEL_PATH
    assert path.stat().st_size <= 10_000_000
    data = json.loads(path.read_text(encoding="utf-8"))
    assert set(data["labels"]) == set(typing_stage.LABELS)
    # ACLED's terms: a model trained on its notes says so
    assert any("ACLED" in note for note in data["meta"]["notes"])
    assert any(src["name"].startswith("acled_notes") for src in data["meta"]["data"])
    # features only: words, stems, two-word grams and cue names, never whole sentences
    words = [f for f in data["vocab"] if not f.startswith("c:")]
    assert all(len(f.split("_")) <= 2 and " " not in f for f in words)
    assert {f[:2] for f in words} <= {"w:", "s:", "b:"}
    cues = set(typing_model._CUES)
    assert all(set(f[2:].split("+")) <= cues for f in data["vocab"] if f.startswith("c:"))


@pytest.mark.parametrize(("text", "label"), [
    ("Russian jets carried out air strikes on rebel positions near Khan Sheikhoun.", "AIR_STRIKE"),
    ("Thousands rallied peacefully in the capital calling for early elections.", "PEACE_PROTEST"),
    ("A tropical storm flooded coastal towns, and landslides buried several houses.",
     "NATURAL_DISASTER"),
    ("The foreign ministers met in Geneva to discuss restoring diplomatic relations.", "DIPLO"),
    ("The suicide bomber blew himself up outside a mosque, killing nine.", "SUIC_BOMB"),
])
def test_typing_classify_top_label(text: str, label: str) -> None:
    ranked = typing_stage.classify(text)
    assert ranked[0][0] == label
    assert abs(sum(p for _, p in ranked) - 1.0) < 1e-6
    assert [p for _, p in ranked] == sorted((p for _, p in ranked), reverse=True)


def test_typing_classify_empty_text() -> None:
    assert typing_stage.classify("") == []
