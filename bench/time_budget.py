"""Per-report extraction time on the evaluation data, to check the default time budget.

Usage: python bench/time_budget.py [EVAL_DIR] [--top N] [--limit N]
Codes every report of bench/news_corpus.jsonl and casualties/*_dev.jsonl one at a time (spaCy
parse and every stage, as ``Pipeline.pipe`` does for one report) and prints the slowest ones
and the maximum against ``Settings().time_budget``: the default must stay above every one.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def eval_files(base: Path) -> list[Path]:
    files = [base / "bench" / "news_corpus.jsonl"]
    files += sorted((base / "casualties").glob("*_dev.jsonl"))
    return [f for f in files if f.exists()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = os.environ.get("SITREP_EVAL_DATA") or ROOT.parent / "shared" / "eval"
    parser.add_argument("eval_dir", nargs="?", default=default)
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--limit", type=int, default=None, help="reports per file at most")
    args = parser.parse_args(argv)

    from sitrep.config import Settings
    from sitrep.pipeline import Pipeline
    from sitrep.records import Report

    files = eval_files(Path(args.eval_dir))
    if not files:
        print(f"no evaluation data under {args.eval_dir}; nothing measured")
        return 0
    settings = Settings(time_budget=0)  # measure, never stop
    pipeline = Pipeline(settings)
    pipeline(Report(id="warm-up", text="Two people were killed in Kharkiv on Monday."))
    times: list[tuple[float, float, int, str, str]] = []
    for path in files:
        with path.open(encoding="utf-8") as lines:
            for n, line in enumerate(lines):
                if args.limit is not None and n >= args.limit:
                    break
                row = json.loads(line)
                report = Report(id=str(row.get("id")), text=row["text"])
                started, cpu = time.perf_counter(), time.process_time()
                pipeline(report)
                times.append((time.perf_counter() - started, time.process_time() - cpu,
                              len(row["text"]), path.name, report.id))
    times.sort(reverse=True)
    budget = Settings().time_budget
    print(f"{len(times)} reports; default time budget {budget:g} s")
    print("  wall s  (CPU s)    chars  file  id   (wall time counts a busy machine's waits)")
    for seconds, cpu, size, name, report_id in times[: args.top]:
        print(f"  {seconds:6.2f}  ({cpu:5.2f})  {size:7d}  {name}  {report_id}")
    slowest = times[0][0] if times else 0.0
    print(f"slowest: {slowest:.2f} s ({slowest / budget:.0%} of the budget)" if budget else
          f"slowest: {slowest:.2f} s")
    return 0 if not budget or slowest < budget else 1


if __name__ == "__main__":
    sys.exit(main())
