"""``sitrep spark-extract``: code reports with Spark on this machine (``local[N]``).

PySpark is an optional extra, imported only when the command runs, so ``sitrep --help`` works
without it and a missing PySpark or Java is a one-line usage error saying what to install.
Clusters use ``spark-submit`` with ``sitrep/spark/submit.py`` instead (docs/SCALING.md).
"""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer

from sitrep.cli.common import UsageProblem


class InputFormat(StrEnum):
    auto = "auto"
    jsonl = "jsonl"
    parquet = "parquet"
    warc = "warc"


def register(app: typer.Typer) -> None:
    """Add ``spark-extract`` to the ``sitrep`` app."""
    app.command("spark-extract")(spark_extract)


def spark_extract(
    input: Annotated[str, typer.Option(
        "--input", "-i", metavar="PATH", help="Reports: a JSONL, Parquet or WARC file, a folder "
                                              "or a glob.")],
    output: Annotated[str, typer.Option(
        "--output", "-o", metavar="PATH.parquet",
        help="Folder to write: events/ (the columns of export --format parquet), claims/ and "
             "errors/ (one row a failed report), each a Parquet dataset.")],
    input_format: Annotated[InputFormat, typer.Option(
        "--input-format", help="auto goes by the file names.")] = InputFormat.auto,
    master: Annotated[str, typer.Option(
        "--master", metavar="URL", help="Spark master: local[N] uses N cores.")] = "local[*]",
    partitions: Annotated[int | None, typer.Option(
        "--partitions", metavar="N", min=1,
        help="Input partitions (default: one a core).")] = None,
) -> None:
    """Code reports with Spark, one model per worker, and write events, claims and errors
    as Parquet."""
    from pathlib import Path

    from sitrep.spark.session import SparkUnavailable, local_session

    if not any(ch in input for ch in "*?[") and not Path(input).exists():
        raise UsageProblem(f"--input: '{input}': no such file or folder")
    try:
        spark, jvm_seconds = local_session(master)
    except SparkUnavailable as exc:
        raise UsageProblem(f"spark-extract: {exc}") from None
    from sitrep.spark.job import run

    try:
        stats = run(spark, input, output, kind=input_format.value, partitions=partitions)
    finally:
        spark.stop()
    print(f"sitrep: {stats.reports} report(s), {stats.events} event(s), {stats.claims} "
          f"claim(s), {stats.failed} failed; Spark start-up {jvm_seconds:.1f} s, coding and "
          f"writing {stats.seconds:.1f} s; wrote {output}", file=sys.stderr)
    if stats.failed:
        raise typer.Exit(1)
