"""Casualty and arrest figures: find every reported figure and tell whom it counts.

``counts`` reads each number (or vague quantity: "dozens", "several", a lone "a soldier") off the
dependency tree: the number's head noun, and the verb or noun that governs it ("were killed",
"killing", "died", "death toll rose to", "bodies of"). What is not a casualty of a reported event
is left out: ages, dates, distances, things shot down, cumulative war tolls. People said only to
be shot or stabbed ("stabbed seven people") are kept apart as ``harmed``: ``tolls`` makes them
the injured when the report gives no figure of injured. The number phrases themselves and the
vocabulary are read in ``figures``, lone people ("a man was shot") in ``people``, figures told by
the words alone in ``surface``, what a figure's verb or toll noun tells ("were killed", "the death
toll rose to") in ``verbs``; adding the figures up per event is ``tolls``'s job.

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
from sitrep.pipeline.factuality import GATHERING_WORDS, cause_of_gathering
from sitrep.pipeline.figures import (
    ABSURD,
    CASUALTY_WORDS,
    CUMULATIVE,
    HARMED,
    INTRANSITIVE_VERBS,
    MORE_TO_COME,
    NON_CASUALTY_NOUNS,
    REPORT_VERBS,
    TOLL_VERBS,
    UPDATE_VERBS,
    VAGUE,
    Figure,
    ages_or_units,
    count_for,
    date_tail,
    modifier,
    modifier_start,
    number_range,
    number_runs,
    of_object,
    parse_int,
    phrase_head,
)
from sitrep.pipeline.people import (
    SUFFER_VERBS,
    background,
    civilians_of,
    fatal_noun,
    found_body,
    is_harmed,
    lone_person,
    small_quantities,
    suffers_injury,
)
from sitrep.pipeline.registry import stage
from sitrep.pipeline.surface import (
    SELF_DEATH,
    SURFACE_WORDS,
    bodies_of_taken,
    is_total,
    killed_them,
    pistol_whipped,
    self_deaths,
    stated_fatalities,
    surface_category,
    taken_then_killed,
    unknown_deaths,
)
from sitrep.pipeline.verbs import toll_category, verb_category
from sitrep.records import Count

if TYPE_CHECKING:
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
        if date_tail(run[-1]):  # "on 25 July five people": parsed as a part of the date
            anchor = noun = doc[run[-1].i + 1]
        part = figures[-1] if figures else None
        if (part is not None and run[0].i >= 2 and doc[run[0].i - 1].lower_ == "of"
                and part.tokens[-1].i == run[0].i - 2 and part.tokens[-1].dep_ == "quantmod"):
            # "1 of 4 young children injured has died", parsed as one number phrase: the part
            # is the figure, the whole says who
            figures.pop()
            count, mod_start = part.count, part.tokens[0].i
        figures.append(Figure(doc[mod_start: run[-1].i + 1], count, anchor, noun))  # type: ignore[arg-type]
    figures.extend(small_quantities(sent))
    return figures


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
                 "injury": "injured", "massacre": "killed", "assassination": "killed",
                 "slaying": "killed", "killer": "killed", "murderer": "killed"}
# Verbs that kill when their object is people's lives: "claimed 7 civilians' lives".
LIFE_VERBS = frozenset({"claim", "take", "cost", "end"})


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


def _told_by_noun(noun: Token | None) -> str | None:
    """Deaths a noun tells with the words around it: "27 victims of the massacre", "18
    casualties and 20 injured" (casualties told apart from the injured are the dead)."""
    if noun is None:
        return None
    lemma = noun.lemma_.lower()
    if lemma == "victim":
        what = of_object(noun)
        if what is not None and OUTCOME_NOUNS.get(what.lemma_.lower()) == "killed":
            return "killed"
    if lemma == "casualty" and any(t.lower_ in ("injured", "wounded") for t in noun.conjuncts):
        return "killed"
    return None


def _group_category(group: Token) -> str | None:
    """The fate of a group a part is told of: "the dead", "those killed", "those who died"."""
    if group.lower_ in ("dead", "injured", "wounded", "missing"):
        return CASUALTY_WORDS[group.lower_]
    if group.lower_ not in ("those", "people", "persons", "victims"):
        return None
    for child in group.children:
        if child.dep_ == "acl" and child.lower_ in SURFACE_WORDS:
            return SURFACE_WORDS[child.lower_]
        if child.dep_ == "relcl":
            cat, _ = verb_category(child, "nsubjpass" if child.tag_ == "VBN" else "nsubj")
            if cat in ("killed", "injured"):
                return cat
    return None


