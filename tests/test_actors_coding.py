"""Stage ``actors``: agents, victims, report-level defaults and ACLED interaction codes."""

from __future__ import annotations

import pytest

from sitrep.document import Document, EventDraft, EventMention
from sitrep.nlp import load_model
from sitrep.pipeline.actor_refs import interaction_code
from sitrep.pipeline.actors import code_actors
from sitrep.pipeline.armed_groups import group_actor
from sitrep.records import Report


@pytest.fixture(scope="module")
def nlp():
    return load_model()


def _document(nlp, text: str, triggers: list[tuple[str, str]], focus: str | None = None,
              ) -> Document:
    """One draft per (trigger word, kind), anchored on the word's first occurrence."""
    doc = nlp(text)
    document = Document(report=Report(id="t", text=text), doc=doc, focus_country=focus)
    sents = list(doc.sents)
    for word, kind in triggers:
        tok = next(t for t in doc if t.text == word)
        sent = next(i for i, s in enumerate(sents) if s.start <= tok.i < s.end)
        mention = EventMention(tok.idx, tok.idx + len(tok.text), tok.text, tok.lemma_, sent, kind,
                               tok.i)
        document.mentions.append(mention)
        document.events.append(EventDraft(mentions=[mention], kind=kind, sents=[sent]))
    return document


@pytest.mark.parametrize(
    ("text", "trigger", "kind", "focus", "actor1", "country"),
    [
        ("Israeli warplanes struck a house in Gaza, killing five civilians.",
         "struck", "air_strike", None, "Military Forces of Israel", "IL"),
        ("Moscow launched a wave of missile strikes on Kharkiv overnight.",
         "strikes", "shelling", "UA", "Military Forces of Russia", "RU"),
        ("Russian strikes hit the port of Odesa on Tuesday.",
         "strikes", "air_strike", "UA", "Military Forces of Russia", "RU"),
        ("Syrian government forces shelled a village in Idlib province.",
         "shelled", "shelling", "SY", "Military Forces of Syria", "SY"),
        ("Suspected Boko Haram militants abducted 20 pupils from a school in Borno.",
         "abducted", "abduction", "NG", "Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawati wal-Jihad",
         "NG"),
        ("A market in the town was attacked by gunmen on Sunday, local officials said.",
         "attacked", "attack", "NG", "Unidentified Armed Group (Nigeria)", "NG"),
        ("Al Shabaab fighters stormed a hotel in Mogadishu late on Friday.",
         "stormed", "attack", "SO", "Al Shabaab", "SO"),
        ("Police arrested a dozen journalists in Istanbul on Monday.",
         "arrested", "arrest", "TR", "Police Forces of Turkey", "TR"),
    ],
)
def test_actors_agent_of_trigger(nlp, text, trigger, kind, focus, actor1, country):
    document = _document(nlp, text, [(trigger, kind)], focus)
    code_actors(document)
    event = document.events[0]
    assert event.actor1 is not None
    assert event.actor1.name == actor1
    assert event.actor1.country == country
    assert event.evidence.get("actor1")


@pytest.mark.parametrize(
    ("text", "trigger", "kind", "focus", "actor2", "assoc", "targeting"),
    [
        ("Israeli warplanes struck a house in Gaza, killing five civilians.",
         "struck", "air_strike", "PS", "Civilians (Palestine)", [], True),
        ("Gunmen kidnapped 30 students from a college in Kaduna state.",
         "kidnapped", "abduction", "NG", "Civilians (Nigeria)", ["Students (Nigeria)"], True),
        ("Militants ambushed a police convoy near Peshawar, killing four officers.",
         "ambushed", "attack", "PK", "Police Forces of Pakistan", [], False),
        ("Unknown attackers shot dead two journalists outside their office in the capital.",
         "shot", "attack", "MX", "Civilians (Mexico)", ["Journalists (Mexico)"], True),
        ("A drone hit a student dormitory overnight and three people were killed.",
         "hit", "air_strike", "UA", "Civilians (Ukraine)", ["Students (Ukraine)"], True),
    ],
)
def test_actors_victims(nlp, text, trigger, kind, focus, actor2, assoc, targeting):
    document = _document(nlp, text, [(trigger, kind)], focus)
    code_actors(document)
    event = document.events[0]
    assert event.actor2 is not None and event.actor2.name == actor2
    assert event.assoc_actor_2 == assoc
    assert event.civilian_targeting is targeting


