"""How diplomacy is told when no single trigger word tells it.

Detection finds a strike by its noun; diplomacy hides in ordinary verbs whose objects or
parties decide: "received the ambassador" is a meeting, "shipped tents to the survivors" aid,
"struck a deal" an agreement (not an attack), "the EU demanded the release" a request. PLOVER
codes an announced intention to meet, help or cooperate as AGREE ("will provide aid",
"pledged to deepen their partnership"), which ``pledged`` tells from other futures.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitrep.lexicon import DIPLOMATIC_PARTIES

if TYPE_CHECKING:
    from spacy.tokens import Token

# Diplomatic relations, whose making or mending is PLOVER's COOPERATE and whose breaking SANCTION.
RELATIONS = frozenset({"relation", "tie", "relationship"})
PARTNERSHIPS = RELATIONS | {"partnership", "cooperation", "co-operation", "alliance", "friendship"}
PHONES = frozenset({"phone", "telephone", "video"})
# Whom a host receives: "received the new ambassador", "welcomed the visiting delegation".
DIPLOMATS = frozenset({"leader", "president", "minister", "delegation", "counterpart", "envoy",
                       "king", "queen", "premier", "chancellor", "diplomat", "ambassador",
                       "secretary", "emissary", "mediator", "negotiator"})
# What is given as aid: "delivered food", "shipped tents and blankets", "approved a loan".
AID_GOODS = frozenset({"aid", "assistance", "food", "tent", "blanket", "medicine", "vaccine",
                       "loan", "grant", "fund", "funding", "package", "relief", "supply",
                       "weapon", "arm", "ammunition", "shipment", "ration", "credit"})
AID_VERBS = frozenset({"deliver", "provide", "send", "ship", "supply", "give", "grant", "extend",
                       "airlift", "dispatch", "distribute", "donate", "approve", "disburse"})
# Verbs that make relations or a partnership closer: "pledged to deepen their partnership".
CLOSER = frozenset({"deepen", "strengthen", "boost", "expand", "enhance", "bolster", "broaden",
                    "improve"})
CAPTIVES = frozenset({"prisoner", "detainee", "captive", "body", "hostage", "pow"})
DRILLS = frozenset({"exercise", "drill", "manoeuvre", "maneuver", "patrol"})
# Nouns a deal is struck on, and the verbs that make a "deal" an agreement made.
DEALS = frozenset({"deal", "agreement", "accord", "pact", "bargain", "compromise", "truce"})
DEAL_MAKERS = frozenset({"reach", "strike", "clinch", "seal", "conclude", "broker", "ink", "sign",
                         "hammer"})
# Nouns of which aid is a part, not a description: "a military aid package".
AID_CARRIERS = frozenset({"package", "shipment", "delivery", "consignment", "flight", "pledge",
                          "programme", "program"})
# Governing verbs of a promise, and the auxiliaries of an announced future.
PLEDGE_HEADS = frozenset({"pledge", "promise", "vow", "offer", "commit"})
FUTURE_AUX = frozenset({"will", "shall", "'ll"})


def diplomacy_kind(token: Token, lemma: str) -> str | None:
    """The kind of diplomacy a word tells by its objects or parties, or None."""
    if token.pos_ == "NOUN":
        return _diplomatic_noun(token, lemma)
    if token.pos_ != "VERB":
        return None
    if lemma in {"phone", "telephone"}:
        return "meeting" if any(c.dep_ in {"dobj", "prep"} for c in token.children) else None
    if lemma in {"speak", "talk", "confer"}:
        means = [g for c in token.children if c.dep_ == "prep" and c.lower_ in {"by", "over", "on"}
                 for g in c.children if g.dep_ == "pobj"]
        return "meeting" if any(g.lemma_.lower() in PHONES | {"call"} for g in means) else None
    objects = _objects(token)
    if lemma in {"receive", "welcome"} and objects & DIPLOMATS:
        return "meeting"
    if lemma in AID_VERBS and objects & AID_GOODS:
        return "aid"
    if lemma in CLOSER and objects & PARTNERSHIPS:
        return "cooperation"
    addressees: list[Token] = []
    if lemma == "urge":
        addressees = [c for c in token.children if c.dep_ == "dobj"]
    elif lemma in {"call", "appeal"}:
        addressees = [g for c in token.children
                      if c.dep_ == "prep" and c.lower_ in {"on", "upon", "to"}
                      for g in c.children if g.dep_ == "pobj"]
    elif lemma == "demand" and any(c.dep_ == "dobj" for c in token.children):
        # "the EU demanded the release of": who demands decides, not the unnamed addressee
        addressees = [c for c in token.children if c.dep_ == "nsubj"]
    if any(diplomatic_party(a) for a in addressees):
        return "request"
    return None


def _diplomatic_noun(token: Token, lemma: str) -> str | None:
    if lemma in {"call", "conversation"}:
        if any(c.dep_ in {"compound", "amod"} and c.lemma_.lower() in PHONES
               for c in token.children):
            return "meeting"
        return None
    modifiers = {c.lemma_.lower() for c in token.children if c.dep_ in {"compound", "amod"}}
    if lemma in {"exchange", "swap"}:
        of = {g.lemma_.lower() for c in token.children if c.dep_ == "prep" and c.lower_ == "of"
              for g in c.children if g.dep_ == "pobj"}
        return "agreement" if (modifiers | of) & CAPTIVES else None  # not "exchange of fire"
    if lemma in DRILLS and "joint" in modifiers:
        return "cooperation"  # "joint military exercises", "joint patrols"
    return None


def _objects(token: Token) -> set[str]:
    """Lemmas of a verb's objects and their conjuncts: "shipped tents and blankets"."""
    objs = [c for c in token.children if c.dep_ in {"dobj", "nsubjpass"}]
    objs += [g for o in objs for g in o.conjuncts]
    words = {o.lemma_.lower() for o in objs}
    # "provided 50 million euros in assistance", "sent tonnes of food"
    words |= {g.lemma_.lower() for o in objs for p in o.children
              if p.dep_ == "prep" and p.lower_ in {"of", "in"}
              for g in p.children if g.dep_ == "pobj"}
    return words | {w[:-1] for w in words if w.endswith("s") and len(w) > 3}


