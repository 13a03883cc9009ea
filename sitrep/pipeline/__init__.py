"""The extraction pipeline: a list of named stages over one ``Document``.

Each stage lives in its own module and registers itself with ``@stage``; the order comes from
``sitrep.config``. One bad report never stops a batch: checks and stage failures become a
per-document ``error``, and so does a report that outruns its time budget
(``Settings.time_budget``, E013): the clock starts when its stages do, it is checked between
stages and, through ``Document.check_deadline``, inside their loops over mentions.
"""

from __future__ import annotations

import importlib
import logging
import time
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from sitrep import errors
from sitrep.config import Settings
from sitrep.document import Document
from sitrep.nlp import load_model
from sitrep.pipeline.registry import STAGES, StageInfo
from sitrep.records import DocumentResult, Report

if TYPE_CHECKING:
    from spacy.language import Language

log = logging.getLogger(__name__)

STAGE_MODULES = (
    "places",
    "dates",
    "counts",
    "tolls",
    "claims",
    "detection",
    "coreference",
    "typing",
    "actors",
    "weapons",
)


def _load_stages() -> None:
    for name in STAGE_MODULES:
        importlib.import_module(f"sitrep.pipeline.{name}")


class Pipeline:
    """Runs the configured stages; build one and reuse it (the model loads once)."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        _load_stages()
        missing = [s for s in self.settings.stages if s not in STAGES]
        if missing:
            raise ValueError(f"unknown pipeline stages: {', '.join(missing)}")
        self.stages: list[StageInfo] = [STAGES[s] for s in self.settings.stages]
        self._nlp: Language | None = None
        self._ready = False

    def prepare(self) -> None:
        """Load what the stages need (the model, the gazetteer index, built on first use)
        once, outside any report's time budget."""
        if not self._ready:
            for info in self.stages:
                if info.setup is not None:
                    info.setup()
            self._ready = True

    @property
    def nlp(self) -> Language:
        if self._nlp is None:
            self._nlp = load_model(self.settings.model)
        return self._nlp

    def check(self, report: Report) -> None:
        """Refuse reports the pipeline cannot code, with a coded error."""
        from sitrep.sources import check_text

        check_text(report.text, self.settings)

    def run_stages(self, document: Document) -> DocumentResult:
        from sitrep.pipeline.assemble import assemble

        self.prepare()
        budget = self.settings.time_budget
        if budget and document.deadline is None:
            document.budget = budget
            document.deadline = time.monotonic() + budget
        for info in self.stages:
            document.stage = info.name
            document.check_deadline()
            try:
                info.func(document)
            except errors.SitrepError:
                raise
            except Exception as exc:  # a stage bug must not take the batch down
                log.exception("stage %s failed on %s", info.name, document.report.id)
                raise errors.error(
                    errors.STAGE_FAILED, stage=info.name, detail=f"{type(exc).__name__}: {exc}"
                ) from exc
        document.stage = "assemble"
        document.check_deadline()
        result = assemble(document)
        document.check_deadline()
        return result

    def __call__(self, report: Report) -> DocumentResult:
        return next(iter(self.pipe([report])))

    def pipe(self, reports: Iterable[Report | errors.SitrepError], batch_size: int = 32
             ) -> Iterator[DocumentResult]:
        """Code reports in order; items that are already errors (from readers) pass through."""
        batch: list[Report | errors.SitrepError] = []
        for item in reports:
            batch.append(item)
            if len(batch) >= batch_size:
                yield from self._run_batch(batch)
                batch = []
        if batch:
            yield from self._run_batch(batch)

    def _run_batch(self, batch: list[Report | errors.SitrepError]) -> Iterator[DocumentResult]:
        ok: list[Report] = []
        failed: dict[int, DocumentResult] = {}
        for i, item in enumerate(batch):
            if isinstance(item, errors.SitrepError):
                failed[i] = DocumentResult(id=item.report_id or f"item-{i}",
                                           error=item.info())
                continue
            try:
                self.check(item)
                ok.append(item)
            except errors.SitrepError as exc:
                failed[i] = DocumentResult(id=item.id, published=item.published, error=exc.info())
        docs = iter(self.nlp.pipe([r.text for r in ok]))
        for i, item in enumerate(batch):
            if i in failed:
                yield failed[i]
                continue
            assert isinstance(item, Report)
            spacy_doc = next(docs)
            try:
                result = self.run_stages(Document(report=item, doc=spacy_doc))
            except errors.SitrepError as exc:
                result = DocumentResult(id=item.id, published=item.published, error=exc.info())
            result.text = item.text
            yield result
