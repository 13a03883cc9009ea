"""Throughput of ``--workers 2`` against one worker, on the same reports, in the same run.

Usage: python bench/workers.py [EVAL_DIR or news_corpus.jsonl] [--rounds N] [--workers N]
       [--limit N] [--repeat K]
Both sides do what ``sitrep extract --format jsonl`` does after reading: code the reports and
encode each result as a JSON line; the outputs are compared byte for byte every round. Models
load before timing (one process: the pipeline; the pool: a full warm-up pass, so every worker
has its model and warm caches). Rounds alternate one worker and N workers so neither gets the
quieter minutes of a shared machine; the figures are medians, with the load average beside
them. Target: N=2 at least 1.7 times one worker's docs/s.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGET = 1.7


def corpus_path(arg: str | None) -> Path:
    base = Path(arg or os.environ.get("SITREP_EVAL_DATA") or ROOT.parent / "shared" / "eval")
    return base if base.suffix == ".jsonl" else base / "bench" / "news_corpus.jsonl"


def load_reports(path: Path, limit: int = 0, repeat: int = 1) -> list:
    """The corpus as reports, ``repeat`` times over (ids made unique), the first ``limit``."""
    from sitrep.records import Report

    rows = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    reports = [Report(id=f"{r.get('id', n)}~{k}" if k else str(r.get("id", n)), text=r["text"])
               for k in range(max(repeat, 1)) for n, r in enumerate(rows)]
    return reports[:limit] if limit else reports


def encode(results: Iterable) -> list[str]:
    return [json.dumps(r.to_dict(), ensure_ascii=False) for r in results]


def loadavg() -> str:
    try:
        return "/".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:  # pragma: no cover
        return "?"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", help="eval folder or the corpus JSONL file")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--limit", type=int, default=0, help="only the first N reports")
    parser.add_argument("--repeat", type=int, default=1, help="the corpus K times over")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--record", action="store_true",
                        help="write the figures into docs/BENCHMARKS.md (its workers section)")
    args = parser.parse_args(argv)

    path = corpus_path(args.data)
    if not path.exists():
        print(f"bench: no corpus at {path}; set SITREP_EVAL_DATA or pass a path. Skipped.")
        return 0
    reports = load_reports(path, args.limit, args.repeat)

    from sitrep.api import default_pipeline
    from sitrep.parallel import WorkerPool

    pipeline = default_pipeline()
    load_before = loadavg()
    started = time.perf_counter()
    list(pipeline.pipe(reports[:64]))
    with WorkerPool(args.workers) as pool:
        reference = encode(pool.pipe(reports))  # warm-up: every worker loads its model
        warm_s = time.perf_counter() - started
        one_s: list[float] = []
        many_s: list[float] = []
        identical = True
        for _ in range(max(args.rounds, 1)):
            t = time.perf_counter()
            one = encode(pipeline.pipe(reports))
            one_s.append(time.perf_counter() - t)
            t = time.perf_counter()
            many = encode(pool.pipe(reports))
            many_s.append(time.perf_counter() - t)
            identical = identical and one == many == reference
    one_med, many_med = statistics.median(one_s), statistics.median(many_s)
    ratio = one_med / many_med
    result = {
        "reports": len(reports), "workers": args.workers, "rounds": len(one_s),
        "one_worker_s": [round(t, 2) for t in one_s],
        "n_workers_s": [round(t, 2) for t in many_s],
        "one_worker_docs_s": round(len(reports) / one_med, 1),
        "n_workers_docs_s": round(len(reports) / many_med, 1),
        "ratio": round(ratio, 2),
        "ratio_per_round": [round(a / b, 2) for a, b in zip(one_s, many_s, strict=True)],
        "identical": identical, "warm_up_s": round(warm_s, 1),
        "load_before": load_before, "load_after": loadavg(), "cores": os.cpu_count(),
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(f"corpus: {path} ({len(reports)} reports)")
        print(f"1 worker:  {result['one_worker_docs_s']:7.1f} docs/s  "
              f"runs {result['one_worker_s']}")
        print(f"{args.workers} workers: {result['n_workers_docs_s']:7.1f} docs/s  "
              f"runs {result['n_workers_s']}")
        print(f"ratio (medians): {ratio:.2f} (target >= {TARGET}); per round "
              f"{result['ratio_per_round']}; output identical: {identical}")
        print(f"load average before {load_before}, after {result['load_after']} "
              f"on {os.cpu_count()} cores; warm-up {warm_s:.1f} s")
    if args.record:
        record_section(result, path, argv if argv is not None else sys.argv[1:])
    return 0 if identical else 1


def record_section(result: dict, path: Path, argv: list[str]) -> None:
    from datetime import date

    from sections import record
    from suite import machine

    r = result
    record("workers", "\n".join([
        "## Parallel workers",
        "",
        f"Measured {date.today()} with `python bench/workers.py {' '.join(argv)}` on: "
        f"{machine()}; load average {r['load_before']} before, {r['load_after']} after "
        "(a machine shared with other work: the figures move with it).",
        "",
        "| measure | median |",
        "|---|---|",
        f"| **{r['workers']} workers / 1 worker throughput** (same reports, same run) | "
        f"**{r['ratio']:.2f}x** (target at least {TARGET}x) |",
        f"| 1 worker | {r['one_worker_docs_s']} docs/s |",
        f"| {r['workers']} workers | {r['n_workers_docs_s']} docs/s |",
        f"| output byte-identical to one worker's | {'yes' if r['identical'] else 'NO'} |",
        "",
        f"- Reports: {r['reports']} from `{path.name}`; rounds alternate 1 and "
        f"{r['workers']} workers ({r['rounds']} each: 1 worker {r['one_worker_s']} s, "
        f"{r['workers']} workers {r['n_workers_s']} s; ratios by round "
        f"{r['ratio_per_round']}).",
        "- Models load before timing (the pool after a full warm-up pass, "
        f"{r['warm_up_s']} s); both sides encode every result as the JSON line "
        "`sitrep extract --format jsonl` writes.",
    ]))


if __name__ == "__main__":
    sys.exit(main())