def diplomatic_party(token: Token) -> bool:
    """A government, an organisation or the sides of a conflict, not residents or drivers."""
    if token.ent_type_ in {"GPE", "NORP", "ORG"}:
        return True
    words = {token.lemma_.lower()} | {c.lemma_.lower() for c in token.children
                                      if c.dep_ in {"amod", "compound"}}
    return bool(words & DIPLOMATIC_PARTIES)


def deal_made(token: Token) -> bool:
    """A deal, agreement or accord that someone reached or struck: "reached a deal"."""
    return token.dep_ in {"dobj", "nsubjpass"} and token.head.lemma_.lower() in DEAL_MAKERS


def struck_deal(token: Token) -> bool:
    """"struck a power-sharing deal": the verb strikes no one."""
    return any(c.dep_ == "dobj" and c.lemma_.lower() in DEALS for c in token.children)


def aid_carrier(token: Token) -> bool:
    """"aid" naming what a package or flight carries, unlike "aid workers"."""
    return token.head.lemma_.lower() in AID_CARRIERS


def pledged(token: Token) -> bool:
    """A help, a meeting or closer ties announced for later: "will provide", "pledged to
    deepen", "promised $40 million in aid". PLOVER codes such intentions as AGREE."""
    verb = token
    if token.pos_ == "NOUN":
        verb = token.head.head if token.dep_ == "pobj" else token.head
    for _ in range(3):
        if any(c.dep_ == "aux" and c.lower_ in FUTURE_AUX for c in verb.children):
            return True
        if verb.dep_ in {"xcomp", "ccomp", "dobj"} and verb.head.lemma_.lower() in PLEDGE_HEADS:
            return True
        if verb.dep_ not in {"xcomp", "conj"}:
            return False
        verb = verb.head
    return False
