"""Country-grouped CV of the whole pipeline on ACLED's notes (typing through every stage).

``train_typing.py --cv`` and ``finetune_typing.py --report`` measure the classifier alone. Here
each note is coded by the full ``sitrep extract`` pipeline (detection, kinds, rules, actors,
the classifier) with a word model fitted without the note's countries (the same five folds),
and scored with ``sitrep eval acled``'s scorer. In the accurate mode the encoder's part is each
note's held-out probabilities saved by ``finetune_typing.py --fold K`` (from an encoder
fine-tuned without its countries; PyTorch float weights, so within int8 rounding of what the
shipped ONNX graph computes), fused with the fold's word model at the (word share, prior
adjustment) chosen on the other folds, as ``finetune_typing.py --report`` chooses them.

    python scripts/cv_acled_pipeline.py [--typing-mode accurate] [--sample N] [--only IDS]
        [--json OUT] [--dump OUT]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from train_typing import ACLED_PATH, grouped_acled, load  # noqa: E402

from sitrep.api import extract_batch  # noqa: E402
from sitrep.evaluation import acled as acled_eval  # noqa: E402
from sitrep.evaluation.typing import ACLED_TO_CASE, class_f1  # noqa: E402
from sitrep.pipeline import typing as typing_stage  # noqa: E402
from sitrep.pipeline import typing_accurate  # noqa: E402
from sitrep.pipeline.typing_model import LABELS, features  # noqa: E402


def _accurate_fold(fold: int, known: list[str], share: float, adjust: np.ndarray,
                   heldout: np.ndarray, index: dict[str, int]) -> None:
    """Make the accurate mode fuse the fold's word model with the saved held-out encoder
    probabilities of the note being coded."""
    head = typing_accurate.Head(known, np.zeros((1, len(known)), np.float32),
                                np.zeros(len(known), np.float32), share, adjust=adjust)
    cols = [LABELS.index(k) for k in known]

    def classify_pair(text: str) -> tuple[list[tuple[str, float]], list[tuple[str, float]]]:
        word = typing_stage.load_model()
        if word is None or not text.strip():
            return [], []
        logits = np.log(np.maximum(heldout[index[" ".join(text.split())]][cols], 1e-30))
        return typing_accurate.rank_pair(word.labels, word.scores_features(features(text)),
                                         head, logits)

    # this process only: a measurement, not a mode
    typing_accurate.classify_pair = classify_pair


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--typing-mode", choices=("default", "accurate"), default="default")
    parser.add_argument("--sample", type=int, default=0,
                        help="a seeded sample of N notes per fold (0: all)")
    parser.add_argument("--only", type=Path,
                        help="code only the notes whose ids this file lists (one a line)")
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--dump", type=Path,
                        help="write each note's gold, pipeline and classifier labels (JSONL)")
    args = parser.parse_args()
    if not ACLED_PATH.exists():
        print(f"no data at {ACLED_PATH}; nothing measured")
        return 0
    rows = load(ACLED_PATH)
    data, fold_of = grouped_acled()
    notes = fold_of[:len(rows)]
    rng = np.random.default_rng(2024)
    only = set(args.only.read_text(encoding="utf-8").split()) if args.only else None
    chosen: list[tuple[float, float]] = []
    heldout = np.zeros(0)
    if args.typing_mode == "accurate":
        import finetune_typing

        typing_accurate.use_mode("accurate")
        heldout = finetune_typing.load_heldout(notes)
        _, _, chosen = finetune_typing.report(finetune_typing.SHARES, finetune_typing.TAUS)
    results: list[dict[str, Any] | None] = [None] * len(rows)
    alone: list[str | None] = [None] * len(rows)  # the classifier's own label, for comparison
    scored: list[int] = []
    try:
        for k in range(max(notes) + 1):
            idx = [i for i, f in enumerate(notes) if f == k]
            if args.sample:
                idx = sorted(rng.choice(idx, min(args.sample, len(idx)), replace=False).tolist())
            if only is not None:
                idx = [i for i in idx if rows[i]["id"] in only]
            model = data.subset([i for i, f in enumerate(fold_of) if f != k]).fit()
            typing_stage.use_model(model)
            if args.typing_mode == "accurate":
                known, gold_other = finetune_typing.fold_labels(notes, k)
                share, tau = chosen[k]
                _accurate_fold(k, known, share,
                               finetune_typing.prior_adjust(known, gold_other, tau), heldout,
                               {" ".join(rows[i]["text"].split()): i for i in idx})
            batch = [{"id": rows[i]["id"], "text": rows[i]["text"]} for i in idx]
            for i, res in zip(idx, extract_batch(batch), strict=True):
                results[i] = res.to_dict()
                text = rows[i]["text"]
                ranked = (typing_accurate.classify_pair(text)[0]
                          if args.typing_mode == "accurate" else typing_stage.classify(text))
                alone[i] = ranked[0][0] if ranked else None
            scored += idx
            print(f"fold {k + 1}: {len(idx)} notes coded", file=sys.stderr, flush=True)
    finally:
        typing_stage.use_model(None)
    score = acled_eval.score([rows[i] for i in sorted(scored)],
                             [results[i] for i in sorted(scored)],
                             f"{ACLED_PATH.name}, country-grouped CV, whole pipeline, "
                             f"{args.typing_mode} mode")
    figures = dict(score.figures)
    typed = [(ACLED_TO_CASE[rows[i]["label"]], alone[i]) for i in sorted(scored)
             if rows[i]["label"] in ACLED_TO_CASE]
    per = class_f1([g for g, _ in typed], [p for _, p in typed])
    figures["classifier_alone_weighted_f1"] = sum(c["f1"] * c["support"]
                                                  for c in per.values()) / len(typed)
    figures["classifier_alone_macro_f1"] = sum(c["f1"] for c in per.values()) / len(per)
    print(json.dumps(figures, indent=2))
    if args.dump:
        with args.dump.open("w", encoding="utf-8") as out:
            for i in sorted(scored):
                out.write(json.dumps({"id": rows[i]["id"], "gold": rows[i]["label"],
                                      "pipeline": acled_eval.predicted_label(results[i])[0],
                                      "classifier": alone[i], "result": results[i]}) + "\n")
    if args.json:
        per = score.details.get("per_label", {})
        args.json.write_text(json.dumps({"figures": figures, "per_label": per}, indent=2),
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
