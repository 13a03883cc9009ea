"""Casualty and arrest figures: find every reported figure and tell whom it counts.

``counts`` reads each number (or vague quantity: "dozens", "several", a lone "a soldier") off the
dependency tree: the number's head noun, and the verb or noun that governs it ("were killed",
"killing", "died", "death toll rose to", "bodies of"). What is not a casualty of a reported event
is left out: ages, dates, distances, things shot down, cumulative war tolls. People said only to
be shot or stabbed ("stabbed seven people") are kept apart as ``harmed``: ``tolls`` makes them
the injured when the report gives no figure of injured. The number phrases themselves and the
vocabulary are read in ``figures``; adding the figures up per event is ``tolls``'s job.

Conservative values for vague quantities (ACLED's "lowest credible figure"): "dozens" 12, "tens" 10,
"scores" 20, "hundreds" 100, "thousands" 1000, "several" 3, "a few" / "a number of" 2, all
``at_least`` with an open ``high``. "more than N" gives best N (the figure reported, as ACLED codes
it) and low N + 1. "up to N" gives best N, low null, high N (the only figure
reported; nothing bounds it from below).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from typing import TYPE_CHECKING

from sitrep.document import CountMention, Document
from sitrep.pipeline.figures import (
    ABSURD,
    CASUALTY_WORDS,
    CIVILIAN_NOUNS,
    COMBATANT_NOUNS,
    CUMULATIVE,
    HARM_VERBS,
    HARMED,
    HARMED_VERBS,
    INTENT_VERBS,
    INTRANSITIVE_VERBS,
    MORE_TO_COME,
    NON_CASUALTY_NOUNS,
    NOT_PERSONS,
    PERSON_SUFFIXES,
    PERSONS,
    REPORT_VERBS,
    SELF_CONFIDENCE,
    SMALL_WORDS,
    TOLL_VERBS,
    TRANSITIVE_VERBS,
    UPDATE_VERBS,
    VAGUE,
    Figure,
    ages_or_units,
    count_for,
    is_number_token,
    modifier,
    modifier_start,
    number_range,
    number_runs,
    of_object,
    parse_int,
    phrase_head,
)
from sitrep.pipeline.registry import stage
from sitrep.records import Count

if TYPE_CHECKING:
    from spacy.tokens import Doc as SpacyDoc
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token

def _find_figures(sent: SpacySpan) -> list[Figure]:
    """Every number phrase and vague quantity in a sentence, with its value and qualifier."""
    figures: list[Figure] = []
    doc = sent.doc
    used: set[int] = set()
    for run in number_runs(sent):
        if run[0].i in used or ages_or_units(run):
            continue
        if run[0].i > 0 and doc[run[0].i - 1].lower_ == "no" and run[-1].lower_ in ("1", "one"):
            continue  # "no one was injured"
        text = " ".join(t.text for t in run).replace(" - ", "-")
        lower = run[-1].lower_
        if len(run) == 1 and lower in VAGUE:
            value, qualifier = VAGUE[lower]
            prev = doc[run[0].i - 1].lower_ if run[0].i > sent.start else ""
            if lower in ("dozen", "score") and prev in ("a", "one"):
                run = [doc[run[0].i - 1], *run]
                text = f"{run[0].text} {text}"
        else:
            parsed = parse_int(text)
            if parsed is None:
                continue
            value, qualifier = parsed, modifier(run)
        rng = number_range(run, value, sent)
        count = count_for(value, qualifier, text)
        if rng:
            high, extra = rng
            run = run + extra
            used.update(t.i for t in extra)
            lo = value
            text = doc[run[0].i: run[-1].i + 1].text
            count = Count(best=lo, low=lo, high=high, qualifier="range", text=text)
        mod_start = modifier_start(run)
        count.text = doc[mod_start: run[-1].i + 1].text
        head = phrase_head(run)
        anchor = head.head if head.dep_ in ("nummod", "quantmod", "amod", "compound") else head
        if anchor.i in {t.i for t in run}:
            anchor = head
        noun = anchor if anchor.pos_ in ("NOUN", "PROPN") and anchor.i != head.i else None
        if noun is None:
            noun = of_object(head)
        part = figures[-1] if figures else None
        if (part is not None and run[0].i >= 2 and doc[run[0].i - 1].lower_ == "of"
                and part.tokens[-1].i == run[0].i - 2 and part.tokens[-1].dep_ == "quantmod"):
            # "1 of 4 young children injured has died", parsed as one number phrase: the part
            # is the figure, the whole says who
            figures.pop()
            count, mod_start = part.count, part.tokens[0].i
        figures.append(Figure(doc[mod_start: run[-1].i + 1], count, anchor, noun))  # type: ignore[arg-type]
    figures.extend(_small_quantities(sent))
    return figures



def _small_quantities(sent: SpacySpan) -> list[Figure]:
    """'a couple of', 'a few', 'a number of' people; and a lone singular casualty noun."""
    out: list[Figure] = []
    doc = sent.doc
    low = sent.text.lower()
    for phrase, (value, qualifier) in SMALL_WORDS.items():
        for m in re.finditer(rf"\b{phrase}\b", low):
            span = sent.char_span(sent.start_char + m.start(), sent.start_char + m.end(),
                                  alignment_mode="expand")
            if span is None or span.end >= sent.end:
                continue
            head = doc[span.end - 1]
            noun = of_object(head) or (doc[span.end] if doc[span.end].pos_ == "NOUN" else None)
            anchor = head if head.dep_ not in ("det", "amod", "nummod") else head.head
            out.append(Figure(list(span), count_for(value, qualifier, span.text), anchor, noun))
    for tok in sent:
        if tok.lower_ == "both" and (tok.dep_ in ("predet", "preconj", "det", "appos") or (
                tok.dep_ in ("dobj", "nsubjpass") and tok.head.pos_ == "VERB")):
            # "killing both his parents", "shot them both dead", "both were killed"
            head = tok.head if tok.dep_ in ("predet", "preconj", "det", "appos") else tok
            told = head.head if head.dep_ == "appos" else head  # "2 victims, both Americans"
            counted = any(c.dep_ == "nummod" for c in (*head.children, *told.children))
            if (head.tag_ in ("NNS", "NNPS", "PRP") or head.i == tok.i) and not counted:
                out.append(Figure([tok], Count(best=2, low=2, high=2, qualifier="exact",
                                                text=tok.text), head, None))
                continue
        if tok.ent_type_ == "ORDINAL" and tok.dep_ in ("dobj", "nsubjpass") and any(
                c.lower_ in ("a", "an") for c in tok.children) and (
                TRANSITIVE_VERBS.get(tok.head.lemma_.lower()) in ("killed", "injured")
                or tok.head.lemma_.lower() in HARMED_VERBS):
            # "killing five employees and wounding a sixth": one person more
            out.append(Figure([tok], Count(best=1, low=1, high=1, qualifier="exact",
                                            text=tok.text), tok, None))
            continue
        if tok.lower_ == "another" and tok.dep_ in ("dobj", "nsubjpass") and (
                not any(c.dep_ in ("nummod", "prep") for c in tok.children)):
            # "wounding another", "killing one and injuring another": one person
            out.append(Figure([tok], Count(best=1, low=1, high=1, qualifier="exact",
                                            text=tok.text), tok, None))
            continue
        if tok.lower_ in ("him", "her") and tok.dep_ == "dobj" and (
                TRANSITIVE_VERBS.get(tok.head.lemma_.lower()) in ("killed", "injured")):
            # "shot a student, killing him": the person told of just before
            out.append(Figure([tok], Count(best=1, low=1, high=1, qualifier="exact",
                                            text=tok.text), tok, None))
            continue
        if _shot_pronoun(tok):
            # "he was shot in the chest", "the gunman shot him in the thigh": one person hurt
            out.append(Figure([tok], Count(best=1, low=1, high=1, qualifier="exact",
                                            text=tok.text), tok, None))
            continue
        if (((tok.pos_ in ("NOUN", "PROPN") and tok.tag_ in ("NN", "NNP")) or _aged(tok))
                and (_is_person(tok) or _named_victim(tok))
                and not any(c.dep_ in ("nummod",) for c in tok.children)
                and (tok.dep_ in ("nsubjpass", "dobj", "nsubj", "conj", "appos")
                     or _death_of(tok) or _subset_person(tok))):
            det = [c for c in tok.children if c.dep_ in ("det", "poss")]
            if not det and tok.i >= 2 and tok.nbor(-1).text == "-":
                # "his ex-wife", "her co-worker", split by the tokenizer
                det = [c for c in tok.nbor(-2).children if c.dep_ in ("det", "poss")]
            if tok.pos_ == "NOUN" and not det and not _listed_person(tok):
                continue
            if any(c.lower_ in ("no", "every", "each", "any") for c in det):
                continue
            if any(c.ent_type_ == "ORDINAL" for c in tok.children) and any(
                    c.lower_ == "the" for c in det) and _ranked(tok):
                continue  # "the fourth backer of the movement to be killed": a rank, not a toll
            if tok.dep_ == "appos" and (_proper_name(tok) or _proper_name(tok.head)):
                continue  # "Jan Mohammad, a civilian": one person, described
            start = min([tok.i, *(c.i for c in tok.children if c.dep_ in ("det", "amod",
                                                                             "compound"))])
            span = doc[start: tok.i + 1]
            out.append(Figure(list(span), Count(best=1, low=1, high=1, qualifier="exact",
                                                 text=span.text), tok, tok))
    return out


def _civilians(fig: Figure, count: Count) -> int | None:
    """How many of a figure are civilians, when its noun says: all of "five students", none of
    "two soldiers" or "an intelligence agent"; unknown for "people" or "men"."""
    noun = fig.noun
    if noun is None:
        return None
    words = {noun.lemma_.lower(), noun.lower_, *(c.lemma_.lower() for c in noun.children
                                                 if c.dep_ in ("compound", "amod"))}
    if words & COMBATANT_NOUNS:
        return 0 if count.best is not None else None
    lemma = noun.lemma_.lower()
    if lemma in CIVILIAN_NOUNS or _aged(noun) or (
            _is_person(noun) and lemma not in ANYONE and noun.ent_type_ not in ("NORP",)):
        return count.best  # "two tribal leaders", "a district governor and his son"
    return None


# Words for anyone at all: whether they were civilians is not told.
ANYONE = frozenset({"people", "person", "other", "victim", "individual", "casualty", "dead",
                    "body", "corpse", "life", "member", "suspect"})


def _suffers_injury(verb: Token) -> bool:
    """'suffered stab wounds', 'suffering from a gunshot wound'."""
    objects = [c for c in verb.children if c.dep_ == "dobj"] + [
        g for c in verb.children if c.dep_ == "prep" and c.lower_ == "from"
        for g in c.children if g.dep_ == "pobj"]
    return any(o.lemma_.lower() in INJURY_NOUNS for o in objects)


OWN_HAND = re.compile(r"self-inflicted|himself|herself|suicide", re.I)


def _shot_pronoun(tok: Token) -> bool:
    """'he was shot', 'shot her in the leg': a person hurt, told by a pronoun, and not said to
    have died in the same clause ("he was shot and killed" is a death, counted as such)."""
    if tok.lower_ in ("he", "she") and tok.dep_ == "nsubj" and (
            INTRANSITIVE_VERBS.get(tok.head.lemma_.lower()) == "killed"):
        # "He later died of his injuries": the person told of before; not the attacker's own
        # death ("he later died from a self-inflicted gunshot wound"), counted as such
        return not OWN_HAND.search(_text(tok.doc)[tok.idx: tok.idx + 120].split(".")[0])
    if not ((tok.lower_ in ("he", "she") and tok.dep_ == "nsubjpass")
            or (tok.lower_ in ("him", "her") and tok.dep_ == "dobj")):
        return False
    verb = tok.head
    return verb.lemma_.lower() in HARMED_VERBS and not _fatal(verb) and (
        _shared_outcome(verb) is None)


def _ranked(tok: Token) -> bool:
    """'the fourth backer of the movement to be killed', 'the eighth journalist killed this
    year': a rank in a series, told by a participle after it; not 'the second victim died'."""
    nouns = [tok, *(g for c in tok.children if c.dep_ == "prep" for g in c.children
                    if g.dep_ == "pobj")]
    return any(c.dep_ in ("acl", "relcl") for n in nouns for c in n.children) or any(
        c.dep_ == "aux" and c.lower_ == "to" for c in tok.head.children)


