"""Diplomacy by phone, relations restored, requests between governments, and who the parties are.

Sentences written for these tests. PLOVER codes phone calls as CONSULT, restored or established
relations as COOPERATE and appeals from one government to another as REQUEST; each party is a
government (or an organisation), never the day or the place the talks were held.
"""

from __future__ import annotations

import pytest

from sitrep.records import Report


def _kinds(mentions, text: str) -> set[tuple[str, str]]:
    return {(m.text, m.kind) for m in mentions(text) if m.excluded is None}


@pytest.mark.parametrize(("text", "trigger", "kind"), [
    ("The Brazilian president held a telephone call with the Argentine leader on Friday.",
     "call", "meeting"),
    ("The two prime ministers spoke by phone about the grain corridor.", "spoke", "meeting"),
    ("Chile and Bolivia restored diplomatic relations after a decade.", "restored",
     "cooperation"),
    ("Morocco and Israel established diplomatic ties last year.", "established", "cooperation"),
    ("Canada reopened its embassy in Tehran.", "reopened", "cooperation"),
    ("Peru urged Ecuador to withdraw its troops from the border.", "urged", "request"),
    ("The African Union called on both sides to respect the truce.", "called", "request"),
])
def test_diplomacy_wording_found(mentions, text: str, trigger: str, kind: str) -> None:
    assert (trigger, kind) in _kinds(mentions, text)


@pytest.mark.parametrize(("text", "word"), [
    ("Police urged residents to stay indoors during the storm.", "urged"),
    ("The coach called on his players to stay calm.", "called"),
    ("She took a phone from her bag.", "phone"),
    ("The company established a new factory near the port.", "established"),
    ("He restored the old church with his own money.", "restored"),
])
def test_diplomacy_wording_not_found(mentions, text: str, word: str) -> None:
    assert not any(t == word for t, _ in _kinds(mentions, text))


@pytest.mark.parametrize(("text", "plover", "actor1", "actor2"), [
    ("Chile and Bolivia signed a trade agreement in Lima on Sunday.", "AGREE",
     "Government of Chile", "Government of Bolivia"),
    ("The foreign ministers of Kenya and Tanzania met in Arusha.", "CONSULT",
     "Government of Kenya", "Government of Tanzania"),
    ("Peru urged Ecuador to withdraw its troops from the border.", "REQUEST",
     "Government of Peru", "Government of Ecuador"),
    ("Ghana severed ties with Togo and expelled its ambassador.", "SANCTION",
     "Government of Ghana", "Government of Togo"),
    ("Norway pledged 20 million kroner in food aid to Yemen.", "AID",
     "Government of Norway", "Government of Yemen"),
])
def test_diplomacy_parties(pipeline, text: str, plover: str, actor1: str, actor2: str) -> None:
    result = pipeline(Report("t", text))
    events = [e for e in result.events if e.plover and e.plover.event == plover]
    assert len(events) == 1, [(e.plover, e.actor1) for e in result.events]
    event = events[0]
    assert event.event_type is None or plover == "AGREE"
    assert event.actor1 is not None and event.actor1.name == actor1
    assert event.actor2 is not None and event.actor2.name == actor2


def test_an_appeal_leaves_room_for_the_reports_own_event(pipeline, monkeypatch) -> None:
    """A short report whose only trigger is an appeal still gets the event its classifier names:
    the appeal is not what the report is about."""
    import sitrep.pipeline.typing as typing_stage

    monkeypatch.setattr(typing_stage, "document_label",
                        lambda document: ("NON_VIOL_TERRIT_TRANSFER", 0.9))
    text = "Laos has accused Thai border guards of entering its territory, urging Thailand to " \
           "withdraw its troops."
    result = pipeline(Report("t", text))
    plover = {e.plover.event for e in result.events if e.plover}
    assert "REQUEST" in plover
    assert any(e.sub_event_type == "Non-violent transfer of territory" for e in result.events)


@pytest.mark.parametrize(("text", "place"), [
    ("Peru urged Ecuador on Tuesday to withdraw its troops from the border.", None),
    ("Finland pledged humanitarian aid to Chad on Monday.", None),
    ("Spain held talks with Morocco in Lisbon on Friday.", "Lisbon"),
    ("The foreign ministers of Kenya and Ghana met in Nairobi on Monday.", "Nairobi"),
])
def test_diplomacy_parties_are_no_venue(text: str, place: str | None) -> None:
    from sitrep.api import extract

    result = extract(text, published="2024-03-05")
    diplomatic = [e for e in result.events if e.event_type is None and e.plover]
    assert diplomatic, result.events
    names = {e.location.name if e.location else None for e in diplomatic}
    assert names == {place}
