"""The cluster entry point: ``spark-submit [options] sitrep/spark/submit.py --input URI
--output URI``; docs/SCALING.md says how to package sitrep, its dependencies and the model.

It takes the session spark-submit made (master, executors, memory come from its options), so
it sets nothing of its own beyond the application's name.
"""

from __future__ import annotations

import argparse
import json
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sitrep-spark", description=__doc__.splitlines()[0])
    parser.add_argument("--input", required=True, help="JSONL, Parquet or WARC files (a glob "
                                                       "or a folder)")
    parser.add_argument("--output", required=True,
                        help="folder for the events, claims and errors datasets")
    parser.add_argument("--input-format", default="auto",
                        choices=["auto", "jsonl", "parquet", "warc"])
    parser.add_argument("--partitions", type=int, default=None,
                        help="input partitions (default: Spark's parallelism)")
    args = parser.parse_args(argv)

    from pyspark.sql import SparkSession

    from sitrep.spark.job import run

    spark = SparkSession.builder.appName("sitrep").getOrCreate()
    try:
        stats = run(spark, args.input, args.output, kind=args.input_format,
                    partitions=args.partitions)
    finally:
        spark.stop()
    # Reports that failed are rows of the errors dataset, not a failed job.
    print(json.dumps(stats.__dict__), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