def _death_of(tok: Token) -> bool:
    """'resulting in the death of the medical doctor': one person, told as the dead."""
    if tok.dep_ != "pobj" or tok.head.lower_ != "of" or tok.head.head.lemma_.lower() != "death":
        return False
    return not _background(tok.head.head)


def _background(noun: Token) -> bool:
    """'following the death of X', 'the 2011 killing of five women': an earlier event told as
    the cause or the history of this one, not its toll."""
    if noun.dep_ == "pobj" and noun.head.lower_ in ("following", "after", "since", "over",
                                                    "before", "for", "against"):
        return True
    return any(c.ent_type_ == "DATE" and any(ch.isdigit() for ch in c.text)
               for c in noun.children if c.dep_ in ("nummod", "compound", "amod", "npadvmod"))


def _subset_person(tok: Token) -> bool:
    """'seven persons, including a policeman': one armed person told as a part of a figure,
    which sets the others apart as civilians (docs/CASUALTIES.md)."""
    return tok.dep_ == "pobj" and tok.head.lower_ in ("including", "among") and bool(
        {tok.lemma_.lower(), *(c.lemma_.lower() for c in tok.children if c.dep_ == "compound")}
        & COMBATANT_NOUNS)


def _aged(tok: Token) -> bool:
    """'a 19-year-old was injured': a person told by age alone."""
    return tok.lower_ == "old" and tok.i >= 2 and tok.nbor(-1).text == "-" and (
        tok.nbor(-2).lower_ in ("year", "years"))


