"""In-report coreference: one event per real event, however many times the report tells it."""

from __future__ import annotations

import pytest

from sitrep.api import extract


def _types(result) -> list[str | None]:
    return [e.sub_event_type or e.plover.event for e in result.events]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a lead that sums up, then the specific strike, its outcome and a back-reference
        ("Rebels launched a wave of rocket attacks on the region on Monday, killing civilians. "
         "A rocket hit a school in Aleppo, killing four children. "
         "More than ten people were wounded, the health ministry said. "
         "The attack was condemned by the United Nations.", 1),
        # two towns, two strikes
        ("An air strike hit a market in Idlib on Tuesday, killing five people. "
         "Later that day, another air strike hit a hospital in Aleppo, killing two.", 2),
        # one clash told three times
        ("Troops clashed with militants near Mosul on Friday. The fighting lasted four hours. "
         "Three soldiers were killed in the clashes, the army said.", 1),
        # two meetings in one sentence are two meetings
        ("The foreign minister met his Turkish counterpart in Ankara, while the president "
         "held a meeting with NATO's secretary general in Brussels.", 2),
        # no event at all
        ("The government presented its budget on Monday. Economists expect growth to slow "
         "next year, the central bank said.", 0),
    ],
)
def test_coreference_one_event_per_real_event(text, expected):
    result = extract(text, published="2023-05-10")
    assert result.error is None
    assert len(result.events) == expected, [(e.sub_event_type, e.location.name, e.notes)
                                             for e in result.events]


def test_coreference_outcome_sentence_joins_previous_event():
    text = ("A car bomb exploded outside a police station in Kirkuk on Sunday. "
            "At least six people were killed and 14 wounded, police said.")
    result = extract(text, published="2022-06-13")
    assert len(result.events) == 1
    event = result.events[0]
    assert event.fatalities.best == 6
    assert event.injuries.best == 14


def test_coreference_summary_lead_folded_into_located_events():
    text = ("Russia fired a barrage of missiles at Ukrainian cities overnight. "
            "In Dnipro, a missile struck an apartment block, killing three residents. "
            "In Kharkiv, a missile hit a power station.")
    result = extract(text, published="2023-01-15")
    names = sorted(e.location.name or "" for e in result.events)
    assert len(result.events) == 2, names
    assert all(e.location.geo_precision == 1 for e in result.events)


def _mention(lemma: str, kind: str, role: str = "main", start: int = 0):
    from sitrep.document import EventMention

    return EventMention(start, start + len(lemma), lemma, lemma, 0, kind, 0, role=role)


@pytest.mark.parametrize(
    ("mentions", "expected"),
    [
        # a shooting that ends with the gunman's arrest is a shooting, in either order
        ([("shoot", "attack"), ("arrest", "arrest")], "attack"),
        ([("arrest", "arrest"), ("stab", "attack")], "attack"),
        ([("detain", "arrest"), ("clash", "clash")], "clash"),
        ([("arrest", "arrest"), ("bomb", "explosion")], "explosion"),
        # a raid is the arrest's means: still an arrest
        ([("raid", "attack"), ("arrest", "arrest")], "arrest"),
        ([("arrest", "arrest"), ("sweep", "attack")], "arrest"),
        # an outcome alone does not outrank the arrest told as the main event
        ([("arrest", "arrest"), ("kill", "attack", "outcome")], "arrest"),
        # protests stay protests when the police arrest people at them
        ([("protest", "protest"), ("arrest", "arrest")], "protest"),
    ],
)
def test_coreference_kind_of_a_mixed_event(mentions, expected):
    from sitrep.pipeline.coreference import _kind

    built = [_mention(*m[:2], *(m[2:] or ("main",)), start=10 * i) for i, m in enumerate(mentions)]
    assert _kind(built) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A gunman opened fire at a bus station in Peshawar on Friday, killing two people. "
         "Police arrested him at the scene.", "ASSAULT"),
        ("Security forces raided a house in Mombasa on Tuesday and arrested six suspected "
         "militants, police said.", "COERCE"),
        # violence told only by its outcome verbs, ended by a passive arrest
        ("Angered by the ruling, he returned to the courthouse, killing a clerk and wounding two "
         "guards before being arrested.", "ASSAULT"),
        ("Police arrested two men suspected of killing a journalist in the capital in March.",
         "COERCE"),
    ],
)
def test_coreference_arrest_after_violence_in_one_event(text, expected):
    result = extract(text, published="2022-09-02")
    assert result.error is None
    assert result.events
    main = max(result.events, key=lambda e: e.confidence)
    assert main.plover.event == expected, [(e.sub_event_type, e.plover.event)
                                           for e in result.events]


@pytest.mark.parametrize(("text", "expected"), [
    # harm told as an act beside the arrest makes the event violence (ACLED: an attack)
    ("On 23 December 2016, near Mansi, Kachin state, the army arrested and killed a villager.",
     "Attack"),
    ("On 19 October 2022, soldiers killed a herder and arrested seven men in Kokobou, Benin.",
     "Attack"),
    # what the arrested are suspected of is no act of the arrest
    ("Police arrested a man suspected of killing his wife in Nairobi on Monday.", "Arrests"),
])
def test_coreference_harm_beside_an_arrest(text: str, expected: str) -> None:
    from sitrep.api import extract

    result = extract(text)
    assert [e.sub_event_type for e in result.events][:1] == [expected]
