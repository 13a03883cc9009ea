"""Events a report mentions but that are not its news: a past attack named by its year, an
attempt that failed ("an assault to seize the base was repelled"), a town entered without a
fight, protests only expected. And words that settle a crowd's or an attack's type over the
classifier: protesters killed by gunfire, gunmen storming a building. Sentences written for
these tests."""

from __future__ import annotations

import pytest

from sitrep.api import extract


def _excluded(mentions, text: str, word: str) -> str | None:
    found = [m for m in mentions(text) if m.text == word]
    assert found, f"{word!r} is no trigger in {text!r}"
    return found[0].excluded


@pytest.mark.parametrize(("text", "word", "why"), [
    ("Troops seized three hamlets near Kasese, the site of a notorious 2016 massacre.",
     "massacre", "background"),
    ("The rebels' assault to capture the town was repelled by the army.", "capture",
     "hypothetical"),
    ("The militia crossed the river and took the ferry port without fighting.", "fighting",
     "negated"),
    ("Police detained a dozen student leaders in anticipation of protests at the university.",
     "protests", "hypothetical"),
    ("The minister cancelled his meeting with the envoy after the new sanctions.", "meeting",
     "negated"),
    ("Talks were postponed and the government suspended its talks with the rebels.", "talks",
     "negated"),
    ("Neighbours condemned the country's test of a hydrogen bomb on Sunday.", "bomb", "test"),
    ("North Korea said the bomb test on Sunday was a success.", "bomb", "test"),
    ("Dozens of students held a protest outside the police station to demand justice for a "
     "rape victim.", "rape", "background"),
])
def test_not_the_reports_news(mentions, text: str, word: str, why: str) -> None:
    assert _excluded(mentions, text, word) == why


@pytest.mark.parametrize(("text", "word"), [
    ("Troops seized three hamlets near Kasese after a massacre on Monday.", "massacre"),
    ("Militants launched an assault on the garrison on Friday.", "assault"),
    ("The foreign ministers held a meeting in Geneva on Monday.", "meeting"),
    ("A bomb exploded near the nuclear test site on Monday.", "bomb"),
])
def test_the_reports_news_is_kept(mentions, text: str, word: str) -> None:
    assert _excluded(mentions, text, word) is None


@pytest.mark.parametrize(("text", "sub"), [
    ("Government forces captured two villages in the north on Wednesday, edging towards a "
     "town that was the scene of a deadly 2019 gas attack.", "Government regains territory"),
    ("Gunmen attacked the central bank building in Kismayo on Monday, and three of the "
     "attackers were killed, police said.", "Attack"),
])
def test_type_of_the_news_not_of_its_background(main_type, text: str, sub: str) -> None:
    assert main_type(text) == sub


def test_weapons_seized_by_the_quantity(mentions) -> None:
    text = "The army said it had seized a total of 340 assault rifles in three operations."
    assert [m.kind for m in mentions(text) if m.text == "seized"] == ["disrupted_weapons"]


@pytest.mark.parametrize(("text", "sub"), [
    ("Aerial bombardments on rebel positions near Kafr Nabl left dozens of fighters dead on "
     "Sunday.", "Air/drone strike"),
    ("Army artillery pounded insurgent positions outside Marawi on Tuesday, killing eleven "
     "militants.", "Shelling/artillery/missile attack"),
])
def test_remote_violence_on_positions_is_no_clash(main_type, text: str, sub: str,
                                                  monkeypatch) -> None:
    """ACLED codes by the weapon: shells or bombs on positions, with no fighting told, are
    remote violence even when the report-level classifier is sure of a clash."""
    import sitrep.pipeline.typing as typing_stage

    monkeypatch.setattr(typing_stage, "classify",
                        lambda text: [("ARMED_CLASH", 0.8), ("AIR_STRIKE", 0.1),
                                      ("ART_MISS_ATTACK", 0.1)])
    assert main_type(text) == sub


def test_a_clash_with_shelling_stays_a_clash(main_type, monkeypatch) -> None:
    import sitrep.pipeline.typing as typing_stage

    monkeypatch.setattr(typing_stage, "classify",
                        lambda text: [("ARMED_CLASH", 0.8), ("ART_MISS_ATTACK", 0.2)])
    text = "Troops and rebels clashed outside Marawi on Tuesday as artillery shelled the hills."
    assert main_type(text) == "Armed clash"


@pytest.mark.parametrize(("text", "sub"), [
    ("The rally outside parliament turned violent late on Friday.", "Violent demonstration"),
    ("Three protesters died from gunfire during a march in Lusaka on Monday.",
     "Excessive force against protesters"),
    ("Teachers protested over unpaid wages in Harare, with protesters and police clashing "
     "outside the ministry.", "Violent demonstration"),
])
def test_words_that_settle_a_crowds_type_beat_the_classifier(main_type, text: str, sub: str,
                                                              monkeypatch) -> None:
    import sitrep.pipeline.typing as typing_stage

    monkeypatch.setattr(typing_stage, "classify",
                        lambda text: [("PEACE_PROTEST", 0.8), ("PROTEST_WITH_INTER", 0.1),
                                      ("VIOL_DEMONSTR", 0.05), ("FORCE_AGAINST_PROTEST", 0.05)])
    assert main_type(text) == sub