def _is_name(tok: Token) -> bool:
    return tok.pos_ == "PROPN" or tok.ent_type_ == "PERSON"


# Entity types a name killed or hurt is never of: places, buildings, peoples.
NOT_PERSON_ENTS = frozenset({"GPE", "LOC", "FAC", "NORP", "DATE", "TIME", "PRODUCT", "EVENT"})


def _named_victim(tok: Token) -> bool:
    """A name killed or hurt is a person, whatever entity type the small model guessed:
    "Assailants shot and killed Focas Bakana", "Haq, a party secretary, was killed"."""
    if tok.pos_ != "PROPN" or tok.ent_type_ in NOT_PERSON_ENTS or tok.lower_ in PERSONS:
        return False
    node = tok
    while node.dep_ == "conj" and node.head.pos_ == "PROPN":
        node = node.head
    if node.dep_ not in ("dobj", "nsubjpass"):
        return False
    verb = node.head
    lemma = verb.lemma_.lower()
    return TRANSITIVE_VERBS.get(lemma) in ("killed", "injured") or lemma in HARMED_VERBS or (
        lemma in HARM_VERBS and _fatal(verb)) or _shared_outcome(verb) in ("killed", "injured")


def _proper_name(tok: Token) -> bool:
    """A name, not a kinship or job word written with a capital ("his Mother, Father")."""
    return _is_name(tok) and tok.lower_ not in PERSONS


def _listed_person(tok: Token) -> bool:
    """A bare noun in a list of single people shares the first one's determiner: "killed his
    mother, stepfather and grandmother" is three people, one each."""
    node = tok
    while node.dep_ in ("conj", "appos") and node.head.i != node.i:
        node = node.head
        if not _is_person(node) or node.tag_ not in ("NN", "NNP"):
            return False
        if any(c.dep_ in ("det", "poss") for c in node.children):
            return node.dep_ in ("dobj", "nsubjpass", "pobj")
    return False


def _is_person(tok: Token) -> bool:
    if tok.ent_type_ == "PERSON" or _aged(tok):
        return True
    lemma = tok.lemma_.lower()
    if lemma == "head" and any(c.dep_ == "prep" and c.lower_ == "of" for c in tok.children):
        return True  # "the head of the appeal court"
    if lemma in PERSONS or lemma.rsplit("-", 1)[-1] in PERSONS:  # "ex-wife", "co-worker"
        return True
    return lemma not in NOT_PERSONS and lemma.endswith(PERSON_SUFFIXES) and len(lemma) > 4


def _verb_category(verb: Token, rel: str) -> tuple[str | None, bool]:
    """Category given the verb the figure attaches to; second value: a toll update."""
    lemma = verb.lemma_.lower()
    if verb.dep_ in ("xcomp", "acl") and verb.head.lemma_.lower() in INTENT_VERBS | {
            "bid", "plot", "attempt", "plan"}:
        return None, False  # "planning to kill hundreds", "an attempt to assassinate": no casualty
    cat = TRANSITIVE_VERBS.get(lemma)
    if lemma in ("gun", "blow") and any(c.dep_ == "prt" and c.lower_ == ("down" if lemma == "gun"
                                           else "up") for c in verb.children):
        cat = "killed"  # "gunned down four", "eight children were blown up"
    if cat == "abducted" and _shared_outcome(verb) == "killed":
        cat = "killed"  # "was abducted and killed"
    if cat == "injured" and _fatal(verb):
        cat = "killed"  # "fatally wounded a custodian", "mortally injured"
    if cat is None and lemma in HARM_VERBS:
        cat = "killed" if _fatal(verb) else _shared_outcome(verb)
    if cat:
        if rel in ("nsubjpass", "dobj"):
            return cat, False
        if rel == "nsubj":
            objs = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
            if not objs:  # "two soldiers killed in a blast"; not "a student wounded six"
                return cat, False
        return None, False
    cat = INTRANSITIVE_VERBS.get(lemma)
    if cat and rel in ("nsubj", "nsubjpass"):
        return cat, False
    if lemma in SUFFER_VERBS and rel == "nsubj" and _suffers_injury(verb):
        return "injured", False
    # "were found dead", "are reported missing", "left five dead", "known to have died"
    for child in verb.children:
        if child.dep_ in ("acomp", "oprd", "attr", "xcomp", "ccomp") and child.i != verb.i:
            word = child.lemma_.lower()
            if child.lower_ in ("dead", "injured", "wounded", "missing") and child.dep_ not in (
                    "xcomp", "ccomp"):
                return CASUALTY_WORDS[child.lower_], False
            if child.dep_ == "xcomp":
                sub, upd = _verb_category(child, rel if child.tag_ != "VBN" else "nsubjpass")
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
        shared = _shared_outcome(verb)  # "were waylaid and killed", "ambushed and killed five"
        if shared:
            return shared, False
    return None, False


def _shared_outcome(verb: Token) -> str | None:
    """'were shot and killed', 'stabbed and wounded two': the outcome verb joined to the harm verb
    shares its object, when it has none of its own."""
    for c in verb.children:
        if c.dep_ != "conj" or c.pos_ != "VERB":
            continue
        if any(g.dep_ in ("dobj", "nsubj", "nsubjpass") for g in c.children):
            continue
        cat = TRANSITIVE_VERBS.get(c.lemma_.lower())
        if cat is None and c.lemma_.lower() in HARM_VERBS and _fatal(c):
            cat = "killed"
        if cat in ("killed", "injured"):
            return cat
    return None


