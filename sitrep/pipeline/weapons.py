"""Weapons and targets: with what an event was carried out, and what it hit.

Weapons are normalised to the codebook's lower-case nouns. Targets keep the report's own words
("student dormitory", "power substation") because analysts filter on them; only the head noun
must be something that can be hit, and its noun compounds come with it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitrep.document import Document, EventDraft
from sitrep.pipeline.detection import implicit_doers
from sitrep.pipeline.registry import stage

if TYPE_CHECKING:
    from spacy.tokens import Token

# word (lemma, lower case) -> codebook weapon noun
WEAPONS: dict[str, str] = {
    "missile": "missile", "cruise": "missile", "ballistic": "missile",
    "drone": "drone", "uav": "drone", "shahed": "drone", "kamikaze": "drone",
    "artillery": "artillery", "howitzer": "artillery", "shell": "artillery",
    "shelling": "artillery", "mortar": "mortar", "rocket": "rocket", "grad": "rocket",
    "airstrike": "airstrike", "warplane": "airstrike", "jet": "airstrike",
    "helicopter": "airstrike", "aircraft": "airstrike", "bomber": "airstrike",
    "ied": "ied", "roadside": "ied", "landmine": "landmine", "mine": "landmine",
    "explosive": "explosives", "bomb": "bomb", "grenade": "grenade",
    "gun": "firearm", "gunman": "firearm", "gunmen": "firearm", "gunfire": "firearm",
    "rifle": "firearm", "pistol": "firearm", "shoot": "firearm", "shooting": "firearm",
    "bullet": "firearm", "ak-47": "firearm", "firearm": "firearm", "sniper": "firearm",
    "knife": "knife", "stab": "knife", "machete": "machete", "axe": "axe",
    "tear": "tear gas", "teargas": "tear gas", "chlorine": "chemical", "sarin": "chemical",
    "chemical": "chemical", "tank": "tank", "arson": "arson", "petrol": "arson",
}
# Context a word needs to count as a weapon ("air" only before "strike", "tear" before "gas").
NEEDS_HEAD = {"air": {"strike", "raid", "attack"}, "tear": {"gas"}, "cruise": {"missile"},
              "roadside": {"bomb"}, "car": {"bomb"}, "suicide": {"bomb", "vest", "bomber"}}
NEEDS_HEAD_WEAPON = {"air": "airstrike", "car": "car bomb", "suicide": "suicide vest"}

TARGET_HEADS = frozenset({
    "apartment", "building", "house", "home", "dormitory", "school", "hospital", "clinic",
    "market", "marketplace", "mosque", "church", "synagogue", "temple", "shrine", "checkpoint",
    "convoy", "base", "barracks", "bridge", "plant", "substation", "line", "station", "airport",
    "port", "office", "headquarters", "camp", "village", "neighbourhood", "neighborhood",
    "block", "hotel", "restaurant", "cafe", "shop", "store", "mall", "bus", "train", "vehicle",
    "car", "truck", "tanker", "ship", "facility", "infrastructure", "depot", "warehouse",
    "factory", "university", "college", "kindergarten", "residence", "compound", "post",
    "outpost", "embassy", "consulate", "court", "prison", "jail", "pipeline", "refinery",
    "dam", "tower", "stadium", "hall", "square", "road", "highway", "farm", "field",
})
TARGET_DEPS = frozenset({"dobj", "nsubjpass", "pobj", "attr", "appos", "conj"})
HIT_PREPS = frozenset({"on", "at", "against", "into", "near", "in", "inside", "outside"})


def _target_phrase(token: Token) -> str:
    """The head noun with its noun compounds: "student dormitory", "power substation"."""
    words = [c for c in token.children if c.dep_ == "compound" and c.pos_ in {"NOUN", "PROPN"}
             and c.ent_type_ not in {"GPE", "LOC", "PERSON", "ORG"}]
    amods = [c for c in token.children if c.dep_ == "amod" and c.lower_ in {
        "residential", "civilian", "military", "energy", "power", "electrical", "police",
        "medical", "religious", "government", "private", "public", "apartment"}]
    parts = sorted(words + amods, key=lambda t: t.i) + [token]
    return " ".join(t.lemma_.lower() if t.i == token.i else t.lower_ for t in parts)


def _phrase_roots(event: EventDraft, document: Document) -> list[Token]:
    """Where to look for an event's weapons and targets: the phrases of its describing mentions.

    A noun trigger's verb holds what it hit ("shells landed on a school", "opened fire on a
    bus"). Outcome and back-reference mentions ("were hospitalised", "the incident") describe no
    weapon or target of their own.
    """
    doc = document.doc
    roots: list[Token] = []
    for m in event.mentions:
        if m.role in {"outcome", "anaphor"}:
            continue
        trigger = doc[m.token]
        roots.append(trigger.head if trigger.dep_ in {"nsubj", "nsubjpass", "dobj"}
                     and trigger.head.pos_ in {"VERB", "AUX"} else trigger)
    if not roots:
        roots = [doc[m.token] for m in event.mentions]
    return roots


def _tokens(event: EventDraft, document: Document) -> list[Token]:
    seen: dict[int, Token] = {}
    for root in _phrase_roots(event, document):
        for t in root.subtree:
            seen.setdefault(t.i, t)
        for t in implicit_doers(root):
            seen.setdefault(t.i, t)
    return [seen[i] for i in sorted(seen)]


def find_targets(event: EventDraft, document: Document) -> list[tuple[str, tuple[int, int]]]:
    triggers = {m.token for m in event.mentions}
    found: list[tuple[str, tuple[int, int]]] = []
    for t in _tokens(event, document):
        if t.lemma_.lower() not in TARGET_HEADS or t.pos_ != "NOUN" or t.i in triggers:
            continue
        if t.dep_ not in TARGET_DEPS:
            continue
        if t.dep_ == "pobj" and t.head.lower_ not in HIT_PREPS:
            continue
        phrase = _target_phrase(t)
        start = min([c.idx for c in t.children if c.dep_ in {"compound", "amod"}] + [t.idx])
        found.append((phrase, (start, t.idx + len(t.text))))
    return found


def find_weapons(event: EventDraft, document: Document) -> list[tuple[str, tuple[int, int]]]:
    """Weapon words in the phrases that describe the event."""
    found: list[tuple[str, tuple[int, int]]] = []
    tokens = _tokens(event, document)
    lemmas = {t.lemma_.lower() for t in tokens}
    for t in tokens:
        lemma = t.lemma_.lower()
        if lemma in NEEDS_HEAD:
            if t.head.lemma_.lower() in NEEDS_HEAD[lemma]:
                name = NEEDS_HEAD_WEAPON.get(lemma, WEAPONS.get(lemma))
                if name:
                    found.append((name, (t.idx, t.head.idx + len(t.head.text))))
            continue
        name = WEAPONS.get(lemma) or WEAPONS.get(t.lower_)
        if name is None or t.pos_ not in {"NOUN", "VERB", "PROPN", "ADJ"}:
            continue
        if name == "landmine" and lemma == "mine" and not lemmas & {
                "explode", "blast", "step", "land", "anti", "plant", "detonate"}:
            continue  # a coal mine is not a weapon
        if lemma == "shoot" and any(c.lower_ == "down" for c in t.children):
            continue
        found.append((name, (t.idx, t.idx + len(t.text))))
    return found


def _unique(items: list[tuple[str, tuple[int, int]]]) -> list[str]:
    out: list[str] = []
    for name, _ in items:
        if name not in out:
            out.append(name)
    return out


@stage("weapons", requires=("events",), assigns=("events.weapons", "events.targets"))
def assign_weapons_and_targets(document: Document) -> None:
    for event in document.events:
        document.check_deadline()
        weapons = find_weapons(event, document)
        targets = find_targets(event, document)
        event.weapons = _unique(weapons)
        event.targets = _unique(targets)
        for _, span in weapons:
            event.add_evidence("weapons", span)
        for _, span in targets:
            event.add_evidence("targets", span)