INCLUDE_VERBS = frozenset({"include", "comprise"})


def _breakdown(fig: Figure) -> tuple[str, Token] | None:
    """A figure that breaks a toll down by who the people were, with the noun that says who:
    "among those killed, 10 were civilians and four were police officers", "the dead included
    six civilians and four police", "killed 18 people, comprising 10 soldiers and eight
    civilians", "one of those killed was a soldier"."""
    node = fig.anchor
    if node.dep_ == "nsubj" and node.head.lemma_.lower() == "be":
        verb = node.head
        status = next((c for c in verb.children if c.dep_ == "attr"), None)
        groups = [fig.noun] if fig.noun is not None and fig.noun.head.lower_ == "of" else []
        for be in [verb, *([verb.head] if verb.dep_ == "conj" else [])]:
            groups += [g for c in be.children if c.dep_ == "prep" and c.lower_ == "among"
                       for g in c.children if g.dep_ == "pobj"]
        cat = next((c for c in map(_group_category, groups) if c), None)
        return (cat, status) if cat and status is not None else None
    while node.dep_ == "conj" and node.head.pos_ in ("NOUN", "PROPN"):
        node = node.head
    gov = node.head
    if node.dep_ != "dobj" or gov.lemma_.lower() not in INCLUDE_VERBS or fig.noun is None:
        return None
    subj = next((c for c in gov.children if c.dep_ == "nsubj"), None)
    if subj is not None:
        cat = _group_category(subj)
    elif gov.dep_ in ("advcl", "acl") and gov.head.pos_ == "VERB":
        toll = next((c for c in gov.head.children if c.dep_ == "dobj"), None)
        cat = verb_category(gov.head, "dobj")[0] if toll is not None else None
    else:
        cat = None
    return (cat, fig.noun) if cat else None


