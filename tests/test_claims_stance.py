"""Stages ``claims`` and ``link_claims``: who said what, with which stance, about which event."""

from __future__ import annotations

import pytest

from sitrep.document import Document, EventDraft, EventMention
from sitrep.nlp import load_model
from sitrep.pipeline.claims import find_claims, link_claims
from sitrep.records import Report


@pytest.fixture(scope="module")
def nlp():
    return load_model()


def _claims(nlp, text: str) -> Document:
    document = Document(report=Report(id="t", text=text), doc=nlp(text))
    find_claims(document)
    return document


@pytest.mark.parametrize(
    ("text", "claimant", "stance"),
    [
        ("The Taliban claimed responsibility for the attack in a statement.", "Taliban",
         "claim_responsibility"),
        ("Al Shabaab said it carried out the bombing.", "Al Shabaab", "claim_responsibility"),
        ("Iran denies supplying the drones used in the attacks.", "Iran", "deny"),
        ("The ministry rejected claims that its troops had shelled the town.", "ministry", "deny"),
        ("\"We did not target civilians,\" the army spokesman said.", "army spokesman", "deny"),
        ("Officials in Kabul blame Pakistani militants for the surge in violence.",
         "Officials in Kabul", "blame"),
        ("The foreign ministry accused Israel of bombing the convoy.", "foreign ministry", "blame"),
        ("Governor Ahmed Musa said 14 people were killed in the raid.", "Ahmed Musa", "report"),
        ("The UN Secretary-General condemned the attack as a grave violation of the law.",
         "UN Secretary-General", "assert"),
        ("Four people were wounded, according to the local health department.",
         "local health department", "report"),
    ],
)
def test_claims_stance_and_claimant(nlp, text, claimant, stance):
    claims = [c.claim for c in _claims(nlp, text).claims]
    assert claims, text
    assert claims[0].claimant == claimant
    assert claims[0].stance == stance


@pytest.mark.parametrize(
    ("text", "channel"),
    [
        ("\"The city is under attack,\" the mayor wrote on Telegram.", "Telegram"),
        ("In a statement, the group said it had seized the base.", "statement"),
        ("The general told reporters that the offensive had stalled.", "press conference"),
        ("The minister said the talks would resume next week.", None),
    ],
)
def test_claims_channel(nlp, text, channel):
    claims = _claims(nlp, text).claims
    assert claims and claims[0].claim.channel == channel


@pytest.mark.parametrize(
    "text",
    [
        "No group claimed responsibility for the attack.",
        "No one has claimed responsibility for the explosion so far.",
        "The attack came hours after a ceasefire was announced.",
        "Sources attributed the bombing to Boko Haram.",
        "",
        "«  » – …",
    ],
)
def test_claims_none_without_a_named_party(nlp, text):
    claims = _claims(nlp, text).claims
    assert not any(c.claim.stance == "claim_responsibility" for c in claims)
    assert not any(c.claim.claimant.lower() == "sources" for c in claims)


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("\"They hit the hospital,\" Governor Oleh Synehubov said. \"Two doctors are missing,\" "
         "he added.", "Oleh Synehubov"),
        ("\"We will not retreat,\" the commander Amina Diallo told state television. "
         "\"Our positions hold,\" she added.", "Amina Diallo"),
    ],
)
def test_claims_pronoun_speaker_resolves_to_previous(nlp, text, speaker):
    claims = [c.claim for c in _claims(nlp, text).claims]
    assert len(claims) >= 2
    assert claims[0].claimant == speaker and claims[1].claimant == speaker
    assert "added" not in claims[1].text


def test_claims_claimant_actor_for_states_and_groups(nlp):
    document = _claims(nlp, "Russia denies targeting civilians. The Houthis claimed "
                            "responsibility for the drone attack.")
    actors = [c.claim.claimant_actor for c in document.claims]
    assert actors[0] is not None and actors[0].name == "Government of Russia"
    assert actors[1] is not None and actors[1].name == "Houthi Movement"
    assert actors[1].inter == 2


def _mention(document: Document, word: str, kind: str) -> EventMention:
    tok = next(t for t in document.doc if t.text == word)
    sent = document.sent_index(tok.idx)
    mention = EventMention(tok.idx, tok.idx + len(tok.text), tok.text, tok.lemma_, sent, kind,
                           tok.i)
    document.mentions.append(mention)
    return mention


@pytest.mark.parametrize(
    ("text", "words", "claim_events"),
    [
        # the claim's clause holds the trigger of the second event only
        ("A car bomb exploded in the market. Police said gunmen also attacked a checkpoint.",
         ["exploded", "attacked"], {0: [1]}),
        # a responsibility claim with a single violent event in the report
        ("Gunmen attacked a village overnight. Residents fled. The Taliban claimed "
         "responsibility.", ["attacked"], {0: [0]}),
        # a claim about something else in a report with two events stays unlinked
        ("A car bomb exploded in the market. Gunmen attacked a checkpoint. Three days later "
         "the minister said the budget would be cut.", ["exploded", "attacked"], {}),
    ],
)
def test_claims_link_to_event_drafts(nlp, text, words, claim_events):
    document = _claims(nlp, text)
    for word in words:
        kind = "explosion" if word == "exploded" else "attack"
        mention = _mention(document, word, kind)
        document.events.append(EventDraft(mentions=[mention], kind=kind, sents=[mention.sent]))
    link_claims(document)
    assert document.extras["claim_events"] == claim_events
    assert all(c.about for c in document.claims)


def test_claims_count_sources_become_report_claims(nlp):
    text = "A shell hit a bus station. Six people were killed, the regional governor said."
    document = _claims(nlp, text)
    mention = _mention(document, "hit", "shelling")
    document.events.append(EventDraft(mentions=[mention], kind="shelling", sents=[0]))
    figure = text.index("Six")
    source = text.index("the regional governor")
    document.extras["count_sources"] = [
        {"event_index": 0, "field": "fatalities", "source": "regional governor",
         "source_span": [source, source + 21], "span": [figure, figure + 16]},
        {"event_index": 0, "field": "injuries", "source": "hospital officials",
         "source_span": None, "span": [figure, figure + 16]},
    ]
    link_claims(document)
    stances = [(c.claim.claimant, c.claim.stance) for c in document.claims]
    assert ("regional governor", "report") in stances
    assert ("hospital officials", "report") in stances
    assert len(document.claims) == 2
    assert all(0 in v for v in document.extras["claim_events"].values())