def _fatal(verb: Token) -> bool:
    for child in verb.children:
        if child.lower_ in ("fatally", "dead", "mortally"):
            if child.i >= 2 and child.nbor(-1).lower_ in ("them", "whom") and (
                    child.nbor(-2).lower_ == "of"):
                continue  # "shot eleven people, four of them fatally": only the four died
            if child.i >= 1 and re.search(r"\bnon-?$", _text(child.doc)[max(0, child.idx - 4):
                                                                    child.idx], re.I):
                continue  # "non-fatally wounded"
            return True
        if child.dep_ == "prep" and child.lower_ == "to" and any(
                g.lower_ == "death" for g in child.children):
            return True
        if child.dep_ == "dobj" and any(  # "shot his wife and her sister to death"
                g.dep_ == "prep" and g.lower_ == "to" and any(
                    d.lower_ == "death" for d in g.children) for g in child.children):
            return True
    return False


def _toll_category(noun: Token) -> str | None:
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


# Verbs that set a toll told as their object: "raised the number of fatalities to six".
RAISE_VERBS = frozenset({"raise", "revise", "put", "bring", "update", "increase", "lift"})
# A sentence telling the toll rose: its figures are the update, however the parse attaches them
# ("the death toll rose to 141 with 11 X and 130 Y dying").
TOLL_UPDATE = re.compile(r"\btoll\b[^.;]{0,40}\b(rose|risen|rises|climbed|climbs|increased|"
                         r"jumped|reached|has reached|now stands)\b", re.I)
# A toll told with these words is a later figure: "the death toll was later put at 100".
LATER_WORDS = frozenset({"later", "subsequently", "eventually", "since", "now", "final"})
# "the death of 2 people and the wounding of 5 others"
OUTCOME_NOUNS = {"body": "killed", "corpse": "killed", "death": "killed", "killing": "killed",
                 "murder": "killed", "wounding": "injured", "injuring": "injured",
                 "injury": "injured", "massacre": "killed"}
# Verbs that kill when their object is people's lives: "claimed 7 civilians' lives".
LIFE_VERBS = frozenset({"claim", "take", "cost", "end"})
LIFE_TAKEN = re.compile(r"\b(?:claim(?:s|ed|ing)?|t(?:ook|aken|aking|akes)|cost(?:s|ing)?)\s+"
                        r"(?:the\s+)?(?:lives\s+of\s+)?$", re.I)
LIVES_AFTER = re.compile(r"(?:[\w-]+(?:'s|')?\s+){0,2}lives\b", re.I)
# "two of them suffered stab wounds": the subject of these verbs with an injury as object.
SUFFER_VERBS = frozenset({"suffer", "sustain", "receive", "incur", "get"})
INJURY_NOUNS = frozenset({"wound", "injury", "burn", "fracture", "laceration", "trauma"})


def _classify(fig: Figure) -> tuple[str | None, bool, bool]:
    """(category, update, subset) for a figure, or category None when it is not a casualty.

    A part of a casualty group ("one of the injured") takes its verb's category when the verb
    has one ("one of the injured died"), else the group's ("two of the wounded escaped").
    """
    found = _classify_figure(fig)
    noun = fig.noun
    if found[0] is None and noun is not None and noun.head.lower_ == "of" and (
            noun.lower_ in ("dead", "injured", "wounded", "missing")):
        return CASUALTY_WORDS[noun.lower_], False, False
    return found


def _negated(fig: Figure) -> bool:
    """'the three officers were not injured': a figure of people spared."""
    node = fig.anchor
    if node.dep_ not in ("nsubj", "nsubjpass", "dobj"):
        return False
    return any(c.dep_ == "neg" for c in node.head.children)


def _participle(anchor: Token) -> str | None:
    """'the remains of 21 people killed in a battle', 'among six people shot and killed', 'a
    boy suffering from a gunshot wound': the participle after the figure tells."""
    for child in anchor.children:
        if child.dep_ == "acl" and child.lemma_.lower() in SUFFER_VERBS and _suffers_injury(
                child):
            return "injured"
        if child.dep_ == "acl" and child.tag_ == "VBN":
            cat, _ = _verb_category(child, "nsubjpass")
            if cat in ("killed", "injured"):
                return cat
    return None


def _in_subset_list(tok: Token) -> bool:
    """'including two women and two children': an item of a list that details a figure; not
    'including 8 civilians ... and another 27 people were wounded'."""
    if any(t.lower_ in ("another", "other", "more") for t in tok.doc[max(tok.i - 3, 0): tok.i]):
        return False
    node = tok
    while node.dep_ == "conj" and node.head.i != node.i:
        node = node.head
    return node.dep_ == "pobj" and node.head.lower_ in ("including", "among")


def _among(fig: Figure) -> bool:
    """'two children were among the nine civilians killed': the group some belong to."""
    return fig.anchor.dep_ == "pobj" and fig.anchor.head.lower_ == "among"


def _part_of_them(fig: Figure) -> bool:
    """'2 of them', 'one of whom': a part of a group told just before."""
    noun = fig.noun
    return noun is not None and noun.head.lower_ == "of" and noun.lower_ in (
        "them", "whom", "those", "these")


