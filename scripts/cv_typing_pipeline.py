"""Cross-validated typing figures of the whole pipeline on CASE 2021 dev rows.

The shipped classifier is trained on all CASE dev rows, so scoring the shipped pipeline on those
rows would flatter it. Here each fold is coded by the full ``sitrep extract`` pipeline with a
classifier trained on the other folds (plus ACLED's notes and the team's own snippets), and the
predictions of all folds are scored together with the scorer of ``sitrep eval typing``.

    .venv/bin/python scripts/cv_typing_pipeline.py [PATH] [--folds 5] [--typing-mode accurate]

In the accurate mode the word model is refitted per fold the same way; the encoder is the
shipped one, which was fine-tuned on ACLED's notes only and so has never seen a CASE row.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from train_typing import OWN_PATH, SEED, fit, load, stratified_folds  # noqa: E402

from sitrep.api import extract_batch  # noqa: E402
from sitrep.evaluation import typing as typing_eval  # noqa: E402
from sitrep.pipeline import typing as typing_stage  # noqa: E402
from sitrep.pipeline import typing_accurate  # noqa: E402


def cross_validated(path: Path, folds: int = 5) -> tuple[typing_eval.Score, list[dict | None]]:
    """Score the whole pipeline on ``path``, each fold typed by a classifier trained without it."""
    rows = load(path)
    own = load(OWN_PATH)
    fold_of = stratified_folds([r["label"] for r in rows], folds, SEED)
    results: list[dict | None] = [None] * len(rows)
    try:
        for k in range(folds):
            train = [r for r, f in zip(rows, fold_of, strict=True) if f != k]
            test_idx = [i for i, f in enumerate(fold_of) if f == k]
            typing_stage.use_model(fit(train, own, SEED))
            batch = [{"id": rows[i]["id"], "text": rows[i]["text"]} for i in test_idx]
            for i, res in zip(test_idx, extract_batch(batch), strict=True):
                results[i] = res.to_dict()
    finally:
        typing_stage.use_model(None)
    name = f"{path.name}, {folds}-fold CV"
    return typing_eval.score(rows, results, name), results


def main() -> int:
    data = Path(os.environ.get("SITREP_EVAL_DATA", ROOT.parent / "shared" / "eval"))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default=str(data / "typing" / "case2021_dev.jsonl"))
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--dump", help="write each row's gold and predicted label (JSONL)")
    parser.add_argument("--typing-mode", choices=("default", "accurate"), default="default")
    args = parser.parse_args()
    typing_accurate.use_mode(args.typing_mode)
    path = Path(args.path)
    if not path.exists():
        print(f"no data at {path}; nothing measured")
        return 0
    score, results = cross_validated(path, args.folds)
    print(json.dumps(score.figures, indent=2))
    if args.dump:
        with open(args.dump, "w", encoding="utf-8") as out:
            for row, res in zip(load(path), results, strict=True):
                label, conf = typing_eval.predicted_label(res)
                out.write(json.dumps({"id": row["id"], "gold": row["label"], "pred": label,
                                      "confidence": conf, "result": res}) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
