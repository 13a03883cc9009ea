"""Spark ``local[2]`` against the 2-worker local run on the same 2,000 reports.

Usage: python bench/spark.py [EVAL_DIR or news_corpus.jsonl] [--reports N] [--workers N]
The corpus is repeated to N reports (default 2,000; ids made unique) and written as JSONL.
Local: ``extract_batch(..., workers=2)`` from reading that file to writing JSONL, the pool's
start-up (its models loading) included. Spark: ``sitrep.spark.job.run`` on the same file in a
started session, from reading to the three Parquet datasets written, its Python workers' start-up
and models included; the JVM's start-up is timed apart. A second Spark run on the same session
(Python workers and models kept) is reported too. Target: Spark within 1.5 times the local time.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

TARGET = 1.5


def main(argv: list[str] | None = None) -> int:
    from workers import corpus_path, loadavg

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", help="eval folder or the corpus JSONL file")
    parser.add_argument("--reports", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--record", action="store_true",
                        help="write the figures into docs/BENCHMARKS.md (its spark section)")
    args = parser.parse_args(argv)

    path = corpus_path(args.data)
    if not path.exists():
        print(f"bench: no corpus at {path}; set SITREP_EVAL_DATA or pass a path. Skipped.")
        return 0
    from sitrep.spark.session import SparkUnavailable, check_available

    try:
        check_available()
    except SparkUnavailable as exc:
        print(f"bench: {exc}. Skipped.")
        return 0

    rows = [json.loads(line) for line in path.open(encoding="utf-8") if line.strip()]
    work = Path(tempfile.mkdtemp(prefix="sitrep-bench-spark-"))
    try:
        corpus = work / "reports.jsonl"
        with corpus.open("w", encoding="utf-8") as out:
            for n in range(args.reports):
                row = dict(rows[n % len(rows)])
                row["id"] = f"{row.get('id', n)}~{n // len(rows)}"
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
        result = {"reports": args.reports, "workers": args.workers, "load_before": loadavg()}

        from sitrep.api import extract_batch
        from sitrep.sources import read_paths

        started = time.perf_counter()
        events = 0
        with (work / "local.jsonl").open("w", encoding="utf-8") as out:
            for doc in extract_batch(read_paths([str(corpus)]), workers=args.workers):
                events += len(doc.events)
                out.write(json.dumps(doc.to_dict(), ensure_ascii=False) + "\n")
        result["local_s"] = round(time.perf_counter() - started, 1)
        result["local_events"] = events

        from sitrep.spark.job import run
        from sitrep.spark.session import local_session

        spark, jvm_s = local_session(f"local[{args.workers}]")
        result["jvm_start_s"] = round(jvm_s, 1)
        try:
            stats = run(spark, str(corpus), str(work / "spark-1"), partitions=args.workers)
            result["spark_s"] = round(stats.seconds, 1)
            result["spark_events"] = stats.events
            again = run(spark, str(corpus), str(work / "spark-2"), partitions=args.workers)
            result["spark_warm_s"] = round(again.seconds, 1)
        finally:
            spark.stop()
        result["ratio"] = round(result["spark_s"] / result["local_s"], 2)
        result["ratio_warm"] = round(result["spark_warm_s"] / result["local_s"], 2)
        result["load_after"] = loadavg()
        result["cores"] = os.cpu_count()
    finally:
        shutil.rmtree(work, ignore_errors=True)

    if args.json:
        print(json.dumps(result))
    else:
        print(f"{args.reports} reports ({path} repeated)")
        print(f"local, {args.workers} workers:  {result['local_s']:7.1f} s "
              f"({result['local_events']} events)")
        print(f"spark local[{args.workers}]:     {result['spark_s']:7.1f} s "
              f"({result['spark_events']} events); ratio {result['ratio']:.2f} "
              f"(target <= {TARGET})")
        print(f"spark, second run: {result['spark_warm_s']:7.1f} s; ratio "
              f"{result['ratio_warm']:.2f}")
        print(f"JVM start-up (apart): {result['jvm_start_s']:.1f} s")
        print(f"load average before {result['load_before']}, after {result['load_after']} "
              f"on {result['cores']} cores")
    if args.record:
        record_section(result, path, argv if argv is not None else sys.argv[1:])
    return 0


def record_section(r: dict, path: Path, argv: list[str]) -> None:
    from datetime import date

    import pyspark
    from sections import record
    from suite import machine

    w = r["workers"]
    record("spark", "\n".join([
        "## Spark local",
        "",
        f"Measured {date.today()} with `python bench/spark.py {' '.join(argv)}` on: "
        f"{machine()}, PySpark {pyspark.__version__}; load average {r['load_before']} before, "
        f"{r['load_after']} after.",
        "",
        "| measure | time |",
        "|---|---|",
        f"| **Spark local[{w}] / {w}-worker local run** ({r['reports']} reports) | "
        f"**{r['ratio']:.2f}x** (target at most {TARGET}x) |",
        f"| {w}-worker local run (`extract_batch(workers={w})`, JSONL in and out) | "
        f"{r['local_s']} s |",
        f"| Spark local[{w}], first run (Python workers start, models load) | {r['spark_s']} s |",
        f"| Spark local[{w}], second run in the same session | {r['spark_warm_s']} s "
        f"({r['ratio_warm']:.2f}x) |",
        f"| JVM start-up (not in the times above) | {r['jvm_start_s']} s |",
        "",
        f"- Reports: `{path.name}` repeated to {r['reports']}; both runs start their workers "
        "and load their models inside the time; Spark writes the events, claims and errors "
        "datasets as Parquet.",
    ]))


if __name__ == "__main__":
    sys.exit(main())
