"""The typing stage on hand-built event drafts for short reports written for the case."""

from __future__ import annotations

import pytest

from sitrep.document import Document, EventDraft, EventMention
from sitrep.nlp import load_model
from sitrep.pipeline import typing as typing_stage
from sitrep.records import ACLED_TYPES, Report


def _document(text: str, trigger: str, kind: str) -> Document:
    doc = load_model()(text)
    document = Document(report=Report(id="t", text=text), doc=doc)
    token = next(t for t in doc if t.lower_ == trigger.lower())
    sent = next(i for i, s in enumerate(document.sentences) if s.start <= token.i < s.end)
    mention = EventMention(start=token.idx, end=token.idx + len(token), text=token.text,
                           lemma=token.lemma_.lower(), sent=sent, kind=kind, token=token.i)
    document.events = [EventDraft(mentions=[mention], kind=kind, sents=[sent])]
    return document


CASES = [
    # (report, trigger, kind from detection, expected sub_event_type, expected PLOVER event)
    ("Jets from the air force bombed a weapons depot outside Idlib on Monday, a war monitor said.",
     "bombed", "air_strike", "Air/drone strike", "ASSAULT"),
    ("An Israeli drone strike hit a car in southern Lebanon, killing two men, state media said.",
     "strike", "air_strike", "Air/drone strike", "ASSAULT"),
    ("Howitzers shelled the outskirts of Donetsk overnight, wounding three residents.",
     "shelled", "shelling", "Shelling/artillery/missile attack", "ASSAULT"),
    ("Two ballistic missiles struck an oil refinery near Aden, the Yemeni government said.",
     "struck", "attack", "Shelling/artillery/missile attack", "ASSAULT"),
    ("A roadside bomb exploded under a police pickup truck near Kandahar, killing four officers.",
     "exploded", "explosion", "Remote explosive/landmine/IED", "ASSAULT"),
    ("A landmine explosion killed a herder and injured his nephew near the Mali-Niger border.",
     "explosion", "explosion", "Remote explosive/landmine/IED", "ASSAULT"),
    ("A suicide bomber detonated his explosive vest at a checkpoint in Mogadishu, police said.",
     "detonated", "explosion", "Suicide bomb", "ASSAULT"),
    ("Local NGO statement: a suicide attacker drove a truck into the gate of the army barracks "
     "and set off the explosives.", "attacker", "attack", "Suicide bomb", "ASSAULT"),
    ("Unknown men threw a grenade into a bar in Bujumbura late on Friday, injuring six.",
     "grenade", "grenade", "Grenade", "ASSAULT"),
    ("Government troops and Ansar al-Sunna fighters clashed near Mocimboa da Praia on Tuesday.",
     "clashed", "clash", "Armed clash", "ASSAULT"),
    ("Soldiers exchanged fire with suspected rebels in the forest for two hours, the army said.",
     "fire", "attack", "Armed clash", "ASSAULT"),
    ("The army recaptured the town of Palma from insurgents after a week-long offensive.",
     "recaptured", "territory_gain", "Government regains territory", "ASSAULT"),
    ("Rebel fighters captured the mining town after government soldiers fled, residents said.",
     "captured", "territory_gain", "Non-state actor overtakes territory", "ASSAULT"),
    ("Several hundred nurses marched to the health ministry in Nairobi demanding overdue pay.",
     "marched", "protest", "Peaceful protest", "PROTEST"),
    ("Police fired tear gas and water cannon to disperse students protesting in Dhaka.",
     "protesting", "protest", "Protest with intervention", "PROTEST"),
    ("Security forces opened fire on a peaceful protest in Basra, killing four demonstrators.",
     "protest", "protest", "Excessive force against protesters", "PROTEST"),
    ("Rioters set fire to the town hall and threw stones at police after the vote count.",
     "Rioters", "riot", "Violent demonstration", "PROTEST"),
    ("A mob lynched two men accused of stealing a motorbike in the market, police said.",
     "lynched", "mob", "Mob violence", "ASSAULT"),
    ("Police arrested the editor of an opposition weekly at his home in Harare on Thursday.",
     "arrested", "arrest", "Arrests", "COERCE"),
    ("Gunmen kidnapped a Catholic priest and his driver on the Abuja-Kaduna highway.",
     "kidnapped", "abduction", "Abduction/forced disappearance", "ASSAULT"),
    ("Militiamen looted the aid agency's warehouse and torched two trucks in Bunia.",
     "looted", "looting", "Looting/property destruction", "ASSAULT"),
    ("The government and the rebel alliance signed a ceasefire agreement in Addis Ababa.",
     "agreement", "agreement", "Agreement", "AGREE"),
    ("Bomb disposal officers defused an explosive device found under a bridge in Derry.",
     "defused", "disrupted_weapons", "Disrupted weapons use", "COERCE"),
    ("Air defences shot down a drone approaching the airport, the ministry said.",
     "shot", "disrupted_weapons", "Disrupted weapons use", "COERCE"),
]