def _classify_figure(fig: Figure) -> tuple[str | None, bool, bool]:
    anchor = fig.anchor
    noun = fig.noun
    if noun is not None and noun.lemma_.lower() in NON_CASUALTY_NOUNS:
        return None, False, False
    if anchor.lemma_.lower() in NON_CASUALTY_NOUNS:
        return None, False, False
    partitive = noun is not None and noun.head.lower_ == "of" and noun.i != anchor.i
    for word in (anchor, None if partitive else noun):
        if word is None:
            continue
        if word.lower_ in ("dead", "injured", "wounded", "missing") or (
                word.pos_ == "NOUN" and word.lemma_.lower() in CASUALTY_WORDS
                and word.lemma_.lower() not in ("toll", "life", "arrest", "wound")):
            if word.lemma_.lower() == "body" and word.i != anchor.i:
                continue
            cat = CASUALTY_WORDS.get(word.lower_) or CASUALTY_WORDS[word.lemma_.lower()]
            if cat == "abducted" and word.dep_ in ("nsubjpass", "dobj", "nsubj") and (
                    _verb_category(word.head, word.dep_)[0] == "killed"):
                cat = "killed"  # "both hostages were executed", "killed the three captives"
            return cat, False, False
    if anchor.dep_ == "poss" and anchor.head.lemma_.lower() == "life" and (
            anchor.head.dep_ in ("dobj", "nsubjpass")) and (
            anchor.head.head.lemma_.lower() in LIFE_VERBS):
        return "killed", False, False  # "claimed 7 civilians' lives", "took five people's lives"
    dies = anchor.dep_ == "nsubj" and anchor.head.lemma_.lower() in INTRANSITIVE_VERBS
    for child in anchor.children:
        if child.dep_ in ("amod", "acomp", "appos") and child.lower_ in (
                "dead", "injured", "wounded", "missing") and not dies:
            return CASUALTY_WORDS[child.lower_], False, False  # not "the wounded man died"
    # "the woman who died", "a man who was shot dead": the relative clause tells
    for child in anchor.children:
        if child.dep_ == "relcl":
            rel = next((c.dep_ for c in child.children if c.lower_ in ("who", "that", "whom")),
                       None)
            if rel in ("nsubj", "nsubjpass"):
                cat, upd = _verb_category(child, rel)
                if cat in ("killed", "injured"):
                    return cat, upd, False
    # a list item with its own participle: "2 others and a woman injured"
    items = [anchor, *(c for c in anchor.children if c.dep_ == "conj")]
    for item in items if anchor.dep_ in ("appos", "conj") else []:
        for child in item.children:
            if child.dep_ == "acl" and child.lower_ in SURFACE_WORDS:
                return SURFACE_WORDS[child.lower_], False, False
    if anchor.dep_ == "conj" and anchor.head.pos_ in ("NOUN", "PROPN", "NUM") and not (
            _in_subset_list(anchor)):
        own = _surface_category(fig)  # "killed 20 people and another 29 were injured"
        if own:
            return own, False, False
    node = anchor
    # Items of a list ("three employees, the owner and his wife") share their verb; an
    # apposition that only restates the total ("40 people, 6 soldiers and 34 civilians") is
    # left to the sentence sum, which keeps the total.
    while node.dep_ in ("conj", "appos", "nmod") and node.head.pos_ in ("NOUN", "PROPN", "NUM",
                                                                     "PRON"):
        node = node.head
    subset = False
    rel, gov = node.dep_, node.head
    if rel == "conj" and gov.pos_ == "VERB" and node.pos_ in ("NOUN", "NUM", "PROPN"):
        own = _surface_category(fig)  # "were killed and 7 others injured": its own verb
        if own:
            return own, False, False
        rel = "dobj"  # "killing the minister, six others and ...": a list item parsed off its verb
    if rel == "pobj" and gov.lower_ in ("including", "among", "excluding") and gov.head.pos_ in (
            "VERB", "AUX"):
        cat, upd = _verb_category(gov.head, "dobj")
        if cat is None and gov.lower_ == "among":  # "was among at least 15 people killed"
            return _participle(anchor), False, False
        return cat, upd, True
    if rel == "pobj" and gov.lower_ in ("over", "about", "around", "nearly", "almost") and (
            gov.head.pos_ in ("VERB", "AUX")):
        rel, gov = "dobj", gov.head  # "wounded over 300": the modifier parsed as a preposition
    if rel == "pobj":
        prep = gov
        if prep.lower_ in ("including", "among", "of") and prep.head.pos_ in ("NOUN", "PROPN",
                                                                                 "NUM", "PRON"):
            outer = prep.head
            if prep.lower_ == "of" and outer.lemma_.lower() in OUTCOME_NOUNS and _background(
                    outer):
                return None, False, False
            if prep.lower_ == "of" and outer.lemma_.lower() in OUTCOME_NOUNS:
                return OUTCOME_NOUNS[outer.lemma_.lower()], False, False
            if prep.lower_ == "of" and outer.lemma_.lower() == "life" and (
                    outer.head.lemma_.lower() in LIFE_VERBS):
                return "killed", False, False  # "claimed the lives of eight people"
            toll = _toll_category(outer)
            if toll and prep.lower_ == "of":
                return toll, False, False
            if prep.lower_ == "of" and outer.lemma_.lower() == "total" and outer.head.pos_ in (
                    "VERB", "AUX"):  # "killing a total of four civilians"
                cat, _ = _verb_category(outer.head, outer.dep_)
                return cat, True, False
            if prep.lower_ == "of":
                return _participle(anchor), False, False
            inner = Figure(fig.tokens, fig.count, outer, outer)
            cat, upd, _ = _classify_figure(inner)
            if cat is None and prep.lower_ == "among":
                cat = _participle(anchor)  # "a journalist and students among 20 people killed"
            return cat, upd, prep.lower_ != "among"  # a part told first is in _find_all
        if prep.lower_ == "with" and (prep.head.lower_ == "along" or prep.head.pos_ == "VERB"):
            verb = prep.head.head if prep.head.lower_ == "along" else prep.head
            subjects = [c for c in verb.children if c.dep_ in ("nsubjpass", "dobj")]
            if verb.pos_ == "VERB" and subjects:  # "was killed along with five members"
                cat, _ = _verb_category(verb, subjects[0].dep_)
                if cat in ("killed", "injured", "abducted"):
                    return cat, False, False
        if prep.lower_ in ("to", "at", "of") and prep.head.pos_ in ("VERB", "AUX", "NOUN"):
            verb = prep.head
            subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
            if verb.lemma_.lower() in RAISE_VERBS:  # "raised the number of fatalities to six"
                subjects += [c for c in verb.children if c.dep_ == "dobj"]
            if verb.pos_ == "NOUN":
                subjects = [verb]
            for subj in subjects:
                cat = _toll_category(subj)
                if cat:
                    return cat, verb.lemma_.lower() in UPDATE_VERBS | RAISE_VERBS, False
        if prep.lower_ == "of" and prep.head.lemma_.lower() == "life":
            return "killed", False, False
        return None, False, False
    if rel in ("attr", "dobj") and gov.lemma_.lower() in TOLL_VERBS:
        for subj in (c for c in gov.children if c.dep_ in ("nsubj", "nsubjpass")):
            cat = _toll_category(subj)
            if cat:
                later = _sentence_says_later(gov)
                return cat, gov.lemma_.lower() in UPDATE_VERBS or later, False
    if gov.pos_ in ("VERB", "AUX", "ADJ"):
        if rel == "dobj" and gov.lemma_.lower() == "claim" and (
                noun is not None and noun.lemma_.lower() == "life"):
            return "killed", False, False
        if rel == "dobj" and gov.lemma_.lower() == "take" and any(
                c.lower_ == "hostage" for c in gov.children):
            return "abducted", False, False
        if rel == "dobj" and gov.lemma_.lower() == "lose" and (
                noun is not None and noun.lemma_.lower() == "life"):
            return None, False, False
        if rel == "nsubj" and gov.lemma_.lower() == "lose" and any(
                c.dep_ == "dobj" and c.lemma_.lower() == "life" for c in gov.children):
            return "killed", False, False  # "thirteen victims lost their lives"
        cat, upd = _verb_category(gov, rel)
        if cat:
            return cat, upd, subset
    return _participle(anchor), False, False


