"""Actors in ACLED's form: the sides of a clash told "between X and Y", and crowds named by what
they did (protesters for the protest types, rioters for violence), whatever word the report used."""

from __future__ import annotations

import pytest

from sitrep.document import Document, EventDraft, EventMention
from sitrep.nlp import load_model
from sitrep.pipeline.actors import code_actors
from sitrep.pipeline.typing import _crowd_actor
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
    ("Mob violence", Actor("Military Forces of Kenya", 1, "KE"), "Military Forces of Kenya"),
    ("Armed clash", None, None),
])
def test_typing_crowd_actor_follows_type(sub: str, before: Actor | None,
                                         after: str | None) -> None:
    event = EventDraft(mentions=[], kind="protest", sents=[0])
    event.sub_event_type = sub
    event.actor1 = before
    _crowd_actor(event, "KE")
    assert (event.actor1.name if event.actor1 else None) == after
