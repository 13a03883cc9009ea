"""Event detection: find every mention of a specific event, and leave out the rest.

News reports mix what happened ("a drone struck a dormitory") with background ("13 months of
fighting"), habits ("strikes on an almost daily basis"), denials ("denies targeting civilians"),
threats ("threatened to strike") and ongoing campaigns in quotes ("Russia is shelling the city").
Only the first become events. A mention is found by its trigger word (a lemma lexicon, refined by
the words the parser attaches to it: an "exploding drone struck" is an air strike) and then
judged by its grammar: negation, modality, aspect, habitual adverbs and duration phrases (that
judgement is ``factuality``'s).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitrep.document import Document, EventMention
from sitrep.pipeline.diplomacy import (
    RELATIONS,
    aid_carrier,
    deal_made,
    diplomacy_kind,
    diplomatic_party,
    pledged,
    struck_deal,
)
from sitrep.pipeline.factuality import QuoteIndex, exclusion
from sitrep.pipeline.kinds import PLEDGEABLE_KINDS, VERBAL_KINDS
from sitrep.pipeline.registry import stage

if TYPE_CHECKING:
    from spacy.tokens import Token

# lemma -> kind, for verbs and nouns alike unless restricted below.
TRIGGERS: dict[str, str] = {
    # remote violence
    "airstrike": "air_strike", "air-strike": "air_strike", "bombing": "explosion",
    "bomb": "explosion",
    "shell": "shelling", "shelling": "shelling", "bombard": "shelling",
    "bombardment": "shelling", "barrage": "shelling", "mortar": "shelling",
    "explosion": "explosion", "blast": "explosion", "explode": "explosion",
    "detonate": "explosion", "detonation": "explosion", "ied": "explosion",
    "landmine": "explosion", "grenade": "grenade", "bomber": "explosion",
    # battles
    "clash": "clash", "fighting": "clash", "fight": "clash", "battle": "clash",
    "firefight": "clash", "gunfight": "clash", "skirmish": "clash", "ambush": "clash",
    "offensive": "clash", "counteroffensive": "clash", "counterattack": "clash",
    "capture": "territory_gain", "seize": "territory_gain", "retake": "territory_gain",
    "recapture": "territory_gain", "liberate": "territory_gain", "overrun": "territory_gain",
    "occupy": "territory_gain", "overtake": "territory_gain",
    # violence against civilians and generic violence
    "attack": "attack", "kill": "attack", "murder": "attack", "shoot": "attack",
    "shooting": "attack", "stab": "attack", "stabbing": "attack", "massacre": "attack",
    "assassinate": "attack", "assassination": "attack", "behead": "attack",
    "killing": "attack", "slaying": "attack", "decapitate": "attack",
    "execute": "attack", "torture": "attack", "raid": "attack", "strike": "attack",
    "hit": "attack", "target": "attack", "gun": "attack", "assault": "attack",
    "beat": "attack", "die": "attack", "death": "attack", "injure": "attack",
    "wound": "attack", "hospitalise": "attack", "hospitalize": "attack",
    "rape": "sexual_violence", "abduct": "abduction", "abduction": "abduction",
    "kidnap": "abduction", "kidnapping": "abduction", "hostage": "abduction",
    # demonstrations
    "protest": "protest", "demonstrate": "protest", "demonstration": "protest",
    "rally": "protest", "march": "protest", "picket": "protest", "sit-in": "protest",
    "demonstrator": "protest", "protester": "protest", "protestor": "protest",
    "riot": "riot", "rioting": "riot", "rioter": "riot", "unrest": "riot", "mob": "mob",
    "lynch": "mob", "lynching": "mob", "vigilante": "mob",
    # strategic developments
    "arrest": "arrest", "detain": "arrest", "apprehend": "arrest", "detention": "arrest",
    "loot": "looting", "looting": "looting", "torch": "looting", "vandalise": "looting",
    "vandalize": "looting", "ransack": "looting", "demolish": "looting", "raze": "looting",
    "ceasefire": "agreement", "cease-fire": "agreement", "truce": "agreement",
    "agreement": "agreement", "accord": "agreement", "deal": "agreement", "agree": "agreement",
    "defuse": "disrupted_weapons", "intercept": "disrupted_weapons",
    "dismantle": "disrupted_weapons", "foil": "disrupted_weapons", "thwart": "disrupted_weapons",
    "withdraw": "territory_transfer", "withdrawal": "territory_transfer",
    "curfew": "strategic", "lose": "strategic", "cut": "strategic", "blackout": "strategic",
    "outage": "strategic", "expel": "sanction", "sever": "sanction", "close": "sanction",
    # outside ACLED's scope
    "meet": "meeting", "meeting": "meeting", "talk": "meeting", "summit": "meeting",
    "negotiation": "meeting", "visit": "visit", "sanction": "sanction",
    "incident": "attack", "fire": "attack", "land": "attack", "pound": "shelling",
    "slam": "attack", "surrender": "agreement", "jail": "arrest", "imprison": "arrest",
    "advance": "clash", "disperse": "protest", "dispersal": "protest", "abuse": "attack",
    # diplomacy, whatever its wording: talks held, hosts, signatures, aid given or pledged
    "discuss": "meeting", "consultation": "meeting", "dialogue": "meeting", "host": "meeting",
    "sign": "agreement", "treaty": "agreement", "pact": "agreement", "memorandum": "agreement",
    "aid": "aid", "assistance": "aid", "donate": "aid", "donation": "aid", "pledge": "aid",
}
# What "signed", "hosted" and "pledged" must take to be diplomacy, not a petition or a party.
SIGNED = frozenset({"agreement", "deal", "treaty", "accord", "memorandum", "pact", "declaration",
                    "protocol", "ceasefire", "truce", "communique", "mou"})
HOSTED = frozenset({"leader", "president", "minister", "delegation", "counterpart", "envoy",
                    "talk", "summit", "meeting", "king", "premier", "chancellor", "diplomat",
                    "ambassador", "negotiation", "conference", "secretary"})
PLEDGED = frozenset({"aid", "support", "assistance", "million", "billion", "fund", "funding",
                     "money", "loan", "help", "weapon", "arm", "grant", "vaccine", "food",
                     "dollar", "euro", "$"})

# Triggers that only ever point back at an event told before.
ANAPHOR_ONLY = frozenset({"incident"})
# Triggers that tell only the outcome; they join the event told in their clause or before.
OUTCOME = frozenset({"kill", "die", "death", "injure", "wound", "hospitalise", "hospitalize",
                     "killing"})

# Words beside a trigger that say which kind of violence it was.
WEAPON_KINDS: dict[str, str] = {
    "air": "air_strike", "airstrike": "air_strike", "drone": "air_strike", "uav": "air_strike",
    "warplane": "air_strike", "jet": "air_strike", "aircraft": "air_strike",
    "helicopter": "air_strike", "plane": "air_strike", "aerial": "air_strike",
    "missile": "shelling", "rocket": "shelling", "artillery": "shelling", "mortar": "shelling",
    "shell": "shelling", "howitzer": "shelling", "cluster": "shelling",
    "bomb": "explosion", "ied": "explosion", "explosive": "explosion", "landmine": "explosion",
    "mine": "explosion", "roadside": "explosion", "car": "explosion",
    "suicide": "suicide_bomb", "bomber": "suicide_bomb",
    "grenade": "grenade", "chemical": "chemical", "chlorine": "chemical", "sarin": "chemical",
    "gas": "chemical",
}
# Crowd-control munitions: "tear gas", "pepper spray", "stun grenades" disperse a crowd; ACLED
# codes the crowd's event, never a chemical weapon or a grenade attack.
CROWD_CONTROL = frozenset({"tear", "teargas", "pepper", "stun", "flash", "flashbang", "sound",
                           "smoke", "concussion", "rubber", "pepperball", "cs"})
GENERIC_VIOLENCE = frozenset({"attack", "strike", "hit", "raid", "target", "bombing", "explosion",
                              "blast", "assault", "incident"})
DISASTER_AGENTS = frozenset({
    "earthquake", "quake", "flood", "flooding", "storm", "cyclone", "hurricane", "typhoon",
    "tornado", "landslide", "avalanche", "fire", "blaze", "wildfire", "accident", "crash",
    "collision", "heatwave", "lightning", "tsunami", "eruption", "drought", "disease",
    "outbreak", "virus", "covid", "pandemic", "epidemic", "cholera", "derailment",
})
PLACE_OBJECTS = frozenset({
    "town", "village", "city", "territory", "area", "district", "region", "position", "base",
    "airport", "hill", "settlement", "province", "outpost", "checkpoint", "stronghold",
    "border", "crossing", "port", "bridge", "control",
})
WEAPON_OBJECTS = frozenset({
    "weapon", "arm", "ammunition", "explosive", "bomb", "ied", "rifle", "gun", "missile",
    "rocket", "drone", "mine", "grenade", "cache", "device", "munition", "shell", "firearm",
    "stash", "projectile", "cartridge", "round", "pistol", "mortar", "weaponry", "arsenal",
    "revolver", "carbine", "musket", "shotgun", "launcher", "kalashnikov", "detonator",
})

MISSIONS = frozenset({"embassy", "consulate", "mission"})
# What a crowd, a mob or a gang burns or wrecks: ACLED's property destruction, or the violence of
# a demonstration or a mob that did it. Not tyres, effigies or flags (a demonstration's props)
# and not villages (burnt in attacks and battles, which their own words tell).
PROPERTY_OBJECTS = frozenset({
    "house", "home", "hut", "shop", "store", "school", "car", "vehicle", "truck", "lorry",
    "bus", "minibus", "motorcycle", "motorbike", "office", "building", "property", "church",
    "mosque", "temple", "pagoda", "monastery", "market", "kiosk", "stall", "warehouse",
    "factory", "restaurant", "hotel", "bank", "residence", "compound", "premise", "window",
    "door", "gate", "billboard", "statue", "monument", "shrine", "granary", "crop", "farm",
    "plantation", "mast", "tower", "hall", "courthouse", "clinic", "hospital", "dormitory",
    "shed", "barn", "tractor", "equipment", "machinery", "furniture", "booth", "tent",
    "station", "center", "centre", "facility", "chapel", "cathedral", "madrasa", "madrassa",
    "mill", "pump", "well", "bridge", "antenna",
})
# What armed men carry off: ACLED's looting ("seized livestock", "stole cattle").
LOOT_OBJECTS = frozenset({"livestock", "cattle", "cow", "goat", "sheep", "camel", "animal",
                          "donkey", "ox", "herd", "food", "grain", "good", "valuable",
                          "money", "cash", "motorbike", "motorcycle", "phone", "merchandise"})

BODY_OBJECTS = frozenset({"body", "corpse", "remains"})
BASE_OBJECTS = frozenset({"post", "base", "camp", "outpost", "headquarters", "hq", "point",
                          "checkpoint", "station", "position", "garrison", "airbase"})
FORCE_NOUNS = frozenset({"troop", "force", "unit", "group", "brigade", "battalion", "militia",
                         "faction", "soldier", "fighter", "army", "wing", "coalition", "alliance",
                         "party", "division", "regiment", "formation", "entity", "rebel",
                         "militant", "insurgent", "guard", "command", "company"})
HELD_PLACES = PLACE_OBJECTS | BASE_OBJECTS | {"bastion", "stronghold", "enclave", "pocket"}
# Verbs whose object decides the kind: "set up a military post", "found explosive devices".
OBJECT_RULES: dict[str, tuple[tuple[frozenset[str], str], ...]] = {
    "establish": ((BASE_OBJECTS, "base"), (FORCE_NOUNS, "group_change"),
                  (RELATIONS, "cooperation")),
    "restore": ((RELATIONS, "cooperation"),),
    "reestablish": ((RELATIONS, "cooperation"),),
    "normalise": ((RELATIONS, "cooperation"),),
    "normalize": ((RELATIONS, "cooperation"),),
    "resume": ((RELATIONS, "cooperation"),),
    "upgrade": ((RELATIONS, "cooperation"),),
    "renew": ((RELATIONS, "cooperation"),),
    "mend": ((RELATIONS, "cooperation"),),
    "reopen": ((RELATIONS | MISSIONS, "cooperation"),),
    "set": ((BASE_OBJECTS, "base"), (FORCE_NOUNS, "group_change")),
    "create": ((BASE_OBJECTS, "base"), (FORCE_NOUNS, "group_change")),
    "build": ((BASE_OBJECTS, "base"),),
    "open": ((BASE_OBJECTS, "base"), (MISSIONS, "cooperation")),
    "form": ((FORCE_NOUNS, "group_change"),),
    "launch": ((FORCE_NOUNS, "group_change"),),
    # bodies found are the dead of a killing: "the body of the mayor was found"
    "find": ((WEAPON_OBJECTS, "disrupted_weapons"), (BODY_OBJECTS, "attack")),
    "discover": ((WEAPON_OBJECTS, "disrupted_weapons"), (BODY_OBJECTS, "attack")),
    "exhume": ((BODY_OBJECTS, "attack"),),
    "recover": ((WEAPON_OBJECTS, "disrupted_weapons"),),
    "destroy": ((WEAPON_OBJECTS, "disrupted_weapons"), (PROPERTY_OBJECTS, "looting")),
    "burn": ((PROPERTY_OBJECTS, "looting"),),
    "damage": ((PROPERTY_OBJECTS, "looting"),),
    "smash": ((PROPERTY_OBJECTS, "looting"),),
    "wreck": ((PROPERTY_OBJECTS, "looting"),),
    "break": ((PROPERTY_OBJECTS, "looting"),),
    "steal": ((LOOT_OBJECTS | PROPERTY_OBJECTS, "looting"),),
    "confiscate": ((WEAPON_OBJECTS, "disrupted_weapons"),),
    "neutralize": ((WEAPON_OBJECTS, "disrupted_weapons"),),
    "neutralise": ((WEAPON_OBJECTS, "disrupted_weapons"),),
    "uncover": ((WEAPON_OBJECTS, "disrupted_weapons"),),
    "deploy": ((FORCE_NOUNS, "group_change"),),
    "redeploy": ((FORCE_NOUNS, "group_change"),),
    "move": ((FORCE_NOUNS, "group_change"),),
    "fortify": ((BASE_OBJECTS, "group_change"),),
    "reinforce": ((BASE_OBJECTS | FORCE_NOUNS, "group_change"),),
    "pull": ((FORCE_NOUNS, "territory_transfer"),),
    "take": ((frozenset({"control"}), "territory_gain"),),
    "gain": ((frozenset({"control"}), "territory_gain"),),
    "regain": ((frozenset({"control"}) | HELD_PLACES, "territory_gain"),),
    "push": ((FORCE_NOUNS, "territory_gain"),),
    "hand": ((HELD_PLACES | frozenset({"territory", "area", "region", "district"}),
              "territory_transfer"),),
    "exchange": ((frozenset({"prisoner", "detainee", "captive", "body", "hostage", "pow"}),
                  "agreement"),),
    "swap": ((frozenset({"prisoner", "detainee", "captive", "body", "hostage"}), "agreement"),),
    "charge": ((BASE_OBJECTS | frozenset({"camp", "convoy", "village"}), "attack"),),
    "use": ((frozenset({"chlorine", "sarin", "gas", "chemical", "mustard", "toxic"}),
             "chemical"),),
    "drop": ((frozenset({"chlorine", "sarin", "gas", "chemical", "toxic"}), "chemical"),
             (frozenset({"bomb", "barrel", "explosive"}), "air_strike")),
    "defect": ((FORCE_NOUNS, "group_change"),),
    "merge": ((FORCE_NOUNS, "group_change"),),
    "disband": ((FORCE_NOUNS, "group_change"),),
    "mobilize": ((FORCE_NOUNS, "group_change"),),
    "mobilise": ((FORCE_NOUNS, "group_change"),),
}

# Verbs whose property object may come first in a headline's clipped passive ("17 houses
# destroyed", "cattle stolen"): the subject is what was destroyed.
PROPERTY_VERBS = frozenset(verb for verb, rules in OBJECT_RULES.items()
                           if any(kind == "looting" for _, kind in rules))
# Rule verbs whose subject is what changes: "soldiers defected", "forces pull back".
INTRANSITIVE_RULES = frozenset({"defect", "pull", "merge", "disband", "mobilize", "mobilise",
                                "redeploy", "deploy", "form", "move"})

SUMMARY_HEADS = frozenset({"flurry", "wave", "barrage", "series", "spate", "string", "salvo",
                           "volley", "round", "campaign", "number", "dozens", "hundreds"})


def _kind_for(token: Token) -> str | None:
    lemma = token.lemma_.lower()
    if token.pos_ not in {"VERB", "NOUN", "PROPN"} and lemma not in {"killing", "shooting"}:
        return None
    if token.pos_ == "PROPN" and lemma not in {"ied"}:
        return None
    if lemma == "blow" and any(c.dep_ == "prt" and c.lower_ == "up" for c in token.children):
        if any(c.dep_ == "dobj" and c.lower_ in {"himself", "herself", "themselves"}
               for c in token.children):
            return "suicide_bomb"
        return "explosion"
    if lemma == "leave" and token.pos_ == "VERB":
        # fighters leaving their last bastion, not a prime minister leaving a capital
        subj = {c.lemma_.lower() for c in _subjects(token)}
        objs = {c.lemma_.lower() for c in token.children if c.dep_ == "dobj"}
        if subj & FORCE_NOUNS and objs & HELD_PLACES:
            return "territory_transfer"
        return None
    if lemma == "fire" and token.i >= 2 and token.nbor(-1).text == "-" and (
            token.nbor(-2).lower_ == "cease"):
        return "agreement"  # "cease-fire", split by the tokenizer
    if token.lower_ == "sit" and token.i + 2 < len(token.doc) and token.nbor(1).text == "-" and (
            token.nbor(2).lower_ == "in"):
        return "protest"  # "a sit-in"
    if lemma in {"gather", "assemble", "congregate", "converge"} and token.pos_ == "VERB":
        return "protest" if _gathered_to_protest(token) else None
    diplomatic = diplomacy_kind(token, lemma)
    if diplomatic:
        return diplomatic
    if _found_dead(token):
        return "attack"  # "a journalist was found dead": the news of a killing
    if lemma == "set" and token.pos_ == "VERB" and _set_alight(token):
        return "looting"
    if lemma == "take" and token.pos_ == "VERB" and any(
            c.dep_ == "prt" and c.lower_ == "over" for c in token.children):
        return _refine(token, "occupy", "territory_gain")  # "took over the village"
    if lemma in OBJECT_RULES and token.pos_ == "VERB":
        by_object = _object_kind(token, lemma)
        if by_object == "looting" and _natural_cause(token):
            return None  # "the earthquake destroyed hundreds of homes"
        if by_object:
            return by_object
    kind = TRIGGERS.get(lemma) or TRIGGERS.get(token.text.lower())
    if kind is None:
        return None
    return _refine(token, lemma, kind)


PROTEST_SIGNS = frozenset({"sign", "placard", "banner", "poster", "flag", "slogan", "candle"})
PROTEST_AIMS = frozenset({"demand", "call", "protest", "denounce", "oppose", "condemn", "urge",
                          "support", "decry", "voice", "press", "show", "express"})


def _gathered_to_protest(token: Token) -> bool:
    """A gathering is a demonstration when it is for or against something, or carries signs:
    "gathered with signs", "gathered to demand", "assembled in support of", "against"."""
    for c in token.children:
        low = c.lower_
        if c.dep_ == "prep" and low in {"against", "with", "for", "in"}:
            objs = [g for g in c.subtree if g.dep_ == "pobj"]
            if low == "against":
                return True
            if any(g.lemma_.lower() in PROTEST_SIGNS | {"support", "solidarity", "protest"}
                   for g in objs):
                return True
        if c.dep_ in {"advcl", "xcomp"} and c.lemma_.lower() in PROTEST_AIMS:
            return True
    return False


def _found_dead(token: Token) -> bool:
    """'A journalist was found dead': an event only in a report that tells of no other (beside
    a shooting it is that shooting's dead; in a police log, one entry among many)."""
    return token.lemma_.lower() == "find" and token.pos_ == "VERB" and any(
        c.dep_ in ("oprd", "acomp", "xcomp") and c.lower_ == "dead" for c in token.children)


def _subjects(token: Token) -> list[Token]:
    """The verb's subject, or its governor's for "began leaving", "continued to advance"."""
    subj = [c for c in token.children if c.dep_ in {"nsubj", "nsubjpass"}]
    if not subj and token.dep_ in {"xcomp", "conj"}:
        subj = [c for c in token.head.children if c.dep_ in {"nsubj", "nsubjpass"}]
    return subj


NATURAL_DOERS = DISASTER_AGENTS | {"rain", "wind", "water"}


def _natural_cause(verb: Token) -> bool:
    """Whether nature or an accident did it: its subject or its "by" agent."""
    doers = [c for c in _subjects(verb) if c.dep_ == "nsubj"]
    doers += [p for c in verb.children if c.dep_ == "agent" for p in c.children]
    return any(d.lemma_.lower() in NATURAL_DOERS for d in doers)


def _set_alight(verb: Token) -> bool:
    """"set fire to the school", "set the houses on fire", "cars were set ablaze": property
    put to the flames."""
    near = [c for c in verb.children if c.dep_ in {"dobj", "nsubjpass", "ccomp", "oprd",
                                                    "advmod", "acomp", "xcomp"}]
    near += [g for c in verb.children if c.dep_ == "prep" and c.lower_ in {"to", "on"}
             for g in c.children if g.dep_ == "pobj"]
    if verb.dep_ == "acl":
        near.append(verb.head)  # "vehicles set ablaze"
    words = {t.lemma_.lower() for t in near}
    if not words & {"fire", "ablaze", "alight", "aflame"}:
        return False
    words |= {g.lemma_.lower() for t in near for g in t.conjuncts}
    return bool(words & PROPERTY_OBJECTS)


def _object_kind(token: Token, lemma: str) -> str | None:
    """Kind from the verb's object or, for intransitives ("soldiers defected"), its subject."""
    words: set[str] = set()
    headline = lemma in PROPERTY_VERBS and not any(c.dep_ == "dobj" for c in token.children)
    deps = {"dobj", "nsubjpass", "attr"} | (
        {"nsubj"} if lemma in INTRANSITIVE_RULES or headline else set())  # "17 houses destroyed"
    heads = [c for c in token.children if c.dep_ in deps]
    if token.dep_ == "acl":
        heads.append(token.head)  # "a stash of projectiles found in Mosul"
    for c in heads:
        for h in [c] + [g for p in c.children if p.dep_ == "prep" and p.lower_ == "of"
                        for g in p.children if g.dep_ == "pobj"]:
            # "a total of 206 weapons", "caches of ammunition": the quantity's noun counts too
            words.add(h.lemma_.lower())
            words.update(g.lemma_.lower() for g in h.children if g.dep_ in {"compound", "amod"})
            words.update(g.lemma_.lower() for g in h.conjuncts)
    for c in token.children:
        if c.dep_ == "prep" and c.lower_ in {"of", "from", "back"}:
            words.update(g.lemma_.lower() for g in c.children if g.dep_ == "pobj")
    words |= {w[:-1] for w in words if w.endswith("s") and len(w) > 3}  # "Land Forces"
    for objects, kind in OBJECT_RULES[lemma]:
        if words & objects:
            if kind == "chemical" and (words & CROWD_CONTROL or any(
                    _crowd_munition(x) for h in heads for x in (h, *h.conjuncts))):
                return None  # "used tear gas canisters to disperse them"
            return kind
    return None


def implicit_doers(verb: Token) -> list[Token]:
    """The doer of a subjectless verb that the parser hung elsewhere: "a video showing a missile
    hitting an apartment" (the missile is the object of "showing")."""
    if verb.pos_ != "VERB" or any(c.dep_ in {"nsubj", "nsubjpass"} for c in verb.children):
        return []
    if verb.dep_ in {"acl", "relcl"} and verb.head.pos_ == "NOUN":
        return [verb.head]
    if verb.dep_ in {"ccomp", "xcomp", "advcl"}:
        return [c for c in verb.head.children if c.dep_ == "dobj" and c.i < verb.i]
    return []


def _modifier_words(token: Token) -> list[str]:
    """Words that qualify a trigger: compounds, adjectives, subjects, instruments, agents."""
    words: list[str] = []
    for child in token.children:
        if child.dep_ in {"compound", "amod", "nsubj", "nmod", "nsubjpass", "npadvmod"}:
            words.append(child.lemma_.lower())
            words.extend(c.lemma_.lower() for c in child.children if c.dep_ in {"compound", "amod"})
            # "missile and drone strikes": the conjuncts of a compound qualify the head too
            words.extend(c.lemma_.lower() for c in child.conjuncts)
        elif child.dep_ in {"prep", "agent"} and child.lower_ in {"with", "by", "from"}:
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    words.append(pobj.lemma_.lower())
                    words.extend(c.lemma_.lower() for c in pobj.children if c.dep_ == "compound")
    for doer in implicit_doers(token):  # "fired tear gas ..., injuring five": the gas's words
        words.append(doer.lemma_.lower())
        words.extend(c.lemma_.lower() for c in doer.children if c.dep_ in {"compound", "amod"})
    if token.dep_ in {"dobj", "pobj", "conj"} and token.head.pos_ == "NOUN":
        words.append(token.head.lemma_.lower())  # "missile and drone strikes" parsed as conj
    # "a flurry of missile and drone strikes": the qualifiers sit under the quantity noun
    if token.dep_ == "pobj" and token.head.head.lemma_.lower() in SUMMARY_HEADS:
        words.extend(c.lemma_.lower() for c in token.head.head.subtree if c.pos_ == "NOUN")
    return words


# Verbs whose object weapons were taken, found or made safe, not used.
SEIZING = frozenset({"confiscate", "seize", "recover", "find", "discover", "defuse",
                     "dismantle", "surrender", "hand", "uncover", "impound", "capture"})


# Grenades fired from a launcher are ACLED's shelling ("M79 grenades", "a rocket-propelled
# grenade"); a grenade children found and played with is a remote explosive, thrown by no one.
LAUNCHED = frozenset({"rocket", "propel", "propelled", "rocket-propelled", "rpg", "launcher",
                      "m79", "m203", "launch"})
LEFT_ORDNANCE = frozenset({"find", "handle", "play", "pick", "touch", "tamper", "stumble",
                           "discover", "across", "unexploded", "abandon", "abandoned"})


def _grenade_kind(token: Token) -> str:
    near = [token, *token.children]
    t = token
    while t.dep_ in {"compound", "conj", "appos", "pobj", "prep"} and t.head is not t:
        t = t.head  # "M79 grenade launcher", "rounds of M79 grenades", "with a grenade"
        near += [t, *t.children]
    words = {w.lemma_.lower() for w in near} | {w.lower_ for w in near}
    if words & LAUNCHED:
        return "shelling"
    if words & LEFT_ORDNANCE:
        return "explosion"
    return "grenade"


def _held_weapon(token: Token) -> bool:
    """A weapon that was seized or found ("confiscated guns, bombs and ammunition"): the verb
    is the event (disrupted weapons use), the weapon no blast."""
    t = token
    for _ in range(4):
        if t.dep_ in {"conj", "compound", "appos"}:  # "rifles, a grenade launcher"
            t = t.head
            continue
        return t.dep_ in {"dobj", "nsubjpass"} and t.head.lemma_.lower() in SEIZING
    return False


# Bodies whose meetings are local politics, not diplomacy.
LOCAL_BODIES = frozenset({"council", "board", "committee", "assembly", "congress", "union",
                          "association", "school", "city", "county", "municipal", "ward",
                          "shareholder", "village", "town", "commission", "caucus"})
# Verbs that make a meeting the scene of something else: "stormed a meeting".
DISRUPTING = frozenset({"storm", "disrupt", "interrupt", "intervene", "attack", "invade",
                        "break", "raid", "block"})


def _diplomatic_meeting(token: Token) -> bool:
    """Not every meeting is diplomacy: "protesters met up", "before a school board meeting",
    "people visited the home of the commissioner"."""
    if token.pos_ == "VERB" and any(c.dep_ == "prt" for c in token.children):
        return False  # "met up": a gathering
    if token.dep_ == "pobj" and (token.head.lower_ == "before" or (
            token.head.lower_ == "of" and token.head.head.lower_ == "ahead")):
        return False  # a meeting still to come, named to date something else
    if token.pos_ == "VERB":
        subjects = _subjects(token)
        if subjects and all(s.pos_ == "NOUN" and s.ent_type_ != "PERSON"
                            and not diplomatic_party(s) for s in subjects):
            return False  # "residents met", "people visited the home of": no diplomacy
    elif token.lemma_.lower() == "meeting":
        holder = [c for c in token.head.children if c.dep_ == "nsubj"] if token.dep_ == "dobj" \
            else []
        words = {t.lemma_.lower() for t in [*token.subtree, *holder]}
        if words & LOCAL_BODIES:
            return False  # "the City Council held a meeting", "a school board meeting"
        if token.dep_ in {"dobj", "pobj"} and (
                token.head.lemma_.lower() in DISRUPTING or token.head.head.lemma_.lower()
                in DISRUPTING):
            return False  # "stormed a meeting of the governor": the storming is the event
    return True


def _crowd_munition(noun: Token) -> bool:
    """A noun phrase naming a crowd-control munition: "tear gas canisters", "stun grenades"."""
    return any(t.lower_ in CROWD_CONTROL or t.lemma_.lower() in CROWD_CONTROL
               for t in noun.subtree if t.i <= noun.i)


def _killed_themselves(token: Token) -> bool:
    """Whether the blast's clause says its bombers died by it."""
    clause = token if token.pos_ == "VERB" else token.head
    for t in clause.subtree:
        if t.lemma_.lower() in {"kill", "blow"} and any(
                c.dep_ == "dobj" and c.lower_ in {"himself", "herself", "themselves"}
                for c in t.children):
            return True
    return False


def _refine(token: Token, lemma: str, kind: str) -> str | None:
    if kind in {"explosion", "shelling", "grenade"} and token.pos_ == "NOUN" and _held_weapon(
            token):
        return None
    if kind == "grenade" and token.pos_ == "NOUN" and _crowd_munition(token):
        return None  # "stun grenades", "flash-bang grenades": crowd control
    if kind == "grenade":
        kind = _grenade_kind(token)
    if lemma == "riot" and token.dep_ in {"compound", "amod"} and token.head.lemma_.lower() in {
            "police", "officer", "policeman", "gear", "squad", "unit", "shield", "control",
            "force", "cop", "trooper", "act", "van"}:
        return None  # "riot police chased the demonstrators": the police, not a riot
    words = _modifier_words(token)
    if kind == "explosion" and _killed_themselves(token):
        return "suicide_bomb"  # "detonated explosives, killing themselves"
    if lemma in {"hit", "strike"} and token.i >= 2 and token.nbor(-1).text == "-":
        return None  # "flood-hit provinces", "war-struck towns": a description, no event
    if lemma == "strike" and token.pos_ == "VERB" and struck_deal(token):
        return None  # "struck a power-sharing deal"
    if lemma == "strike":
        if any(w in {"hunger", "general", "labour", "labor", "worker", "teacher", "doctor",
                     "nurse", "nationwide"} for w in words):
            return "protest"
        if token.dep_ == "pobj" and token.head.lower_ == "on" and token.head.head.lemma_ in {
                "go", "be", "stay", "remain", "come"}:
            return "protest"  # "workers went on strike"
    if lemma in {"talk", "deal", "accord"} and token.pos_ == "VERB":
        return None
    if lemma == "talk" and token.tag_ != "NNS":
        return None  # "talks" (negotiations), not "talk"
    if lemma in {"deal", "agree"}:
        if not any(w in {"peace", "ceasefire", "truce", "sign", "security", "prisoner"}
                   for w in words + [token.head.lemma_.lower()]) and not deal_made(token):
            return None
    if lemma == "fire":
        if token.pos_ == "NOUN":
            opener = token.head.lemma_.lower() if token.dep_ == "dobj" else ""
            if token.dep_ == "pobj" and token.head.lower_ == "of":
                opener = token.head.head.lemma_.lower()  # "an exchange of fire"
            if opener in {"exchange", "trade"}:
                return "clash"
            if opener not in {"open", "return"} and not (
                    token.dep_ == "pobj" and token.head.head.lemma_.lower() == "come"):
                return None  # "the building caught fire"
    if lemma in {"land", "slam"} and not any(w in WEAPON_KINDS for w in words):
        return None  # only weapons land on things: "shells landed on a school"
    if lemma in {"capture", "seize", "retake", "recapture", "liberate", "overrun", "occupy",
                 "overtake"}:
        objs = [c for c in token.children if c.dep_ in {"dobj", "nsubjpass"}]
        if not objs:
            return None
        obj = objs[0]
        # "seized a total of 206 rifles", "captured a cache of mortar rounds"
        held = [obj] + [g for p in obj.children if p.dep_ == "prep" and p.lower_ == "of"
                        for g in p.children if g.dep_ == "pobj"]
        if any(h.lemma_.lower() in WEAPON_OBJECTS for h in held):
            return "disrupted_weapons"
        if any(h.lemma_.lower() in LOOT_OBJECTS for h in held):
            return "looting"  # "militants seized livestock"
        if obj.ent_type_ in {"GPE", "LOC", "FAC"} or obj.lemma_.lower() in PLACE_OBJECTS:
            return kind
        if lemma in {"occupy", "overtake"} and (
                obj.lemma_.lower() in HELD_PLACES | {"tract", "station", "site", "mine"}
                or (obj.pos_ == "PROPN" and obj.ent_type_ not in {"ORG", "NORP"})):
            return kind  # "took over a police station", "overtakes Bula Golol"
        return None
    if lemma in {"intercept", "dismantle", "defuse"} and token.pos_ != "VERB":
        return None
    if lemma == "down" or (lemma == "shoot" and any(c.lower_ == "down" for c in token.children)):
        return "disrupted_weapons"
    if lemma == "beat" and token.pos_ == "VERB":
        # "police beat protesters", not "United beat Chelsea 2-1"
        victims = [c for c in token.children if c.dep_ in {"dobj", "nsubjpass"}]
        if not victims or any(v.pos_ == "PROPN" and v.ent_type_ != "PERSON" for v in victims):
            return None
    if lemma == "abuse":
        objs = {c.lemma_.lower() for c in token.children if c.dep_ in {"dobj", "nsubjpass"}}
        if objs & {"woman", "girl", "child", "boy", "minor"}:
            return "sexual_violence"
        return None if token.pos_ != "VERB" else kind
    if lemma == "hostage" and token.dep_ not in {"dobj", "pobj", "attr"}:
        return None
    if lemma == "withdraw":
        if not any(c.dep_ == "prep" and c.lower_ == "from" for c in token.children):
            return None
    if lemma in {"meet", "meeting", "visit", "summit"}:
        return kind if _diplomatic_meeting(token) else None
    if lemma in {"sign", "host", "pledge", "discuss", "donate"}:
        if token.pos_ != "VERB":
            return None
        objs = {c.lemma_.lower() for c in token.children if c.dep_ in {"dobj", "nsubjpass"}}
        objs |= {g.lemma_.lower() for c in token.children if c.dep_ == "dobj"
                 for g in c.children if g.dep_ in {"compound", "nummod", "quantmod", "nmod"}}
        wanted = {"sign": SIGNED, "host": HOSTED, "pledge": PLEDGED}.get(lemma)
        if wanted is not None and not objs & wanted and not (
                lemma == "host" and any(c.dep_ == "dobj" and c.pos_ == "PROPN"
                                        for c in token.children)):
            return None
        return kind
    if lemma in {"aid", "assistance", "donation"} and token.dep_ in {"compound", "amod"} and (
            not aid_carrier(token)):
        return None  # "aid workers", not "an aid package": people, not aid given
    if lemma in {"expel", "sever", "close"}:
        # diplomatic relations broken: "expels diplomats", "severs ties with", "will close down
        # the US consulate"; a headline's parse may make the verb a modifier of its object
        # ("expels diplomats" as a compound, "diplomats expelled by the US")
        objs = {c.lemma_.lower() for c in token.children if c.dep_ in {"dobj", "nsubjpass"}}
        if token.dep_ in {"compound", "acl", "amod"}:
            objs.add(token.head.lemma_.lower())
        wanted = ({"consulate", "embassy", "mission"} if lemma == "close" else
                  {"diplomat", "ambassador", "tie", "relation", "envoy", "staff", "attache"})
        return "sanction" if objs & wanted else None
    if lemma in {"lose", "cut"}:
        # infrastructure losing supply ("the plant lost a backup power source", "power was cut")
        objs = [c for c in token.children if c.dep_ in {"dobj", "nsubjpass"}]
        if lemma == "cut" and any(o.lemma_.lower() in {"tie", "relation"} for o in objs):
            return "sanction"  # "cut diplomatic ties"
        supply = {"power", "electricity", "connection", "supply", "water", "gas", "internet",
                  "communication", "line"}
        if any(o.lemma_.lower() in supply or any(c.lemma_.lower() in supply
                                                 for c in o.subtree) for o in objs):
            return "strategic"
        return None
    if kind == "shelling" and any(WEAPON_KINDS.get(w) == "air_strike" for w in words):
        return "air_strike"  # "aerial bombardment", "air raids and shelling"
    if lemma in GENERIC_VIOLENCE or lemma in OUTCOME or kind in {"attack", "explosion"}:
        # the weapon decides the kind of remote violence: "a missile hit", "drone strikes"
        refined = [WEAPON_KINDS[w] for w in words if w in WEAPON_KINDS]
        if set(words) & CROWD_CONTROL:
            refined = [k for k in refined if k not in {"chemical", "grenade"}]
        for preferred in ("suicide_bomb", "chemical", "grenade", "air_strike", "shelling",
                          "explosion"):
            if preferred in refined:
                return preferred
        agents = [c.lemma_.lower() for c in token.children if c.dep_ in {"nsubj", "compound"}]
        agents += [p.lemma_.lower() for c in token.children if c.dep_ == "agent"
                   for p in c.children]
        if token.dep_ == "pobj" and token.head.lower_ in {"in", "from", "by"}:
            agents.append(token.lemma_.lower())
        if any(w in DISASTER_AGENTS for w in agents):
            return None  # "the earthquake killed 40 people"
    return kind


def _role(token: Token, lemma: str) -> tuple[str, float]:
    """How a mention describes its event, and how specific it is."""
    if lemma in ANAPHOR_ONLY:
        return "anaphor", 0.3
    if lemma in OUTCOME:
        if token.pos_ == "VERB" and any(c.dep_ == "nsubj" for c in token.children) and any(
                c.dep_ == "dobj" for c in token.children):
            return "outcome", 1.0  # "gendarmes killed fourteen militants": the act itself
        return "outcome", 0.6
    if token.pos_ == "NOUN":
        dets = [c.lower_ for c in token.children if c.dep_ in {"det", "poss"}]
        head = token.head
        if token.dep_ == "pobj" and head.head.lemma_.lower() in SUMMARY_HEADS:
            return "summary", 0.4
        if token.tag_ == "NNS" and not dets and token.dep_ in {"nsubj", "nsubjpass"}:
            return "main", 0.9  # "Artillery shells landed on a school"
        if token.tag_ == "NNS" and (not dets or dets[0] in {"the", "these", "those"}):
            return ("anaphor", 0.4) if dets else ("summary", 0.5)
        if dets and dets[0] in {"the", "this", "that"}:
            return "anaphor", 0.6
    return "main", 1.0


def find_mentions(document: Document) -> list[EventMention]:
    doc = document.doc
    sent_of = {}
    for si, sent in enumerate(document.sentences):
        for t in sent:
            sent_of[t.i] = si
    quotes = QuoteIndex(document.text)
    starts = [sent.start_char for sent in document.sentences]
    mentions: list[EventMention] = []
    for token in doc:
        kind = _kind_for(token)
        if kind is None:
            continue
        document.check_deadline()
        lemma = token.lemma_.lower()
        role, weight = _role(token, lemma)
        sent = sent_of.get(token.i, 0)
        excluded = exclusion(token, starts[sent] if starts else 0, quotes)
        if excluded == "hypothetical" and kind in PLEDGEABLE_KINDS and pledged(token):
            kind, excluded = "pledge", None  # "will provide aid": PLOVER's AGREE
        if kind in VERBAL_KINDS:
            weight = min(weight, 0.5)
        mentions.append(EventMention(
            start=token.idx, end=token.idx + len(token.text), text=token.text, lemma=lemma,
            sent=sent, kind=kind, token=token.i, excluded=excluded, weight=weight, role=role,
        ))
    found_dead = [m for m in mentions if m.kind == "attack" and _found_dead(doc[m.token])]
    if found_dead and any(m.excluded is None and m not in found_dead for m in mentions):
        mentions = [m for m in mentions if m not in found_dead]
    return mentions


@stage("detection", requires=("doc",), assigns=("mentions",))
def detect_events(document: Document) -> None:
    document.mentions = find_mentions(document)
