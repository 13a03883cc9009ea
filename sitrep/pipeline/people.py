"""Who a figure counts: people told without a number, and what befell them.

Reports name a lone victim as a person ("a man was shot in the leg", "the mayor was killed",
"Flora Gonzalez"), not as "one"; this module finds those one-person figures, tells whether a
word is a person at all, whether the people were harmed, killed or civilians, and what a harm
verb's outcome is ("shot and killed", "fatally wounded"). ``counts`` classifies the numbers.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sitrep.pipeline.figures import (
    CIVILIAN_NOUNS,
    COMBATANT_NOUNS,
    HARM_VERBS,
    HARMED_VERBS,
    INTRANSITIVE_VERBS,
    NON_CASUALTY_NOUNS,
    NOT_PERSONS,
    PERSON_SUFFIXES,
    PERSONS,
    SMALL_WORDS,
    TRANSITIVE_VERBS,
    VAGUE,
    Figure,
    count_for,
    is_number_token,
    of_object,
)
from sitrep.records import Count

if TYPE_CHECKING:
    from spacy.tokens import Doc as SpacyDoc
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token


def doc_text(doc: SpacyDoc) -> str:
    """The document's text, kept once: spaCy's ``Doc.text`` joins every token on each call."""
    text = doc.user_data.get("sitrep_text")
    if text is None:
        text = doc.user_data["sitrep_text"] = doc.text
    return text  # type: ignore[no-any-return]


def shared_outcome(verb: Token) -> str | None:
    """'were shot and killed', 'stabbed and wounded two': the outcome verb joined to the harm verb
    shares its object, when it has none of its own."""
    for c in verb.children:
        if c.dep_ != "conj" or c.pos_ != "VERB":
            continue
        if any(g.dep_ in ("dobj", "nsubj", "nsubjpass") for g in c.children):
            continue
        cat = TRANSITIVE_VERBS.get(c.lemma_.lower())
        if cat is None and c.lemma_.lower() in HARM_VERBS and fatal(c):
            cat = "killed"
        if cat in ("killed", "injured"):
            return cat
    return None


def fatal(verb: Token) -> bool:
    for child in verb.children:
        if child.lower_ in ("fatally", "dead", "mortally"):
            if child.i >= 2 and child.nbor(-1).lower_ in ("them", "whom") and (
                    child.nbor(-2).lower_ == "of"):
                continue  # "shot eleven people, four of them fatally": only the four died
            if child.i >= 1 and re.search(r"\bnon-?$", doc_text(child.doc)[max(0, child.idx - 4):
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


# "two of them suffered stab wounds": the subject of these verbs with an injury as object.
SUFFER_VERBS = frozenset({"suffer", "sustain", "receive", "incur", "get"})


INJURY_NOUNS = frozenset({"wound", "injury", "burn", "fracture", "laceration", "trauma"})


def suffers_injury(verb: Token) -> bool:
    """'suffered stab wounds', 'suffering from a gunshot wound'."""
    objects = [c for c in verb.children if c.dep_ == "dobj"] + [
        g for c in verb.children if c.dep_ == "prep" and c.lower_ == "from"
        for g in c.children if g.dep_ == "pobj"]
    return any(o.lemma_.lower() in INJURY_NOUNS for o in objects)


def _injury_with(word: Token, depth: int = 0) -> bool:
    """'with a gunshot wound', 'with non-life-threatening injuries' after a word, also where
    the parse hangs it on a place before ("showed up at a home with a gunshot wound")."""
    for c in word.children:
        if c.dep_ != "prep":
            continue
        for g in c.children:
            if g.dep_ != "pobj":
                continue
            if c.lower_ == "with" and g.lemma_.lower() in INJURY_NOUNS:
                return True
            if depth < 2 and not is_person(g) and _injury_with(g, depth + 1):
                return True
    return False


def _suffering(word: Token) -> bool:
    """A clause of the word that says it suffers a wound: 'suffering from a gunshot wound'."""
    return any(c.dep_ in ("acl", "advcl", "xcomp", "conj") and c.lemma_.lower() in SUFFER_VERBS
               and suffers_injury(c) and not any(g.dep_.startswith("nsubj") for g in c.children)
               for c in word.children)


def wounded(tok: Token) -> bool:
    """People told with a wound: 'a man with a gunshot wound', 'a teenager showed up with a
    gunshot wound', 'found a woman suffering from gunshot wounds', 'he was taken to hospital
    with injuries'. Hurt, and killed only if the report says so."""
    if _injury_with(tok) or _suffering(tok):
        return True
    verb = tok.head
    if tok.dep_ in ("nsubj", "nsubjpass") and (_after_being_shot(verb) or _in_condition(verb)):
        return True
    if tok.dep_ in ("nsubj", "nsubjpass") and verb.pos_ in ("VERB", "AUX") and not any(
            c.dep_ == "dobj" for c in verb.children):
        return _injury_with(verb) or _suffering(verb)
    if tok.dep_ == "dobj" and verb.lemma_.lower() in ("leave", "find", "locate", "discover",
                                                      "send"):
        return _injury_with(verb) or _suffering(verb)  # "left a man with a gunshot wound"
    return False


