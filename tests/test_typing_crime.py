"""Typing reports the classifier calls crime or disaster: criminal violence is kept outside
ACLED's scope with its casualties, disasters lose their events, attacks stay attacks."""

from __future__ import annotations

import pytest

from sitrep.document import Document, EventDraft, EventMention
from sitrep.nlp import load_model
from sitrep.pipeline import typing as typing_stage
from sitrep.records import Report


def _draft(text: str, triggers: list[tuple[str, str]]) -> tuple[Document, EventDraft]:
    doc = load_model()(text)
    document = Document(report=Report(id="t", text=text), doc=doc)
    mentions = []
    for trigger, kind in triggers:
        token = next(t for t in doc if t.lower_ == trigger.lower())
        sent = next(i for i, s in enumerate(document.sentences) if s.start <= token.i < s.end)
        mentions.append(EventMention(start=token.idx, end=token.idx + len(token),
                                     text=token.text, lemma=token.lemma_.lower(), sent=sent,
                                     kind=kind, token=token.i))
    sents = sorted({m.sent for m in mentions})
    event = EventDraft(mentions=mentions, kind=triggers[-1][1] if len(triggers) > 1 else
                       triggers[0][1], sents=sents)
    document.events = [event]
    return document, event


def _decide(text: str, triggers: list[tuple[str, str]], probs: dict[str, float]
            ) -> typing_stage.Decision:
    document, event = _draft(text, triggers)
    return typing_stage.decide(event, text, probs, main=True, report=text)


CRIME = {"ORG_CRIME": 0.4, "ATTACK": 0.2, "MAN_MADE_DISASTER": 0.1}
ACCIDENT = {"MAN_MADE_DISASTER": 0.45, "REM_EXPLOS": 0.15, "ORG_CRIME": 0.05}
NATURE = {"NATURAL_DISASTER": 0.6, "MAN_MADE_DISASTER": 0.1}


@pytest.mark.parametrize(
    ("text", "trigger", "probs", "mode"),
    [
        ("A man opened fire in a bowling alley in Ohio on Saturday, killing four people, "
         "police said.", "fire", CRIME, "firearms"),
        ("Local paper: a 19-year-old stabbed two classmates outside a high school after an "
         "argument.", "stabbed", CRIME, "primitive"),
        ("Police said a gunman shot five people at a house party late on Friday; two of them "
         "died.", "shot", ACCIDENT, "firearms"),
        ("Three people were shot dead during a robbery at a petrol station, the sheriff's "
         "office said.", "shot", ACCIDENT, "firearms"),
    ],
)
def test_typing_crime_kept_outside_acled(text, trigger, probs, mode):
    decision = _decide(text, [(trigger, "attack")], probs)
    assert not decision.drop
    assert decision.sub_event_type is None
    assert decision.plover.event == "ASSAULT"
    assert "crime" in decision.plover.context
    assert decision.plover.mode == mode


@pytest.mark.parametrize(
    ("text", "trigger", "kind", "probs"),
    [
        ("An explosion at a fireworks warehouse killed six workers in Guangdong province.",
         "explosion", "explosion", ACCIDENT),
        ("A gas cylinder blast tore through a restaurant kitchen, injuring eleven diners.",
         "blast", "explosion", ACCIDENT),
        ("Floods after days of heavy rain killed 31 people in the north of the country.",
         "killed", "attack", NATURE),
    ],
)
def test_typing_crime_disasters_still_dropped(text, trigger, kind, probs):
    decision = _decide(text, [(trigger, kind)], probs)
    assert decision.drop


@pytest.mark.parametrize(
    ("text", "trigger", "kind", "probs"),
    [
        ("A car bomb exploded outside a police station in the provincial capital, killing "
         "five officers.", "exploded", "explosion", ACCIDENT),
        ("Militants stabbed three guards at a checkpoint before fleeing into the hills.",
         "stabbed", "attack", CRIME),
        ("A rocket hit a crowded market in the border town on Tuesday, killing nine people.",
         "hit", "attack", NATURE),
    ],
)
def test_typing_crime_political_violence_stays_acled(text, trigger, kind, probs):
    decision = _decide(text, [(trigger, kind)], probs)
    assert not decision.drop
    assert decision.sub_event_type is not None


@pytest.mark.parametrize(
    "text",
    [
        "A gunman killed three co-workers at a warehouse before committing suicide.",
        "The shooter killed his wife and two neighbours, then committed suicide.",
        "He shot a clerk at the bank and later attempted suicide in his cell.",
    ],
)
def test_typing_crime_suicide_of_a_gunman_is_no_suicide_bomb(text):
    assert "suicide" not in typing_stage._cues(text)
    assert typing_stage.rule_type("attack", text).sub_event_type != "Suicide bomb"


@pytest.mark.parametrize(
    "text",
    [
        "A suicide bomber struck a wedding party in the city, killing 20 guests.",
        "Two suicide attackers blew themselves up at the gate of the air base.",
    ],
)
def test_typing_crime_suicide_bombing_still_found(text):
    assert "suicide" in typing_stage._cues(text)


@pytest.mark.parametrize(
    "text",
    [
        "A former employee opened fire in an office in Denver, killing three people. "
        "He was arrested two hours later.",
        "A man stabbed four shoppers at a supermarket in Leeds before police arrested him.",
        "Gunmen shot dead a village chief in Kaduna on Monday; police detained two suspects.",
    ],
)
def test_typing_crime_shooting_then_arrest_is_typed_as_the_shooting(pipeline, text):
    from sitrep.api import extract

    result = extract(text, published="2022-04-04", pipeline=pipeline)
    assert result.events
    main = max(result.events, key=lambda e: e.confidence)
    assert main.sub_event_type != "Arrests"
    assert main.plover.event == "ASSAULT"


def test_typing_crime_casualties_reported_through_the_pipeline(pipeline):
    from sitrep.api import extract

    result = extract("A gunman opened fire at a nightclub in Tulsa early on Sunday, killing "
                     "four people and wounding nine others, police said.",
                     pipeline=pipeline).to_dict()
    assert result["events"]
    assert sum(e["fatalities"]["best"] or 0 for e in result["events"]) == 4
    assert sum(e["injuries"]["best"] or 0 for e in result["events"]) == 9