def _text(doc: SpacyDoc) -> str:
    """The document's text, kept once: spaCy's ``Doc.text`` joins every token on each call."""
    text = doc.user_data.get("sitrep_text")
    if text is None:
        text = doc.user_data["sitrep_text"] = doc.text
    return text  # type: ignore[no-any-return]


def _sentence_says_later(tok: Token) -> bool:
    """Whether the token's sentence has a word of a later figure; from an index built once per
    document (``Token.sent`` walks the sentence on every call)."""
    doc = tok.doc
    index = doc.user_data.get("sitrep_later_sents")
    if index is None:
        starts, flags = [], []
        for sent in doc.sents:
            starts.append(sent.start)
            flags.append(any(t.lower_ in LATER_WORDS for t in sent))
        index = doc.user_data["sitrep_later_sents"] = (starts, flags)
    starts, flags = index
    return bool(starts) and flags[bisect_right(starts, tok.i) - 1]


def _source(sent: SpacySpan, fig: Figure, cache: dict[str, object] | None = None
            ) -> tuple[str | None, tuple[int, int] | None]:
    """Who gave the figure: 'according to X', or the subject of a reporting verb over it.

    What does not depend on the figure is worked out once per sentence (``cache``), so a
    sentence of many figures is read once, not once per figure.
    """
    cache = {} if cache is None else cache
    if "according" not in cache:
        cache["according"] = _according_to(sent)
        cache["roots"] = [tok for tok in sent if tok.dep_ == "ROOT"
                          and tok.lemma_.lower() in REPORT_VERBS]
    according = cache["according"]
    if according is not None:
        return according  # type: ignore[return-value]
    node = fig.anchor
    for anc in [node, *node.ancestors]:
        if anc.lemma_.lower() in REPORT_VERBS and anc.pos_ == "VERB":
            subj = [c for c in anc.children if c.dep_ == "nsubj"]
            if subj and subj[0].pos_ != "PRON" and not any(
                    t.i in {x.i for x in fig.tokens} for t in subj[0].subtree):
                return _span_text(list(subj[0].subtree))
    for tok in cache["roots"]:  # type: ignore[attr-defined]
        if tok.i > fig.anchor.i:  # "..., police said." as the sentence root
            subj = [c for c in tok.children if c.dep_ == "nsubj"]
            if subj and subj[0].pos_ != "PRON":
                return _span_text(list(subj[0].subtree))
    return None, None


def _according_to(sent: SpacySpan) -> tuple[str, tuple[int, int]] | None:
    for tok in sent:
        if tok.lower_ == "according" and tok.i + 1 < sent.end and tok.doc[tok.i + 1].lower_ == "to":
            objs = [c for c in tok.doc[tok.i + 1].children if c.dep_ == "pobj"]
            if objs:
                return _span_text(list(objs[0].subtree))
    return None


def _span_text(tokens: list[Token]) -> tuple[str, tuple[int, int]]:
    doc = tokens[0].doc
    span = doc[tokens[0].i: tokens[-1].i + 1]
    return span.text, (span.start_char, span.end_char)


def find_counts(document: Document) -> list[CountMention]:
    """Every casualty/arrest figure in the report, in text order."""
    return [m for m in _find_all(document) if m.category != HARMED]


def find_harmed(document: Document) -> list[CountMention]:
    """People said to be shot or stabbed, dead or not ('stabbed 7 people'), in text order."""
    return [m for m in _find_all(document) if m.category == HARMED]


def _find_all(document: Document) -> list[CountMention]:
    found: list[CountMention] = []
    for si, sent in enumerate(document.sentences):
        if not any(t.like_num or t.pos_ in ("NOUN", "PROPN") for t in sent) and not (
                SELF_DEATH.search(sent.text)):  # "Then killed himself."
            continue
        cumulative = bool(CUMULATIVE.search(sent.text))
        more = bool(MORE_TO_COME.search(sent.text))
        toll_update = bool(TOLL_UPDATE.search(sent.text))
        seen: set[int] = set()
        source_cache: dict[str, object] = {}
        told_here: set[str] = set()  # categories of this sentence's figures so far
        count_before = len(found)
        for fig in _find_figures(sent):
            if fig.tokens[0].i in seen:
                continue
            try:
                category, update, subset = _classify(fig)
            except RecursionError:  # pragma: no cover - pathological parses
                continue
            if category is None:
                category = _surface_category(fig)
            if category is None and _harmed(fig):
                category = HARMED
            if category is None or cumulative or _negated(fig):
                continue
            if (_part_of_them(fig) or _among(fig)) and category in told_here:
                subset = True  # "5 were injured, 2 of them critically"; not "7 were shot, one
                # of them was killed"
            update = update or _is_total(document.text, fig.tokens[0].idx) or (
                category == "killed" and toll_update)
            seen.update(t.i for t in fig.tokens)
            count = fig.count
            if more and count.qualifier == "exact":
                count.qualifier, count.high = "at_least", None
            count.civilians = _civilians(fig, count)
            confidence = 0.9
            if count.best is not None and count.best >= ABSURD:
                confidence = 0.1
            if subset:
                confidence = min(confidence, 0.4)
            source, source_span = _source(sent, fig, source_cache)
            start = fig.tokens[0].idx
            end = fig.tokens[-1].idx + len(fig.tokens[-1].text)
            told_here.add(category)
            found.append(CountMention(
                start=start, end=end, text=document.text[start:end], category=category,
                count=count, sent=si, source=source, source_span=source_span, update=update,
                confidence=confidence))
        found.extend(_self_deaths(sent, si) if not cumulative else [])
        found.extend(_pistol_whipped(sent, si) if not cumulative else [])
        found.extend(_killed_them(sent, si, found) if not cumulative else [])
        # Deaths reported with no number: "killing students and civilians".
        if cumulative or "killed" in told_here or any(
                m.category == "killed" for m in found[count_before:]):
            continue
        unknown = _unknown_deaths(sent)
        if unknown is not None:
            tok, text = unknown
            found.append(CountMention(
                start=tok.idx, end=tok.idx + len(tok.text), text=text, category="killed",
                count=Count(best=None, low=None, high=None, qualifier="unknown", text=text),
                sent=si, confidence=0.5))
    found.sort(key=lambda m: m.start)
    return found