@pytest.mark.parametrize(
    "text",
    [
        "Moscow unleashed a barrage of drones on Ukraine overnight. Later, a drone struck a "
        "school in Sumy, killing two teachers.",
        "Russia launched dozens of missiles at Ukrainian cities on Friday. In Lviv, a missile "
        "hit an apartment block and five people died.",
    ],
)
def test_actors_report_level_default_agent(nlp, text):
    trigger = "struck" if "struck" in text else "hit"
    lead = "barrage" if "barrage" in text else "missiles"
    document = _document(nlp, text, [(lead, "air_strike"), (trigger, "air_strike")], "UA")
    code_actors(document)
    later = document.events[1]
    assert later.actor1 is not None and later.actor1.name == "Military Forces of Russia"
    assert later.actor2 is not None and later.actor2.name == "Civilians (Ukraine)"
    assert later.civilian_targeting


@pytest.mark.parametrize(
    ("text", "actor1", "assoc1", "actor2"),
    [
        ("Hundreds of students protested in Nairobi before police fired tear gas at them.",
         "Protesters (Kenya)", ["Students (Kenya)"], "Police Forces of Kenya"),
        ("Thousands of farmers marched peacefully through the capital on Sunday.",
         "Protesters (Kenya)", ["Farmers (Kenya)"], None),
        ("Demonstrators gathered outside parliament to demand the minister's resignation.",
         "Protesters (Kenya)", [], None),
    ],
)
def test_actors_protests(nlp, text, actor1, assoc1, actor2):
    trigger = next(w for w in ("protested", "marched", "gathered") if w in text)
    document = _document(nlp, text, [(trigger, "protest")], "KE")
    code_actors(document)
    event = document.events[0]
    assert event.actor1 is not None and event.actor1.name == actor1
    assert event.actor1.inter == 6
    assert event.assoc_actor_1 == assoc1
    assert (event.actor2.name if event.actor2 else None) == actor2
    assert not event.civilian_targeting


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Assailants attacked a checkpoint in the district. The Taliban claimed responsibility "
         "for the attack.", "Taliban"),
        ("Gunmen attacked a bus in the north. No group claimed responsibility; however, officials "
         "attributed the attack to Al Shabaab.", "Al Shabaab"),
        ("Gunmen attacked a bus in the north. No group claimed responsibility for the attack.",
         "Unidentified Armed Group (Somalia)"),
    ],
)
def test_actors_attribution_fills_unidentified_attacker(nlp, text, expected):
    document = _document(nlp, text, [("attacked", "attack")], "SO")
    code_actors(document)
    assert document.events[0].actor1 is not None
    assert document.events[0].actor1.name == expected


def test_actors_blame_never_replaces_identified_attacker(nlp):
    text = ("Russian forces shelled the city of Kherson on Monday. Officials in Moscow blamed "
            "Ukrainian air defences for the damage.")
    document = _document(nlp, text, [("shelled", "shelling")], "UA")
    code_actors(document)
    assert document.events[0].actor1.name == "Military Forces of Russia"


@pytest.mark.parametrize(
    ("inter1", "inter2", "code"),
    [(1, 7, 17), (7, 1, 17), (2, 1, 12), (6, None, 60), (None, 3, 30), (None, None, None),
     (1, 1, 11)],
)
def test_actors_interaction_code(inter1, inter2, code):
    assert interaction_code(inter1, inter2) == code


@pytest.mark.parametrize(
    ("text", "name"),
    [("the Islamic State of Iraq and the Levant (ISIL)", "Islamic State"),
     ("IS fighters", "Islamic State"),
     ("Houthi rebels", "Houthi Movement"),
     ("it is what it is", None),
     ("let them go", None)],
)
def test_actors_group_lexicon(text, name):
    found = group_actor(text)
    assert (found.name if found else None) == name


@pytest.mark.parametrize("text", ["", "   ", "?!", "Ça va. Ünïcödé – “quotes”."])
def test_actors_odd_input_does_not_crash(nlp, text):
    doc = nlp(text)
    document = Document(report=Report(id="t", text=text), doc=doc)
    if len(doc):
        mention = EventMention(0, len(doc[0].text), doc[0].text, doc[0].lemma_, 0, "attack", 0)
        document.events.append(EventDraft(mentions=[mention], kind="attack", sents=[0]))
    code_actors(document)
    assert all(e.actor1 is None for e in document.events)
