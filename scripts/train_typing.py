"""Train the shipped event-typing classifier and write ``sitrep/data/typing_model.json``.

Training data, read from their paths and never copied (only weights are shipped): ACLED's own
notes with ACLED's coding (``acled_notes_dev.jsonl``, ACLED terms: attribution), the CASE 2021
dev rows and the team's own snippets (``tests/data/typing_train.jsonl``). Rows are weighted by
``sitrep.training.typing.row_weights`` so that the 17,000 US protest notes of 2020 do not swamp
the rest. ``--cv`` measures instead of writing: country-grouped 5-fold CV on the ACLED notes
(train on some countries, test on the others; CASE and own rows always in training) and
stratified 5-fold CV on the CASE rows (ACLED and own rows always in training), classifier alone.

    .venv/bin/python scripts/train_typing.py            # train with CV figures, write the model
    .venv/bin/python scripts/train_typing.py --cv       # measure only
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sitrep.pipeline.typing import (  # noqa: E402
    LABELS,
    MODEL_PATH,
    TypingModel,
    features,
    iter_rows,
)
from sitrep.training import typing as training  # noqa: E402
from sitrep.training.data import Example, read_examples  # noqa: E402

DATA = Path(os.environ.get("SITREP_EVAL_DATA", ROOT.parent / "shared" / "eval"))
CASE_PATH = DATA / "typing" / "case2021_dev.jsonl"
ACLED_PATH = DATA / "typing" / "acled_notes_dev.jsonl"
OWN_PATH = ROOT / "tests" / "data" / "typing_train.jsonl"
SEED = training.SEED
CREDIT = ("Trained in part on ACLED event notes and their coding (Armed Conflict Location & "
          "Event Data Project, acleddata.com; Raleigh et al. 2010, 'Introducing ACLED'), used "
          "under ACLED's terms of use; no ACLED rows are included, only learnt weights. Also "
          "on the CASE 2021 shared task 2 dev rows (Haneczok et al. 2021) and sitrep's own "
          "snippets.")


@dataclass
class Corpus:
    """Examples with their features computed once (45,000 notes take a minute to featurise)."""

    examples: list[Example] = field(default_factory=list)
    feats: list[set[str]] = field(default_factory=list)

    @classmethod
    def read(cls, path: Path) -> Corpus:
        examples = read_examples(path) if path.exists() else []
        return cls(examples, [features(e.text) for e in examples])

    def __add__(self, other: Corpus) -> Corpus:
        return Corpus(self.examples + other.examples, self.feats + other.feats)

    def subset(self, keep: Sequence[int]) -> Corpus:
        return Corpus([self.examples[i] for i in keep], [self.feats[i] for i in keep])

    def fit(self) -> TypingModel:
        return training.fit(self.examples, feature_sets=self.feats)


stratified_folds = training.stratified_folds


def typing_scores(gold: Sequence[str], pred: Sequence[str | None]) -> dict[str, float]:
    """Weighted and macro F1 over rows whose gold is an ACLED type, as ``sitrep eval`` scores."""
    return training._figures(gold, [p or "" for p in pred])


def load(path: Path) -> list[dict[str, str]]:
    return list(iter_rows(path))


_corpora: dict[Path, Corpus] = {}


def corpus(path: Path) -> Corpus:
    """One featurised corpus per file and process."""
    if path not in _corpora:
        _corpora[path] = Corpus.read(path)
    return _corpora[path]


def fit(rows: Sequence[dict[str, str]], own: Sequence[dict[str, str]], seed: int = SEED
        ) -> TypingModel:
    """A model trained on CASE-format ``rows``, the own snippets and all ACLED notes (when
    present): what cross-validation on CASE rows trains on each fold."""
    extra = [Example(" ".join(r["text"].split()), r["label"], "case2021_dev.jsonl",
                     "case2021_dev.jsonl") for r in [*rows]]
    own_ex = [Example(" ".join(r["text"].split()), r["label"], "typing_train.jsonl",
                      "typing_train.jsonl") for r in own]
    base = corpus(ACLED_PATH)
    data = base + Corpus(extra + own_ex, [features(e.text) for e in extra + own_ex])
    return training.fit(data.examples, training.Settings(seed=seed), feature_sets=data.feats)


def grouped_acled() -> tuple[Corpus, list[int]]:
    """ACLED notes, CASE rows and own snippets, with the notes' country-grouped folds (the CASE
    and own rows fold -1: always trained on)."""
    acled, case, own = corpus(ACLED_PATH), corpus(CASE_PATH), corpus(OWN_PATH)
    folds = training.group_folds([e.group for e in acled.examples], 5)
    return acled + case + own, folds + [-1] * (len(case.examples) + len(own.examples))


def cross_validations() -> list[training.CVResult]:
    """Country-grouped CV on the ACLED notes and stratified CV on the CASE rows."""
    acled, case, own = corpus(ACLED_PATH), corpus(CASE_PATH), corpus(OWN_PATH)
    results = []
    if acled.examples:
        results.append(_cv(*grouped_acled(), "ACLED notes, country-grouped"))
    if case.examples:
        folds = training.stratified_folds([e.label for e in case.examples], 5, SEED)
        rows = case + acled + own
        fold_of = folds + [-1] * (len(acled.examples) + len(own.examples))
        results.append(_cv(rows, fold_of, "CASE 2021 dev, stratified"))
    return results


def heldout_scores(data: Corpus, fold_of: Sequence[int], kind: str = "") -> np.ndarray:
    """Each scored row's label probabilities (columns in ``LABELS`` order) from a model fitted
    without its fold. Rows with fold -1 are always trained on and never scored (zeros)."""
    k = max(fold_of) + 1
    probs = np.zeros((len(data.examples), len(LABELS)))
    for f in range(k):
        model = data.subset([i for i, g in enumerate(fold_of) if g != f]).fit()
        cols = [LABELS.index(lab) for lab in model.labels]
        for i in (i for i, g in enumerate(fold_of) if g == f):
            probs[i, cols] = model.scores_features(data.feats[i])
        print(f"{kind}: fold {f + 1}/{k} done", file=sys.stderr, flush=True)
    return probs


def _cv(data: Corpus, fold_of: Sequence[int], kind: str) -> training.CVResult:
    probs = heldout_scores(data, fold_of, kind)
    scored = [i for i, g in enumerate(fold_of) if g >= 0]
    gold = [data.examples[i].label for i in scored]
    pred = [LABELS[int(probs[i].argmax())] for i in scored]
    return training.CVResult(kind, max(fold_of) + 1, gold, pred, training._figures(gold, pred))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--cv", action="store_true", help="report CV figures, write nothing")
    parser.add_argument("--no-cv", action="store_true", help="write without measuring")
    parser.add_argument("--save-cv", type=Path, help="also write the CV figures to this file")
    parser.add_argument("--cv-from", type=Path,
                        help="record the CV figures saved by --save-cv instead of measuring")
    args = parser.parse_args(argv)
    if args.cv_from:
        cv = [training.CVResult(r.pop("kind"), int(r.pop("folds")), [], [], r)
              for r in json.loads(args.cv_from.read_text(encoding="utf-8"))]
    else:
        cv = [] if args.no_cv else cross_validations()
    for result in cv:
        print(json.dumps({"kind": result.kind, **result.figures}))
    if args.save_cv:
        args.save_cv.write_text(json.dumps([{"kind": r.kind, "folds": r.folds, **r.figures}
                                            for r in cv]), encoding="utf-8")
    if args.cv:
        return 0
    data = corpus(ACLED_PATH) + corpus(CASE_PATH) + corpus(OWN_PATH)
    model = data.fit()
    model.meta = training.metadata(data.examples, training.Settings(), cv, notes=[CREDIT])
    model.write(args.out)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB, {len(model.vocab)} "
          f"features, {len(data.examples)} rows)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