# The casualty word right after a figure, when the parse missed the link: "and over 60 injured",
# "7 others injured", "left 11 people killed", "Over 50 were injured".
AFTER_FIGURE = re.compile(
    r"(?:(?:other|others|more|people|persons|civilians|victims|individuals|soldiers|"
    r"policemen|police|officers|troops|militants|fighters|attackers|children|women|men)\s+){0,2}"
    r"(?:(?:were|was|are|is|have|has|had|been|being|got|get|also|reportedly|later|all|"
    r"seriously|critically|severely|badly|slightly|lightly|mortally|fatally|reported|"
    r"confirmed|yesterday|overnight|last|night|on|this|morning|evening|afternoon|monday|"
    r"tuesday|wednesday|thursday|friday|saturday|sunday)\s+){0,5}"
    r"(?:including\s+\S+\s+\w+\s+)?"  # "and over 100 more including 35 children injured"
    r"(?P<w>killed|dead|died|injured|wounded|hurt|hospitali[sz]ed|missing|kidnapped|abducted|"
    r"arrested|detained)\b", re.I)
SURFACE_WORDS = {"killed": "killed", "dead": "killed", "died": "killed", "injured": "injured",
                 "wounded": "injured", "hurt": "injured", "hospitalised": "injured",
                 "hospitalized": "injured", "missing": "missing", "kidnapped": "abducted",
                 "abducted": "abducted", "arrested": "arrested", "detained": "arrested"}
FATALLY = re.compile(r"(?:of them\s+)?fatally\s*(?:[,.;)]|$)", re.I)
# A figure that sums up the event supersedes the partial ones told with it.
TOTAL = re.compile(r"\b(in total|a total of|total of|totall?ing|altogether|overall|in all)\W*"
                   r"(\w+\W+){0,6}$", re.I)


def _surface_category(fig: Figure) -> str | None:
    """The category from the words right after the figure, for elliptic clauses."""
    if fig.noun is not None and fig.noun.lemma_.lower() in NON_CASUALTY_NOUNS:
        return None
    if fig.anchor.lemma_.lower() in NON_CASUALTY_NOUNS:
        return None
    first, last = fig.tokens[0], fig.tokens[-1]
    if not (is_number_token(last) or first.lower_ in VAGUE):
        return None  # a lone noun: the subject of an active verb is no casualty
    head = phrase_head(fig.tokens)
    if head.head.lower_ == "of" or fig.anchor.head.lower_ == "of":
        return None  # "four of her eight children": the part counts, not the whole
    doc = last.doc
    offset = last.idx + len(last.text)
    tail = _text(doc)[offset: offset + 80]
    offset += len(tail) - len(tail.lstrip())
    if FATALLY.match(tail.lstrip()):
        return "killed"  # "shot four people, three fatally"
    before = _text(doc)[max(0, first.idx - 24): first.idx]
    if LIVES_AFTER.match(tail.lstrip()) and LIFE_TAKEN.search(before):
        return "killed"  # "claimed 7 civilians lives", however the parser read it
    m = AFTER_FIGURE.match(tail.lstrip())
    if m is None:
        return None
    word = doc.char_span(offset + m.start("w"), offset + m.end("w"), alignment_mode="expand")
    if word is not None and any(c.dep_ == "dobj" for t in word for c in t.children):
        return None  # "5 gunmen killed 3 people": the figure is the killers
    return SURFACE_WORDS.get(m.group("w").lower())


def _is_total(text: str, start: int) -> bool:
    return bool(TOTAL.search(text[max(start - 40, 0): start]))


SELF_DEATH = re.compile(
    r"\b(commit(s|ted|ting)? suicide|kill(ed|ing|s) (him|her)self|(turn(ed|ing|s)|used|using) the "
    r"(gun|weapon|rifle|pistol) on (him|her)self|sh(ot|oots|ooting) (him|her)self( dead| fatally)?|"
    r"bl(ew|owing) (him|her)self up|(take|takes|took|taking) (his|her) (own )?life|"
    r"(end|ends|ended|ending) (his|her) (own )?life|ended in (his|her) (own )?suicide|"
    r"(killed|killing|kills|kill) [^.;]{1,80}\b(?P<own>and (then )?(him|her)self)\b|"
    r"in addition to the (suicide )?(bomber|attacker|assailant|gunman|perpetrator)|"
    r"before being (shot and )?killed|before being shot dead|"
    r"\b(he|she) was (later |then |eventually |subsequently )?(shot and killed|shot dead|"
    r"pronounced dead|killed)(?! \w+ing)|died (of|from) (a |his |her )?self-inflicted)\b", re.I)


# An attempt, or a wound a person survived: "tried to commit suicide", "shot himself in the leg".
# An infinitive is an intent, not a death: "planned to commit suicide", "tried to kill himself".
SURVIVED = re.compile(r"\b(survived|survives|attempted suicide|suicide attempt|accidental(ly)?|"
                      r"to (commit suicide|kill (him|her)self|take (his|her) own life))\b", re.I)
NOT_FATAL = re.compile(r"\s+in the (leg|foot|feet|arm|hand|knee|thigh|shoulder|stomach)\b", re.I)


def _self_deaths(sent: SpacySpan, si: int) -> list[CountMention]:
    """A perpetrator who dies by their own hand, or is killed, counts too (ACLED, GTD): one."""
    out = []
    if SURVIVED.search(sent.text):
        return out
    for m in SELF_DEATH.finditer(sent.text):
        if NOT_FATAL.match(sent.text[m.end():]):
            continue
        start = sent.start_char + m.start()
        if m.group(0).lower().startswith("before") and _plural_subject(sent, start):
            continue  # "two gunmen ... before being killed": how many is not said
        said = m.group(0)
        if m.group("own"):  # "killed five relatives and then himself": only the last words
            start, said = sent.start_char + m.start("own"), m.group("own")
        out.append(CountMention(
            start=start, end=start + len(said), text=said, category="killed",
            count=Count(best=1, low=1, high=1, qualifier="exact", text=said), sent=si,
            confidence=SELF_CONFIDENCE))
    return out


