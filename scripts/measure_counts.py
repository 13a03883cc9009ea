"""Measure casualty figures and dates through the whole pipeline (eval data read in place).

Runs every stage, as ``sitrep eval casualties`` does, and scores the same way (the document's
killed figure is the sum of ``fatalities.best`` over its events). With ``--dump DIR`` it writes,
per row, the events and every count mention the ``counts`` stage found, to sort the misses by
cause (a figure not found, found but not attached, or split over several events). Usage:

    .venv/bin/python scripts/measure_counts.py [/work/shared/eval/casualties] [--show N]
        [--only gtd] [--limit N] [--dump /tmp/counts]
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path
from typing import Any

from sitrep.document import Document
from sitrep.evaluation.casualties import counts_victims_only, totals
from sitrep.pipeline import Pipeline
from sitrep.records import DocumentResult, Report

FILES = ("gtd_dev.jsonl", "wiki_attacks_dev.jsonl", "stanford_msa_dev.jsonl", "wad_dev.jsonl",
         "gva_dev.jsonl")


class _Recording(Pipeline):
    """A pipeline that keeps each Document, for the dump."""

    def __init__(self) -> None:
        super().__init__()
        self.documents: dict[str, Document] = {}

    def run_stages(self, document: Document) -> DocumentResult:
        self.documents[document.report.id] = document
        return super().run_stages(document)


def _detail(document: Document) -> dict[str, Any]:
    drop = set(document.extras.get("drop_events", ()))
    events = [{
        "kind": e.kind, "dropped": i in drop, "sents": e.sents, "context": e.context,
        "trigger": e.trigger.text, "confidence": round(e.confidence, 2),
        "date": e.date_start.isoformat() if e.date_start else None,
        "killed": e.fatalities.best if e.fatalities else None,
        "civilians": e.fatalities.civilians if e.fatalities else None,
        "injured": e.injuries.best if e.injuries else None,
    } for i, e in enumerate(document.events)]
    counts = [{"text": m.text, "category": m.category, "best": m.count.best, "sent": m.sent,
               "conf": m.confidence, "update": m.update} for m in document.counts]
    return {"sentences": [s.text for s in document.sentences], "events": events,
            "counts": counts, "mentions": [(m.text, m.sent, m.kind, m.excluded, m.role)
                                           for m in document.mentions]}


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def measure(pipeline: _Recording, path: Path, show: int, limit: int | None,
            dump: Path | None) -> dict[str, float]:
    rows = [json.loads(line) for line in path.open()][:limit]
    reports = [Report(id=r["id"], text=r["text"], published=_day(r.get("published")))
               for r in rows]
    stats = {"killed": 0, "wounded": 0, "wounded_n": 0, "date": 0, "date_n": 0}
    misses: list[str] = []
    out_rows = []
    for row, result in zip(rows, pipeline.pipe(reports), strict=True):
        events = result.events or []
        killed, wounded = totals(result.to_dict(), counts_victims_only(row, path.name))
        ok_k = killed == (row.get("killed") or 0)
        ok_w = row.get("wounded") is None or wounded == row["wounded"]
        stats["killed"] += ok_k
        if row.get("wounded") is not None:
            stats["wounded_n"] += 1
            stats["wounded"] += ok_w
        main = max(events, key=lambda e: e.confidence or 0.0) if events else None
        got = str(main.event_date) if main and main.event_date else None
        ok_d = True
        if row.get("date"):
            stats["date_n"] += 1
            ok_d = got == row["date"]
            stats["date"] += ok_d
        if not (ok_k and ok_w and ok_d) and len(misses) < show:
            misses.append(f"{row['id']} killed {row.get('killed')}/{killed} wounded "
                          f"{row.get('wounded')}/{wounded} date {row.get('date')}/{got}: "
                          f"{row['text'][:200]}")
        if dump is not None:
            document = pipeline.documents.pop(row["id"], None)
            out_rows.append({"id": row["id"], "gold_killed": row.get("killed"),
                             "gold_wounded": row.get("wounded"), "gold_date": row.get("date"),
                             "killed": killed, "wounded": wounded, "date": got,
                             **(_detail(document) if document else {})})
        pipeline.documents.clear() if dump is None else None
    if dump is not None:
        dump.mkdir(parents=True, exist_ok=True)
        with (dump / path.name).open("w") as f:
            for r in out_rows:
                f.write(json.dumps(r) + "\n")
    for line in misses:
        print(line)
    n = max(len(rows), 1)
    res = {"rows": len(rows), "killed": stats["killed"] / n,
           "wounded": stats["wounded"] / max(stats["wounded_n"], 1)}
    if stats["date_n"]:
        res["date"] = stats["date"] / stats["date_n"]
    return res


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("root", nargs="?", default="/work/shared/eval/casualties")
    parser.add_argument("--show", type=int, default=0)
    parser.add_argument("--only", default=None)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--dump", type=Path, default=None)
    args = parser.parse_args()
    pipeline = _Recording()
    for name in FILES:
        if args.only and args.only not in name:
            continue
        result = measure(pipeline, Path(args.root) / name, args.show, args.limit, args.dump)
        print(name, {k: round(v, 3) if isinstance(v, float) else v for k, v in result.items()})


if __name__ == "__main__":
    main()