def _participle(anchor: Token) -> str | None:
    """'the remains of 21 people killed in a battle', 'among six people shot and killed', 'a
    boy suffering from a gunshot wound': the participle after the figure tells."""
    for child in anchor.children:
        if child.dep_ == "acl" and child.lemma_.lower() in SUFFER_VERBS and suffers_injury(
                child):
            return "injured"
        if child.dep_ == "acl" and child.tag_ == "VBN" and not any(
                c.dep_ in ("dobj", "nsubj", "attr") or c.like_num for c in child.children):
            # (not "1000 raiders - killed 8": a participle with its own object is what they
            # did)
            cat, _ = verb_category(child, "nsubjpass")
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
    told = _told_by_noun(noun)
    if told:
        return told, False, False
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
                    verb_category(word.head, word.dep_)[0] == "killed"):
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
    # a headline's participle after a number: "Three traders killed by gunmen in Kano" (not "a
    # man killed in custody", which a protest may be about)
    numbered = any(c.dep_ == "nummod" for c in anchor.children) or anchor.like_num
    # ... also hung on an apposition that details the figure: "30 people, mostly women and
    # children killed by armed men"
    described = [g for c in anchor.children if c.dep_ == "appos" and not _one_person(c)
                 for n in (c, *c.conjuncts) for g in n.children] if (
        # a headline's figure, or one whose verb tells nothing ("saw 45 people, mostly women
        # and children killed"); not "seven were killed, most of them workers, and 33 injured"
        anchor.dep_ == "ROOT" or verb_category(anchor.head, anchor.dep_)[0] is None) else []
    of_death = anchor.dep_ == "pobj" and anchor.head.lower_ == "of" and (
        anchor.head.head.lemma_.lower() in OUTCOME_NOUNS)  # "the murder of 14 civilians
    # initially kidnapped": the noun tells, not the participle
    for child in [*anchor.children, *described] if numbered and not of_death else []:
        if (child.dep_ == "acl" and child.tag_ == "VBN" and child.lower_ in SURFACE_WORDS
                and not any(c.dep_ in ("dobj", "nsubj", "attr") or c.like_num
                            for c in child.children)):  # not "1000 raiders - killed 8"
            return SURFACE_WORDS[child.lower_], False, False
    # "the woman who died", "a man who was shot dead": the relative clause tells, also when
    # hung on the list's last item ("two adults and four children who died")
    listed = [g for c in anchor.children if c.dep_ == "conj" for g in c.children]
    for child in [*anchor.children, *listed]:
        if child.dep_ == "relcl":
            rel = next((c.dep_ for c in child.children if c.lower_ in ("who", "that", "whom")),
                       None)
            if rel in ("nsubj", "nsubjpass"):
                cat, upd = verb_category(child, rel)
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
        own = surface_category(fig)  # "killed 20 people and another 29 were injured"
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
        own = surface_category(fig)  # "were killed and 7 others injured": its own verb
        if own:
            return own, False, False
        rel = "dobj"  # "killing the minister, six others and ...": a list item parsed off its verb
    if rel == "pobj" and gov.lower_ in ("including", "among", "excluding") and gov.head.pos_ in (
            "VERB", "AUX"):
        cat, upd = verb_category(gov.head, "dobj")
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
            if prep.lower_ == "of" and outer.lemma_.lower() in OUTCOME_NOUNS and background(
                    outer) and outer.lemma_.lower() not in ("killer", "murderer"):
                return None, False, False
            if prep.lower_ == "of" and outer.lemma_.lower() in OUTCOME_NOUNS:
                return OUTCOME_NOUNS[outer.lemma_.lower()], False, False
            if prep.lower_ == "of" and outer.lemma_.lower() in ("shooting", "stabbing") and (
                    fatal_noun(outer)) and not background(outer):
                return "killed", False, False  # "the fatal shooting of his girlfriend"
            if prep.lower_ == "of" and outer.lemma_.lower() == "life" and (
                    outer.head.lemma_.lower() in LIFE_VERBS or (
                        outer.dep_ == "nsubjpass" and outer.head.lemma_.lower() == "lose")):
                return "killed", False, False  # "claimed the lives of eight people", "the
                # lives of five people were lost"
            toll = toll_category(outer)
            if toll and prep.lower_ == "of":
                return toll, False, False
            if prep.lower_ == "of" and outer.lemma_.lower() == "total" and outer.head.pos_ in (
                    "VERB", "AUX"):  # "killing a total of four civilians"
                cat, _ = verb_category(outer.head, outer.dep_)
                return cat, True, False
            if prep.lower_ == "of" and outer.lemma_.lower() in ("family", "household"):
                # "slaughtered a family of seven": the family's fate is the figure's
                if outer.dep_ in ("dobj", "nsubjpass", "nsubj"):
                    return verb_category(outer.head, outer.dep_)[0], False, False
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
                cat, _ = verb_category(verb, subjects[0].dep_)
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
                cat = toll_category(subj)
                if cat:
                    return cat, verb.lemma_.lower() in UPDATE_VERBS | RAISE_VERBS, False
        if prep.lower_ == "of" and prep.head.lemma_.lower() == "life":
            return "killed", False, False
        return None, False, False
    if rel in ("attr", "dobj") and gov.lemma_.lower() in TOLL_VERBS:
        for subj in (c for c in gov.children if c.dep_ in ("nsubj", "nsubjpass")):
            cat = toll_category(subj)
            if cat:
                later = _sentence_says_later(gov)
                return cat, gov.lemma_.lower() in UPDATE_VERBS or later, False
    if rel == "dep" and gov.pos_ == "VERB" and any(
            c.dep_ in ("nsubj", "nsubjpass") and c.i > anchor.i and (
                (obj := of_object(c)) is not None and obj.lower_ in ("them", "whom"))
            for c in gov.children):
        # "Six children - three of them from one family - were killed": the parse made the
        # aside the subject; the figure before it is the verb's
        rel = next(c.dep_ for c in gov.children if c.dep_ in ("nsubj", "nsubjpass"))
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
        if rel == "nsubj" and gov.pos_ == "ADJ" and gov.lower_ in ("dead", "injured", "wounded"):
            return CASUALTY_WORDS[gov.lower_], False, False  # "shooting nine of them dead"
        cat, upd = verb_category(gov, rel)
        if cat:
            return cat, upd, subset
        if rel in ("nsubj", "nsubjpass"):
            # "a man stepped on a landmine and died", "were identified, taken away and
            # executed": the verb it shares
            for cat, upd in _shared_verbs(gov, rel):
                if cat in ("killed", "injured"):
                    return cat, upd, subset
        if rel == "nsubj" and gov.dep_ == "advcl" and gov.tag_ == "VBG" and gov.i > anchor.i and (
                not any(c.dep_ == "dobj" for c in gov.head.children)):
            # "killed eight people trying to cross the border": the participle parsed as
            # the clause the figure is the subject of
            cat, upd = verb_category(gov.head, "dobj")
            if cat:
                return cat, upd, subset
    return _participle(anchor), False, False


