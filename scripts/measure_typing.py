"""Measure the typing stage on the CASE 2021 dev rows, as ``sitrep eval`` scores typing.

Each text is parsed once; detection finds mentions, each kept mention becomes a draft (a stand-in
for coreference), and the typing stage runs with a classifier trained on the other four folds
(stratified 5-fold, own snippets in every training fold). The predicted label is the
``sub_event_type`` of the most confident draft that has one (``type_score`` times the trigger's
weight, dropped drafts left out); else ATTRIB when the classifier says so (a stand-in for the claims
stage); else DIPLO when a draft has a cooperative PLOVER event or the classifier says DIPLO.
The "document fallback" variant first takes the classifier's ACLED label (probability >= 0.3)
when no draft has an ACLED type and none was dropped: what a document-level event would give.

    .venv/bin/python scripts/measure_typing.py [--case PATH]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from train_typing import (  # noqa: E402
    CASE_PATH,
    OWN_PATH,
    SEED,
    fit,
    load,
    stratified_folds,
    typing_scores,
)

from sitrep.document import Document, EventDraft  # noqa: E402
from sitrep.nlp import load_model  # noqa: E402
from sitrep.pipeline import typing as typing_stage  # noqa: E402
from sitrep.pipeline.detection import find_mentions  # noqa: E402
from sitrep.records import Report  # noqa: E402

FALLBACK_MIN_PROB = 0.3
COOPERATIVE = {"CONSULT", "AGREE", "SUPPORT", "COOPERATE", "AID", "REQUEST", "CONCEDE"}


def drafts(document: Document) -> list[EventDraft]:
    """One draft per kind and sentence: a crude stand-in for the coreference stage."""
    by_key: dict[tuple[str, int], EventDraft] = {}
    for m in document.mentions:
        if m.excluded is not None:
            continue
        key = (m.kind, m.sent)
        if key in by_key:
            by_key[key].mentions.append(m)
        else:
            by_key[key] = EventDraft(mentions=[m], kind=m.kind, sents=[m.sent])
    return list(by_key.values())


def predict(document: Document, fallback: bool = True) -> str | None:
    drop = set(document.extras.get("drop_events", []))
    typed = [(e.type_score * e.trigger.weight, e) for i, e in enumerate(document.events)
             if i not in drop and e.sub_event_type]
    if typed:
        best = max(typed, key=lambda t: t[0])[1].sub_event_type
        return typing_stage.SUB_TO_CASE[best or ""]
    label, prob = document.extras.get("typing_doc", (None, 0.0))
    if (fallback and label in typing_stage.CASE_TO_SUB and prob >= FALLBACK_MIN_PROB
            and not drop):
        return label  # a document-level event typed by the classifier alone
    if label == "ATTRIB":
        return "ATTRIB"
    if label == "DIPLO" or any(e.plover and e.plover.event in COOPERATIVE
                               for e in document.events):
        return "DIPLO"
    return None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", type=Path, default=CASE_PATH)
    parser.add_argument("--errors", action="store_true", help="print a confusion summary")
    args = parser.parse_args(argv)
    case = load(args.case)
    own = load(OWN_PATH)
    nlp = load_model()
    docs = list(nlp.pipe([r["text"] for r in case]))
    folds = stratified_folds([r["label"] for r in case], 5, SEED)
    pred: list[str | None] = [None] * len(case)
    bare: list[str | None] = [None] * len(case)
    for f in range(5):
        typing_stage.use_model(fit([r for r, g in zip(case, folds, strict=True) if g != f], own,
                                   SEED))
        for i, r in enumerate(case):
            if folds[i] != f:
                continue
            document = Document(report=Report(id=r["id"], text=r["text"]), doc=docs[i])
            document.mentions = find_mentions(document)
            document.events = drafts(document)
            typing_stage.type_events(document)
            pred[i] = predict(document)
            bare[i] = predict(document, fallback=False)
    typing_stage.use_model(None)
    gold = [r["label"] for r in case]
    for name, p in (("stage", bare), ("stage + document fallback", pred)):
        scores = typing_scores(gold, p)
        print(name, json.dumps({k: round(v, 4) for k, v in scores.items()}))
    if args.errors:
        confusions = Counter((g, p) for g, p in zip(gold, pred, strict=True) if g != p)
        for (g, p), n in confusions.most_common(25):
            print(f"{n:3d}  {g:32s} -> {p}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
