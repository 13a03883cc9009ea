"""What the words that govern a casualty figure say befell its people.

The verb a figure hangs on tells its category ("were killed", "wounded six", "died", "were
found dead", "gunned down", "was abducted and killed") and whether it updates a toll; a toll
noun tells it for a figure the verb only reports ("the death toll rose to 12", "the number of
injured"). ``counts`` asks these from many places (a figure's own verb, a relative clause, a
participle, a breakdown); they are apart from it because they read one word and its children,
not a figure, and are the lowest layer of its rules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sitrep.pipeline.figures import (
    CASUALTY_WORDS,
    HARM_VERBS,
    INTENT_VERBS,
    INTRANSITIVE_VERBS,
    TRANSITIVE_VERBS,
    of_object,
)
from sitrep.pipeline.people import SUFFER_VERBS, dies, fatal, shared_outcome, suffers_injury

if TYPE_CHECKING:
    from spacy.tokens import Token

# Participles of a killing the tagger may read as adjectives: "eight people were slain".
KILLED_WORDS = frozenset({"slain", "killed", "murdered", "massacred", "executed", "beheaded",
                          "assassinated", "neutralized", "neutralised"})


def verb_category(verb: Token, rel: str) -> tuple[str | None, bool]:
    """Category given the verb the figure attaches to; second value: a toll update."""
    lemma = verb.lemma_.lower()
    if rel == "nsubjpass" and lemma == "fear":
        for child in verb.children:  # "seven persons have been feared killed"
            if child.dep_ in ("advcl", "xcomp", "oprd") and child.tag_ == "VBN":
                found = verb_category(child, "nsubjpass")
                if found[0]:
                    return found
    if rel == "nsubj" and verb.dep_ == "auxpass" and verb.head.tag_ == "VBN":
        # "12 people, mostly farmers, were, on Tuesday, killed": the subject hung on "were"
        return verb_category(verb.head, "nsubjpass")
    if rel == "nsubj" and verb.tag_ == "VBN" and any(c.dep_ == "auxpass" for c in verb.children):
        rel = "nsubjpass"  # "29 persons, mainly women, were, yesterday, killed": a passive
    if rel == "nsubj" and lemma == "be":
        for child in verb.children:  # "were on Friday night killed", "were slain"
            if child.dep_ == "acomp" and child.lower_ in KILLED_WORDS:
                return "killed", False  # "were slain", tagged an adjective
            if child.dep_ in ("acomp", "advcl") and child.tag_ == "VBN" and not any(
                    c.dep_.startswith("nsubj") for c in child.children):
                found = verb_category(child, "nsubjpass")
                if found[0]:
                    return found
    if verb.dep_ in ("xcomp", "acl") and (verb.head.lemma_.lower() in INTENT_VERBS | {
            "bid", "plot", "attempt", "plan"} or (verb.head.lower_ == "going" and any(
                c.dep_ == "aux" and c.lower_ == "to" for c in verb.children))):
        # "planning to kill hundreds", "an attempt to assassinate", "he was going to kill
        # her": no casualty
        return None, False
    cat = TRANSITIVE_VERBS.get(lemma)
    if lemma == "hang" and verb.lower_ == "hanged":
        cat = "killed"  # "five men were hanged": put to death (pictures are "hung")
    if lemma in ("gun", "blow") and any(c.dep_ == "prt" and c.lower_ == ("down" if lemma == "gun"
                                           else "up") for c in verb.children):
        cat = "killed"  # "gunned down four", "eight children were blown up"
    if cat == "abducted" and shared_outcome(verb) == "killed":
        cat = "killed"  # "was abducted and killed"
    if cat == "injured" and fatal(verb):
        cat = "killed"  # "fatally wounded a custodian", "mortally injured"
    if cat is None and lemma in HARM_VERBS:
        cat = "killed" if fatal(verb) else shared_outcome(verb)
        if cat is None and rel == "nsubjpass" and any(
                c.dep_ == "conj" and dies(c) and not any(g.dep_.startswith("nsubj")
                                                         for g in c.children)
                for c in verb.children):
            cat = "killed"  # "was shot on Friday, and later died in hospital"
    if cat:
        if rel in ("nsubjpass", "dobj"):
            return cat, False
        if rel == "nsubj":
            objs = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
            if not objs:  # "two soldiers killed in a blast"; not "a student wounded six"
                return cat, False
        return None, False
    cat = INTRANSITIVE_VERBS.get(lemma) or ("killed" if dies(verb) else None)
    if cat and rel in ("nsubj", "nsubjpass"):
        return cat, False
    if lemma in SUFFER_VERBS and rel == "nsubj" and suffers_injury(verb):
        return "injured", False
    if lemma in ("send", "put", "land") and rel == "dobj" and any(
            c.dep_ == "prep" and c.lower_ in ("to", "in") and any(
                g.lemma_.lower() == "hospital" for g in c.children) for c in verb.children):
        return "injured", False  # "a shooting sent a man to the hospital"
    # "were found dead", "are reported missing", "left five dead", "known to have died"
    for child in verb.children:
        if child.dep_ in ("acomp", "oprd", "attr", "xcomp", "ccomp") and child.i != verb.i:
            word = child.lemma_.lower()
            if child.lower_ in ("dead", "injured", "wounded", "missing") and child.dep_ not in (
                    "xcomp", "ccomp"):
                return CASUALTY_WORDS[child.lower_], False
            if child.dep_ == "xcomp":
                sub, upd = verb_category(child, rel if child.tag_ != "VBN" else "nsubjpass")
                if sub:
                    return sub, upd
                if word in INTRANSITIVE_VERBS:
                    return INTRANSITIVE_VERBS[word], False
        if child.dep_ == "prep" and child.lower_ == "among":
            for obj in child.children:
                if obj.dep_ == "pobj" and obj.lower_ in CASUALTY_WORDS:
                    return CASUALTY_WORDS[obj.lower_], False
                if obj.dep_ == "pobj" and obj.lemma_.lower() in ("victim", "casualty"):
                    return "killed", False
    if rel in ("nsubjpass", "dobj"):
        shared = shared_outcome(verb)  # "were waylaid and killed", "ambushed and killed five"
        if shared:
            return shared, False
    return None, False


def toll_category(noun: Token) -> str | None:
    """'death toll', 'number of dead', 'toll' and the like."""
    lemma = noun.lemma_.lower()
    if lemma == "toll":
        for c in noun.children:
            if c.dep_ in ("compound", "amod") and c.lemma_.lower() in ("injury", "injured"):
                return "injured"
        return "killed"
    if lemma in ("number", "count", "tally", "figure"):
        obj = of_object(noun)
        if obj is not None:
            return CASUALTY_WORDS.get(obj.lower_) or CASUALTY_WORDS.get(obj.lemma_.lower())
    return None
