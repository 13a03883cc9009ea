"""Coding reports in several processes, with the output of one process, in input order.

Why processes: the pipeline is pure Python around spaCy and holds the GIL, so threads do not
scale. Each worker builds one ``Pipeline`` (the model loads once per worker) and codes chunks of
``batch_size`` reports cut where one process would cut its batches, so every spaCy batch, and
so every result, is the same as with one worker (``tests/test_parallel_workers.py`` checks the
bytes). At most ``in_flight`` chunks are out at a time, so memory stays bounded however long
the input is. A report that fails comes back as a result with ``error`` in its place, as in one
process; a worker that dies (a crash, the OOM killer) costs only the reports of its chunk, which
come back with a coded ``E010`` error, and a fresh pool takes the rest.

Workers are started by a fork server (``forkserver``) where the platform has one: a plain fork
would copy whatever the caller holds (open database connections, a progress bar's thread and its
locks) into every worker.

Layer: beside ``sitrep.api``, which calls it; uses the pipeline and nothing above it.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from itertools import islice

from sitrep import errors
from sitrep.config import Settings
from sitrep.pipeline import Pipeline
from sitrep.pipeline.typing_accurate import chosen_mode, use_mode
from sitrep.pipeline.typing_model import TypingModel, chosen_model, use_model
from sitrep.records import DocumentResult, Report

log = logging.getLogger(__name__)

Item = Report | errors.SitrepError
# Chunks out per worker: one being coded and one waiting, so a worker never idles between two.
IN_FLIGHT_PER_WORKER = 2


def resolve_workers(workers: int) -> int:
    """``0`` means one worker per core this process may use."""
    if workers < 0:
        raise ValueError("workers must be 0 (one per core) or more")
    if workers:
        return workers
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


@dataclass(frozen=True)
class _Failed:
    """A reader's error on its way to a worker (``SitrepError`` does not survive pickling)."""

    code: str
    message: str
    report_id: str | None

    def error(self) -> errors.SitrepError:
        return errors.SitrepError(self.code, self.message, report_id=self.report_id)


# --- in the worker ----------------------------------------------------------------------------

_PIPELINE: Pipeline | None = None


def _start_worker(settings: Settings, log_level: int,
                  typing_model: TypingModel | None = None, typing_mode: str | None = None
                  ) -> None:
    """Build the worker's pipeline once and load its model and data now, not on the first
    chunk."""
    global _PIPELINE
    if typing_model is not None:  # a --typing-model the caller chose
        use_model(typing_model)
    if typing_mode is not None:  # a --typing-mode the caller chose
        use_mode(typing_mode)
    logger = logging.getLogger("sitrep")
    if not logger.handlers:  # the fork server starts without the CLI's handler
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("sitrep: %(levelname)s: %(message)s"))
        logger.addHandler(handler)
    logger.setLevel(log_level)
    _PIPELINE = Pipeline(settings)
    _PIPELINE.nlp  # noqa: B018 - loads the model
    _PIPELINE.prepare()  # and what the stages load (the gazetteer index)


def _code_chunk(chunk: list[Report | _Failed], batch_size: int
                ) -> tuple[list[DocumentResult], list[bool]]:
    """Results of one chunk, without their texts (the parent has them; no need to send them
    back), and which results had one."""
    assert _PIPELINE is not None, "worker started without its pipeline"
    items = [c.error() if isinstance(c, _Failed) else c for c in chunk]
    results = list(_PIPELINE.pipe(items, batch_size=batch_size))
    had_text = [r.text is not None for r in results]
    for result in results:
        result.text = None
    return results, had_text


# --- in the caller ----------------------------------------------------------------------------


def _context() -> multiprocessing.context.BaseContext:
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        # The fork server imports the pipeline's code once; each worker forked from it only
        # loads its model.
        context.set_forkserver_preload(["sitrep.parallel"])
        return context
    return multiprocessing.get_context("spawn")


