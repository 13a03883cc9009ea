"""The counts stage on lists, elliptic clauses and perpetrator deaths, and the event sum."""

from __future__ import annotations

import pytest

from sitrep.document import Document, EventDraft, EventMention
from sitrep.nlp import load_model
from sitrep.pipeline.counts import find_counts
from sitrep.pipeline.tolls import event_counts
from sitrep.records import Report


@pytest.fixture(scope="module")
def nlp():
    return load_model()


def _event_figures(nlp, text: str, events: list[list[int]] | None = None) -> list[EventDraft]:
    document = Document(report=Report(id="t", text=text), doc=nlp(text))
    document.counts = find_counts(document)
    drafts = []
    for sents in events or [list(range(len(document.sentences)))]:
        tok = document.sentences[sents[0]][0]
        mention = EventMention(tok.idx, tok.idx + len(tok.text), tok.text, tok.lemma_, sents[0],
                               "attack", tok.i)
        drafts.append(EventDraft(mentions=[mention], kind="attack", sents=sents))
    document.events = drafts
    event_counts(document)
    return drafts


@pytest.mark.parametrize(
    ("text", "killed", "injured"),
    [
        # elliptic second clause: the casualty word follows the figure with no verb of its own
        ("At least 14 people were killed and over 30 injured when a truck bomb went off.", 14, 30),
        ("Three soldiers were killed and 9 others wounded in the ambush near the border.", 3, 9),
        ("The blast at the bus depot left 6 people killed and 21 others injured.", 6, 21),
        ("Gunmen raided the village at dawn. Over 40 were injured.", 0, 40),
        ("Two pilgrims were killed and other 11 hurt in the grenade attack on the shrine.", 2, 11),
        # lists of people, singular and counted, add up
        ("He killed the cashier, a guard and two customers before fleeing the store.", 4, 0),
        ("The attacker killed four workers, the foreman and his wife at the depot.", 6, 0),
        ("She opened fire in the clinic, killing the dean, three others and wounding five more.",
         4, 5),
        ("Raiders shot a herder dead and wounded another near the well.", 1, 1),
        ("A teenager shot a classmate in the hallway, killing him.", 1, 0),
        # an apposition that restates the total is not added to it
        ("30 people, 12 police officers and 18 civilians, were killed in the assault on the "
         "compound.", 30, 0),
        # one person described twice is one casualty
        ("Assailants shot and killed Amadou Keita, a village chief, near his home.", 1, 0),
        # "more than N": the reported figure is the conservative best
        ("More than 25 people were wounded when the market was shelled.", 0, 25),
        # a perpetrator killed counts (ACLED, GTD): one when the subject is one person
        ("A gunman killed five shoppers and wounded two before being shot dead by police.", 6, 2),
        ("He was later shot and killed by officers after killing three people at the depot.",
         4, 0),
        # ... but a plural subject gives no number
        ("Four militants stormed the base, killing 7 guards before being killed in a gunfight.",
         7, 0),
        # "lost their lives"
        ("Nine passengers lost their lives when the bus was hit by a roadside bomb.", 9, 0),
        # "in total" sums up the figures before it
        ("He shot two men at a bar and three at a garage. In total, five were killed.", 5, 0),
        # an attempt is no casualty
        ("A failed attempt to assassinate the governor, Musa Bello, was foiled.", 0, 0),
    ],
)
def test_counts_lists_and_ellipsis(nlp, text, killed, injured):
    event = _event_figures(nlp, text)[0]
    assert (event.fatalities.best, event.injuries.best) == (killed, injured), text


def test_counts_more_than_keeps_low_above_best(nlp):
    event = _event_figures(nlp, "More than 20 people were wounded in the shelling.")[0]
    assert (event.injuries.best, event.injuries.low, event.injuries.high) == (20, 21, None)
    assert event.injuries.qualifier == "more_than"


@pytest.mark.parametrize(
    "text",
    [
        "Two bombings rocked the capital on Friday, killing at least 45 people. A car bomb "
        "exploded near the ministry. Gunmen then stormed the building.",
        "At least 12 people were killed in a series of attacks in the north. Militants raided "
        "a market in the town.",
    ],
)
def test_counts_summary_figure_goes_to_the_only_event(nlp, text):
    """A lead figure told in a sentence no event covers belongs to the report's only event."""
    event = _event_figures(nlp, text, events=[[1, 2]] if "Gunmen" in text else [[1]])[0]
    assert event.fatalities.best in (45, 12)


def test_counts_summary_figure_not_split_over_several_events(nlp):
    text = ("Air strikes killed dozens of people across the region on Monday. A strike hit a "
            "market in the east, killing four. Another strike hit a school in the west, killing "
            "two children.")
    first, second = _event_figures(nlp, text, events=[[1], [2]])
    assert (first.fatalities.best, second.fatalities.best) == (4, 2)
