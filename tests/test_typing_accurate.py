"""The accurate typing mode: choosing it, its coded error, the head file and the encoder.

Tests that run the encoder are skipped where the ``accurate`` extra is not installed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from sitrep import errors
from sitrep.pipeline import typing_accurate as acc
from sitrep.pipeline.typing import LABELS

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # nothing may come from a model hub
ROOT = Path(__file__).resolve().parent.parent


def _has_extra() -> bool:
    try:
        import onnxruntime  # noqa: F401
        import tokenizers  # noqa: F401
    except ImportError:
        return False
    return True


needs_extra = pytest.mark.skipif(not _has_extra(), reason="the accurate extra is not installed")


@pytest.fixture(autouse=True)
def _default_mode(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv(acc.MODE_ENV, raising=False)
    acc.use_mode(None)
    yield
    acc.use_mode(None)


def test_typing_mode_default_and_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert acc.typing_mode() == "default"
    monkeypatch.setenv(acc.MODE_ENV, "Accurate")
    assert acc.typing_mode() == "accurate"


def test_typing_mode_unknown_is_a_coded_error(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(acc.ModeError) as caught:
        acc.use_mode("fastest")
    assert caught.value.code == errors.TYPING_MODE_UNAVAILABLE == "E032"
    assert "default, accurate" in caught.value.message
    monkeypatch.setenv(acc.MODE_ENV, "precise")
    with pytest.raises(acc.ModeError):
        acc.typing_mode()


def _accurate_refused() -> acc.ModeError:
    """The error choosing the accurate mode gives (the encoder is loaded afresh both sides)."""
    acc.encoder.cache_clear()
    try:
        with pytest.raises(acc.ModeError) as caught:
            acc.use_mode("accurate")
    finally:
        acc.encoder.cache_clear()
    return caught.value


def test_typing_mode_accurate_without_extra_says_what_to_install(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "tokenizers", None)  # import fails as if absent
    refused = _accurate_refused()
    assert refused.code == "E032"
    assert "pip install 'sitrep[accurate]'" in refused.message
    assert acc.typing_mode() == "default"  # a failed choice changes nothing


def _head(share: float = 0.5) -> acc.Head:
    rng = np.random.default_rng(3)
    labels = ["ARMED_CLASH", "PEACE_PROTEST", "ATTACK"]
    return acc.Head(labels, rng.normal(size=(384, 3)).astype(np.float32),
                    np.array([0.1, -0.2, 0.0], dtype=np.float32), share, {"n": 1})


def test_typing_head_round_trip_and_damage(tmp_path: Path) -> None:
    head = _head(0.3)
    head.adjust = np.array([0.5, -0.25, 0.0])
    path = tmp_path / "head.json"
    head.write(path)
    again = acc.read_head(path)
    x = np.random.default_rng(4).normal(size=(2, 384)).astype(np.float32)
    assert again.labels == head.labels and again.meta == {"n": 1} and again.word_share == 0.3
    assert again.adjust is not None and np.allclose(again.adjust, head.adjust)
    assert np.allclose(again.logits(x), head.logits(x), atol=1e-5)
    data = json.loads(path.read_text(encoding="utf-8"))
    for damage in ({"bias": data["bias"][:2]}, {"word_share": 1.5}, {"adjust": [0.0, 1.0]},
                   {"labels": ["ARMED_CLASH", "ARMED_CLASH", "ATTACK"]},
                   {"format": "sitrep-typing-head-2"}):
        path.write_text(json.dumps({**data, **damage}), encoding="utf-8")
        with pytest.raises(acc.ModeError, match="damaged") as caught:
            acc.read_head(path)
        assert caught.value.code == "E032" and str(path) in caught.value.message


def test_typing_fuse_reranks_only_the_labels_the_encoder_knows() -> None:
    word_labels = ["ARMED_CLASH", "PEACE_PROTEST", "ATTACK", "NATURAL_DISASTER"]
    word = np.array([0.4, 0.3, 0.1, 0.2])
    sure_attack = np.array([0.0, 0.0, 12.0])  # the head's labels: clash, protest, attack
    ranked = acc.fuse(word_labels, word, _head(0.5), sure_attack)
    probs = dict(ranked)
    assert ranked[0][0] == "ATTACK"
    assert abs(probs["NATURAL_DISASTER"] - 0.2) < 1e-12  # a label it never saw keeps its mass
    assert abs(sum(probs.values()) - 1.0) < 1e-9
    # the word model alone (share 1) and the encoder alone (share 0) within the shared mass
    alone = dict(acc.fuse(word_labels, word, _head(1.0), sure_attack))
    assert np.allclose([alone[lab] for lab in word_labels], word)
    encoder_only = dict(acc.fuse(word_labels, word, _head(0.0), np.zeros(3)))
    assert np.allclose([encoder_only[lab] for lab in word_labels[:3]], 0.8 / 3)


def test_typing_fuse_prior_adjustment_lifts_a_rare_label() -> None:
    word_labels = ["ARMED_CLASH", "PEACE_PROTEST", "ATTACK"]
    word = np.array([0.45, 0.1, 0.45])
    head = _head(0.5)
    logits = np.array([1.0, 0.9, 0.0])
    assert acc.fuse(word_labels, word, head, logits)[0][0] == "ARMED_CLASH"
    head.adjust = np.array([0.0, 1.5, 0.0])  # protests rare in training: lifted
    ranked = acc.fuse(word_labels, word, head, logits)
    assert ranked[0][0] == "PEACE_PROTEST"
    assert abs(sum(p for _, p in ranked) - 1.0) < 1e-9


def test_typing_shipped_accurate_files_credit_acled_and_fit_the_budget() -> None:
    head = acc.read_head(acc.HEAD_PATH)
    assert set(head.labels) <= set(LABELS) and len(head.labels) >= 20
    assert head.weights.shape == (384, len(head.labels))
    assert any("ACLED" in note for note in head.meta["notes"])
    assert acc.HEAD_PATH.stat().st_size < 200_000
    assert acc.ENCODER_PATH.stat().st_size < 100_000_000  # the budget for the mode


def test_typing_default_mode_never_loads_onnxruntime() -> None:
    code = ("import sys; from sitrep.pipeline import typing as t; "
            "print(t.classify('Soldiers clashed with rebels near the town.')[0][0]); "
            "print('onnxruntime' in sys.modules, 'tokenizers' in sys.modules)")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop(acc.MODE_ENV, None)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=env, check=True).stdout.split("\n")
    assert out[0] == "ARMED_CLASH"
    assert out[1] == "False False"


@needs_extra
def test_typing_encoder_places_paraphrases_together() -> None:
    enc = acc.encoder()
    e = enc.encode(["Troops and rebels exchanged fire near the border for two hours.",
                    "Soldiers fought insurgents in a long gun battle close to the frontier.",
                    "Hundreds of nurses marched peacefully to demand higher wages."])
    assert e.shape == (3, 384) and e.dtype == np.float32
    unit = e / np.linalg.norm(e, axis=1, keepdims=True)
    assert unit[0] @ unit[1] > unit[0] @ unit[2] + 0.2
    # batched and one at a time agree (padding does not leak into the mean)
    alone = enc.encode(["Hundreds of nurses marched peacefully to demand higher wages."])
    assert np.allclose(alone[0], e[2], atol=1e-4)


@needs_extra
def test_typing_accurate_mode_types_reports() -> None:
    cases = {
        "Police fired tear gas and water cannon to disperse hundreds of students who had "
        "gathered outside parliament on Monday; twelve were detained.": "PROTEST_WITH_INTER",
        "Hundreds of teachers marched through the capital on Friday demanding overdue "
        "salaries. The rally ended without incident.": "PEACE_PROTEST",
        "Government troops and fighters of the rebel group clashed for several hours near "
        "the village; both sides reported losses.": "ARMED_CLASH",
    }
    for text, label in cases.items():
        ranked = acc.classify(text)
        assert ranked[0][0] == label, (text, ranked[:3])
        assert abs(sum(p for _, p in ranked) - 1.0) < 1e-6
    assert acc.classify("   ") == []


def test_typing_use_head_overrides_and_restores(monkeypatch: pytest.MonkeyPatch) -> None:
    class FakeEncoder:  # every text the same embedding: the head then says one thing
        def encode(self, texts: list[str]) -> np.ndarray:
            return np.ones((len(texts), 384), np.float32)

    monkeypatch.setattr(acc, "encoder", lambda: FakeEncoder())
    labels = ["ARMED_CLASH", "PEACE_PROTEST", "ATTACK"]
    weights = np.zeros((384, 3), np.float32)
    weights[:, 1] = 1.0  # "protest", strongly
    acc.use_head(acc.Head(labels, weights, np.zeros(3, np.float32), 0.0))
    try:
        assert acc.classify("Troops clashed with rebels near the town.")[0][0] == "PEACE_PROTEST"
        acc.use_head(acc.Head(labels, weights, np.zeros(3, np.float32), 1.0))
        assert acc.classify("Troops clashed with rebels near the town.")[0][0] == "ARMED_CLASH"
    finally:
        acc.use_head(None)
    assert not acc._override


@needs_extra
def test_typing_accurate_mode_through_the_pipeline() -> None:
    from sitrep.api import extract_batch

    text = ("Police fired tear gas and water cannon to disperse hundreds of students who had "
            "gathered outside parliament in Nairobi on Monday, witnesses said. Twelve students "
            "were detained.")
    acc.use_mode("accurate")
    result = next(iter(extract_batch([{"id": "a1", "text": text}]))).to_dict()
    assert result["error"] is None
    types = {e["sub_event_type"] for e in result["events"]}
    assert "Protest with intervention" in types


@needs_extra
def test_typing_damaged_encoder_is_a_coded_error_naming_it(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    broken = tmp_path / "typing_encoder.onnx"
    broken.write_bytes(b"\x08\x07not a graph" * 100)
    monkeypatch.setattr(acc, "ENCODER_PATH", broken)
    refused = _accurate_refused()
    assert refused.code == "E032" and str(broken) in refused.message
    assert acc.typing_mode() == "default"


def test_typing_accurate_encoder_types_but_words_decide_an_event(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """An encoder that only ever saw notes of events calls everything an attack; whether a
    short report tells an event at all stays the word model's call."""
    from sitrep.api import extract
    from sitrep.pipeline import typing_model

    class FakeEncoder:
        def encode(self, texts: list[str]) -> np.ndarray:
            return np.ones((len(texts), 384), np.float32)

    class UnsureWords:  # no label the brief fallback trusts (all below its 0.35)
        labels = ["PEACE_PROTEST", "ATTACK", "ARMED_CLASH", "MAN_MADE_DISASTER"]

        def scores_features(self, feats: object) -> np.ndarray:
            return np.array([0.30, 0.25, 0.25, 0.20])

        def classify(self, text: str) -> list[tuple[str, float]]:
            return list(zip(self.labels, self.scores_features(None).tolist(), strict=True))

    monkeypatch.setattr(acc, "encoder", lambda: FakeEncoder())
    labels = ["ARMED_CLASH", "PEACE_PROTEST", "ATTACK"]
    weights = np.zeros((384, 3), np.float32)
    weights[:, 2] = 1.0  # "attack", whatever the text
    text = "The central bank raised interest rates by half a point on Thursday."
    typing_model.use_model(UnsureWords())  # type: ignore[arg-type]
    acc.use_head(acc.Head(labels, weights, np.zeros(3, np.float32), 0.0))
    try:
        assert extract(text).events == []  # the default mode: no event
        acc.use_mode("accurate")
        assert acc.classify(text)[0] == ("ATTACK", pytest.approx(0.8))
        assert extract(text).events == []
    finally:
        acc.use_mode(None)
        acc.use_head(None)
        typing_model.use_model(None)