# "in critical condition": how a hospital tells of someone hurt.
CONDITIONS = frozenset({"critical", "serious", "stable", "fair", "grave", "guarded"})


def _in_condition(verb: Token) -> bool:
    """'One person is in stable condition after a shooting', 'he was listed in critical
    condition': the subject is someone hurt."""
    return verb.lemma_.lower() in ("be", "remain", "list") and any(
        c.dep_ == "prep" and c.lower_ == "in" and any(
            g.dep_ == "pobj" and g.lemma_.lower() == "condition" and any(
                a.lower_ in CONDITIONS for a in g.children) for g in c.children)
        for c in verb.children)


def _after_being_shot(verb: Token) -> bool:
    """'A man is in hospital after being shot', 'drove himself to hospital after being shot in
    the stomach': the subject of the clause is the one shot."""
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ == "after":
            for g in c.children:
                if g.dep_ == "pcomp" and g.lemma_.lower() in HARMED_VERBS and any(
                        a.lower_ == "being" for a in g.children) and not fatal(g):
                    return not any(d.dep_.startswith("nsubj") for d in g.children)
        if c.dep_ == "advcl" and c.lemma_.lower() in HARMED_VERBS and not fatal(c) and any(
                m.lower_ == "after" for m in c.children) and any(
                d.dep_ == "nsubjpass" and d.lower_ in ("he", "she", "they") for d in c.children):
            return True  # "two men drove themselves to hospital after they were shot"
    return False


def fatal_noun(noun: Token) -> bool:
    """'the fatal shooting', 'a deadly stabbing'."""
    return any(c.lower_ in ("fatal", "deadly") for c in noun.children)


def shooting_of(tok: Token) -> bool:
    """'investigating the shooting of a 16-year-old boy': one person shot."""
    return tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.lemma_.lower() in (
        "shooting", "stabbing") and not background(tok.head.head)


OWN_HAND = re.compile(r"self-inflicted|himself|herself|suicide", re.I)


def dies(verb: Token) -> bool:
    """'died', 'perished', 'succumbed to his wounds', 'passed away': the subject's death."""
    lemma = verb.lemma_.lower()
    return INTRANSITIVE_VERBS.get(lemma) == "killed" or (lemma == "pass" and any(
        c.dep_ in ("prt", "advmod") and c.lower_ == "away" for c in verb.children))


