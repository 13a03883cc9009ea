"""Figures read off the words where the parse does not tell: the casualty word right after a
number ("and over 60 injured"), totals, attackers' own deaths ("then killed himself"), people
pistol-whipped, and "killing them" after people told hurt. ``counts`` calls these per sentence.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sitrep.document import CountMention
from sitrep.pipeline.figures import (
    HARM_VERBS,
    HARMED,
    NON_CASUALTY_NOUNS,
    SELF_CONFIDENCE,
    TRANSITIVE_VERBS,
    VAGUE,
    Figure,
    is_number_token,
    phrase_head,
)
from sitrep.pipeline.people import doc_text, fatal
from sitrep.records import Count

if TYPE_CHECKING:
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token


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


def surface_category(fig: Figure) -> str | None:
    """The category from the words right after the figure, for elliptic clauses."""
    if fig.noun is not None and fig.noun.lemma_.lower() in NON_CASUALTY_NOUNS:
        return None
    if fig.anchor.lemma_.lower() in NON_CASUALTY_NOUNS:
        return None
    first, last = fig.tokens[0], fig.tokens[-1]
    if not (is_number_token(last) or first.lower_ in VAGUE or first.lower_ == "another"):
        return None  # a lone noun: the subject of an active verb is no casualty
    head = phrase_head(fig.tokens)
    if head.head.lower_ == "of" or fig.anchor.head.lower_ == "of":
        return None  # "four of her eight children": the part counts, not the whole
    doc = last.doc
    offset = last.idx + len(last.text)
    tail = doc_text(doc)[offset: offset + 80]
    offset += len(tail) - len(tail.lstrip())
    if FATALLY.match(tail.lstrip()):
        return "killed"  # "shot four people, three fatally"
    before = doc_text(doc)[max(0, first.idx - 24): first.idx]
    if LIVES_AFTER.match(tail.lstrip()) and LIFE_TAKEN.search(before):
        return "killed"  # "claimed 7 civilians lives", however the parser read it
    m = AFTER_FIGURE.match(tail.lstrip())
    if m is None:
        return None
    word = doc.char_span(offset + m.start("w"), offset + m.end("w"), alignment_mode="expand")
    if word is not None and any(c.dep_ == "dobj" for t in word for c in t.children):
        return None  # "5 gunmen killed 3 people": the figure is the killers
    return SURFACE_WORDS.get(m.group("w").lower())


def is_total(text: str, start: int) -> bool:
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


def self_deaths(sent: SpacySpan, si: int) -> list[CountMention]:
    """A perpetrator who dies by their own hand, or is killed, counts too (ACLED, GTD): one."""
    out = []
    if SURVIVED.search(sent.text):
        return _shot_self(sent, si)
    for m in SELF_DEATH.finditer(sent.text):
        if NOT_FATAL.match(sent.text[m.end():]):
            out.extend(h for h in _shot_self(sent, si) if h.start == sent.start_char + m.start())
            continue  # "shot himself in the leg": hurt, not dead
        start = sent.start_char + m.start()
        if m.group(0).lower().startswith("before") and plural_subject(sent, start):
            continue  # "two gunmen ... before being killed": how many is not said
        said = m.group(0)
        if m.group("own"):  # "killed five relatives and then himself": only the last words
            start, said = sent.start_char + m.start("own"), m.group("own")
        out.append(CountMention(
            start=start, end=start + len(said), text=said, category="killed",
            count=Count(best=1, low=1, high=1, qualifier="exact", text=said), sent=si,
            confidence=SELF_CONFIDENCE))
    return out


SHOT_SELF = re.compile(r"\bsh(?:ot|oots|ooting)\s+(?:him|her)self\b(?!\s+(?:dead|fatally))",
                       re.I)


def _one_harmed(pattern: re.Pattern[str], sent: SpacySpan, si: int) -> list[CountMention]:
    """One person harmed at each match of ``pattern`` in the sentence."""
    out = []
    for m in pattern.finditer(sent.text):
        start = sent.start_char + m.start()
        out.append(CountMention(
            start=start, end=start + len(m.group(0)), text=m.group(0), category=HARMED,
            count=Count(best=1, low=1, high=1, qualifier="exact", text=m.group(0)), sent=si,
            confidence=0.9))
    return out


def _shot_self(sent: SpacySpan, si: int) -> list[CountMention]:
    """'accidentally shot himself in the leg': one person hurt by their own gun, who lived."""
    return _one_harmed(SHOT_SELF, sent, si)


# "pistol-whipped a store clerk": the parser reads the compound verb as an adjective.
PISTOL_WHIPPED = re.compile(r"\bpistol[- ]?whip(?:ped|s|ping)?\s+(?:a|an|the|his|her|their)\s+"
                            r"(?:[\w'-]+\s+){0,2}?[\w-]*[^s\W]\b", re.I)


def pistol_whipped(sent: SpacySpan, si: int) -> list[CountMention]:
    """One person struck with a gun is one person harmed (injured unless told dead)."""
    return _one_harmed(PISTOL_WHIPPED, sent, si)


def plural_subject(sent: SpacySpan, char: int) -> bool:
    span = sent.doc.char_span(char, char + 1, alignment_mode="expand")
    if span is None:
        return True
    for node in span[0].ancestors:
        subj = [c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subj:
            return subj[0].tag_ in ("NNS", "NNPS") or subj[0].lower_ in ("they", "we")
    return False


def unknown_deaths(sent: SpacySpan) -> tuple[Token, str] | None:
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


def last_harmed(found: list[CountMention], before: int, first_sent: int
                 ) -> CountMention | None:
    """The last figure of people harmed before a point, from ``first_sent`` on; read from the
    end of ``found`` (in sentence order), so the scan stops at the sentences it needs."""
    for m in reversed(found):
        if m.sent < first_sent:
            return None
        if m.category == HARMED and m.start < before:
            return m
    return None


# People taken away before they were killed: "arrested fifteen villagers and executed them",
# "abducted two civilians. Their bodies were later found".
TAKEN = frozenset({"arrested", "abducted", "missing"})


def killed_as(tok: Token, si: int, told: CountMention, confidence: float) -> CountMention:
    """The people of an earlier figure, told killed by a word of their own ("them")."""
    c = told.count
    return CountMention(start=tok.idx, end=tok.idx + len(tok.text), text=tok.text,
                        category="killed", count=Count(c.best, c.low, c.high, c.qualifier,
                                                       c.civilians, c.text),
                        sent=si, confidence=confidence)


def last_taken(found: list[CountMention], before: int, first_sent: int) -> CountMention | None:
    """The last figure of people arrested, abducted or missing before a point, from
    ``first_sent`` on, when nothing was told killed in between."""
    for m in reversed(found):
        if m.sent < first_sent or m.category == "killed":
            return None
        if m.category in TAKEN and m.start < before and m.count.best:
            return m
    return None


def bodies_of_taken(sent: SpacySpan, si: int, found: list[CountMention]) -> list[CountMention]:
    """"Their bodies were found": the people just told taken away are the dead."""
    for tok in sent:
        if (tok.lemma_.lower() in ("body", "corpse") and tok.tag_ == "NNS"
                and any(c.dep_ == "poss" and c.lower_ == "their" for c in tok.children)):
            last = last_taken(found, tok.idx, si - 1)
            if last is not None:
                return [killed_as(tok, si, last, 0.8)]
    return []


def taken_then_killed(sent: SpacySpan, si: int, found: list[CountMention]
                      ) -> list[CountMention]:
    """"Arrested five men ... the individuals were summarily executed", "They were killed":
    the people just told taken away, killed with no figure of their own."""
    for tok in sent:
        if tok.dep_ != "nsubjpass" or any(c.dep_ == "nummod" or c.like_num
                                          for c in tok.children):
            continue
        definite = tok.lower_ == "they" or (tok.tag_ == "NNS" and any(
            c.lower_ in ("the", "these", "those") for c in tok.children))
        verb = tok.head
        lemma = verb.lemma_.lower()
        if not definite or not (TRANSITIVE_VERBS.get(lemma) == "killed"
                                or (lemma in HARM_VERBS and fatal(verb))):
            continue
        last = last_taken(found, tok.idx, si - 1)
        if last is not None:
            return [killed_as(tok, si, last, 0.8)]
    return []


# A figure stated as a field: "FATALITIES: 15" in a structured report, "fatalities coded as 3".
STATED = re.compile(r"\b(?:fatalities|deaths|killed)\s*(?::|=|(?:were\s+|was\s+)?coded\s+as)"
                    r"\s*(?P<n>\d{1,5})\b", re.I)


def stated_fatalities(sent: SpacySpan, si: int) -> list[CountMention]:
    """Deaths a report states as a labelled figure: the figure the report settles on."""
    match = STATED.search(sent.text)
    if match is None:
        return []
    start = sent.start_char + match.start("n")
    n = int(match["n"])
    return [CountMention(start=start, end=start + len(match["n"]), text=match["n"],
                         category="killed", count=Count(n, n, n, "exact", None, match["n"]),
                         sent=si, update=True, confidence=0.9)]


def killed_them(sent: SpacySpan, si: int, found: list[CountMention]) -> list[CountMention]:
    """'shot all three people in the head, killing them', 'shooting them both dead': the people
    just said to be hurt are the dead."""
    out: list[CountMention] = []
    for tok in sent:
        if tok.lower_ != "them" or tok.dep_ != "dobj":
            continue
        verb = tok.head
        lemma = verb.lemma_.lower()
        if TRANSITIVE_VERBS.get(lemma) != "killed" and not (lemma in HARM_VERBS and (
                fatal(verb) or any(c.lower_ == "dead" for c in tok.children))):
            continue
        last = last_harmed(found, tok.idx, si - 1) or last_taken(found, tok.idx, si - 1)
        if last is not None:
            out.append(killed_as(tok, si, last, 0.9))
    return out


LIFE_TAKEN = re.compile(r"\b(?:claim(?:s|ed|ing)?|t(?:ook|aken|aking|akes)|cost(?:s|ing)?)\s+"
                        r"(?:the\s+)?(?:lives\s+of\s+)?$", re.I)


LIVES_AFTER = re.compile(r"(?:[\w-]+(?:'s|')?\s+){0,2}lives\b", re.I)
