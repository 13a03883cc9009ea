"""Near-duplicate detection, measured: precision and recall of ``sitrep.store.dedup`` on a
corpus with known copies.

    python bench/dedup_pr.py                      # ../shared/eval/bench/news_corpus.jsonl
    python bench/dedup_pr.py --thresholds 0.3,0.5,0.7

Every article of the news corpus is an original; each gets altered copies as other outlets
print a wire story: other boilerplate around it, another headline, a sentence dropped, a
sentence changed (numbers and a word), and all of these at once. Originals and copies are
ingested in a shuffled order (stub extraction, a real SQLite store); a report flagged as a
duplicate is right when what it was matched with is in its own group. Recall counts the copies
whose group was already seen (the first of a group to arrive can only be stored).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import tempfile
from collections import Counter
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sitrep.records import DocumentResult, Report  # noqa: E402
from sitrep.store import ingest, open_store  # noqa: E402
from sitrep.store.dedup import Dedup  # noqa: E402
from sitrep.store.models import copies, reports  # noqa: E402

HEADS = ["BREAKING: ", "UPDATE 2-", "Live updates | ", "EXCLUSIVE - ", "World News: "]
LEADS = ["By Staff Reporter | Published 10:42 GMT | Share this article on Facebook, X, "
         "WhatsApp and email\n",
         "Advertisement. Skip to main content. Menu. Home World Politics Business Sport.\n"]
TAILS = ["\nRead more: our full coverage of the conflict. Subscribe to our daily newsletter "
         "for the latest headlines. (c) 2024 The Daily Paper. All rights reserved.",
         "\nReporting by our correspondents; editing by the news desk. Our Standards: the "
         "Trust Principles. Related stories: see the live page and the picture gallery."]


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text) if s]


def alter(text: str, how: str, rng: random.Random) -> str:
    parts = sentences(text)
    if how in ("headline", "all") and parts:
        parts[0] = rng.choice(HEADS) + " ".join(parts[0].split()[: max(4, len(parts[0]) // 12)])
    if how in ("drop", "all") and len(parts) > 3:
        del parts[rng.randrange(1, len(parts))]
    if how in ("change", "all") and len(parts) > 2:
        k = rng.randrange(1, len(parts))
        changed = re.sub(r"\d+", lambda m: str(int(m[0]) + 1), parts[k])
        words = changed.split()
        if words:
            words[rng.randrange(len(words))] = rng.choice(["reportedly", "officials", "later"])
        parts[k] = " ".join(words)
    body = " ".join(parts)
    if how in ("boilerplate", "all"):
        body = rng.choice(LEADS) + body + rng.choice(TAILS)
    return body


KINDS = ("boilerplate", "headline", "drop", "change", "all")


def corpus(path: Path, seed: int = 17) -> list[tuple[Report, int]]:
    rng = random.Random(seed)
    items: list[tuple[Report, int]] = []
    for group, line in enumerate(path.read_text(encoding="utf-8").split("\n")):
        if not line.strip():
            continue
        text = json.loads(line)["text"]
        items.append((Report(f"g{group}-orig", text, date(2024, 5, 1), "Wire",
                             f"https://wire.example/{group}"), group))
        for kind in KINDS:
            items.append((Report(f"g{group}-{kind}", alter(text, kind, rng), date(2024, 5, 1),
                                 f"Outlet {kind}", f"https://{kind}.example/{group}"), group))
    rng.shuffle(items)
    return items


def stub(items):  # type: ignore[no-untyped-def]
    for report in items:
        yield DocumentResult(id=report.id, published=report.published)


def measure(items: list[tuple[Report, int]], threshold: float) -> dict[str, object]:
    from sqlalchemy import select

    group_of = {report.id: group for report, group in items}
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(os.path.join(folder, "dedup.db"))
        stats = ingest(store, [r for r, _ in items], extractor=stub,
                       dedup=Dedup(threshold=threshold))
        with store.read() as connection:
            stored = {pk: doc for pk, doc in connection.execute(
                select(reports.c.id, reports.c.document_id))}
            found = list(connection.execute(select(copies.c.document_id, copies.c.report_pk)))
        store.dispose()
    right = sum(group_of[doc] == group_of[stored[pk]] for doc, pk in found)
    groups = Counter(group_of.values())
    should = sum(n - 1 for n in groups.values())  # every member after a group's first
    by_kind = Counter(doc.split("-", 1)[1] for doc, pk in found
                      if group_of[doc] == group_of[stored[pk]])
    return {"threshold": threshold, "reports": len(items), "stored": stats.stored,
            "flagged": len(found), "right": right, "should": should,
            "precision": round(right / len(found), 4) if found else None,
            "recall": round(right / should, 4), "caught_by_kind": dict(sorted(by_kind.items()))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    data = Path(os.environ.get("SITREP_EVAL_DATA") or ROOT.parent / "shared" / "eval")
    parser.add_argument("--corpus", type=Path, default=data / "bench" / "news_corpus.jsonl")
    parser.add_argument("--thresholds", default="0.5")
    args = parser.parse_args()
    items = corpus(args.corpus)
    for threshold in (float(t) for t in args.thresholds.split(",")):
        print(json.dumps(measure(items, threshold)))


if __name__ == "__main__":
    main()
