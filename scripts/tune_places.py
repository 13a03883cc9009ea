"""Search the places stage's ranking weights against the geoparsing dev splits (read in place).

Usage: python scripts/tune_places.py [EVAL_DIR] [--tune lgl] [--check geovirus] [--sweeps 2]

Each dataset is parsed by spaCy once (cached in a temporary folder), so one evaluation of a
weight setting only re-runs the places stage: seconds, not minutes. A coordinate search scales
one weight at a time by 1.3 up or down and keeps a change that resolves at least two more
toponyms of the tuned split within 161 km while losing at most two of the check split (held
out, to catch over-fitting). It prints every try; it changes no file: copy what it finds into
``sitrep/places/resolve.py`` by hand, and say in docs/EVALUATION.md that it was tuned there.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from spacy.tokens import DocBin

import sitrep.places.resolve as places
from sitrep.document import Document
from sitrep.evaluation.geoparse import score
from sitrep.nlp import load_model
from sitrep.places.mentions import find_places
from sitrep.records import Report

WEIGHTS = ("W_PRIOR", "W_COUNTRY", "W_ADMIN", "W_DEMONYM", "W_NEAR", "NEAR_KM", "W_SUPPORT",
           "STRONG_SUPPORT", "REGION_SHARE", "W_TYPED", "W_OWN_REGION", "W_CONTAINER",
           "W_ANCHOR", "SOFT_SHARPNESS")


class Split:
    """One geoparsing split, parsed once, scored as often as needed."""

    def __init__(self, path: Path, cache: Path) -> None:
        self.name = path.stem
        with open(path, encoding="utf-8") as fh:
            self.rows = [json.loads(line) for line in fh if line.strip()]
        nlp = load_model()
        binary = cache / f"{self.name}.spacy"
        if not binary.exists():
            docs = DocBin()
            for doc in nlp.pipe((r["text"] for r in self.rows), batch_size=32):
                docs.add(doc)
            docs.to_disk(binary)
        self.docs = list(DocBin().from_disk(binary).get_docs(nlp.vocab))

    def correct(self) -> tuple[int, int]:
        """Toponyms resolved within 161 km of gold, and toponyms matched."""
        preds = []
        for row, doc in zip(self.rows, self.docs, strict=True):
            document = Document(report=Report(id=str(row["id"]), text=row["text"]), doc=doc)
            find_places(document)
            preds.append([m.place.to_dict() for m in document.places])
        figures = score(self.rows, preds, self.name).figures
        return round(figures["acc161"] * figures["matched"]), figures["matched"]


def search(tuned: Split, check: Split, sweeps: int) -> dict[str, float]:
    best = (tuned.correct(), check.correct())
    print(f"start: {tuned.name} {best[0]}, {check.name} {best[1]}", flush=True)
    for _ in range(sweeps):
        moved = False
        for name in WEIGHTS:
            start = getattr(places, name)
            kept = start
            for value in (start * 1.3, start / 1.3):
                setattr(places, name, value)
                result = (tuned.correct(), check.correct())
                print(f"  {name}={value:.3g}: {tuned.name} {result[0]}, {check.name} {result[1]}",
                      flush=True)
                if result[0][0] >= best[0][0] + 2 and result[1][0] >= best[1][0] - 2:
                    best, kept, moved = result, value, True
                    break
            setattr(places, name, kept)
        if not moved:
            break
    found = {name: round(getattr(places, name), 3) for name in WEIGHTS}
    print(f"best: {tuned.name} {best[0]}, {check.name} {best[1]}: {found}")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_dir", nargs="?", default="../shared/eval")
    parser.add_argument("--tune", default="lgl")
    parser.add_argument("--check", default="geovirus")
    parser.add_argument("--sweeps", type=int, default=2)
    args = parser.parse_args()
    geo = Path(args.eval_dir) / "geo"
    with tempfile.TemporaryDirectory(prefix="sitrep-tune-") as tmp:
        cache = Path(tmp)
        search(Split(geo / f"{args.tune}.jsonl", cache), Split(geo / f"{args.check}.jsonl", cache),
               args.sweeps)


if __name__ == "__main__":
    main()