def shot_pronoun(tok: Token) -> bool:
    """'he was shot', 'shot her in the leg': a person hurt, told by a pronoun, and not said to
    have died in the same clause ("he was shot and killed" is a death, counted as such)."""
    if tok.lower_ in ("he", "she") and wounded(tok):
        return True  # "she was found with a gunshot wound"
    if tok.lower_ in ("he", "she") and tok.dep_ == "nsubj" and dies(tok.head):
        # "He later died of his injuries": the person told of before; not the attacker's own
        # death ("he later died from a self-inflicted gunshot wound"), counted as such
        return not OWN_HAND.search(doc_text(tok.doc)[tok.idx: tok.idx + 120].split(".")[0])
    if not ((tok.lower_ in ("he", "she") and tok.dep_ == "nsubjpass")
            or (tok.lower_ in ("him", "her") and tok.dep_ == "dobj")):
        return False
    verb = tok.head
    return verb.lemma_.lower() in HARMED_VERBS and not fatal(verb) and (
        shared_outcome(verb) is None)


def ranked(tok: Token) -> bool:
    """'the fourth backer of the movement to be killed', 'the eighth journalist killed this
    year': a rank in a series, told by a participle after it; not 'the second victim died'."""
    nouns = [tok, *(g for c in tok.children if c.dep_ == "prep" for g in c.children
                    if g.dep_ == "pobj")]
    head = tok.head
    return any(c.dep_ in ("acl", "relcl") for n in nouns for c in n.children) or any(
        c.dep_ == "aux" and c.lower_ == "to" for c in head.children) or (
        # "..., the first journalist killed this year": the participle parsed as its verb
        tok.dep_ == "nsubj" and head.tag_ == "VBN" and not any(
            c.dep_ in ("aux", "auxpass") for c in head.children))


# Nouns of a death whose "of" names the dead: "the killing of a judge", "the body of the mayor
# was found" (a body found is the news of a killing; one pulled from rubble is not told as one).
DEATH_NOUNS = frozenset({"death", "killing", "murder", "assassination", "slaying"})
BODY_NOUNS = frozenset({"body", "corpse"})
BODY_FOUND = frozenset({"find", "discover", "dump", "identify", "exhume", "uncover"})


def death_of(tok: Token) -> bool:
    """'resulting in the death of the medical doctor', 'claimed the killing of a judge': one
    person, told as the dead."""
    if tok.dep_ != "pobj" or tok.head.lower_ != "of":
        return False
    noun = tok.head.head
    if noun.lemma_.lower() in BODY_NOUNS:
        return noun.dep_ in ("nsubjpass", "dobj") and noun.head.lemma_.lower() in BODY_FOUND
    if noun.lemma_.lower() not in DEATH_NOUNS:
        return False
    return not background(tok.head.head)


def along_with(tok: Token) -> bool:
    """'was killed along with his wife', 'together with another party supporter': a person
    who shared the fate of the one told before."""
    prep = tok.head
    if tok.dep_ != "pobj" or prep.lower_ != "with":
        return False
    gov = prep.head
    return gov.lower_ in ("along", "together") or any(
        c.lower_ in ("along", "together") and c.dep_ in ("prt", "advmod") for c in gov.children)


def found_body(tok: Token) -> bool:
    """'his body was found', 'police discovered a body': one dead; not 'the body of the mayor
    was found' (the mayor is the figure) nor 'bodies' (a number tells)."""
    return tok.lemma_.lower() in BODY_NOUNS and tok.tag_ == "NN" and tok.dep_ in (
        "nsubjpass", "dobj", "nsubj") and tok.head.lemma_.lower() in BODY_FOUND and (
        tok.head.tag_ == "VBN" or tok.dep_ == "dobj") and not any(
        c.dep_ == "prep" and c.lower_ == "of" for c in tok.children) and any(
        c.dep_ in ("det", "poss") for c in tok.children)


