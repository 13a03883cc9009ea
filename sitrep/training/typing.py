"""Fit the typing classifier with scikit-learn and write it in the runtime's numpy format.

The model is a linear classifier over the same binary word, stem, bigram and cue features that
``sitrep.pipeline.typing.features`` computes at run time, each row scaled to unit length, so the
exported weights give the same scores without scikit-learn: one logistic regression per label
(scikit-learn's ``SGDClassifier`` with log loss, seeded), its scores turned into probabilities
by a softmax at run time. SGD rather than a full multinomial solver because it fits 45,000 notes
in under a minute on two cores, so country-grouped cross-validation stays affordable. Rows are
weighted so that no (group, label) cell dominates: 17,000 US protest notes count as at most
``CELL_CAP`` rows, and rare labels are lifted towards the median label.

scikit-learn is imported inside the functions: the pipeline imports this package never, and a
user without the ``train`` extra gets a plain message from the CLI.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from sitrep.pipeline.typing import CASE_TO_SUB, LABELS, NON_POLITICAL, TypingModel, features
from sitrep.training.data import MIN_ROWS, Example, check_counts, read_examples

# Rows of one label from one group (country) that count fully; more share that weight.
CELL_CAP = 1500
# Rare labels are lifted towards the median label's weight by (median / n) ** CLASS_POWER.
CLASS_POWER = 1.0
SEED = 13


@dataclass(frozen=True)
class Settings:
    """Fitting settings; the defaults are those of the shipped model."""

    alpha: float = 1e-5  # L2 strength of SGDClassifier
    min_df: int = 2
    max_features: int = 80_000  # keeps the model file well under 10 MB
    cell_cap: int = CELL_CAP
    class_power: float = CLASS_POWER
    epochs: int = 20
    seed: int = SEED
    n_jobs: int = 4  # labels are fitted in parallel threads; results do not depend on it


@dataclass
class CVResult:
    """Cross-validated predictions and the figures ``sitrep eval`` would give them."""

    kind: str
    folds: int
    gold: list[str]
    predicted: list[str]
    figures: dict[str, float] = field(default_factory=dict)


def row_weights(examples: Sequence[Example], settings: Settings = Settings()) -> np.ndarray:
    """Per-row weights: (group, label) cells capped, then labels lifted towards the median."""
    cells = Counter((e.group, e.label) for e in examples)
    w = np.array([min(1.0, settings.cell_cap / cells[(e.group, e.label)]) for e in examples])
    mass: dict[str, float] = {}
    for e, wi in zip(examples, w, strict=True):
        mass[e.label] = mass.get(e.label, 0.0) + float(wi)
    median = float(np.median(list(mass.values())))
    lift = {lab: max(1.0, (median / m) ** settings.class_power) for lab, m in mass.items()}
    w *= np.array([lift[e.label] for e in examples])
    return w * (len(examples) / w.sum())


def _matrix(feature_sets: Sequence[set[str]], vocab: dict[str, int]) -> Any:
    from scipy.sparse import csr_matrix

    indptr, indices, data = [0], [], []
    for fs in feature_sets:
        cols = sorted(vocab[f] for f in fs if f in vocab)
        indices.extend(cols)
        data.extend([1.0 / math.sqrt(len(cols))] * len(cols) if cols else [])
        indptr.append(len(indices))
    return csr_matrix((np.asarray(data, dtype=np.float64), indices, indptr),
                      shape=(len(feature_sets), len(vocab)))


def _vocabulary(feature_sets: Sequence[set[str]], settings: Settings) -> dict[str, int]:
    df: Counter[str] = Counter()
    for fs in feature_sets:
        df.update(fs)
    kept = [f for f, n in df.items() if n >= settings.min_df]
    kept.sort(key=lambda f: (-df[f], f))
    return {f: i for i, f in enumerate(sorted(kept[: settings.max_features]))}


def fit(examples: Sequence[Example], settings: Settings = Settings(), *,
        feature_sets: Sequence[set[str]] | None = None) -> TypingModel:
    """A TypingModel fitted on the examples (deterministic for ``settings.seed``)."""
    from sklearn.linear_model import SGDClassifier

    feats = list(feature_sets) if feature_sets is not None else [features(e.text)
                                                                  for e in examples]
    vocab = _vocabulary(feats, settings)
    x = _matrix(feats, vocab)
    present = {e.label for e in examples}
    labels = [lab for lab in LABELS if lab in present]
    y = np.array([labels.index(e.label) for e in examples])
    clf = SGDClassifier(loss="log_loss", alpha=settings.alpha, max_iter=settings.epochs,
                        tol=None, random_state=settings.seed, n_jobs=settings.n_jobs)
    clf.fit(x, y, sample_weight=row_weights(examples, settings))
    coef = clf.coef_.T.astype(np.float32)  # (features, labels)
    bias = clf.intercept_.astype(np.float32)
    if len(labels) == 2:  # binary: scikit-learn keeps one column; the softmax needs two
        coef = np.hstack([-coef / 2, coef / 2])
        bias = np.array([-bias[0] / 2, bias[0] / 2], dtype=np.float32)
    return TypingModel(labels, vocab, coef, bias)


def _figures(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, float]:
    """Weighted and macro F1 over gold ACLED types, as ``sitrep eval`` computes them."""
    from sitrep.evaluation.typing import class_f1

    rows = [(g, p) for g, p in zip(gold, predicted, strict=True) if g in CASE_TO_SUB]
    per = class_f1([g for g, _ in rows], [p for _, p in rows])
    n = len(rows)
    non_pol = [p for g, p in zip(gold, predicted, strict=True) if g in NON_POLITICAL]
    out = {
        "rows": float(len(gold)),
        "weighted_f1": sum(c["f1"] * c["support"] for c in per.values()) / n if n else 0.0,
        "macro_f1": sum(c["f1"] for c in per.values()) / len(per) if per else 0.0,
        "accuracy": sum(g == p for g, p in rows) / n if n else 0.0,
    }
    if non_pol:
        out["no_event_share"] = sum(p not in CASE_TO_SUB for p in non_pol) / len(non_pol)
    return {k: round(v, 4) for k, v in out.items()}


def stratified_folds(labels: Sequence[str], k: int, seed: int = SEED) -> list[int]:
    """A fold per row, each label spread round-robin over the folds after a seeded shuffle."""
    rng = np.random.default_rng(seed)
    fold = [0] * len(labels)
    by_label: dict[str, list[int]] = {}
    for i, lab in enumerate(labels):
        by_label.setdefault(lab, []).append(i)
    offset = 0
    for lab in sorted(by_label):
        idx = by_label[lab]
        for j, o in enumerate(rng.permutation(len(idx))):
            fold[idx[o]] = (j + offset) % k
        offset += len(idx)
    return fold


def group_folds(groups: Sequence[str], k: int) -> list[int]:
    """A fold per row such that each group (country) lies in one fold; big groups spread first."""
    sizes = Counter(groups)
    load = [0] * k
    fold_of: dict[str, int] = {}
    for group, n in sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0])):
        f = min(range(k), key=lambda i: (load[i], i))
        fold_of[group] = f
        load[f] += n
    return [fold_of[g] for g in groups]


def cross_validate(examples: Sequence[Example], fold_of: Sequence[int], *,
                   settings: Settings = Settings(), always: Sequence[Example] = (),
                   scored: Callable[[int], bool] | None = None, kind: str = "") -> CVResult:
    """Train on all folds but one (plus ``always``), predict the held-out fold, score all.

    ``scored(i)`` picks the rows whose predictions count (e.g. only the ACLED notes when the
    CASE rows ride along as training data).
    """
    feats = [features(e.text) for e in examples]
    always_feats = [features(e.text) for e in always]
    k = max(fold_of) + 1
    predicted = [""] * len(examples)
    for f in range(k):
        train_idx = [i for i, g in enumerate(fold_of) if g != f]
        test_idx = [i for i, g in enumerate(fold_of) if g == f]
        if not test_idx or not train_idx:
            continue
        model = fit([examples[i] for i in train_idx] + list(always), settings,
                    feature_sets=[feats[i] for i in train_idx] + always_feats)
        for i in test_idx:
            predicted[i] = model.classify_features(feats[i])[0][0]
    keep = [i for i in range(len(examples)) if scored is None or scored(i)]
    gold = [examples[i].label for i in keep]
    pred = [predicted[i] for i in keep]
    return CVResult(kind, k, gold, pred, _figures(gold, pred))


def metadata(examples: Sequence[Example], settings: Settings,
             cv: Sequence[CVResult] = (), notes: Sequence[str] = ()) -> dict[str, Any]:
    """What the model file says about itself: data, date, version, cross-validated figures."""
    from sitrep import __version__

    sources: dict[str, dict[str, Any]] = {}
    for e in examples:
        src = sources.setdefault(e.source, {"name": e.source, "rows": 0, "labels": Counter()})
        src["rows"] += 1
        src["labels"][e.label] += 1
    return {
        "trained": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "sitrep_version": __version__,
        "rows": len(examples),
        "data": [{**s, "labels": dict(sorted(s["labels"].items()))} for s in sources.values()],
        "labels": dict(sorted(Counter(e.label for e in examples).items())),
        "settings": {"model": "SGDClassifier(log_loss), softmax at run time",
                     "alpha": settings.alpha, "epochs": settings.epochs, "seed": settings.seed,
                     "min_df": settings.min_df, "max_features": settings.max_features,
                     "cell_cap": settings.cell_cap, "class_power": settings.class_power},
        "cross_validation": [{"kind": r.kind, "folds": r.folds, **r.figures} for r in cv],
        "notes": list(notes),
    }


def read_all(paths: Sequence[str | Path], *, min_rows: int = MIN_ROWS,
             drop_rare: bool = False) -> list[Example]:
    """Every file's examples, checked per file and then together (rare labels refused)."""
    examples: list[Example] = []
    for path in paths:
        examples += read_examples(path)
    return check_counts(examples, min_rows=min_rows, drop_rare=drop_rare,
                        where=", ".join(str(p) for p in paths))