def _described_in_gathering(noun: Token) -> bool:
    """A person described as killed ("Daniel Prude, a Black man killed by police", "Breonna
    Taylor, who was killed in a raid") in a sentence whose main verb is a gathering: who the
    gathering is for, however the parse hung the description."""
    if noun.dep_ == "nummod":  # "the 11 women killed by a serial killer"
        noun = noun.head
    root = noun.sent.root
    gathering = root.lemma_.lower() in GATHERING_WORDS or any(
        c.dep_ == "dobj" and c.lemma_.lower() in GATHERING_WORDS for c in root.children)
    if not gathering or root.i == noun.i:
        return False
    return any(c.dep_ in ("acl", "relcl") and c.tag_ in ("VBN", "VBD")
               and verb_category(c, "nsubjpass")[0] == "killed" for c in noun.children)


def _one_person(noun: Token) -> bool:
    """"a Black man killed by police" describes one person, not the figure it is hung on
    ("over 100 demonstrators ..., a Black man killed by police", misparsed)."""
    return noun.tag_ == "NN" and any(c.dep_ == "det" and c.lower_ in ("a", "an")
                                     for c in noun.children)


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


def _cumulative(sent: SpacySpan) -> bool:
    """A tally over a period or a country ("nationwide, 4,210 were injured"), not "nationwide
    protests": the word as an adjective of a noun names no tally."""
    for m in CUMULATIVE.finditer(sent.text):
        if m.group(0).lower() != "nationwide":
            return True
        span = sent.char_span(m.start(), m.end())
        if span is None or span[0].dep_ not in ("amod", "compound"):
            return True
    return False


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
        cumulative = _cumulative(sent)
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
            told_as = None
            if category is None:
                category = surface_category(fig)
            if category is None:
                told_as = _breakdown(fig)
                if told_as is not None:  # "among those killed, 10 were civilians": a part
                    # of a toll told before; with none, the parts are all the report tells
                    category = told_as[0]
                    subset = any(m.category == category for m in found[:count_before])
                    fig = Figure(fig.tokens, fig.count, fig.anchor, told_as[1])
            if category is None and is_harmed(fig):
                category = HARMED
            if category is None or cumulative or _negated(fig):
                continue
            if category == "killed" and found_body(fig.anchor) and any(
                    c.dep_ == "poss" for c in fig.anchor.children) and any(
                    m.category == "killed" and lone_person(m.count) for m in found):
                continue  # "Susan was killed and her body was discovered": one death
            if told_as is None and fig.anchor.dep_ == "dobj" and (
                    fig.anchor.head.lemma_.lower() == "include"):
                subset = True  # "the dead included five residents": a part of the toll
            if fig.anchor.dep_ == "conj" and any(
                    c.dep_ == "cc" and c.lower_ == "or" for c in fig.anchor.head.children):
                subset = True  # "seven people (police) or fifteen (witnesses)": an alternative
            if (_part_of_them(fig) or _among(fig)) and category in told_here:
                subset = True  # "5 were injured, 2 of them critically"; not "7 were shot, one
                # of them was killed"
            update = update or is_total(document.text, fig.tokens[0].idx) or (
                category == "killed" and toll_update)
            seen.update(t.i for t in fig.tokens)
            count = fig.count
            if more and count.qualifier == "exact":
                count.qualifier, count.high = "at_least", None
            count.civilians = civilians_of(fig, count)
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
            if category in ("arrested", "abducted") and not subset and _then_killed(fig.anchor):
                # "five villagers were arrested and later found dead": taken, then killed
                told_here.add("killed")
                found.append(CountMention(
                    start=start, end=end, text=document.text[start:end], category="killed",
                    count=Count(count.best, count.low, count.high, count.qualifier,
                                count.civilians, count.text),
                    sent=si, source=source, source_span=source_span, confidence=confidence))
        found.extend(self_deaths(sent, si) if not cumulative else [])
        found.extend(pistol_whipped(sent, si) if not cumulative else [])
        found.extend(killed_them(sent, si, found) if not cumulative else [])
        found.extend(bodies_of_taken(sent, si, found) if not cumulative else [])
        found.extend(taken_then_killed(sent, si, found) if not cumulative else [])
        found.extend(stated_fatalities(sent, si) if "killed" not in told_here else [])
        # Deaths reported with no number: "killing students and civilians".
        if cumulative or "killed" in told_here or any(
                m.category == "killed" for m in found[count_before:]):
            continue
        unknown = unknown_deaths(sent)
        if unknown is not None:
            tok, text = unknown
            found.append(CountMention(
                start=tok.idx, end=tok.idx + len(tok.text), text=text, category="killed",
                count=Count(best=None, low=None, high=None, qualifier="unknown", text=text),
                sent=si, confidence=0.5))
    found.sort(key=lambda m: m.start)
    return found


