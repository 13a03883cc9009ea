"""A narrative dated once: the last day told before an event's sentences dates the event."""

from __future__ import annotations

from datetime import date

import pytest

from sitrep.document import Document, EventDraft, EventMention
from sitrep.nlp import load_model
from sitrep.pipeline.dates import event_dates, find_dates, find_malformed
from sitrep.records import Report


@pytest.fixture(scope="module")
def nlp():
    return load_model()


def _dated(nlp, text: str, trigger: str) -> EventDraft:
    document = Document(report=Report(id="t", text=text, published=None), doc=nlp(text))
    document.dates = find_dates(document)
    document.extras["malformed_dates"] = find_malformed(document)
    start = text.index(trigger)
    tok = next(t for t in document.doc if t.idx == start)
    sent = document.sent_index(start)
    mention = EventMention(start, start + len(trigger), trigger, tok.lemma_, sent, "attack", tok.i)
    event = EventDraft(mentions=[mention], kind="attack", sents=[sent])
    document.events = [event]
    event_dates(document)
    return event


@pytest.mark.parametrize(
    ("text", "trigger", "expected"),
    [
        ("On August 1, 1966, a student climbed the clock tower. He killed sixteen people.",
         "killed", date(1966, 8, 1)),
        ("On 3 May 2019 a man walked into a bank in the city centre. Minutes later he shot two "
         "clerks.", "shot", date(2019, 5, 3)),
        ("On 1 June 2020 police reported unrest in the north. On 4 June 2020 protesters "
         "marched on the capital. Gunmen then attacked a bus near the square.", "attacked",
         date(2020, 6, 4)),
    ],
)
def test_dates_narrative_told_before(nlp, text, trigger, expected):
    event = _dated(nlp, text, trigger)
    assert (event.date_start, event.time_precision) == (expected, 1)


@pytest.mark.parametrize(
    ("text", "trigger"),
    [
        # a date told only after the event does not date it
        ("Gunmen attacked a bus near the square. Separately, on 4 June 2020 a court sentenced "
         "two men for fraud.", "attacked"),
        # an impossible day told before is kept as text, never a date
        ("On 31/02/2020 a man entered the shopping mall. He shot three guards.", "shot"),
    ],
)
def test_dates_narrative_nothing_to_date_by(nlp, text, trigger):
    event = _dated(nlp, text, trigger)
    assert event.date_start is None
    assert ("malformed_date" in event.evidence) == ("31/02" in text)
