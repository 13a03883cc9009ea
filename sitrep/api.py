"""The Python API: what the CLI calls, for programs to call directly."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from functools import lru_cache

from sitrep import errors
from sitrep.config import Settings
from sitrep.pipeline import Pipeline
from sitrep.records import DocumentResult, Place, Report


@lru_cache(maxsize=1)
def default_pipeline() -> Pipeline:
    return Pipeline(Settings())


def _as_date(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise errors.error(errors.BAD_DATE, value=value) from None


def extract(
    text: str,
    published: date | str | None = None,
    *,
    id: str | None = None,
    source: str | None = None,
    url: str | None = None,
    title: str | None = None,
    pipeline: Pipeline | None = None,
) -> DocumentResult:
    """Code one report; problems come back in ``result.error``, never as exceptions."""
    from sitrep.sources import content_id

    report = Report(
        id=id or content_id(text or ""), text=text, published=_as_date(published),
        source=source, url=url, title=title,
    )
    return (pipeline or default_pipeline())(report)


def extract_batch(
    reports: Iterable[Report | dict | errors.SitrepError],
    *,
    pipeline: Pipeline | None = None,
    batch_size: int = 32,
    workers: int = 1,
) -> Iterator[DocumentResult]:
    """Code many reports lazily, in input order (dicts use the JSONL fields of CLI.md).

    ``workers`` > 1 codes them in that many processes (0: one per core) with the same results,
    in the same order, as one (``sitrep.parallel``); ``pipeline`` then gives only the settings.
    """
    from sitrep.sources import report_from_dict

    def items() -> Iterator[Report | errors.SitrepError]:
        for n, r in enumerate(reports, 1):
            if isinstance(r, dict):
                try:
                    yield report_from_dict(r, line=n)
                except errors.SitrepError as exc:
                    yield exc
            else:
                yield r

    if workers != 1:
        from sitrep.parallel import extract_parallel

        settings = pipeline.settings if pipeline is not None else None
        yield from extract_parallel(items(), workers, settings, batch_size=batch_size)
        return
    yield from (pipeline or default_pipeline()).pipe(items(), batch_size=batch_size)


def geoparse(text: str) -> list[Place]:
    """Every place mention in raw text, resolved (parses with the spaCy model)."""
    from sitrep.document import Document
    from sitrep.nlp import load_model
    from sitrep.places.mentions import find_places

    if not isinstance(text, str) or not text.strip():
        return []
    doc = load_model()(text)
    document = Document(report=Report(id="geoparse", text=text), doc=doc)
    find_places(document)
    return [m.place for m in document.places]
