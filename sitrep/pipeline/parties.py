"""Who a phrase of the parse stands for, where the parse alone does not say: the class of a
noun ("soldiers" are state forces, "gunmen" an armed group), the noun inside a unit word ("a
column of soldiers"), the side a pronoun refers back to ("They arrested and beat nine"), the
subject of a verb the parse gave none, and crowds that riot ("members of the ruling party's
student wing", "supporters of two rival candidates"). The actors stage reads these.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitrep.lexicon import ARMED, GOVERNMENT, GROUP, POLICE, STATE, load_lexicon
from sitrep.pipeline.armed_groups import group_actor

if TYPE_CHECKING:
    from spacy.tokens import Token

# Heads of a phrase whose people sit in its "of" phrase: "hundreds of students", "a column of
# soldiers", "members of the KIA".
QUANTITY_HEADS = frozenset({
    "hundreds", "thousands", "dozens", "scores", "tens", "group", "groups", "number", "band",
    "gang", "crowd", "crowds", "some", "many", "several", "most", "all", "one", "two", "three",
    "column", "convoy", "contingent", "squad", "team", "patrol", "detachment", "platoon",
    "members", "member",
})
# Who riots when a crowd turns on someone: a party's people, its groups and factions, a mob.
CROWD_NOUNS = frozenset({"member", "supporter", "follower", "cadre", "activist", "group",
                         "faction", "mob", "crowd"})
COLLECTIVE_CROWDS = frozenset({"mob", "crowd"})
COMMUNITY_WORDS = frozenset({"community", "communities", "tribe", "tribes", "clan", "clans",
                             "ethnic", "tribal", "communal"})
# What makes members or groups political ones: "members of the ruling party", "two rival groups".
POLITICAL_WORDS = frozenset({"party", "league", "wing", "rival", "faction", "factions",
                             "opposition", "ruling", "campaign", "candidate", "candidates"})
# Pronouns that stand for the actor a previous clause named ("They arrested and beat nine").
AGENT_PRONOUNS = frozenset({"they", "he", "she"})


def noun_class(token: Token) -> str | None:
    """The lexicon's class of a noun (state, police, armed, civilian ...), read with the word
    before it when the two make one ("security forces", "riot police")."""
    lex = load_lexicon()
    low = token.text.lower()
    lemma = token.lemma_.lower()
    if token.text[:1].isupper() and token.i > 0 and any(
            c.dep_ == "compound" and c.pos_ == "PROPN" for c in token.lefts) and (
            low in ("state", "states")):
        return None  # "Kachin State", "Borno State": a place's name, not the state acting
    for left in token.lefts:
        if left.dep_ in ("compound", "amod") and left.i == token.i - 1:
            two = f"{left.text.lower()} {low}"
            if two in lex.classes:
                return lex.classes[two]
    return lex.classes.get(low) or lex.classes.get(lemma)


def crowd_noun(token: Token) -> bool:
    """A crowd that may riot: a party's members or supporters, rival groups, a mob; not one
    person (a lone attacker is no mob), nor a community (ACLED's communal militias)."""
    lemma = token.lemma_.lower()
    if lemma not in CROWD_NOUNS or not (token.tag_ in ("NNS", "NNPS")
                                        or lemma in COLLECTIVE_CROWDS):
        return False
    # "security forces members", "Mungiki members", "members of the Fulani community": an armed
    # side or a community (ACLED's communal militias), not a crowd
    words = [t for t in token.subtree if t.i != token.i]
    return not any(noun_class(t) in (STATE, POLICE, GOVERNMENT, ARMED, GROUP)
                   or t.lower_ in COMMUNITY_WORDS
                   or group_actor(t.text) is not None for t in words) and not (
        lemma in ("member", "group") and not political(token))


def political(token: Token) -> bool:
    """Members or groups of a party or a political rivalry ("members of Chhatra League", "two
    rival groups"), told by the words of their phrase."""
    words = {t.lower_ for t in token.subtree}
    return bool(words & POLITICAL_WORDS) or any(
        t.ent_type_ == "ORG" and t.i > token.i for t in token.subtree)


def subject_before(verb: Token) -> list[Token]:
    """The noun phrase right before a verb the parse gave no subject ("On 9 March, near X, a
    column of soldiers abducted ...", where the phrase was hung on the place as an apposition)."""
    if verb.i == 0 or verb.doc[verb.i - 1].pos_ not in ("NOUN", "PROPN"):
        return []
    tok = verb.doc[verb.i - 1]
    while tok.dep_ in ("pobj", "prep") and tok.head.i < tok.i:
        tok = tok.head
    return [tok] if tok.pos_ in ("NOUN", "PROPN") and tok.dep_ in ("appos", "npadvmod", "dep",
                                                                   "ROOT", "conj", "nsubj") else []


def antecedent(pronoun: Token) -> Token | None:
    """The armed side a subject pronoun refers back to: the nearest earlier subject, in its
    sentence or the two before, that names soldiers, police or a group."""
    doc = pronoun.doc
    first = pronoun.sent.start
    for _ in range(2):
        if first == 0:
            break
        first = doc[first - 1].sent.start
    for tok in reversed(doc[first:pronoun.i]):
        if tok.dep_ == "nsubj" and tok.pos_ != "PRON" and noun_class(
                tok if tok.lower_ not in QUANTITY_HEADS else inner(tok)) in (
                    STATE, POLICE, ARMED):
            return tok
        if tok.dep_ == "nsubj" and tok.pos_ != "PRON" and group_actor(tok.text) is not None:
            return tok
    return None


def inner(token: Token) -> Token:
    """The noun inside "a column of soldiers", "members of the KIA"."""
    inner = [g for c in token.children if c.dep_ == "prep" and c.lower_ == "of"
             for g in c.children if g.dep_ == "pobj"]
    return inner[0] if inner else token


COMMUNITY_NOUNS = frozenset({"community", "tribe", "clan", "ethnic group"})


def community(token: Token) -> str | None:
    """The community a phrase says did something ("members of the Mossi community", "the
    Garre clan", "Kipsigis and Maasai communities"): its name, "" when not named, None when the
    phrase names no community."""
    if token.lemma_.lower() in ("member", "people", "youth", "man") or token.lower_ in (
            QUANTITY_HEADS):
        token = inner(token)
    if token.lemma_.lower() not in COMMUNITY_NOUNS:
        return None
    names = [t for t in token.lefts if t.dep_ in ("compound", "amod", "nmod")
             and t.text[:1].isupper() and t.pos_ in ("PROPN", "NOUN", "ADJ")]
    return names[0].text if names else ""