def background(noun: Token) -> bool:
    """'following the death of X', 'the 2011 killing of five women', 'the third killing of an
    imam this month': an earlier event told as the cause or the history of this one (or a rank
    in a series of them), not its toll."""
    if any(c.lower_ == "the" for c in noun.children) and any(
            c.ent_type_ == "ORDINAL" and c.dep_ == "amod" for c in noun.children):
        return True
    prep = noun.head
    if noun.dep_ in ("pobj", "dobj") and prep.lower_ in ("following", "after", "since", "over",
                                                         "before", "for", "against"):
        # not "claimed responsibility for the killing of a judge": that is this event
        return not (prep.lower_ == "for" and prep.head.lemma_.lower() == "responsibility")
    return any(c.ent_type_ == "DATE" and any(ch.isdigit() for ch in c.text)
               for c in noun.children if c.dep_ in ("nummod", "compound", "amod", "npadvmod"))


def subset_person(tok: Token) -> bool:
    """'seven persons, including a policeman': one armed person told as a part of a figure,
    which sets the others apart as civilians (docs/CASUALTIES.md)."""
    return tok.dep_ == "pobj" and tok.head.lower_ in ("including", "among") and bool(
        {tok.lemma_.lower(), *(c.lemma_.lower() for c in tok.children if c.dep_ == "compound")}
        & COMBATANT_NOUNS)


def aged(tok: Token) -> bool:
    """'a 19-year-old was injured': a person told by age alone."""
    return tok.lower_ == "old" and tok.i >= 2 and tok.nbor(-1).text == "-" and (
        tok.nbor(-2).lower_ in ("year", "years"))


def is_name(tok: Token) -> bool:
    return tok.pos_ == "PROPN" or tok.ent_type_ == "PERSON"


# Entity types a name killed or hurt is never of: places, buildings, peoples.
NOT_PERSON_ENTS = frozenset({"GPE", "LOC", "FAC", "NORP", "DATE", "TIME", "PRODUCT", "EVENT"})


def named_victim(tok: Token) -> bool:
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
        lemma in HARM_VERBS and fatal(verb)) or shared_outcome(verb) in ("killed", "injured")


def proper_name(tok: Token) -> bool:
    """A name, not a kinship or job word written with a capital ("his Mother, Father")."""
    return is_name(tok) and tok.lower_ not in PERSONS


# People of a kind, not a role: "a man and woman" are two.
KINDS = frozenset({"man", "woman", "boy", "girl", "child", "teen", "teenager", "baby", "infant",
                   "son", "daughter", "wife", "husband", "brother", "sister", "father", "mother",
                   "male", "female", "person"})


def second_role(tok: Token) -> bool:
    """A second description of one person: "a businessman and anti-crime activist", "a
    lawyer and relative of the laureate", "activist and paramedic Hoda Khodeir"; not "a man
    and woman", nor "his mother and stepfather" (people of a kind, or someone's kin)."""
    head = tok.head
    if tok.dep_ != "conj" or head.pos_ != "NOUN" or head.tag_ != "NN":
        return False
    if any(c.dep_ in ("det", "poss") for c in tok.children):
        return False
    if any(c.dep_ == "poss" or (c.dep_ == "det" and c.lower_ not in ("a", "an"))
           for c in head.children):
        return False
    if [c.lower_ for c in head.children if c.dep_ == "cc"] != ["and"] or len(
            [c for c in head.children if c.dep_ == "conj"]) != 1:
        return False
    if tok.pos_ == "PROPN":  # "activist and paramedic Hoda Khodeir" ("paramedic" may be
        # tagged an adjective)
        return any((c.dep_ == "compound" and c.pos_ == "NOUN") or (
            c.dep_ == "amod" and c.lemma_.lower() in PERSONS) for c in tok.children)
    of = any(c.dep_ == "prep" and c.lower_ == "of" for c in tok.children)
    return tok.pos_ == "NOUN" and tok.tag_ == "NN" and (of or tok.lemma_.lower() not in KINDS)


def listed_person(tok: Token) -> bool:
    """A bare noun in a list of single people shares the first one's determiner: "killed his
    mother, stepfather and grandmother" is three people, one each."""
    node = tok
    while node.dep_ in ("conj", "appos") and node.head.i != node.i:
        node = node.head
        if not is_person(node) or node.tag_ not in ("NN", "NNP"):
            return False
        if any(c.dep_ in ("det", "poss") for c in node.children):
            return node.dep_ in ("dobj", "nsubjpass", "pobj")
    return False