def _then_killed(anchor: Token) -> bool:
    """Whether the people a figure says were taken are also told killed by a verb their
    clause shares: "were arrested by soldiers and later found dead", "abducted and executed"."""
    if anchor.dep_ not in ("nsubjpass", "dobj"):
        return False
    return any(cat == "killed" for cat, _ in _shared_verbs(anchor.head, anchor.dep_))


def _shared_verbs(verb: Token, rel: str) -> list[tuple[str | None, bool]]:
    """What the verbs joined to ``verb`` with no subject of their own say of the figure that
    is its ``rel``: "stepped on a landmine and died", "were arrested and later found dead"."""
    out: list[tuple[str | None, bool]] = []
    for conj in (c for c in verb.children if c.dep_ == "conj" and c.pos_ == "VERB"
                 and not any(d.dep_.startswith("nsubj") for d in c.children)):
        if conj.lemma_.lower() == "find" and any(d.lower_ == "dead" for d in conj.children):
            out.append(("killed", False))
            continue
        passive = rel == "nsubjpass" or any(d.dep_ == "auxpass" for d in conj.children)
        out.append(verb_category(conj, "dobj" if rel == "dobj" else
                                 "nsubjpass" if passive else "nsubj"))
    return out


# Who gathers, beside detection's gathering verbs and nouns.
GATHERING_PEOPLE = frozenset({"protester", "demonstrator", "marcher", "assemble", "mourner"})


def _what_a_protest_is_about(document: Document, m: CountMention) -> bool:
    """A death a protest is about ("rallied against the deaths of X and Y") is no casualty of
    the report's events."""
    if m.category != "killed":
        return False
    span = document.doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None:
        return False
    if cause_of_gathering(span.root) or _described_in_gathering(span.root):
        return True
    # A death named as a noun ("the death of X", "the fatal shooting of X") in a sentence
    # that tells of a gathering is what the gathering is about, however the parse attached it
    # ("marched ..., mobilized by the death of X"); a killing told with a verb ("a protester
    # was shot dead") is not caught here.
    root = span.root
    of = root.head if root.dep_ == "pobj" and root.head.lower_ == "of" else None
    outcome = of.head if of is not None else None
    if outcome is None or (outcome.lemma_.lower() not in OUTCOME_NOUNS
                           and outcome.lemma_.lower() not in ("shooting", "stabbing")):
        return False
    return any(t.lemma_.lower() in GATHERING_WORDS or t.lemma_.lower() in GATHERING_PEOPLE
               for t in root.sent)


@stage("counts", assigns=("counts",))
def counts(document: Document) -> None:
    """Find casualty and arrest figures over the whole report.

    People said only to be shot or stabbed are kept apart (``extras["harmed_counts"]``): they
    are the injured when the report gives no figure of injured of its own.
    """
    found = [m for m in _find_all(document) if not _what_a_protest_is_about(document, m)]
    document.counts = [m for m in found if m.category != HARMED]
    document.extras["harmed_counts"] = [m for m in found if m.category == HARMED]
