"""HTML pages: the article text (boilerplate removed by trafilatura), title and date."""

from __future__ import annotations

import logging
from datetime import date

from sitrep import errors
from sitrep.records import Report
from sitrep.sources.jsonl import parse_date
from sitrep.sources.text import content_id

log = logging.getLogger("sitrep.sources")


def html_to_report(html: str, report_id: str | None, source: str | None,
                   published: date | None) -> Report:
    """The article text of a web page, its title and date when the page gives them."""
    import trafilatura

    text, title, page_date = "", None, None
    try:
        doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                          include_tables=False, favor_recall=True)
    except Exception:  # trafilatura raises assorted errors on broken markup
        log.debug("trafilatura failed on %s", source, exc_info=True)
        doc = None
    if doc is not None:
        text = (doc.text or "").strip()
        title = doc.title or None
        if doc.date:
            try:
                page_date = parse_date(doc.date)
            except ValueError:
                page_date = None
    if not text:
        text = _html_fallback_text(html)
    if not text.strip():
        raise errors.error(errors.BAD_HTML, report_id=report_id or source)
    return Report(id=report_id or content_id(text), text=text, published=page_date or published,
                  source=source, title=title)


def _html_fallback_text(html: str) -> str:
    """Every visible text node: for pages too short or too broken for boilerplate removal."""
    try:
        import lxml.html

        root = lxml.html.fromstring(html)
    except Exception:
        return ""
    for bad in root.xpath("//script|//style|//noscript|//template"):
        bad.drop_tree()
    blocks = (" ".join(t.split()) for t in root.itertext())
    return "\n".join(b for b in blocks if b)
