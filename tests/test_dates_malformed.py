"""Impossible dates are kept as text, never resolved, never replaced by a guess."""

from __future__ import annotations

from datetime import date

import pytest

from sitrep.document import Document, EventDraft, EventMention
from sitrep.nlp import load_model
from sitrep.pipeline.assemble import assemble
from sitrep.pipeline.dates import event_dates, find_dates, find_malformed
from sitrep.records import Report


@pytest.fixture(scope="module")
def nlp():
    return load_model()


def _document(nlp, text: str, published: date | None) -> Document:
    document = Document(report=Report(id="t", text=text, published=published), doc=nlp(text))
    document.dates = find_dates(document)
    document.extras["malformed_dates"] = find_malformed(document)
    return document


def _event(document: Document, trigger: str) -> EventDraft:
    start = document.text.index(trigger)
    tok = next(t for t in document.doc if t.idx == start)
    sent = document.sent_index(start)
    mention = EventMention(start, start + len(trigger), trigger, tok.lemma_, sent, "attack", tok.i)
    return EventDraft(mentions=[mention], kind="attack", sents=[sent])


@pytest.mark.parametrize(
    ("text", "malformed"),
    [
        ("On 31/02/2023, gunmen killed three villagers near the market, police said.",
         "31/02/2023"),
        ("Gunmen attacked a checkpoint on 45 March, killing two soldiers.", "45 March"),
        ("2023-13-40: A roadside bomb killed four soldiers on a patrol.", "2023-13-40"),
        ("The ministry said that on February 30 militants shelled the town.", "February 30"),
        ("Fighting broke out on 31 April 2021 in the northern districts.", "31 April 2021"),
        ("Witnesses said the raid took place on March 45, 2022, before dawn.", "March 45, 2022"),
        ("Protesters gathered from 30 to 33 June outside the assembly.", "33 June"),
        ("13/13/2019 - Unknown assailants burned a school.", "13/13/2019"),
    ],
)
def test_dates_malformed_found_not_resolved(nlp, text, malformed):
    document = _document(nlp, text, date(2023, 4, 10))
    found = document.extras["malformed_dates"]
    assert [m.text for m in found if malformed in m.text or m.text in malformed]
    spans = [(m.start, m.end) for m in found]
    assert not any(d.start < e and s < d.end for d in document.dates for s, e in spans)


@pytest.mark.parametrize(
    "text",
    [
        "In February 30 people were killed in clashes across the region.",
        "Officials said 29 February 2024 was the deadliest day of the month.",
        "The court adjourned the case to March 3, 2023.",
        "On 12/31/2022 police arrested five men in the capital.",
        "About 45 Marchers were detained by police.",
        "",
        "\u202e\u0000 ?? 99/99/9999 \u2014 0000-00-00",
    ],
)
def test_dates_malformed_not_flagged(nlp, text):
    document = _document(nlp, text, date(2024, 3, 10))
    assert [m.text for m in document.extras["malformed_dates"]
            if "99/99" not in m.text and "0000" not in m.text] == []


@pytest.mark.parametrize(
    ("text", "published", "trigger", "expected"),
    [
        # no relative cue: no date at all, not the publication date
        ("On 31/02/2023, gunmen killed three villagers near the market.", date(2023, 3, 5),
         "killed", None),
        ("Gunmen attacked a checkpoint on 45 March, killing two soldiers.", date(2023, 3, 29),
         "attacked", None),
        ("2023-13-40: A roadside bomb killed four soldiers on a patrol.", None, "killed", None),
        ("Militants shelled the town on February 30, killing six.", None, "shelled", None),
        # a weekday beside the impossible date: the report's week, never a guess from the digits
        ("On Tuesday, February 30, militants shelled the town, killing six.", date(2023, 3, 2),
         "shelled", date(2023, 3, 2)),
        ("Gunmen raided the village on 31/06/2021, residents said on Saturday.",
         date(2021, 7, 3), "raided", date(2021, 7, 3)),
    ],
)
def test_dates_malformed_event_date(nlp, text, published, trigger, expected):
    document = _document(nlp, text, published)
    event = _event(document, trigger)
    document.events = [event]
    event_dates(document)
    assert event.date_start == expected
    assert event.time_precision == (2 if expected else None)
    bad = event.evidence["malformed_date"][0]
    note = f"malformed date not used: {text[bad[0]:bad[1]]!r}"
    assert document.extras["date_doubts"][0] == [note]
    coded = assemble(document).events[0]  # assembly turns the doubt into less confidence
    assert 0 < coded.confidence < 0.6


@pytest.mark.parametrize(
    ("text", "trigger", "expected"),
    [
        # the event's own valid date wins over an impossible one elsewhere in its sentence
        ("Rebels stormed the base yesterday, a statement dated 2022-02-31 said.", "stormed",
         date(2022, 2, 28)),
        ("On 3 March 2022 gunmen attacked a bus. A 31/02/2022 memo had warned of it.", "attacked",
         date(2022, 3, 3)),
    ],
)
def test_dates_malformed_valid_date_still_used(nlp, text, trigger, expected):
    document = _document(nlp, text, date(2022, 3, 1))
    event = _event(document, trigger)
    document.events = [event]
    event_dates(document)
    assert event.date_start == expected
    assert "malformed_date" not in event.evidence
    assert not document.extras.get("date_doubts")


@pytest.mark.parametrize(
    ("text", "published"),
    [
        ("On 31/02/2023, gunmen killed three villagers near Kano, police said.", date(2023, 3, 5)),
        ("Militants shelled the town on February 30, killing six, officials said.", None),
        ("Police said 99999999 days ago a bomb exploded, killing two people.", date(2023, 3, 2)),
        ("On 0 January 2020 militants bombed a bus, killing 3 people.", date(2020, 1, 9)),
    ],
)
def test_dates_malformed_pipeline_never_crashes(pipeline, text, published):
    result = pipeline(Report(id="t", text=text, published=published))
    assert result.events
    for event in result.events:
        if event.evidence.get("malformed_date"):
            assert event.event_date is None
            assert event.confidence < 0.6