# Beings killed that are no casualty: "an officer shot and killed a dog".
ANIMALS = frozenset({"dog", "cat", "horse", "cow", "animal", "pet", "bear", "deer", "goat",
                     "sheep", "bird", "pig", "puppy", "kitten", "chicken", "lion", "elephant"})


def killed_noun(tok: Token) -> bool:
    """The one killed, whatever the noun: "a muezzin was shot dead", "killed a tribal figure".
    Killing is done to living beings, so a singular noun it takes is a person; hurting
    ("shot a car") is not, and stays with the person words."""
    if tok.dep_ not in ("nsubjpass", "dobj") or tok.tag_ != "NN" or (
            tok.i + 1 < len(tok.doc) and tok.nbor(1).text == "-"):
        return False  # not the "ex" of "ex-wife", split by the tokenizer
    lemma = tok.lemma_.lower()
    if lemma in NON_CASUALTY_NOUNS or lemma in NOT_PERSONS or lemma in ANIMALS or (
            tok.ent_type_ in NOT_PERSON_ENTS):
        return False
    verb = tok.head
    if any(c.dep_ == tok.dep_ and c.i != tok.i for c in verb.children):
        return False  # two subjects of one verb: a misparse ("a mayor running for a seat")
    verb_lemma = verb.lemma_.lower()
    if verb_lemma == "execute" and lemma in ("search", "warrant", "order", "plan", "deal"):
        return False  # "executed a search warrant": things are executed too
    return TRANSITIVE_VERBS.get(verb_lemma) == "killed" or (
        verb_lemma in HARM_VERBS and fatal(verb)) or shared_outcome(verb) == "killed"


def named_person(tok: Token) -> bool:
    """A word that can only name people ("teen", "officer", "people", a name), not one that
    only looks like it ("counter", "refrigerator")."""
    lemma = tok.lemma_.lower()
    return tok.ent_type_ == "PERSON" or aged(tok) or lemma in PERSONS or (
        lemma in CIVILIAN_NOUNS) or lemma in COMBATANT_NOUNS or lemma in ("people", "person")


def is_person(tok: Token) -> bool:
    if tok.ent_type_ == "PERSON" or aged(tok):
        return True
    lemma = tok.lemma_.lower()
    if lemma == "head" and any(c.dep_ == "prep" and c.lower_ == "of" for c in tok.children):
        return True  # "the head of the appeal court"
    if lemma in PERSONS or lemma.rsplit("-", 1)[-1] in PERSONS:  # "ex-wife", "co-worker"
        return True
    return lemma not in NOT_PERSONS and lemma.endswith(PERSON_SUFFIXES) and len(lemma) > 4


def civilians_of(fig: Figure, count: Count) -> int | None:
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
    if lemma in CIVILIAN_NOUNS or aged(noun) or (
            is_person(noun) and lemma not in ANYONE and noun.ent_type_ not in ("NORP",)):
        return count.best  # "two tribal leaders", "a district governor and his son"
    return None


# Words for anyone at all: whether they were civilians is not told.
ANYONE = frozenset({"people", "person", "other", "victim", "individual", "casualty", "dead",
                    "body", "corpse", "life", "member", "suspect"})


# "one dead, another wounded": the word after a lone "another" tells its fate.
AFTER_ANOTHER = frozenset({"wounded", "injured", "hurt", "hospitalized", "hospitalised", "dead",
                           "killed"})


