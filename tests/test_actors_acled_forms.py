"""Actors in ACLED's form: the sides of a clash told "between X and Y", and crowds named by what
they did (protesters for the protest types, rioters for violence), whatever word the report used."""

from __future__ import annotations

import pytest

from sitrep.document import Document, EventDraft, EventMention
from sitrep.nlp import load_model
from sitrep.pipeline.actor_types import _crowd_actor, _external
from sitrep.pipeline.actors import code_actors
from sitrep.records import Actor, Report


@pytest.fixture(scope="module")
def nlp():
    return load_model()


def _coded(nlp, text: str, word: str, kind: str, focus: str | None = None) -> EventDraft:
    doc = nlp(text)
    document = Document(report=Report(id="t", text=text), doc=doc, focus_country=focus)
    tok = next(t for t in doc if t.text == word)
    mention = EventMention(tok.idx, tok.idx + len(tok.text), tok.text, tok.lemma_, 0, kind, tok.i)
    document.mentions.append(mention)
    document.events.append(EventDraft(mentions=[mention], kind=kind, sents=[0]))
    code_actors(document)
    return document.events[0]


@pytest.mark.parametrize(("text", "word", "actor1", "actor2_inter"), [
    ("Heavy clashes between the Ruritanian army and the rebels occurred near the river.",
     "clashes", "Military Forces of", 3),
    ("Fighting between militants and police broke out near the market on Monday.",
     "Fighting", "Police Forces of", 3),
])
def test_actors_clash_between_sides(nlp, text: str, word: str, actor1: str,
                                    actor2_inter: int) -> None:
    event = _coded(nlp, text, word, "clash", focus="KE")
    assert event.actor1 is not None and event.actor1.name.startswith(actor1)
    assert event.actor2 is not None and event.actor2.inter == actor2_inter


@pytest.mark.parametrize(("sub", "before", "after"), [
    ("Violent demonstration", Actor("Protesters (Kenya)", 6, "KE"), "Rioters (Kenya)"),
    ("Peaceful protest", Actor("Rioters (Kenya)", 5, "KE"), "Protesters (Kenya)"),
    ("Mob violence", None, "Rioters (Kenya)"),
    ("Protest with intervention", None, "Protesters (Kenya)"),
    # ACLED's rioters are actor1 even when the report's subject is the soldiers they fought
    ("Mob violence", Actor("Military Forces of Kenya", 1, "KE"), "Rioters (Kenya)"),
    ("Armed clash", None, None),
])
def test_typing_crowd_actor_follows_type(sub: str, before: Actor | None,
                                         after: str | None) -> None:
    event = EventDraft(mentions=[], kind="protest", sents=[0])
    event.sub_event_type = sub
    event.actor1 = before
    _crowd_actor(event, "KE")
    assert (event.actor1.name if event.actor1 else None) == after


def test_typing_riot_keeps_state_side_and_named_party() -> None:
    event = EventDraft(mentions=[], kind="clash", sents=[0])
    event.sub_event_type = "Violent demonstration"
    event.actor1 = Actor("Police Forces of Kenya", 1, "KE")
    _crowd_actor(event, "KE")
    assert event.actor1 == Actor("Rioters (Kenya)", 5, "KE")
    assert event.actor2 == Actor("Police Forces of Kenya", 1, "KE")
    event = EventDraft(mentions=[], kind="clash", sents=[0])
    event.sub_event_type = "Mob violence"
    event.actor1 = Actor("Mungiki Militia", 3, "KE")
    _crowd_actor(event, "KE")
    assert event.actor1.inter == 5 and event.assoc_actor_1 == ["Mungiki Militia"]


@pytest.mark.parametrize(("actor", "here", "inter"), [
    (Actor("Military Forces of France", 1, "FR"), "BF", 8),  # abroad: external forces
    (Actor("Military Forces of Burkina Faso", 1, "BF"), "BF", 1),
    (Actor("Unidentified Armed Group (Mali)", 3, "ML"), "BF", 3),  # only states' forces
    (Actor("Military Forces of France", 1, "FR"), None, 1),  # nowhere known: left alone
])
def test_typing_state_forces_abroad_are_external(actor: Actor, here: str | None,
                                                 inter: int) -> None:
    event = EventDraft(mentions=[], kind="attack", sents=[0])
    event.event_type = "Battles"
    event.actor1 = actor
    _external(event, here)
    assert event.actor1.inter == inter and event.actor1.name == actor.name
