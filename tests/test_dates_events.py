"""The event_dates stage: the date of each hand-built event draft."""

from __future__ import annotations

from datetime import date

import pytest

from sitrep.document import Document, EventDraft, EventMention
from sitrep.nlp import load_model
from sitrep.pipeline.dates import event_dates, find_dates
from sitrep.records import Report


@pytest.fixture(scope="module")
def nlp():
    return load_model()


def _document(nlp, text: str, published: date | None) -> Document:
    document = Document(report=Report(id="t", text=text, published=published), doc=nlp(text))
    document.dates = find_dates(document)
    return document


def _event(document: Document, trigger: str, occurrence: int = 0) -> EventDraft:
    start = -1
    for _ in range(occurrence + 1):
        start = document.text.index(trigger, start + 1)
    tok = next(t for t in document.doc if t.idx == start)
    sent = document.sent_index(start)
    mention = EventMention(start, start + len(trigger), trigger, tok.lemma_, sent, "attack", tok.i)
    return EventDraft(mentions=[mention], kind="attack", sents=[sent])


@pytest.mark.parametrize(
    ("text", "published", "trigger", "expected", "precision"),
    [
        ("03/12/2018: Assailants attacked a police checkpoint. Two officers were killed.",
         None, "killed", date(2018, 3, 12), 1),
        ("Missiles struck the city on Wednesday, officials said.", date(2023, 3, 22), "struck",
         date(2023, 3, 22), 1),
        ("Police said gunmen attacked the bus on Monday. The driver was hurt.",
         date(2022, 5, 5), "attacked", date(2022, 5, 2), 1),
        ("Protesters gathered outside parliament, organisers said.", date(2021, 7, 9),
         "gathered", date(2021, 7, 9), 2),
        ("On August 1, 1966, a student killed sixteen people at the university.", None,
         "killed", date(1966, 8, 1), 1),
    ],
)
def test_dates_event_date(nlp, text, published, trigger, expected, precision):
    document = _document(nlp, text, published)
    event = _event(document, trigger)
    document.events = [event]
    event_dates(document)
    assert (event.date_start, event.time_precision) == (expected, precision)
    if precision == 1:
        assert event.evidence.get("event_date")


def test_dates_each_event_gets_its_own_sentence_date(nlp):
    text = ("Rebels shelled the airport on Monday. On Wednesday, police arrested twelve "
            "protesters in the capital.")
    document = _document(nlp, text, date(2024, 4, 12))
    shelled, arrested = _event(document, "shelled"), _event(document, "arrested")
    document.events = [shelled, arrested]
    event_dates(document)
    assert shelled.date_start == date(2024, 4, 8)
    assert arrested.date_start == date(2024, 4, 10)


def test_dates_no_date_and_no_publication_is_none(nlp):
    document = _document(nlp, "Gunmen attacked a village and burned houses.", None)
    event = _event(document, "attacked")
    document.events = [event]
    event_dates(document)
    assert event.date_start is None and event.time_precision is None