# "pistol-whipped a store clerk": the parser reads the compound verb as an adjective.
PISTOL_WHIPPED = re.compile(r"\bpistol[- ]?whip(?:ped|s|ping)?\s+(?:a|an|the|his|her|their)\s+"
                            r"(?:[\w'-]+\s+){0,2}?[\w-]*[^s\W]\b", re.I)


def _pistol_whipped(sent: SpacySpan, si: int) -> list[CountMention]:
    """One person struck with a gun is one person harmed (injured unless told dead)."""
    out = []
    for m in PISTOL_WHIPPED.finditer(sent.text):
        start = sent.start_char + m.start()
        out.append(CountMention(
            start=start, end=start + len(m.group(0)), text=m.group(0), category=HARMED,
            count=Count(best=1, low=1, high=1, qualifier="exact", text=m.group(0)), sent=si,
            confidence=0.9))
    return out


def _plural_subject(sent: SpacySpan, char: int) -> bool:
    span = sent.doc.char_span(char, char + 1, alignment_mode="expand")
    if span is None:
        return True
    for node in span[0].ancestors:
        subj = [c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subj:
            return subj[0].tag_ in ("NNS", "NNPS") or subj[0].lower_ in ("they", "we")
    return False


def _unknown_deaths(sent: SpacySpan) -> tuple[Token, str] | None:
    for tok in sent:
        lemma = tok.lemma_.lower()
        if TRANSITIVE_VERBS.get(lemma) == "killed" and tok.pos_ == "VERB":
            objs = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
            if any(o.tag_ in ("NNS", "NNPS") and o.lemma_.lower() not in NON_CASUALTY_NOUNS
                   for o in objs):
                return tok, tok.text
        if lemma == "die" and tok.pos_ == "VERB" and any(
                c.dep_ == "nsubj" and c.tag_ in ("NNS",) for c in tok.children):
            return tok, tok.text
    return None


FOUND_VERBS = frozenset({"find", "discover", "locate", "see", "leave"})


def _harmed(fig: Figure) -> bool:
    """'stabbed 7 people', '3 people were shot', 'a man was shot in the leg': hurt, and killed
    only if the report says so."""
    if not (is_number_token(fig.tokens[-1]) or fig.tokens[0].lower_ in VAGUE
            or (fig.count.best == 1 and fig.count.qualifier == "exact")):
        return False  # a number, or one person: "a man", "another person", "a sixth"
    if any(w is not None and w.lemma_.lower() in NON_CASUALTY_NOUNS for w in (fig.anchor,
                                                                            fig.noun)):
        return False  # "shot 23 rounds"
    node = fig.anchor
    while node.dep_ in ("conj", "appos") and node.head.pos_ in ("NOUN", "PROPN", "NUM"):
        node = node.head
    verb = node.head.lemma_.lower()
    if verb == "hit" and not (fig.noun is not None and (
            _is_person(fig.noun) or fig.noun.lemma_.lower() in ("people", "person"))):
        return False  # "hitting four people", not "hit 3 targets"
    if node.dep_ in ("dobj", "nsubjpass") and verb in HARMED_VERBS:
        return True
    if node.dep_ == "nsubj" and verb in HARMED_VERBS and node.head.dep_ in (
            "ccomp", "xcomp", "oprd") and node.head.head.lemma_.lower() in FOUND_VERBS and not any(
            c.dep_ == "dobj" for c in node.head.children):
        return not _fatal(node.head)  # "police found a man shot in the chest"
    # "police found a 34-year-old man shot in the chest", "Burchard, who was shot at home"
    for child in node.children:
        if child.dep_ == "acl" and child.tag_ == "VBN" and child.lemma_.lower() in HARMED_VERBS:
            return not _fatal(child)
        if child.dep_ == "relcl" and child.lemma_.lower() in HARMED_VERBS and any(
                c.dep_ == "nsubjpass" and c.lower_ in ("who", "that") for c in child.children):
            return not _fatal(child) and _shared_outcome(child) is None
    return False


def lone_person(count: Count) -> bool:
    """A figure of one person told without a number: "a man", "Flora Gonzalez", "the mayor",
    "a 19-year-old"; not "one", "1", "another", "him"."""
    return count.best == 1 and count.qualifier == "exact" and not LONE_NOT.search(count.text)


LONE_NOT = re.compile(r"^\W*(?:\d[\d,]*|one|single)\b|\b(?:another|both|himself|herself)\b",
                      re.I)


def _last_harmed(found: list[CountMention], before: int, first_sent: int
                 ) -> CountMention | None:
    """The last figure of people harmed before a point, from ``first_sent`` on; read from the
    end of ``found`` (in sentence order), so the scan stops at the sentences it needs."""
    for m in reversed(found):
        if m.sent < first_sent:
            return None
        if m.category == HARMED and m.start < before:
            return m
    return None


def _killed_them(sent: SpacySpan, si: int, found: list[CountMention]) -> list[CountMention]:
    """'shot all three people in the head, killing them', 'shooting them both dead': the people
    just said to be hurt are the dead."""
    out: list[CountMention] = []
    for tok in sent:
        if tok.lower_ != "them" or tok.dep_ != "dobj":
            continue
        verb = tok.head
        lemma = verb.lemma_.lower()
        if TRANSITIVE_VERBS.get(lemma) != "killed" and not (lemma in HARM_VERBS and (
                _fatal(verb) or any(c.lower_ == "dead" for c in tok.children))):
            continue
        last = _last_harmed(found, tok.idx, si - 1)
        if last is not None:
            c = last.count
            out.append(CountMention(
                start=tok.idx, end=tok.idx + len(tok.text), text=tok.text, category="killed",
                count=Count(c.best, c.low, c.high, c.qualifier, c.civilians, c.text), sent=si,
                confidence=0.9))
    return out


@stage("counts", assigns=("counts",))
def counts(document: Document) -> None:
    """Find casualty and arrest figures over the whole report.

    People said only to be shot or stabbed are kept apart (``extras["harmed_counts"]``): they
    are the injured when the report gives no figure of injured of its own.
    """
    found = _find_all(document)
    document.counts = [m for m in found if m.category != HARMED]
    document.extras["harmed_counts"] = [m for m in found if m.category == HARMED]