def small_quantities(sent: SpacySpan) -> list[Figure]:
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
        if tok.lower_ == "another" and (tok.dep_ in ("dobj", "nsubjpass") or (
                tok.i + 1 < sent.end and doc[tok.i + 1].lower_ in AFTER_ANOTHER)) and (
                not any(c.dep_ in ("nummod", "prep") for c in tok.children)):
            # "wounding another", "killing one and injuring another": one person
            out.append(Figure([tok], Count(best=1, low=1, high=1, qualifier="exact",
                                            text=tok.text), tok, None))
            continue
        if found_body(tok):
            # "his body was found", "the mayor's body was found": one dead, told by the body
            out.append(Figure([tok], Count(best=1, low=1, high=1, qualifier="exact",
                                            text=tok.text), tok, tok))
            continue
        if tok.lower_ in ("him", "her") and tok.dep_ == "dobj" and (
                TRANSITIVE_VERBS.get(tok.head.lemma_.lower()) in ("killed", "injured")
                or (tok.head.lemma_.lower() in HARM_VERBS and fatal(tok.head))):
            # "shot a student, killing him": the person told of just before
            out.append(Figure([tok], Count(best=1, low=1, high=1, qualifier="exact",
                                            text=tok.text), tok, None))
            continue
        if shot_pronoun(tok):
            # "he was shot in the chest", "the gunman shot him in the thigh": one person hurt
            out.append(Figure([tok], Count(best=1, low=1, high=1, qualifier="exact",
                                            text=tok.text), tok, None))
            continue
        if (((tok.pos_ in ("NOUN", "PROPN") and tok.tag_ in ("NN", "NNP")) or aged(tok))
                and (is_person(tok) or named_victim(tok) or killed_noun(tok))
                and not any(c.dep_ in ("nummod",) for c in tok.children)
                and (tok.dep_ in ("nsubjpass", "dobj", "nsubj", "conj", "appos")
                     or death_of(tok) or subset_person(tok) or shooting_of(tok)
                     or along_with(tok) or (
                         tok.dep_ == "pobj" and any(c.dep_ == "relcl" for c in tok.children)))):
            det = [c for c in tok.children if c.dep_ in ("det", "poss")]
            if not det and tok.i >= 2 and tok.nbor(-1).text == "-":
                # "his ex-wife", "her co-worker", split by the tokenizer
                det = [c for c in tok.nbor(-2).children if c.dep_ in ("det", "poss")]
            office = tok.dep_ in ("dobj", "nsubjpass") and any(
                c.dep_ == "prep" and c.lower_ == "of" for c in tok.children)
            if tok.pos_ == "NOUN" and not det and not listed_person(tok) and not (
                    tok.left_edge.i == sent.start and killed_noun(tok)) and not (
                    subset_person(tok)) and not office and not (
                    len(doc) == sent.end - sent.start and killed_noun(tok)):
                # "murdered director of the palace"; a report that is only a headline
                # ("Mob kills suspected cattle rustler") has no body to give the figure
                continue  # not "Local official shot dead", a headline's bare noun
            if any(c.lower_ in ("no", "every", "each", "any") for c in det):
                continue
            if any(c.lower_ == "unborn" for c in tok.children):
                continue  # "killed along with her unborn child": tallies count the born
            if any(c.ent_type_ == "ORDINAL" for c in tok.children) and any(
                    c.lower_ == "the" for c in det) and ranked(tok):
                continue  # "the fourth backer of the movement to be killed": a rank, not a toll
            if tok.dep_ == "appos" and (proper_name(tok) or proper_name(tok.head)):
                continue  # "Jan Mohammad, a civilian": one person, described
            if tok.dep_ == "conj" and proper_name(tok) and not any(
                    c.dep_ == "cc" for c in tok.head.children):
                continue  # "A High Chief in the state, Pa Moses Ade, ...": an apposition
                # the parse made a list item (no "and" joins them)
            if second_role(tok):
                continue  # "a businessman and anti-crime activist": one person
            if tok.dep_ == "nsubj" and (tok.head.lemma_.lower() in ATTACKER_VERBS or (
                    tok.lemma_.lower() in PERPETRATORS and not dies(tok.head))):
                continue  # "when a suicide bomber attacked a street": the attacker, no victim
            start = min([tok.i, *(c.i for c in tok.children if c.dep_ in ("det", "amod",
                                                                             "compound"))])
            span = doc[start: tok.i + 1]
            out.append(Figure(list(span), Count(best=1, low=1, high=1, qualifier="exact",
                                                 text=span.text), tok, tok))
    return out


