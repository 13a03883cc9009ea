"""Diplomacy is found whatever its wording: talks, hosts, signatures, aid given or pledged."""

from __future__ import annotations

import pytest

from sitrep.api import extract


def _kinds(mentions, text: str) -> set[tuple[str, str]]:
    return {(m.text, m.kind) for m in mentions(text) if m.excluded is None}


@pytest.mark.parametrize(("text", "trigger", "kind"), [
    ("The two foreign ministers discussed border security in Lusaka on Monday.", "discussed",
     "meeting"),
    ("The president hosted his Ghanaian counterpart at the state house.", "hosted", "meeting"),
    ("Both governments signed a memorandum on water sharing.", "signed", "agreement"),
    ("Japan pledged $40 million in aid to the flood-hit provinces.", "pledged", "aid"),
    ("The ministry donated medical supplies to the northern clinics.", "donated", "aid"),
    ("The European Union sent humanitarian aid to the region on Friday.", "aid", "aid"),
])
def test_detection_diplomacy_found(mentions, text: str, trigger: str, kind: str) -> None:
    assert (trigger, kind) in _kinds(mentions, text)


@pytest.mark.parametrize(("text", "word"), [
    ("Gunmen ambushed an aid convoy near the border, killing two drivers.", "aid"),
    ("Residents signed a petition against the new road.", "signed"),
    ("The club hosted a charity match on Saturday.", "hosted"),
])
def test_detection_diplomacy_not_found(mentions, text: str, word: str) -> None:
    assert not any(t == word and k in {"aid", "agreement", "meeting"}
                   for t, k in _kinds(mentions, text))


@pytest.mark.parametrize(("text", "trigger", "kind"), [
    ("The president received the new US ambassador at the palace.", "received", "meeting"),
    ("The prime minister welcomed the visiting Indian delegation.", "welcomed", "meeting"),
    ("Ethiopia and Eritrea reached a deal to reopen the border.", "deal", "agreement"),
    ("The rival factions struck a power-sharing deal in Juba.", "deal", "agreement"),
    ("Qatar brokered a prisoner exchange between the two sides.", "exchange", "agreement"),
    ("The World Food Programme delivered food to 20,000 displaced people.", "delivered", "aid"),
    ("Turkey shipped tents and blankets to the earthquake survivors.", "shipped", "aid"),
    ("The IMF approved a $3 billion loan for Pakistan.", "approved", "aid"),
    ("Washington announced a new $400 million military aid package for Kyiv.", "aid", "aid"),
    ("The two armies agreed to hold joint exercises next year.", "exercises", "cooperation"),
    ("The EU demanded the immediate release of the detained journalists.", "demanded",
     "request"),
    # an announced intention to help, meet or cooperate: PLOVER's AGREE
    ("Germany will provide 50 million euros in humanitarian assistance.", "provide", "pledge"),
    ("Moscow and Beijing pledged to deepen their strategic partnership.", "deepen", "pledge"),
    ("The foreign minister will visit Nairobi next week.", "visit", "pledge"),
])
def test_diplomacy_by_its_objects_and_parties(mentions, text: str, trigger: str,
                                              kind: str) -> None:
    assert (trigger, kind) in _kinds(mentions, text)


@pytest.mark.parametrize(("text", "word", "kind"), [
    ("The army received reinforcements from the capital.", "received", None),
    ("The hospital received 40 wounded people.", "received", None),
    ("Rebels struck a police station near the border.", "struck", "attack"),
    ("Troops and militants engaged in an exchange of fire overnight.", "fire", "clash"),
    ("Police and soldiers launched a joint operation against the gang.", "operation", None),
    ("Protesters demanded the release of the detained students.", "demanded", None),
    ("The militia sent fighters to the front line.", "sent", None),
    ("Aid workers were evacuated from the town.", "Aid", None),
    ("The army will deploy more troops to the border.", "deploy", None),
    ("Aid reached the flood-hit provinces on Monday.", "hit", None),
])
def test_diplomacy_wording_not_overread(mentions, text: str, word: str,
                                        kind: str | None) -> None:
    assert {k for t, k in _kinds(mentions, text) if t == word} == ({kind} if kind else set())


def test_pledge_is_plover_agree_and_no_acled_event() -> None:
    events = extract("Japan will send $40 million in aid to the flood-hit provinces, the "
                         "foreign ministry said on Monday.").events
    assert [(e.plover.event, e.sub_event_type) for e in events] == [("AGREE", None)]


def test_struck_deal_is_no_attack() -> None:
    events = extract("The government and the rebels struck a peace deal in Juba on Sunday.").events
    assert {e.plover.event for e in events} == {"AGREE"}
    assert not any(e.event_type == "Violence against civilians" for e in events)
