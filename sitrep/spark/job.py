"""The Spark job: read reports, code each partition with one cached pipeline, write Parquet.

Why one pass and a persisted result: extraction is the whole cost, and events, claims and
errors are three outputs of it, so each report is coded once and the three writes read the
kept results. Within a partition reports are coded in chunks cut at the same positions as one
process cuts its batches (``BATCH``), so the results are those of ``sitrep extract``
(``tests/test_spark_extract.py`` checks the events against a single-process run).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from sitrep import errors
from sitrep.records import DocumentResult, Report
from sitrep.spark import inputs

BATCH = 32
OUTPUTS = ("events", "claims", "errors")


# --- the schemas: pyarrow's, so that events keep the columns of the Parquet export ----------

def claims_arrow_schema() -> Any:
    import pyarrow as pa

    s = pa.string()
    return pa.schema([
        ("report_id", s), ("claimant", s), ("claimant_actor", s), ("stance", s),
        ("channel", s), ("event_ids", pa.list_(s)), ("text", s), ("span_start", pa.int32()),
        ("span_end", pa.int32()), ("record", s),
    ])


def errors_arrow_schema() -> Any:
    import pyarrow as pa

    s = pa.string()
    return pa.schema([("report_id", s), ("input", s), ("code", s), ("message", s)])


def arrow_schemas() -> dict[str, Any]:
    from sitrep.exporters import parquet_schema

    return {"events": parquet_schema(), "claims": claims_arrow_schema(),
            "errors": errors_arrow_schema()}


def spark_schema(schema: Any) -> Any:
    """A pyarrow schema as Spark's ``StructType`` (the types the exports use)."""
    import pyarrow as pa
    from pyspark.sql import types as T

    def convert(t: Any) -> Any:
        if pa.types.is_list(t):
            return T.ArrayType(convert(t.value_type))
        for test, spark_type in ((pa.types.is_string, T.StringType),
                                 (pa.types.is_int32, T.IntegerType),
                                 (pa.types.is_int64, T.LongType),
                                 (pa.types.is_floating, T.DoubleType),
                                 (pa.types.is_boolean, T.BooleanType),
                                 (pa.types.is_date32, T.DateType)):
            if test(t):
                return spark_type()
        raise TypeError(f"no Spark type for {t}")

    return T.StructType([T.StructField(f.name, convert(f.type), True) for f in schema])


# --- on the executors ---------------------------------------------------------------------

Rows = tuple[list[tuple], list[tuple], list[tuple]]


def _rows(result: DocumentResult, where: str) -> Rows:
    """A report's events, claims and error as rows in the columns of ``arrow_schemas``."""
    from sitrep.exporters import flat_row, parquet_schema

    names = parquet_schema().names
    events = [tuple(flat_row(e.to_dict()).get(n) for n in names) for e in result.events]
    claims = []
    for claim in result.claims:
        record = claim.to_dict()
        claims.append((result.id, claim.claimant,
                       claim.claimant_actor.name if claim.claimant_actor else None,
                       claim.stance, claim.channel, list(claim.event_ids), claim.text,
                       claim.span[0], claim.span[1], json.dumps(record, ensure_ascii=False)))
    failed = ([(result.id, where, result.error.code, result.error.message)]
              if result.error is not None else [])
    return events, claims, failed


def _chunk(position: Any) -> Any:
    if isinstance(position, tuple):  # (WARC file, record number)
        return position[0], position[1] // BATCH
    return position // BATCH


def _where(position: Any, kind: str) -> str:
    if isinstance(position, tuple):
        return f"{position[0]} record {position[1] + 1}"
    return f"{'row' if kind == 'parquet' else 'line'} {position + 1}"


def code_items(items: Iterable[inputs.Item], kind: str = "jsonl") -> Iterator[Rows]:
    """Code one partition's items with this Python worker's pipeline (built on its first
    partition and kept: Spark reuses its Python workers, so the model loads once each)."""
    from sitrep.api import default_pipeline

    pipeline = default_pipeline()
    for _, group in groupby(items, key=lambda item: _chunk(item[0])):
        chunk: list[tuple[Any, Report | errors.SitrepError]] = list(group)
        results = pipeline.pipe([item for _, item in chunk], batch_size=BATCH)
        for (position, _), result in zip(chunk, results, strict=True):
            yield _rows(result, _where(position, kind))


def code_jsonl(lines: Iterable[tuple[str, int]]) -> Iterator[Rows]:
    return code_items(inputs.jsonl_items(lines), "jsonl")


def code_parquet(rows: Iterable[tuple[Any, int]]) -> Iterator[Rows]:
    return code_items(inputs.row_items(rows), "parquet")


def code_warc(files: Iterable[tuple[str, bytes]]) -> Iterator[Rows]:
    return code_items(inputs.warc_items(files), "warc")


# --- on the driver ------------------------------------------------------------------------

@dataclass
class JobStats:
    """What a run did, for the CLI summary and the benchmark."""

    reports: int = 0
    events: int = 0
    claims: int = 0
    failed: int = 0
    seconds: float = 0.0
    outputs: dict[str, str] = field(default_factory=dict)


def read_input(spark: Any, path: str, kind: str = "auto", partitions: int | None = None
               ) -> tuple[Any, Callable[[Iterable[Any]], Iterator[Rows]]]:
    """The input as an RDD and the function that codes one of its partitions."""
    kind = inputs.input_kind(path, kind)
    sc = spark.sparkContext
    parts = partitions or sc.defaultParallelism
    if kind == "parquet":
        frame = spark.read.parquet(path)
        columns = [c for c in inputs.REPORT_FIELDS if c in frame.columns]
        rdd = frame.select(*columns).rdd
        if partitions:
            rdd = rdd.repartition(partitions)  # before numbering: positions follow the rows
        return rdd.zipWithIndex(), code_parquet
    if kind == "warc":
        return sc.binaryFiles(path, minPartitions=parts), code_warc
    return sc.textFile(path, minPartitions=parts).zipWithIndex(), code_jsonl


def run(spark: Any, input_path: str, output: str, *, kind: str = "auto",
        partitions: int | None = None) -> JobStats:
    """Code the reports at ``input_path`` and write ``output``/{events,claims,errors}."""
    from pyspark import StorageLevel

    started = time.perf_counter()
    rdd, code = read_input(spark, input_path, kind, partitions)
    results = rdd.mapPartitions(code).persist(StorageLevel.MEMORY_AND_DISK)
    stats = JobStats()
    try:
        for n, (name, schema) in enumerate(arrow_schemas().items()):
            rows = results.flatMap(lambda r, n=n: r[n])
            frame = spark.createDataFrame(rows, spark_schema(schema), verifySchema=False)
            target = f"{output.rstrip('/')}/{name}"
            frame.write.mode("overwrite").parquet(target)
            stats.outputs[name] = target
        counts = results.map(lambda r: (1, len(r[0]), len(r[1]), len(r[2]))).fold(
            (0, 0, 0, 0), lambda a, b: tuple(x + y for x, y in zip(a, b, strict=True)))
        stats.reports, stats.events, stats.claims, stats.failed = counts
    finally:
        results.unpersist()
    stats.seconds = time.perf_counter() - started
    return stats
