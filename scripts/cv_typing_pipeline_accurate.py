"""Cross-validated typing figures of the whole pipeline on CASE 2021 dev rows, accurate mode.

As ``scripts/cv_typing_pipeline.py``, with the accurate mode's joint model (words and MiniLM
embedding) fitted per fold on the other CASE folds, all ACLED notes and the own snippets. The
embeddings come from the cache that ``scripts/train_typing_accurate.py`` fills (encoded there
once); needs the ``accurate`` and ``train`` extras.

    python scripts/cv_typing_pipeline_accurate.py [--cache DIR]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from train_typing import (  # noqa: E402
    ACLED_PATH,
    CASE_PATH,
    OWN_PATH,
    SEED,
    corpus,
    stratified_folds,
)
from train_typing_accurate import embeddings  # noqa: E402

from sitrep.api import extract_batch  # noqa: E402
from sitrep.evaluation import typing as typing_eval  # noqa: E402
from sitrep.pipeline import typing_accurate  # noqa: E402
from sitrep.pipeline.typing import iter_rows  # noqa: E402
from sitrep.training import typing_head  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=Path("/tmp/sitrep-minilm-cache"))
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    if not CASE_PATH.exists():
        print(f"no data at {CASE_PATH}; nothing measured")
        return 0
    rows = list(iter_rows(CASE_PATH))
    acled, case, own = corpus(ACLED_PATH), corpus(CASE_PATH), corpus(OWN_PATH)
    emb = {p: embeddings(p, [e.text for e in c.examples], args.cache)
           for p, c in ((ACLED_PATH, acled), (CASE_PATH, case), (OWN_PATH, own))}
    fold_of = stratified_folds([r["label"] for r in rows], args.folds, SEED)
    results: list[dict | None] = [None] * len(rows)
    typing_accurate.use_mode("accurate")
    try:
        for k in range(args.folds):
            train = [i for i, f in enumerate(fold_of) if f != k]
            test = [i for i, f in enumerate(fold_of) if f == k]
            data = acled + case.subset(train) + own
            vectors = np.vstack([emb[ACLED_PATH], emb[CASE_PATH][train], emb[OWN_PATH]])
            typing_accurate.use_models(*typing_head.fit_joint(
                data.examples, vectors, feature_sets=data.feats))
            batch = [{"id": rows[i]["id"], "text": rows[i]["text"]} for i in test]
            for i, res in zip(test, extract_batch(batch), strict=True):
                results[i] = res.to_dict()
            print(f"fold {k + 1}/{args.folds} done", file=sys.stderr, flush=True)
    finally:
        typing_accurate.use_models(None)
        typing_accurate.use_mode(None)
    score = typing_eval.score(rows, results, f"{CASE_PATH.name}, {args.folds}-fold CV, accurate")
    print(json.dumps(score.figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
