"""Fit the accurate mode's classifier: the word model's features plus a MiniLM embedding.

One SGD logistic regression (as ``sitrep.training.typing.fit``: same features, row weights,
seed) over the binary word features, each row scaled to unit length, beside the report's
embedding scaled to unit length, standardised and divided by sqrt(384) times ``GAMMA``, so
that both blocks weigh alike. The fit splits into the default format's word model and a
``Head`` for the embedding block, the standardisation folded into its weights, so the runtime
needs only numpy besides the encoder. Fitting the two jointly is what helps: a head fitted on
the embedding alone and averaged with the word model gained nothing (docs/TYPING.md).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from sitrep.pipeline.typing import LABELS, TypingModel, features
from sitrep.pipeline.typing_accurate import Head
from sitrep.training.data import Example
from sitrep.training.typing import Settings, _matrix, _vocabulary, row_weights

# Weight of the embedding block against the word block (country-grouped CV on the ACLED
# notes at 1.0: 0.843 / 0.580 weighted / macro F1, against 0.829 / 0.542 for words alone;
# 0.5 gave 0.844 / 0.584 and 2.0 0.839 / 0.573, differences within noise).
GAMMA = 1.0


def unit(embeddings: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length, as ``Head.logits`` scales them at run time."""
    return embeddings / np.maximum(np.linalg.norm(embeddings, axis=1, keepdims=True), 1e-9)


def fit_joint(examples: Sequence[Example], embeddings: np.ndarray, *,
              feature_sets: Sequence[set[str]] | None = None, gamma: float = GAMMA,
              settings: Settings | None = None) -> tuple[TypingModel, Head]:
    """The word part and the embedding part of one model fitted on the examples (rows of
    ``embeddings`` in the examples' order)."""
    from scipy.sparse import csr_matrix, hstack
    from sklearn.linear_model import SGDClassifier

    settings = settings or Settings()
    feats = list(feature_sets) if feature_sets is not None else [features(e.text)
                                                                  for e in examples]
    vocab = _vocabulary(feats, settings)
    x = unit(np.asarray(embeddings, dtype=np.float64))
    mu, sd = x.mean(axis=0), x.std(axis=0)
    sd[sd == 0] = 1.0
    scale = gamma / math.sqrt(x.shape[1])
    matrix = hstack([_matrix(feats, vocab), csr_matrix((x - mu) / sd * scale)]).tocsr()
    present = {e.label for e in examples}
    labels = [lab for lab in LABELS if lab in present]
    if len(labels) < 3:
        raise ValueError("the accurate mode's classifier needs at least three labels")
    y = np.array([labels.index(e.label) for e in examples])
    clf = SGDClassifier(loss="log_loss", alpha=settings.alpha, max_iter=settings.epochs,
                        tol=None, random_state=settings.seed, n_jobs=settings.n_jobs)
    clf.fit(matrix, y, sample_weight=row_weights(examples, settings))
    coef = clf.coef_.T  # (features + dims, labels)
    word = TypingModel(labels, vocab, coef[: len(vocab)].astype(np.float32),
                       clf.intercept_.astype(np.float32))
    dense = coef[len(vocab):] * scale / sd[:, None]  # over unit rows, unstandardised
    head = Head(labels, dense.astype(np.float32), (-(mu @ dense)).astype(np.float32))
    return word, head