def test_an_agreement_stays_an_agreement(main_type, monkeypatch) -> None:
    """"exchanged prisoners" names its type outright: a classifier sure of a clash (the
    report's background tells of fighting) does not overrule it."""
    import sitrep.pipeline.typing as typing_stage

    monkeypatch.setattr(typing_stage, "classify",
                        lambda text: [("ARMED_CLASH", 0.8), ("AGREEMENT", 0.2)])
    text = "Rebels and army units exchanged prisoners near Goma on Tuesday."
    assert main_type(text) == "Agreement"


@pytest.mark.parametrize("text", [
    "A cease-fire between the two factions took effect in the eastern districts at midnight.",
    "The two factions agreed to a cease-fire in the eastern districts.",
])
def test_a_hyphenated_ceasefire_is_one_agreement(text: str) -> None:
    assert [e.sub_event_type for e in extract(text).events] == ["Agreement"]


def test_ground_taken_decides_over_the_weapons(main_type, monkeypatch) -> None:
    """ACLED codes a battle in which a town changes hands by who took it."""
    import sitrep.pipeline.typing as typing_stage

    monkeypatch.setattr(typing_stage, "classify",
                        lambda text: [("ARMED_CLASH", 0.4), ("ART_MISS_ATTACK", 0.3),
                                      ("NON_STATE_ACTOR_OVERTAKES_TER", 0.3)])
    text = "Rebel fighters shelled army positions and captured the town of Mabanga on Sunday."
    assert main_type(text) == "Non-state actor overtakes territory"


def test_seized_weapons_are_no_blast(mentions) -> None:
    text = "Soldiers confiscated rifles, bombs and grenades from the hideout on Friday."
    kinds = {m.text: m.kind for m in mentions(text) if m.excluded is None}
    assert kinds.get("confiscated") == "disrupted_weapons"
    assert "bombs" not in kinds and "grenades" not in kinds


def test_a_seized_launcher_is_no_grenade_attack() -> None:
    result = extract("Police have seized 40 rifles, a grenade launcher and ammunition in Gondar.")
    assert [e.sub_event_type for e in result.events] == ["Disrupted weapons use"]


def test_bombers_killed_by_their_own_blast_are_suicide_bombers(monkeypatch) -> None:
    import sitrep.pipeline.typing as typing_stage

    monkeypatch.setattr(typing_stage, "classify",
                        lambda text: [("REM_EXPLOS", 0.6), ("SUIC_BOMB", 0.4)])
    result = extract("Two militants detonated explosives near a checkpoint in Kirkuk, killing "
                     "themselves.")
    assert [e.sub_event_type for e in result.events] == ["Suicide bomb"]


def test_a_meeting_is_never_typed_a_protest(monkeypatch) -> None:
    """Events outside ACLED's scope keep their PLOVER type whatever the classifier says."""
    import sitrep.pipeline.typing as typing_stage

    monkeypatch.setattr(typing_stage, "classify", lambda text: [("PEACE_PROTEST", 0.9)])
    result = extract("The foreign ministers of Kenya and Tanzania met in Arusha on Monday.")
    assert [(e.event_type, e.plover.event if e.plover else None) for e in result.events] == [
        (None, "CONSULT")]


@pytest.mark.parametrize(("text", "word", "kind"), [
    ("Parents gathered outside the town hall with placards on Tuesday.", "gathered", "protest"),
    ("Residents assembled in front of the court to demand the release of the journalist.",
     "assembled", "protest"),
    ("Forty nurses held a sit-in at the clinic on Friday.", "sit", "protest"),
])
def test_gatherings_for_a_cause_are_protests(mentions, text: str, word: str, kind: str) -> None:
    assert (word, kind) in {(m.text, m.kind) for m in mentions(text)
                            if m.excluded is None}


def test_a_gathering_for_a_match_is_no_protest(mentions) -> None:
    text = "Fans gathered outside the stadium before the match on Saturday."
    assert not any(m.text == "gathered" for m in mentions(text))


def test_no_clash_is_no_clash(mentions) -> None:
    assert _excluded(mentions, "Shots were heard near the camp but no clash was reported.",
                     "clash") == "negated"


def test_a_killing_told_with_its_killers_is_the_act(mentions) -> None:
    """"Gendarmes killed fourteen militants ... and seized arms": the killing is the main act,
    not only the outcome of another event, so it weighs as much as the seizure."""
    text = "Gendarmes killed fourteen militants and seized their weapons near Dori."
    weights = {m.text: m.weight for m in mentions(text)}
    assert weights["killed"] == weights["seized"] == 1.0


def test_riot_police_are_no_riot(mentions) -> None:
    text = "On Monday the riot police chased the teachers' march away from parliament."
    assert not any(m.text == "riot" for m in mentions(text))


def test_a_new_base_is_a_base(main_type, monkeypatch) -> None:
    import sitrep.pipeline.typing as typing_stage

    monkeypatch.setattr(typing_stage, "classify",
                        lambda text: [("CHANGE_TO_GROUP_ACT", 0.7), ("HQ_ESTABLISHED", 0.3)])
    text = "Government troops have set up a new military base near Beni, the army said."
    assert main_type(text) == "Headquarters or base established"