@pytest.mark.parametrize(("text", "trigger", "kind", "sub", "plover"), CASES)
def test_typing_stage_sub_event_type(
    text: str, trigger: str, kind: str, sub: str, plover: str
) -> None:
    document = _document(text, trigger, kind)
    typing_stage.type_events(document)
    event = document.events[0]
    assert event.sub_event_type == sub
    assert (event.event_type, event.disorder_type) == ACLED_TYPES[sub]
    assert event.plover is not None and event.plover.event == plover
    assert 0.0 < event.type_score <= 1.0


@pytest.mark.parametrize(("text", "trigger", "kind", "plover", "mode"), [
    ("The Japanese prime minister arrived in Kyiv on a surprise visit and met the president.",
     "visit", "visit", "CONSULT", "visit"),
    ("Foreign ministers of the two countries held talks in Doha on border security.",
     "talks", "meeting", "CONSULT", None),
    ("The presidents discussed grain exports in a phone call on Sunday, the Kremlin said.",
     "call", "meeting", "CONSULT", "phone"),
    ("Germany announced a new package of humanitarian aid for flood-hit Pakistan.",
     "aid", "aid", "AID", "humanitarian"),
])
def test_typing_stage_outside_acled(
    text: str, trigger: str, kind: str, plover: str, mode: str | None
) -> None:
    document = _document(text, trigger, kind)
    typing_stage.type_events(document)
    event = document.events[0]
    assert event.sub_event_type is None
    assert event.event_type is None and event.disorder_type is None
    assert event.plover is not None and event.plover.event == plover
    assert event.plover.mode == mode


@pytest.mark.parametrize(("text", "trigger", "kind"), [
    ("A magnitude 6.8 earthquake flattened villages in the Atlas mountains, killing 40 people.",
     "killing", "attack"),
    ("A gas cylinder exploded in a restaurant kitchen in Lagos, injuring nine diners.",
     "exploded", "explosion"),
    ("Floods after a week of torrential rain killed 23 people in Kerala, officials said.",
     "killed", "attack"),
])
def test_typing_stage_drops_disasters(text: str, trigger: str, kind: str) -> None:
    document = _document(text, trigger, kind)
    typing_stage.type_events(document)
    label, _ = document.extras["typing_doc"]
    assert label in typing_stage.NON_POLITICAL
    assert document.extras["drop_events"] == [0]
    assert document.events[0].type_score < 0.3


@pytest.mark.parametrize("text", ["", "   ", "日本語のテキスト。", "Ok."])
def test_typing_stage_odd_input(text: str) -> None:
    doc = load_model()(text)
    document = Document(report=Report(id="odd", text=text), doc=doc)
    typing_stage.type_events(document)
    assert document.events == []
    assert "drop_events" not in document.extras


def test_typing_stage_keeps_other_events_on_rules() -> None:
    text = ("Rebels seized the district centre on Saturday. "
            "Two days later police arrested 14 suspected collaborators in the provincial capital.")
    doc = load_model()(text)
    document = Document(report=Report(id="two", text=text), doc=doc)
    events = []
    for trigger, kind in (("seized", "territory_gain"), ("arrested", "arrest")):
        token = next(t for t in doc if t.lower_ == trigger)
        sent = next(i for i, s in enumerate(document.sentences) if s.start <= token.i < s.end)
        events.append(EventDraft(mentions=[EventMention(
            start=token.idx, end=token.idx + len(token), text=token.text, lemma=token.lemma_,
            sent=sent, kind=kind, token=token.i)], kind=kind, sents=[sent]))
    document.events = events
    typing_stage.type_events(document)
    assert [e.sub_event_type for e in document.events] == [
        "Non-state actor overtakes territory", "Arrests"]
