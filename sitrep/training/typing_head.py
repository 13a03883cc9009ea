"""Fit the accurate mode's head: logistic regression over MiniLM embeddings (scikit-learn).

The head reads the encoder's mean-pooled embedding, scaled to unit length and standardised;
the standardisation is folded into the exported weights so the runtime needs only numpy. Rows
are weighted as for the word model (``row_weights``: capped country cells, rare labels lifted)
but by the square root of those weights: averaged SGD with the full lift (up to 100x for the
rarest labels) gave a worse head (country-grouped CV weighted F1 0.572 against 0.639).
SGD rather than lbfgs: lbfgs took over three minutes a fold on two busy cores.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from sitrep.pipeline.typing import LABELS
from sitrep.pipeline.typing_accurate import Head
from sitrep.training.data import Example
from sitrep.training.typing import Settings, row_weights

# L2 strength of the head's SGD logistic regression.
HEAD_ALPHA = 1e-4
# The word model's share of the fused log-probabilities (floored at 0.01, ``FLOOR``):
# country-grouped CV on the ACLED notes gave 0.831 / 0.551 at 0.9, against the word model's
# 0.829 / 0.542 alone; lower shares were worse (0.823 / 0.539 at 0.7).
WORD_WEIGHT = 0.9


def unit(embeddings: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length, as ``Head.log_probs`` scales them at run time."""
    return embeddings / np.maximum(np.linalg.norm(embeddings, axis=1, keepdims=True), 1e-9)


def fit_head(embeddings: np.ndarray, examples: Sequence[Example], *, alpha: float = HEAD_ALPHA,
             word_weight: float = WORD_WEIGHT, settings: Settings | None = None) -> Head:
    """A Head fitted on the examples' embeddings (rows in the same order)."""
    from sklearn.linear_model import SGDClassifier

    x = unit(np.asarray(embeddings, dtype=np.float64))
    mu, sd = x.mean(axis=0), x.std(axis=0)
    sd[sd == 0] = 1.0
    present = {e.label for e in examples}
    labels = [lab for lab in LABELS if lab in present]
    y = np.array([labels.index(e.label) for e in examples])
    settings = settings or Settings()
    clf = SGDClassifier(loss="log_loss", alpha=alpha, max_iter=15, tol=None, average=True,
                        random_state=settings.seed, n_jobs=2)
    clf.fit((x - mu) / sd, y, sample_weight=np.sqrt(row_weights(examples, settings)))
    coef = clf.coef_.T / sd[:, None]  # (dims, labels) over unstandardised unit rows
    bias = clf.intercept_ - mu @ coef
    if len(labels) == 2:
        coef = np.hstack([-coef / 2, coef / 2])
        bias = np.array([-bias[0] / 2, bias[0] / 2])
    return Head(labels, coef.astype(np.float32), bias.astype(np.float32), word_weight)
