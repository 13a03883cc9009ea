"""Train the event-typing classifier and write ``sitrep/data/typing_model.json``.

Training data: the CASE 2021 dev rows (read from their path, never copied; only the weights are
shipped) and the team's own snippets in ``tests/data/typing_train.jsonl``. ``--cv`` reports
stratified 5-fold cross-validated figures on the CASE rows instead (train folds include the own
snippets), scored as ``sitrep eval`` scores typing.

    .venv/bin/python scripts/train_typing.py            # train, write the artefact
    .venv/bin/python scripts/train_typing.py --cv       # measure the classifier alone
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sitrep.pipeline.typing import (  # noqa: E402
    CASE_TO_SUB,
    MODEL_PATH,
    NON_POLITICAL,
    TypingModel,
    iter_rows,
    train,
)

CASE_PATH = Path("/work/shared/eval/typing/case2021_dev.jsonl")
OWN_PATH = ROOT / "tests" / "data" / "typing_train.jsonl"
SEED = 13
OWN_WEIGHT = 0.5  # the own snippets are shorter and cleaner than news; they count less
PARAMS = {"min_df": 2, "l2": 1e-4, "epochs": 300, "lr": 0.05}


def stratified_folds(labels: Sequence[str], k: int, seed: int) -> list[int]:
    """A fold number per row, each label spread round-robin over folds after a seeded shuffle."""
    rng = np.random.default_rng(seed)
    fold = [0] * len(labels)
    by_label: dict[str, list[int]] = {}
    for i, lab in enumerate(labels):
        by_label.setdefault(lab, []).append(i)
    offset = 0
    for lab in sorted(by_label):
        idx = by_label[lab]
        order = rng.permutation(len(idx))
        for j, o in enumerate(order):
            fold[idx[o]] = (j + offset) % k
        offset += len(idx)
    return fold


def typing_scores(gold: Sequence[str], pred: Sequence[str | None]) -> dict[str, float]:
    """Weighted and macro F1 over rows whose gold is an ACLED type; non-political abstention."""
    acled = set(CASE_TO_SUB)
    rows = [(g, p) for g, p in zip(gold, pred, strict=True) if g in acled]
    support = Counter(g for g, _ in rows)
    f1s: dict[str, float] = {}
    for lab in support:
        tp = sum(1 for g, p in rows if g == lab and p == lab)
        fp = sum(1 for g, p in rows if g != lab and p == lab)
        fn = support[lab] - tp
        f1s[lab] = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    n = sum(support.values())
    non_pol = [(g, p) for g, p in zip(gold, pred, strict=True) if g in NON_POLITICAL]
    others = [(g, p) for g, p in zip(gold, pred, strict=True) if g in {"DIPLO", "ATTRIB"}]
    return {
        "weighted_f1": sum(f1s[lab] * support[lab] for lab in support) / n if n else 0.0,
        "macro_f1": sum(f1s.values()) / len(f1s) if f1s else 0.0,
        "accuracy_acled": sum(1 for g, p in rows if g == p) / n if n else 0.0,
        "nonpolitical_no_event": (sum(1 for _, p in non_pol if p not in acled) / len(non_pol)
                                  if non_pol else 0.0),
        "diplo_attrib_accuracy": (sum(1 for g, p in others if g == p) / len(others)
                                  if others else 0.0),
        "rows_acled": float(n),
    }


def load(path: Path) -> list[dict[str, str]]:
    return list(iter_rows(path))


def fit(rows: Sequence[dict[str, str]], own: Sequence[dict[str, str]], seed: int) -> TypingModel:
    texts = [r["text"] for r in rows] + [r["text"] for r in own]
    labels = [r["label"] for r in rows] + [r["label"] for r in own]
    weights = [1.0] * len(rows) + [OWN_WEIGHT] * len(own)
    return train(texts, labels, sample_weight=weights, seed=seed, **PARAMS)


def cross_validate(case: Sequence[dict[str, str]], own: Sequence[dict[str, str]], k: int = 5,
                   seed: int = SEED) -> tuple[list[str | None], dict[str, float]]:
    folds = stratified_folds([r["label"] for r in case], k, seed)
    pred: list[str | None] = [None] * len(case)
    for f in range(k):
        model = fit([r for r, g in zip(case, folds, strict=True) if g != f], own, seed)
        for i, r in enumerate(case):
            if folds[i] == f:
                pred[i] = model.classify(r["text"])[0][0]
    return pred, typing_scores([r["label"] for r in case], pred)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", type=Path, default=CASE_PATH)
    parser.add_argument("--own", type=Path, default=OWN_PATH)
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    parser.add_argument("--cv", action="store_true", help="report 5-fold CV figures, write nothing")
    parser.add_argument("--no-own", action="store_true", help="train without the own snippets")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    case = load(args.case) if args.case.exists() else []
    own = [] if args.no_own else load(args.own)
    if args.cv:
        if not case:
            parser.error(f"{args.case} not found")
        _, scores = cross_validate(case, own, seed=args.seed)
        print(json.dumps({k: round(v, 4) for k, v in scores.items()}, indent=2))
        return 0
    model = fit(case, own, args.seed)
    args.out.write_text(json.dumps(model.to_json(), separators=(",", ":")) + "\n",
                        encoding="utf-8")
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KB, {len(model.vocab)} features,"
          f" {len(case)} CASE + {len(own)} own rows)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