class WorkerPool:
    """Processes that each hold a pipeline; ``pipe`` codes reports through them in order.

    Use it as a context manager, or call ``close``. One pool can code many inputs, one after
    the other (the benchmark and a long-lived server reuse the loaded models).
    """

    def __init__(self, workers: int = 0, settings: Settings | None = None, *,
                 batch_size: int = 32, in_flight: int | None = None) -> None:
        self.workers = resolve_workers(workers)
        self.settings = settings or Settings()
        self.batch_size = max(batch_size, 1)
        self.in_flight = max(in_flight or self.workers * IN_FLIGHT_PER_WORKER, 1)
        self._executor: ProcessPoolExecutor | None = None

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            level = logging.getLogger("sitrep").getEffectiveLevel()
            self._executor = ProcessPoolExecutor(
                self.workers, mp_context=_context(), initializer=_start_worker,
                initargs=(self.settings, level, chosen_model(), chosen_mode()))
        return self._executor

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def _restart(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None

    def _submit(self, chunk: list[Item]) -> Future:
        payload = [_Failed(c.code, c.message, c.report_id)
                   if isinstance(c, errors.SitrepError) else c for c in chunk]
        return self._pool().submit(_code_chunk, payload, self.batch_size)

    def pipe(self, items: Iterable[Item]) -> Iterator[DocumentResult]:
        """Code ``items`` (reports, or readers' errors passed through) in input order."""
        source = iter(items)
        pending: deque[tuple[list[Item], Future]] = deque()
        while True:
            while len(pending) < self.in_flight:
                chunk = list(islice(source, self.batch_size))
                if not chunk:
                    break
                pending.append((chunk, self._submit(chunk)))
            if not pending:
                return
            chunk, future = pending.popleft()
            try:
                results, had_text = future.result()
            except BrokenProcessPool:
                # A worker died and took the pool with it, so every chunk out failed with it:
                # code them again one at a time, so only the chunk that kills a worker fails.
                retry = [chunk, *(c for c, _ in pending)]
                pending.clear()
                for again in retry:
                    yield from self._one_at_a_time(again)
                continue
            yield from _with_texts(chunk, results, had_text)

    def _one_at_a_time(self, chunk: list[Item]) -> Iterator[DocumentResult]:
        self._restart()
        try:
            results, had_text = self._submit(chunk).result()
        except Exception as exc:  # the worker died on this chunk: its reports fail, in place
            log.error("a worker died coding reports %s..%s: %s", _item_id(chunk[0], 0),
                      _item_id(chunk[-1], len(chunk) - 1), exc)
            self._restart()
            yield from _failed_chunk(chunk, exc)
            return
        yield from _with_texts(chunk, results, had_text)


def _with_texts(chunk: list[Item], results: list[DocumentResult], had_text: list[bool]
                ) -> Iterator[DocumentResult]:
    for item, result, has in zip(chunk, results, had_text, strict=True):
        if has and isinstance(item, Report):
            result.text = item.text
        yield result


def _item_id(item: Item, index: int) -> str:
    if isinstance(item, Report):
        return item.id
    return item.report_id or f"item-{index}"


def _failed_chunk(chunk: list[Item], exc: BaseException) -> Iterator[DocumentResult]:
    detail = f"worker process failed: {type(exc).__name__}: {exc}"
    for i, item in enumerate(chunk):
        if isinstance(item, errors.SitrepError):
            yield DocumentResult(id=_item_id(item, i), error=item.info())
        else:
            info = errors.error(errors.STAGE_FAILED, stage="worker", detail=detail).info()
            yield DocumentResult(id=item.id, published=item.published, error=info)


def extract_parallel(items: Iterable[Item], workers: int = 0, settings: Settings | None = None,
                     *, batch_size: int = 32) -> Iterator[DocumentResult]:
    """Code ``items`` in ``workers`` processes (0: one per core); the pool lives as long as
    the iteration."""
    with WorkerPool(workers, settings, batch_size=batch_size) as pool:
        yield from pool.pipe(items)