# Verbs whose active subject is the one who attacked.
ATTACKER_VERBS = frozenset({"attack", "detonate", "storm", "ram", "raid", "target", "ambush",
                            "blow", "explode", "hijack", "bomb"})
PERPETRATORS = frozenset({"bomber", "gunman", "attacker", "assailant", "shooter", "militant",
                          "terrorist", "insurgent", "hijacker", "sniper", "kidnapper"})
FOUND_VERBS = frozenset({"find", "discover", "locate", "see", "leave"})


def is_harmed(fig: Figure) -> bool:
    """'stabbed 7 people', '3 people were shot', 'a man was shot in the leg': hurt, and killed
    only if the report says so."""
    if not (is_number_token(fig.tokens[-1]) or fig.tokens[0].lower_ in (*VAGUE, "both")
            or (fig.count.best == 1 and fig.count.qualifier == "exact")):
        return False  # a number, or one person: "a man", "another person", "a sixth"
    if any(w is not None and w.lemma_.lower() in NON_CASUALTY_NOUNS for w in (fig.anchor,
                                                                            fig.noun)):
        return False  # "shot 23 rounds"
    node = fig.anchor
    if node.dep_ in ("nsubj", "nsubjpass", "dobj") and wounded(node):
        return True  # not "brought by two witnesses with a gunshot wound", misparsed
    if node.dep_ == "nsubj" and any(
            c.dep_ == "conj" and c.lemma_.lower() in HARMED_VERBS and c.tag_ == "VBN"
            and any(a.dep_ == "auxpass" for a in c.children)
            and not any(a.dep_.startswith("nsubj") for a in c.children) and not fatal(c)
            and shared_outcome(c) is None for c in node.head.children):
        return True  # "the victim is 34 years old and was shot in the arm"
    if fig.count.best == 1 and shooting_of(node) and not fatal_noun(node.head.head):
        return True
    while node.dep_ in ("conj", "appos") and node.head.pos_ in ("NOUN", "PROPN", "NUM"):
        node = node.head
    verb = node.head.lemma_.lower()
    if verb in ("hit", "strike") and not (fig.noun is not None and named_person(fig.noun)) and (
            node.lower_ not in ("he", "she", "him", "her")):
        return False  # "hitting four people", not "hit 3 targets" or "struck the counter"
    if node.dep_ in ("dobj", "nsubjpass") and verb in HARMED_VERBS:
        return True
    if node.dep_ == "nsubj" and verb in HARMED_VERBS and node.head.dep_ in (
            "ccomp", "xcomp", "oprd") and node.head.head.lemma_.lower() in FOUND_VERBS and not any(
            c.dep_ == "dobj" for c in node.head.children):
        return not fatal(node.head)  # "police found a man shot in the chest"
    # "police found a 34-year-old man shot in the chest", "Burchard, who was shot at home"
    for child in node.children:
        if child.dep_ == "acl" and child.tag_ == "VBN" and child.lemma_.lower() in HARMED_VERBS:
            return not fatal(child)
        if child.dep_ == "relcl" and child.lemma_.lower() in HARMED_VERBS and any(
                c.dep_ == "nsubjpass" and c.lower_ in ("who", "that") for c in child.children):
            return not fatal(child) and shared_outcome(child) is None
    return False


def lone_person(count: Count) -> bool:
    """A figure of one person told without a number: "a man", "Flora Gonzalez", "the mayor",
    "a 19-year-old"; not "one", "1", "another", "him"."""
    return count.best == 1 and count.qualifier == "exact" and not LONE_NOT.search(count.text)


LONE_NOT = re.compile(r"^\W*(?:\d[\d,]*|one|single)\b|\b(?:another|both|himself|herself)\b",
                      re.I)
