"""The event_counts stage: figures attached to hand-built event drafts and combined ACLED's way."""

from __future__ import annotations

import pytest

from sitrep.document import Document, EventDraft, EventMention
from sitrep.nlp import load_model
from sitrep.pipeline.counts import find_counts
from sitrep.pipeline.tolls import event_counts
from sitrep.records import Count, Report


@pytest.fixture(scope="module")
def nlp():
    return load_model()


def _document(nlp, text: str) -> Document:
    document = Document(report=Report(id="t", text=text), doc=nlp(text))
    document.counts = find_counts(document)
    return document


def _event(document: Document, sents: list[int], context: list[int] | None = None) -> EventDraft:
    sent = document.sentences[sents[0]]
    tok = sent[0]
    mention = EventMention(tok.idx, tok.idx + len(tok.text), tok.text, tok.lemma_, sents[0],
                           "attack", tok.i)
    return EventDraft(mentions=[mention], kind="attack", sents=sents, context=context or [])


@pytest.mark.parametrize(
    ("text", "killed", "civilians", "injured"),
    [
        ("Gunmen stormed the camp. One civilian and six assailants were killed.", 7, 1, 0),
        ("A suicide bomber struck a market. Nine people were killed, including two women.",
         9, None, 0),
        ("A car bomb exploded near the court. Eight people were killed. The death toll later "
         "rose to 12, police said.", 12, None, 0),
        ("Militants ambushed a patrol, killing three soldiers. Two militants were also killed. "
         "Four soldiers were wounded.", 5, None, 4),
        ("A bomb went off in a bus station. Five people died and 16 were injured. The five "
         "victims were taken to the morgue.", 5, None, 16),
        ("Troops fired on protesters; 30 people were hurt.", 0, None, 30),
        ("A gunman opened fire in an office, killing four workers before turning the gun on "
         "himself.", 5, 4, 0),
        ("A man shot two guards at the gate. He then shot and killed three clerks inside.",
         3, 3, 0),
        ("Missiles hit the city, killing civilians. One person is known to have died in the "
         "attack.", 1, None, 0),
        ("A suicide bomber blew himself up at a checkpoint, killing two soldiers.", 3, None, 0),
    ],
)
def test_counts_event_combines(nlp, text, killed, civilians, injured):
    document = _document(nlp, text)
    event = _event(document, list(range(len(document.sentences))))
    document.events = [event]
    event_counts(document)
    assert event.fatalities.best == killed
    assert event.fatalities.civilians == civilians
    assert event.injuries.best == injured


def test_counts_event_none_reported_is_zero_not_unknown(nlp):
    document = _document(nlp, "Protesters marched through the capital on Sunday.")
    event = _event(document, [0])
    document.events = [event]
    event_counts(document)
    assert event.fatalities == Count.none() and event.injuries == Count.none()


def test_counts_event_figure_goes_to_one_event_only(nlp):
    text = ("A drone struck a dormitory near the capital. At least eight people were killed. "
            "Separately, shelling hit a market in the east; one person died.")
    document = _document(nlp, text)
    first = _event(document, [0], context=[1, 2])
    second = _event(document, [2], context=[1])
    document.events = [first, second]
    event_counts(document)
    assert first.fatalities.best == 8 and first.fatalities.qualifier == "at_least"
    assert second.fatalities.best == 1
    assert first.evidence["fatalities"] and second.evidence["fatalities"]


def test_counts_event_source_recorded_for_claims(nlp):
    text = ("A drone hit a school. More than 20 people were hospitalised, according to "
            "regional police chief Ivan Petrenko.")
    document = _document(nlp, text)
    event = _event(document, [0, 1])
    document.events = [event]
    event_counts(document)
    sources = document.extras["count_sources"]
    assert sources == [{"event_index": 0, "field": "injuries",
                        "source": "regional police chief Ivan Petrenko",
                        "source_span": sources[0]["source_span"],
                        "span": sources[0]["span"]}]
    assert event.injuries.low == 21 and event.injuries.qualifier == "more_than"


def test_counts_event_arrests_go_to_extra_counts(nlp):
    document = _document(nlp, "Police dispersed the rally and arrested 45 people.")
    event = _event(document, [0])
    document.events = [event]
    event_counts(document)
    assert event.extra_counts["arrested"].best == 45
    assert event.fatalities.best == 0
