"""Measure the counts and dates stages against the casualty dev sets (read in place, never copied).

Each text is parsed once; one event spans every sentence, so the document figure is what
``event_counts`` would give a single main event. Usage:

    .venv/bin/python scripts/measure_counts.py [/work/shared/eval/casualties] [--show N]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from sitrep.document import Document, EventDraft, EventMention
from sitrep.nlp import load_model
from sitrep.pipeline import counts as counts_stage
from sitrep.pipeline import dates as dates_stage
from sitrep.records import Report

FILES = ("gtd_dev.jsonl", "wiki_attacks_dev.jsonl", "stanford_msa_dev.jsonl")


def measure(path: Path, show: int) -> dict[str, float]:
    nlp = load_model()
    rows = [json.loads(line) for line in path.open()]
    stats = {"killed": 0, "wounded": 0, "wounded_n": 0, "date": 0, "date_n": 0}
    misses: list[str] = []
    for row, doc in zip(rows, nlp.pipe([r["text"] for r in rows]), strict=True):
        document = Document(report=Report(id=row["id"], text=row["text"]), doc=doc)
        dates_stage.dates(document)
        counts_stage.counts(document)
        n = len(document.sentences)
        mention = EventMention(0, 0, "", "", 0, "attack", 0)
        document.events = [EventDraft(mentions=[mention], kind="attack", sents=list(range(n)))]
        counts_stage.event_counts(document)
        dates_stage.event_dates(document)
        event = document.events[0]
        killed = (event.fatalities.best or 0) if event.fatalities else 0
        wounded = (event.injuries.best or 0) if event.injuries else 0
        ok_k = killed == (row.get("killed") or 0)
        stats["killed"] += ok_k
        if row.get("wounded") is not None:
            stats["wounded_n"] += 1
            stats["wounded"] += wounded == row["wounded"]
        if row.get("date"):
            stats["date_n"] += 1
            got = event.date_start.isoformat() if event.date_start else None
            stats["date"] += got == row["date"]
            if got != row["date"] and len(misses) < show:
                misses.append(f"DATE {row['id']} gold={row['date']} got={got}: {row['text'][:160]}")
        if not ok_k and len(misses) < show:
            misses.append(f"KILLED {row['id']} gold={row.get('killed')} got={killed} "
                          f"wounded gold={row.get('wounded')} got={wounded}: {row['text'][:300]}")
    for line in misses:
        print(line)
    out = {"rows": len(rows), "killed": stats["killed"] / len(rows),
           "wounded": stats["wounded"] / max(stats["wounded_n"], 1)}
    if stats["date_n"]:
        out["date"] = stats["date"] / stats["date_n"]
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("root", nargs="?", default="/work/shared/eval/casualties")
    parser.add_argument("--show", type=int, default=0)
    parser.add_argument("--only", default=None)
    args = parser.parse_args()
    for name in FILES:
        if args.only and args.only not in name:
            continue
        result = measure(Path(args.root) / name, args.show)
        print(name, {k: round(v, 3) if isinstance(v, float) else v for k, v in result.items()})


if __name__ == "__main__":
    main()