def cv_for(examples: Sequence[Example], folds: int, settings: Settings = Settings()
           ) -> CVResult | None:
    """Country-grouped CV when the data spans enough countries, else stratified CV."""
    if folds < 2:
        return None
    groups = sorted({e.group for e in examples})
    if len(groups) >= folds and all(e.group != e.source for e in examples):
        return cross_validate(examples, group_folds([e.group for e in examples], folds),
                              settings=settings, kind="country-grouped")
    return cross_validate(examples, stratified_folds([e.label for e in examples], folds),
                          settings=settings, kind="stratified")


def train_files(paths: Sequence[str | Path], *, settings: Settings = Settings(),
                folds: int = 5, min_rows: int = MIN_ROWS, drop_rare: bool = False,
                progress: Callable[[str], None] | None = None) -> TypingModel:
    """``sitrep train typing``: read and check the files, cross-validate, fit on all of it."""
    examples = read_all(paths, min_rows=min_rows, drop_rare=drop_rare)
    say = progress or (lambda _m: None)
    say(f"{len(examples)} rows, {len({e.label for e in examples})} labels")
    result = None
    if folds >= 2:
        say(f"{folds}-fold cross-validation")
        result = cv_for(examples, folds, settings)
    say("fitting on all rows")
    model = fit(examples, settings)
    model.meta = metadata(examples, settings, [result] if result else [])
    return model
