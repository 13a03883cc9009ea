"""Stages ``places`` (geoparsing the report) and ``event_location`` (where each event happened).

``places`` finds toponyms (the model's GPE/LOC/FAC entities, plus capitalised gazetteer names the
model missed and descriptions such as "the Ukrainian capital"), resolves each to a gazetteer
entry using the report's focus country and the other places near it, and marks a place that
stands for its government ("Moscow said") as metonymy, so that no event is put there.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from sitrep.document import Document, EventDraft, PlaceMention
from sitrep.gazetteer import (
    ADMIN1,
    ADMIN2,
    CAPITAL,
    CONTINENT,
    COUNTRY,
    PRIMARY,
    REGION,
    RIVER,
    TOWN,
    TYPE_WORDS,
    WATERS,
    Entry,
    Gazetteer,
    capital_of,
    feature_level,
    get_gazetteer,
    name_key,
    strip_type_words,
    us_state_abbreviations,
)
from sitrep.geo import TRANSLIT_MATCH, TYPO_FACTOR, candidates, entry_place, haversine, prior
from sitrep.pipeline.actors import is_group_name
from sitrep.pipeline.kinds import KINDS
from sitrep.pipeline.registry import stage
from sitrep.records import Location

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

ENTITY_LABELS = frozenset({"GPE", "LOC", "FAC"})
# Verbs whose subject is a place acting as an agent, not a location, are most verbs; these are
# the ones a place can be the subject of and stay a location ("Kharkiv lies", "the town saw").
LOCATIVE_SUBJECT_VERBS = frozenset({
    "be", "lie", "sit", "border", "remain", "see", "experience", "suffer", "host", "have",
    "receive", "get", "become", "lose", "come", "fall", "stand", "shake", "burn", "face",
    "locate", "situate", "witness", "endure", "record", "go",
})
AGENT_NOUNS = frozenset({
    "official", "authority", "government", "leader", "diplomat", "minister", "ministry",
    "spokesman", "spokeswoman", "spokesperson", "regime", "administration", "envoy",
    "president", "prime", "leadership", "military", "commander", "embassy", "delegation",
})
POSSESSED_AGENT = frozenset({
    "proposal", "plan", "decision", "position", "policy", "government", "military", "army",
    "leader", "president", "foreign", "claim", "demand", "offer", "response", "stance",
    "ambassador", "minister", "envoy", "war", "invasion", "aggression", "offensive",
})
NOT_PLACES = frozenset({"west", "east", "north", "south", "the west", "the east", "earth",
                        "world", "the world", "central", "northeast", "northwest", "southeast",
                        "southwest", "metro", "downtown", "uptown", "heaven", "god"})
LOCATIVE_PREPS = frozenset({"in", "at", "near", "from", "into", "outside", "around", "across",
                            "throughout", "within", "towards", "toward", "on", "to", "of",
                            "through", "over", "along", "between", "inside", "off"})
DEMONYM_SUFFIXES = ("ians", "ian", "ean", "ans", "an", "ese", "ish", "is", "i", "ic", "n")
_DIRECTION = r"(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?"
RELATIVE = re.compile(
    r"(?:\b(?P<rel>near|nearby|outside|around|close to|next to|"
    r"(?:on\s+)?the\s+(?:outskirts|suburbs|edge)\s+of|outskirts\s+of|suburbs?\s+of|"
    r"(?:\d[\d,.]*|some|about|around|roughly|nearly|almost)?\s*-?\s*"
    r"(?:km|kms|kilometres?|kilometers?|miles?)\s+(?:\(\s*\d+\s*\w+\s*\)\s+)?"
    rf"(?:{_DIRECTION}\s+)?(?:of|from)|"
    rf"{_DIRECTION}\s+of|{_DIRECTION}\s+part\s+of|"
    r"(?:in|on)\s+the\s+" + _DIRECTION + r"\s+(?:part\s+of\s+)?)\s+(?:the\s+)?)$",
    re.IGNORECASE)
# A news dateline: the place in capitals that opens a story, before the dash ("MANSFIELD --",
# "COLUMBUS, Ohio (AP) —", "ISLAMABAD, Pakistan —").
DATELINE = re.compile(
    r"(?:^|(?<=[.!?\n])\s*)(?P<name>[A-Z][A-Z'’.]+(?:[ -][A-Z][A-Z'’.]+){0,3})"
    r"(?=(?:,\s*[A-Z][\w.]*(?:\s[A-Z][\w.]*)?)?\s*(?:\([A-Z][\w ]*\)\s*)?(?:—|–|--?-?)\s*)")
DESCRIPTIVE_CAPITAL = re.compile(r"\b(?:the\s+)?([A-Z][a-z]+)\s+capital\b")


@dataclass
class Toponym:
    """A recognised mention before resolution."""

    start: int
    end: int
    text: str
    lookup: str  # the name to look up, type words stripped
    kind: str | None  # ADMIN1/ADMIN2/TOWN when the text says so
    sent: int
    root: int  # token index of the mention's head
    entity: bool
    fixed: Entry | None = None  # resolved by description ("the Ukrainian capital")
    cands: list[tuple[Entry, float]] = field(default_factory=list)
    best: Entry | None = None
    score: float = 0.0
    # Evidence, not a mention: a state or country inside an institution's name ("the Georgia
    # Bureau of Investigation") tells where the report is but is no place of its own.
    vote_only: bool = False
    # Found inside a longer name the gazetteer lacks ("Hyde" of "Hyde Park", "Yale" of "Yale
    # University"): kept only where it fits the report (see ``_stray_part``).
    partial: bool = False


# -- recognition ----------------------------------------------------------------------------------
@lru_cache(maxsize=4096)
def demonym_country(word: str) -> str | None:
    """'Ukrainian' -> 'UA', 'American' -> 'US'; None when ``word`` is not a country adjective.

    The stem must be nearly the whole of a country's name ("Canad-ian", "Chin-ese"): a loose
    prefix match turns "Republican" into a republic and "American" into American Samoa.
    """
    from sitrep.pipeline.actors import load_lexicon

    # The actors' table first: it holds the adjectives no suffix rule reaches ("Saudi",
    # "Afghan", "French"); None there marks a word that names no country ("Kurdish").
    key = name_key(word)
    countries = _country_keys()
    if key in countries:
        return None  # "U.S.", "UK": the country itself, which the table also lists
    known = load_lexicon().demonyms
    if word.lower() in known:
        return known[word.lower()]
    if len(key) < 4:
        return None
    for suffix in DEMONYM_SUFFIXES:
        if key.endswith(suffix) and len(key) - len(suffix) >= 4:
            stem = key[: -len(suffix)]
            hits = {cc for ck, cc in countries.items()
                    if ck.startswith(stem) and len(ck) - len(stem) <= 3}
            if len(hits) == 1:
                return hits.pop()
    return None


@lru_cache(maxsize=1)
def _country_keys() -> dict[str, str]:
    """Every name the gazetteer gives a country (its own and common English ones)."""
    gaz = get_gazetteer()
    with gaz._lock:
        rows = gaz.conn.execute(
            "SELECT n.key, p.country_code FROM names n JOIN places p ON p.id = n.pid "
            "WHERE p.feature_code = ? AND n.q = 0", (COUNTRY,)).fetchall()
    return {key: cc for key, cc in rows if cc}


def _recognise(document: Document, gaz: Gazetteer) -> list[Toponym]:
    doc = document.doc
    found: list[Toponym] = []
    evidence: list[Toponym] = []
    taken: set[int] = set()
    for ent in doc.ents:
        if ent.label_ == "NORP":
            # CLI.md: toponyms, not demonyms. "Ukrainian" names a country's people, and the
            # actors stage reads it from the parse; it is never a place mention.
            continue
        if ent.label_ == "ORG":
            org = _org_place(document, gaz, ent)
            found += org
            if not org:
                evidence += _org_region(document, gaz, ent)
            continue
        if ent.label_ not in ENTITY_LABELS or ent.start in taken:
            continue  # (taken: the tail of a name completed below, "Congo" after "...of the")
        taken.update(range(ent.start, ent.end))
        text = ent.text
        if ent[0].lower_ == "the":
            ent = ent[1:]
            if not len(ent):
                continue
            text = ent.text
        if ent[-1].lower_ in OPEN_ENDS or (
                ent.end < len(doc) and doc[ent.end].lower_ in NAME_JOINS):
            ent = _completed(gaz, ent)
            if not len(ent):
                continue
            taken.update(range(ent.start, ent.end))
            text = ent.text
        if ent[-1].tag_ == "POS" or ent[-1].text in ("'s", "’s"):
            ent = ent[:-1]
            if not len(ent):
                continue
            text = ent.text
        if text.casefold() in NOT_PLACES or not any(c.isalpha() for c in text):
            continue
        if len(ent) == 1 and demonym_country(text):
            continue  # "Ukrainian": a demonym, never a place
        lookup, kind = strip_type_words(text)
        start, end = ent.start_char, ent.end_char
        if ent.end < len(doc) and doc[ent.end].lower_ in _TYPE_TOKENS:
            kind = kind or _TYPE_TOKENS[doc[ent.end].lower_]
            longer = doc[ent.start:ent.end + 1].text
            if doc[ent.end].is_title and gaz.lookup(longer):
                # "Walker" + "County": the county is the name, not the town of Walker.
                text, end = longer, doc[ent.end].idx + len(doc[ent.end].text)
                taken.add(ent.end)
        abbr = us_state_abbreviations().get(text) if "." in text else None
        found.append(Toponym(start, end, text, lookup, kind, document.sent_index(start),
                             ent.root.i, True, fixed=gaz.admin1(abbr) if abbr else None))
    found += _missed_names(document, gaz, taken)
    found += _named_like_people(document, gaz, found)
    found += _datelines(document, gaz, found)
    found += _county_lists(document, gaz, found)
    found += _residents(document, gaz, found)
    found += _repeated_names(document, gaz, found)
    found += _descriptions(document, gaz)
    found += _rivers(document, gaz, found)
    found = _state_abbreviations(document, gaz, found)
    # Evidence last, so that it never hides a mention the other passes find in the same words.
    found += [t for t in evidence if not any(f.start < t.end and t.start < f.end for f in found)]
    # An armed group named like a town abroad ("Hamas", "Wagner", "the SDF") is no place.
    found = [t for t in found if t.fixed is not None or not is_group_name(t.text)]
    found.sort(key=lambda t: t.start)
    return found


# Words a name does not end on: the model cut "Trinidad and Tobago" or "the Democratic
# Republic of the Congo" short.
OPEN_ENDS = frozenset({"and", "of", "the", "de", "&"})
# What may join a name's words, where the model often stops: "Trinidad and Tobago", "Deir
# ez-Zor", "Ras al-Ain", "Stratford-upon-Avon".
NAME_JOINS = OPEN_ENDS | frozenset({
    "-", "al", "el", "ez", "es", "ed", "ad", "ar", "as", "ash", "at", "az", "an", "en", "er",
    "bin", "ibn", "abu", "umm", "la", "le", "di", "da", "del", "dos", "upon", "on", "sur"})


def _completed(gaz: Gazetteer, ent: Span) -> Span:
    """The name a cut-short entity opens ("Trinidad" + "and Tobago"), when the gazetteer holds
    the whole name as a place's own; else the entity without its dangling words."""
    doc = ent.doc
    head = ent
    while len(head) and head[-1].lower_ in OPEN_ENDS:
        head = head[:-1]
    if len(head) < len(ent) and all(t.lower_ in TYPE_WORDS or t.lower_ == "the" for t in head):
        return head[:0]  # "the City of": the description pass reads "the City of Richmond"
    for end in range(ent.end + 1, min(ent.end + 5, len(doc) + 1)):
        last = doc[end - 1]
        if last.lower_ in NAME_JOINS:
            continue
        if not (last.is_title or last.is_upper):
            break
        if any(m >= 1.0 for _, m in _candidates(gaz, doc[ent.start:end].text)):
            return doc[ent.start:end]
    return head


_TYPE_TOKENS = {"oblast": ADMIN1, "province": ADMIN1, "governorate": ADMIN1, "region": ADMIN1,
                "state": ADMIN1, "district": ADMIN2, "raion": ADMIN2, "county": ADMIN2,
                "river": RIVER}
# Words before a name that make it a river: "the east bank of the Dnipro", "crossed the Dnieper".
# (Only where the name has a river reading: "the West Bank of Jordan" keeps its country.)
_RIVER_CUE = r"\b(?:banks?\s+of(?:\s+the)?|across\s+the|cross(?:ed|es|ing)?\s+the)\s+"
RIVER_CUE = re.compile(_RIVER_CUE + "$", re.IGNORECASE)
# A river the text names as one: after a cue ("the banks of the Euphrates", "crossed the
# Dnipro") or before the word ("the Siverskyi Donets river", "the Dnipro River").
_RIVER_NAME = r"[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,2}"
RIVER_NAMED = re.compile(
    rf"{_RIVER_CUE}(?P<cued>{_RIVER_NAME})|"
    rf"\b(?:[Tt]he\s+)?(?P<named>{_RIVER_NAME})\s+(?P<river>[Rr]iver)\b")


def _river_readings(gaz: Gazetteer, name: str) -> list[Entry]:
    """The rivers ``name`` can be, bare or with "River" ("Jordan" is the river's "Jordan
    River")."""
    found = {e.id: e for n in (name, f"{name} River") for e, _ in candidates(gaz, n)
             if e.feature_code == RIVER}
    return list(found.values())


def _rivers(document: Document, gaz: Gazetteer, found: list[Toponym]) -> list[Toponym]:
    """Rivers named where the text says so ("the banks of the Euphrates", "the Siverskyi Donets
    river"): names found already are typed as rivers (their city or country owns the name),
    and those the small model tags as organisations or leaves out are added."""
    text = document.text
    for t in found:
        if t.kind is None and t.fixed is None and (
                RIVER_CUE.search(text[max(0, t.start - 30):t.start])
                or text[t.end:t.end + 6].lower().startswith(" river")) and _river_readings(
                gaz, t.lookup):
            t.kind = RIVER
    out: list[Toponym] = []
    for m in RIVER_NAMED.finditer(text):
        group = "cued" if m.group("cued") else "named"
        start, end = m.span(group)
        if m.group("river"):
            end = m.end("river")
        if any(t.start < end and start < t.end for t in (*found, *out)) or not _river_readings(
                gaz, m.group(group)):
            continue
        span = document.doc.char_span(start, end, alignment_mode="expand")
        out.append(Toponym(start, end, text[start:end], m.group(group), RIVER,
                           document.sent_index(start), span.root.i if span is not None else 0,
                           False))
    return out

LIST_JOINERS = frozenset({"and", "or", ","})


def _named_like_people(document: Document, gaz: Gazetteer, found: list[Toponym]
                       ) -> list[Toponym]:
    """A name of several words the model took for a person or group where the sentence wants a
    place ("struck Ras al-Ain and Tal Abyad", "fighting in Wadi Halfa"): a place when the
    gazetteer holds it (other romanisations included)."""
    doc = document.doc
    out: list[Toponym] = []
    for ent in doc.ents:
        if ent.label_ not in ("PERSON", "ORG"):
            continue
        if ent[-1].tag_ == "POS" or ent[-1].lower_ in ("'s", "’s"):
            ent = ent[:-1]  # "Butte’s": one word, which ``_missed_names`` reads
        if len(ent) < 2 or any(f.start < ent.end_char and ent.start_char < f.end for f in found):
            continue
        before = doc[ent.start - 1].lower_ if ent.start else ""
        struck = _place_verb_object(ent.root)
        if not (struck or before in LOCATIVE_PREPS):
            continue
        # Other romanisations only where the verb wants a place: after "over" or "to", a
        # person's name ("a win over Brad Smith") finds a skeleton match too easily.
        cands = [(e, m) for e, m in _candidates(gaz, ent.text, variants=struck)
                 if m >= (TRANSLIT_MATCH if struck else 0.9)]
        if cands:
            out.append(Toponym(ent.start_char, ent.end_char, ent.text, ent.text, None,
                               document.sent_index(ent.start_char), ent.root.i, True))
    return out


def _missed_names(document: Document, gaz: Gazetteer, taken: set[int]) -> list[Toponym]:
    """Capitalised names the model left out that the gazetteer knows as sizeable places."""
    doc = document.doc
    out: list[Toponym] = []
    listed: set[int] = set()  # the last token of each name found here
    i = 0
    n = len(doc)
    while i < n:
        tok = doc[i]
        if i in taken or tok.pos_ != "PROPN" or not tok.is_title or (
                tok.ent_type_ and not _lone_object(tok)):
            i += 1
            continue
        j = i
        while j < n and j - i < 3 and doc[j].pos_ == "PROPN" and doc[j].is_title and j not in taken:
            j += 1
        matched = False
        for end in range(j, i, -1):
            span = doc[i:end]
            lookup, kind = strip_type_words(span.text)
            if end < n and doc[end].lower_ in _TYPE_TOKENS:
                kind = _TYPE_TOKENS[doc[end].lower_]
                span = doc[i:end + 1]
            if demonym_country(lookup):
                continue
            hits = gaz.lookup(lookup)
            if not hits:
                continue
            # After a preposition of place, or listed with a place ("Kharkiv and Sumy").
            locative = i > 0 and doc[i - 1].lower_ in LOCATIVE_PREPS or (
                i > 1 and doc[i - 1].lower_ in LIST_JOINERS
                and (i - 2 in taken or i - 2 in listed)) or _place_verb_object(tok)
            big = max(hits, key=prior)
            if tok.ent_type_ and big.feature_code != COUNTRY and big.population < 500_000 and not (
                    locative and big.population >= 20_000):
                continue  # the model saw a person or group: only a sizeable town after "in" wins
            if tok.is_sent_start and end == i + 1 and kind is None and not locative and (
                    big.level >= 3 and big.population < 1_000_000):
                continue  # "Man accused of ...": a headline's capital, not Man in Ivory Coast
            if (big.feature_code in (COUNTRY, ADMIN1, CONTINENT) or kind is not None
                    or big.population >= 100_000 or (locative and big.population >= 5_000)):
                out.append(Toponym(span.start_char, span.end_char, span.text, lookup, kind,
                                   document.sent_index(span.start_char), span.root.i, False))
                listed.add(span.end - 1)
                i = span.end
                matched = True
                break
        if not matched:
            i += 1
    return out


def _county_lists(document: Document, gaz: Gazetteer, found: list[Toponym]) -> list[Toponym]:
    """'Harvey, Harper and Kingman counties': each name of the list is a county."""
    out: list[Toponym] = []
    for m in COUNTY_LIST.finditer(document.text):
        word = "Parish" if m.group("type").lower().startswith("parish") else "County"
        for part in _LIST_NAME.finditer(m.group("names")):
            start, end = m.start("names") + part.start(), m.start("names") + part.end()
            name = f"{part.group(0)} {word}"
            cands = [c for c in _candidates(gaz, name) if c[1] >= 1.0]
            if not cands:
                continue
            over = [t for t in found if t.start < end and start < t.end]
            for t in over:  # "Harvey" the model saw is Harvey County here
                if (t.start, t.end) == (start, end):
                    t.kind, t.cands = ADMIN2, cands
            if over:
                continue
            span = document.doc.char_span(start, end, alignment_mode="expand")
            out.append(Toponym(start, end, part.group(0), part.group(0), ADMIN2,
                               document.sent_index(start), span.root.i if span else 0, True,
                               cands=cands))
    return out


_NAME = r"[A-Z][a-z]+(?: [A-Z][a-z]+)?"
COUNTY_LIST = re.compile(
    rf"(?P<names>{_NAME}(?:,\s+{_NAME})*,?\s+(?:and|or)\s+{_NAME})"
    r"\s+(?P<type>counties|parishes)\b")
_LIST_NAME = re.compile(r"(?!and\b)[A-Z][a-z]+(?: [A-Z][a-z]+)?")


def _repeated_names(document: Document, gaz: Gazetteer, found: list[Toponym]
                    ) -> list[Toponym]:
    """One name, one sense per report: a place the report names as one is that place again
    where the model took it for an organisation or a person ("Gainesville" in
    "Gainesville's budget" after "in Gainesville")."""
    known: dict[str, list[list[str]]] = {}
    surnames = _surnames(document)
    for t in found:
        words = t.text.split()
        if (words and words[0][:1].isupper() and len(words) <= 4
                and t.text not in surnames and (t.fixed or _candidates(gaz, t.lookup))):
            known.setdefault(words[0], []).append(words)
    if not known:
        return []
    doc = document.doc
    covered = {i for t in found for i in range(t.start, t.end)}
    people = {i for ent in doc.ents if ent.label_ == "PERSON" and len(ent) >= 2
              for i in range(ent.start, ent.end)}
    out: list[Toponym] = []
    hits = [i for i, lex in enumerate(doc.to_array("ORTH")) if doc.vocab.strings[lex] in known]
    for i in hits:
        tok = doc[i]
        options = known[tok.text]
        if tok.idx in covered or tok.i in people or (
                tok.ent_iob_ == "I" and tok.ent_type_ not in ENTITY_LABELS):
            continue  # "United Russia" is a party
        for words in sorted(options, key=len, reverse=True):
            span = doc[tok.i:tok.i + len(words)]
            if [x.text for x in span] != words or not span.text.replace(" ", "").isalpha() and (
                    "." not in span.text):
                continue
            if span.end < len(doc) and doc[span.end].is_title and doc[span.end].ent_iob_ == "I":
                break  # "Jackson Browne": a longer name
            out.append(Toponym(span.start_char, span.end_char, span.text, span.text, None,
                               document.sent_index(span.start_char), span.root.i, True))
            covered.update(range(span.start_char, span.end_char))
            break
    return out


def _datelines(document: Document, gaz: Gazetteer, found: list[Toponym]) -> list[Toponym]:
    out: list[Toponym] = []
    for m in DATELINE.finditer(document.text):
        start, end = m.span("name")
        name = m.group("name").title()
        if (len(name) < 3 or any(t.start < end and start < t.end for t in found)
                or demonym_country(name) or not gaz.lookup(name)):
            continue
        span = document.doc.char_span(start, end, alignment_mode="expand")
        root = span.root.i if span is not None else 0
        out.append(Toponym(start, end, m.group("name"), name, None, document.sent_index(start),
                           root, True))
    return out


def _org_place(document: Document, gaz: Gazetteer, ent: Span) -> list[Toponym]:
    """The place that names a local institution: 'Mansfield Police Department', 'Douglas County
    Sheriff's Office', 'the Minnesota House'. The institution sits in (and acts for) the place."""
    toks = [t for t in ent if not (t.i == ent.start and t.lower_ == "the")]
    for n in range(min(3, len(toks) - 1), 0, -1):
        head = toks[:n]
        if not all(t.is_title or t.is_upper for t in head):
            continue
        word = toks[n].lower_
        if word not in INSTITUTION_WORDS:
            continue
        if word in _TYPE_TOKENS and toks[n].is_title:
            # "Henderson County Crimestoppers": the county, not a town called Henderson.
            longer = document.doc[head[0].i:toks[n].i + 1]
            if gaz.lookup(longer.text):
                return [_org_toponym(document, longer)]
        if word in TOWN_WORDS and toks[n].is_title:
            # "Kansas City International": a city named so, not the state; "Springfield City
            # Schools" is Springfield's (no place owns the longer name).
            longer = document.doc[head[0].i:toks[n].i + 1]
            if any(m >= 1.0 for _, m in _candidates(gaz, longer.text)):
                return [_org_toponym(document, longer)]
        span = document.doc[head[0].i:head[-1].i + 1]
        lookup, kind = strip_type_words(span.text)
        hits = gaz.lookup(span.text) or gaz.lookup(lookup)
        if not hits or demonym_country(lookup):
            continue
        big = max(hits, key=prior)
        if big.level >= 4 and big.population < 1_000 and kind is None:
            continue
        if word in ("house", "senate") and big.level > 2:
            continue  # "the White House"; "the Minnesota House" is the state's
        t = _org_toponym(document, span)
        t.partial = word in NAMED_INSTITUTIONS
        return [t]
    # "the Community Foundation of Boone County": a division closing the name.
    for i, t in enumerate(toks[:-1]):
        if t.lower_ == "of" and 1 <= len(toks) - i - 1 <= 4:
            tail = document.doc[toks[i + 1].i:toks[-1].i + 1]
            if tail[-1].tag_ == "POS" and len(tail) > 1:
                tail = tail[:-1]
            if all(x.is_title for x in tail) and any(
                    e.level <= 3 for e in gaz.lookup(tail.text)):
                return [_org_toponym(document, tail)]
    return []


def _org_toponym(document: Document, span: Span) -> Toponym:
    lookup, kind = strip_type_words(span.text)
    return Toponym(span.start_char, span.end_char, span.text, lookup, kind,
                   document.sent_index(span.start_char), span.root.i, True)


TOWN_WORDS = frozenset({"city", "town", "township", "village"})
# Words of institutions that are often named after a person or a distant city rather than sited
# in the place their name opens with ("Yale University", "Kingston Hospital", "the Ford
# Foundation"): such a reading must fit the report's other places (see ``_stray_part``).
NAMED_INSTITUTIONS = frozenset({
    "university", "college", "foundation", "hospital", "medical", "memorial", "library",
    "museum", "museum's", "zoo", "national", "army", "historical", "association", "federation",
})
# Words that follow a place's name in the name of an institution based there.
INSTITUTION_WORDS = frozenset({
    "police", "sheriff", "sheriff's", "fire", "city", "county", "department", "mayor", "council",
    "state", "public", "community", "district", "high", "school", "schools", "board", "house",
    "senate", "jail", "regional", "municipal", "township", "town", "village", "circuit",
    "superior", "court", "chamber", "hospital", "medical", "memorial", "area", "parish",
    "national", "army", "highway", "detention", "university", "college", "library",
    "department's", "coroner", "attorney", "health", "housing", "water", "electric", "airport",
    "port", "zoo", "museum", "museum's", "planning", "metro", "transit", "legislature",
    "assembly", "parliament", "government", "ministry", "federation", "association",
    "volunteer", "emergency", "rescue", "sanitation", "utilities", "parks", "education",
    "foundation", "historical", "economic", "visitors", "humane", "youth", "crimestoppers",
})


# Region names that are also plain words opening many institutions' names ("Central Bank",
# "Eastern High School", "Atlantic Publications"): no evidence of where a report is.
GENERIC_REGIONS = frozenset({
    "central", "eastern", "western", "northern", "southern", "north", "south", "east", "west",
    "coast", "coastal", "capital", "atlantic", "pacific", "upper", "lower", "national",
    "federal", "centre", "center", "islands", "island", "lakes", "mountain", "valley", "river",
    "highlands", "midlands", "plateau", "interior", "metropolitan", "greater", "grand"})
# What follows a state's name in its public bodies' names ("Georgia Bureau of Investigation").
PUBLIC_BODY_WORDS = INSTITUTION_WORDS | frozenset({
    "bureau", "commission", "agency", "office", "division", "patrol", "guard", "administration",
    "governor", "governor's", "military", "supreme", "general", "workforce", "emergency",
    "attorney", "secretary", "legislative", "general's", "transportation", "corrections"})
COMPASS = frozenset({"north", "south", "east", "west", "northeast", "northwest", "southeast",
                     "southwest", "central", "northern", "southern", "eastern", "western"})


def _org_region(document: Document, gaz: Gazetteer, ent: Span) -> list[Toponym]:
    """A state or country that opens an institution's name ("Indiana Department of Workforce
    Development", "Northeast Georgia Medical Center"): it votes for where the report is, the
    way a state's agencies report on its towns, without being a place mention itself."""
    toks = [t for t in ent if not (t.i == ent.start and t.lower_ == "the")]
    if toks and toks[0].lower_ in COMPASS:
        toks = toks[1:]
    for size in (3, 2, 1):
        run = toks[:size]
        if len(run) < size or len(run) >= len(toks) or not all(
                t.is_title and t.is_alpha for t in run):
            continue
        span = document.doc[run[0].i:run[-1].i + 1]
        if toks[size].lower_ not in PUBLIC_BODY_WORDS:
            continue  # "the New York Times" reports from anywhere; its state's agencies do not
        if span.text.casefold() in GENERIC_REGIONS or demonym_country(span.text):
            continue
        if any(e.level <= 2 and q == PRIMARY and (
                e.feature_code == COUNTRY or e.population >= MAJOR_REGION)
               for e, q in gaz.lookup_scored(span.text)):
            t = _org_toponym(document, span)
            t.vote_only = True
            return [t]
    return []


@lru_cache(maxsize=1)
def _abbreviation_pattern() -> re.Pattern[str]:
    abbrs = sorted(us_state_abbreviations(), key=len, reverse=True)
    alts = "|".join(re.escape(a) for a in abbrs)
    # "Alexandria, La." and a legislator's "R-Ill."; the full stop keeps "La" and "Pa" out.
    return re.compile(rf"(?:,\s*|\b[DRI]-)(?P<abbr>{alts})(?![\w.])")


def _state_abbreviations(document: Document, gaz: Gazetteer, found: list[Toponym]
                         ) -> list[Toponym]:
    """US newspaper state abbreviations as ADM1 mentions; an entity over one is re-pointed."""
    table = us_state_abbreviations()
    for m in _abbreviation_pattern().finditer(document.text):
        entry = gaz.admin1(table.get(m.group("abbr")))
        if entry is None:
            continue
        start, end = m.span("abbr")
        over = [t for t in found if t.start < end and start < t.end]
        if over:
            for t in over:
                if t.start >= start - 1 and t.end <= end + 1:
                    t.fixed, t.kind = entry, ADMIN1
            continue
        span = document.doc.char_span(start, end, alignment_mode="expand")
        root = span.root.i if span is not None else 0
        found.append(Toponym(start, end, m.group("abbr"), entry.name, ADMIN1,
                             document.sent_index(start), root, False, fixed=entry))
    found.sort(key=lambda t: t.start)
    return found


# Nouns a town's name modifies when it says where someone is from ("a Gainesville man").
RESIDENT_NOUNS = frozenset({
    "man", "men", "woman", "women", "resident", "residents", "teen", "teens", "teenager",
    "teenagers", "boy", "boys", "girl", "girls", "couple", "family", "families", "native",
    "natives", "youth", "mother", "father", "motorist", "driver", "homeowner", "homeowners",
    "businessman", "businesswoman"})
RESIDENT_TOWN = 5_000  # people in the biggest place so named: a hamlet is no evidence


def _residents(document: Document, gaz: Gazetteer, found: list[Toponym]) -> list[Toponym]:
    """A town named as where someone lives ("a Gainesville man", "55 Gainesville residents"),
    which the model tends to take for an organisation or a person."""
    doc = document.doc
    covered = {i for t in found for i in range(t.start, t.end)}
    out: list[Toponym] = []
    for tok in doc:
        if not (tok.lower_ in RESIDENT_NOUNS and tok.i >= 2):
            continue
        name = doc[tok.i - 1]
        before = doc[tok.i - 2]
        if (not name.is_title or name.pos_ != "PROPN" or name.idx in covered
                or before.pos_ not in ("DET", "NUM") or name.ent_iob_ == "I"
                or (name.ent_type_ and doc[name.i + 1].ent_iob_ == "I")):
            continue
        if demonym_country(name.text):
            continue
        hits = gaz.lookup(name.text)
        if not hits or max(e.population for e in hits) < RESIDENT_TOWN:
            continue
        out.append(Toponym(name.idx, name.idx + len(name.text), name.text, name.text, None,
                           document.sent_index(name.idx), name.i, False))
    return out


def _lone_object(tok: Token) -> bool:
    """A one-word PERSON/ORG/NORP entity that is the object of a verb or preposition ("left Kyiv"),
    or listed with one ("hit Kharkiv and Sumy"): the small model often tags well-known cities
    so; the gazetteer check decides."""
    return (tok.ent_type_ in ("PERSON", "ORG", "NORP", "PRODUCT") and tok.ent_iob_ == "B"
            and (tok.i + 1 >= len(tok.doc) or tok.doc[tok.i + 1].ent_iob_ != "I")
            and (_listed_head(tok).dep_ in ("dobj", "pobj") or _place_verb_object(tok)))


def _listed_head(tok: Token) -> Token:
    """The first item of the list ``tok`` is in ("Nikopol" of "Kherson, Nikopol and ...")."""
    for _ in range(8):
        if tok.head is tok or not (tok.dep_ == "conj" or (
                tok.dep_ == "appos" and tok.head.pos_ == "PROPN")):
            break  # (not "her daughter, Brittany")
        tok = tok.head
    return tok


# Verbs whose object or passive subject is nearly always a place in conflict reporting ("shelled
# Kherson", "Sumy was hit"): such a name counts as after "in".
PLACE_VERBS = frozenset({
    "hit", "strike", "shell", "bomb", "attack", "target", "pound", "capture", "seize",
    "liberate", "recapture", "retake", "storm", "raid", "besiege", "encircle", "evacuate",
    "occupy", "bombard", "overrun", "enter",
})


def _place_verb_object(tok: Token) -> bool:
    head = _listed_head(tok)
    return (head.dep_ in ("dobj", "nsubjpass") and head.head.lemma_ in PLACE_VERBS
            and not any(c.dep_ == "det" for c in head.children))  # not "struck the Toyota"


def _descriptions(document: Document, gaz: Gazetteer) -> list[Toponym]:
    """'the Ukrainian capital' -> that country's capital city."""
    out: list[Toponym] = []
    for m in DESCRIPTIVE_CAPITAL.finditer(document.text):
        cc = demonym_country(m.group(1))
        if cc is None:
            continue
        entry = capital_of(gaz, cc)
        if entry is None:
            continue
        span = document.doc.char_span(m.start(), m.end(), alignment_mode="expand")
        root = span.root.i if span is not None else 0
        out.append(Toponym(m.start(), m.end(), m.group(0), entry.name, TOWN,
                           document.sent_index(m.start()), root, False, fixed=entry))
    return out


# -- resolution -----------------------------------------------------------------------------------
# Descriptive words that open a name without being one ("Western Massachusetts", "Historic
# Dublin"): a sub-span search must not settle on them.
DESCRIPTIVE = frozenset({
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
    "northeast", "northwest", "southeast", "southwest", "upper", "lower", "greater", "historic",
    "downtown", "old", "new", "great", "grand", "best", "first", "little", "big", "mid", "inner",
    "outer", "metro", "st", "st.", "saint", "mount", "mt.", "lake", "port", "fort", "city",
    "county", "state", "the", "of", "and", "in", "at", "on", "for", "republic", "democratic",
    "united", "kingdom", "federal", "islamic", "people's", "valley", "river", "mountains",
    "island", "islands", "sea", "bay", "gulf", "hills", "coast", "n.", "s.", "e.", "w.",
})
# Compass points as they open a part of a place ("Northeast D.C.", "S. Phila."): the part
# is read as the place it lies in.
COMPASS_PARTS = COMPASS | {"n.", "s.", "e.", "w.", "ne", "nw", "se", "sw"}
# The last word of a street, road or highway name: GeoNames' town tier holds none of them, and
# a street is not a settlement to resolve ("Main Street", "Highway 19", "Interstate 75").
STREET_WORDS = frozenset({
    "street", "st.", "road", "rd.", "avenue", "ave.", "boulevard", "blvd.", "drive", "dr.",
    "lane", "ln.", "highway", "hwy.", "parkway", "pkwy.", "way", "court", "ct.", "pike",
    "trail", "circle", "terrace", "expressway", "freeway", "turnpike", "bypass", "alley",
})
ROUTE_WORDS = frozenset({"interstate", "route", "highway", "i", "sr", "state route", "us"})


def _filter_candidates(text: str, cands: list[tuple[Entry, float]]) -> list[tuple[Entry, float]]:
    """Drop readings that only an alternate or transliterated name links to the mention when
    they are unlikely: airport codes and abbreviations filed as alternates ("MRS" for Marseille,
    "DAY" for Dayton) against a short word, a typo alternate of a bigger place's own name
    ("Minneota" for Minnesota), and loose consonant-skeleton matches between unrelated names."""
    key = name_key(text)
    abbreviation = text.replace(".", "").isupper()
    owned = [e.population for e, m in cands if m >= 1.0]
    top_owned = max(owned, default=-1)
    out = []
    for e, m in cands:
        if m < 1.0:
            if len(key) < 5 and not abbreviation:
                continue
            if top_owned >= 0 and m < 0.9 and e.population <= top_owned:
                continue
            if m == TRANSLIT_MATCH and not _spelling_close(key, name_key(e.name)):
                continue
        out.append((e, m))
    return out


@lru_cache(maxsize=20_000)
def _spelling_close(a: str, b: str) -> bool:
    """Romanisation variants share their first letter and most of their letters
    (Kharkov/Kharkiv); unrelated names that share a consonant skeleton do not."""
    from difflib import SequenceMatcher

    return bool(a and b) and a[0] == b[0] and SequenceMatcher(None, a, b).ratio() >= 0.75


def _candidates(gaz: Gazetteer, text: str, variants: bool = False
                ) -> list[tuple[Entry, float]]:
    """Readings of ``text``; other romanisations only with ``variants`` (a model-tagged
    toponym), as their look-up costs more than an exact one."""
    return list(_cached_candidates(gaz, text, variants))


@lru_cache(maxsize=20_000)
def _cached_candidates(gaz: Gazetteer, text: str, variants: bool
                       ) -> tuple[tuple[Entry, float], ...]:
    if not gaz.lookup_scored(text) and not (variants and _romanised(text)):
        return ()  # spelling variants are for romanised names, not "Tointon Family Stadium"
    return tuple(_filter_candidates(text, candidates(gaz, text)))


def _romanised(text: str) -> bool:
    """Whether a name the gazetteer lacks may be another romanisation of one it holds: one or
    two capitalised words, no English function or facility words (Kharkov, Sviatohirsk)."""
    words = text.split()
    return 1 <= len(words) <= 2 and all(
        (w[:1].isupper() or w.partition("-")[0] in NAME_JOINS)  # "Ras al-Ain"
        and w.casefold().strip(".,") not in ROMAN_STOP for w in words)


# Words that mark an English name, which no romanisation of a foreign one contains.
ROMAN_STOP = frozenset({
    "the", "of", "and", "city", "county", "hall", "park", "school", "center", "centre",
    "street", "road", "avenue", "river", "lake", "creek", "valley", "island", "bay", "mount",
    "fort", "port", "north", "south", "east", "west", "new", "old", "saint", "st", "jail",
    "court", "church", "airport", "station", "bridge", "hospital", "college", "university",
})


def _sub_span(document: Document, gaz: Gazetteer, t: Toponym
              ) -> tuple[int, int, str, list[tuple[Entry, float]]] | None:
    """The place inside a longer name the gazetteer does not know: 'Henderson County Jail',
    'Western Massachusetts', 'Glendale Galleria', 'Battle of Richmond'. Longest part first."""
    span = document.doc.char_span(t.start, t.end, alignment_mode="expand")
    if span is None or len(span) < 2 or len(span) > 10 or _street(t.text):
        return None
    toks = list(span)
    best: tuple[tuple[float, ...], tuple[int, int, str, list[tuple[Entry, float]]]] | None = None
    for size in range(min(4, len(toks) - 1), 0, -1):
        for i in range(len(toks) - size + 1):
            part = toks[i:i + size]
            first, last = part[0], part[-1]
            if not (first.is_title or first.is_upper) or (
                    size == 1 and first.lower_ in DESCRIPTIVE) or first.lower_ in ("the", "of"):
                continue
            if i > 0 and toks[i - 1].lower_ not in DESCRIPTIVE:
                continue  # "Goz Beida", "Swat Valley": the tail of a name is not a name
            if last.lower_ in DESCRIPTIVE - {"county", "city", "state"} or last.is_punct:
                continue
            text = document.doc[first.i:last.i + 1].text
            lookup, _ = strip_type_words(text)
            if demonym_country(lookup) or text.casefold() in NOT_PLACES:
                continue
            # A lone word must be a place's own name, unless it follows a compass point: an
            # abbreviation no place owns ("D.C.", "Phila.") is then the place it names.
            lone = size == 1 and not (i > 0 and toks[i - 1].lower_ in COMPASS_PARTS)
            cands = [c for c in _candidates(gaz, text) if c[1] >= (1.0 if lone else 0.9)]
            if not cands:
                continue
            if lookup != text and all(m < 1.0 for _, m in cands):
                # "Springfield City Schools": one Springfield filing "Springfield City" as an
                # alternate name is no reason to drop every other Springfield.
                own = {e.id: (e, m) for e, m in _candidates(gaz, lookup) if m >= 1.0}
                cands = list(own.values()) + [c for c in cands if c[0].id not in own]
            big = max(cands, key=lambda c: prior(c[0]))[0]
            if size == 1 and big.level >= 4 and big.population < 1_000:
                continue
            rank = (float(size), prior(big))
            if best is None or rank > best[0]:
                best = (rank, (first.idx, last.idx + len(last.text), text, cands))
        if best is not None:
            return best[1]
    return None


def _street(text: str) -> bool:
    words = text.casefold().split()
    return bool(words) and (words[-1] in STREET_WORDS or words[0] in ROUTE_WORDS
                            or words[0].startswith("i-"))


def _kind_fit(kind: str | None, entry: Entry) -> float:
    if kind is None:
        # A bare name more often means the city than the division named after it.
        return -0.1 if entry.feature_code in (ADMIN1, ADMIN2) else 0.0
    if kind == RIVER:
        return 0.5 if entry.feature_code == RIVER else -0.5
    if kind == TOWN:
        return 0.2 if not entry.is_admin else -0.4
    if kind == ADMIN1:
        return 0.5 if entry.feature_code == ADMIN1 else -0.3
    return 0.5 if entry.feature_code == ADMIN2 else -0.3


# The weights below were set by hand and then by scripts/tune_places.py (a coordinate search
# on the LGL dev split, GeoVirus held out; see docs/EVALUATION.md).
# Weights of a reading's size, its country's and its admin1's share of the report's places.
W_PRIOR, W_COUNTRY, W_ADMIN = 1.0, 0.7, 1.0
# Names whose own name nearly always means them (a state, not its namesake town).
REGION_CODES = frozenset({COUNTRY, ADMIN1, CONTINENT, REGION, *WATERS})
W_DEMONYM = 2.0  # country votes of each distinct demonym
# Weight of each other place of the report (up to three) that lies near a reading: a local
# paper's "Richmond" is the one beside its "Madison County" and "Berea".
W_NEAR, NEAR_KM = 0.25, 45.0
# Weight of the other names with a reading near a reading (see ``_support``), and the most
# readings of one name that take part.
W_SUPPORT, MAX_READINGS = 0.3, 40
# Support strong enough for a town to be read against a country or state of the same name
# ("Lebanon" beside its own "Boone County").
STRONG_SUPPORT = 0.6
# A small state or province blocks its namesake towns only in a report about its country
# (Berea district of Lesotho does not block Berea, Kentucky; Ontario always blocks).
REGION_SHARE = 0.2
MAJOR_REGION = 300_000  # people in a state or province whose own name nearly always means it
# Rounds of reading every name against the others' readings; from round LIVE_FROM on, the
# neighbours of a reading are counted as they are at that moment (see ``_resolve``).
ROUNDS, LIVE_FROM = 4, 2
# Bonus of a bare name's readings in the division a typed mention of that name resolved to.
W_TYPED = 0.6
# Bonuses of a country's or state's own name, of a reading inside the place named after a
# comma ("Boone County, Ind."), and of a reading near a place with a clear reading.
W_OWN_REGION, W_CONTAINER, W_ANCHOR = 0.3, 0.8, 0.3
# How sharply a name's soft vote favours its likelier readings.
SOFT_SHARPNESS = 4.0


def _soft_votes(tops: list[Toponym]) -> dict[str, tuple[Counter[str], Counter[str]]]:
    """Country and admin1 weights of each name of the report: each name spreads one vote over
    its readings by how likely each is, so that "Paris" alone does not make a Tennessee paper
    French while "Paris, Memphis and Nashville" together make it American."""
    out: dict[str, tuple[Counter[str], Counter[str]]] = {}
    for t in tops:
        key = name_key(t.lookup)
        if not t.cands or key in out:
            continue  # a name repeated ten times is still one piece of evidence
        countries: Counter[str] = Counter()
        admins: Counter[str] = Counter()
        weights = [(e, math.exp(SOFT_SHARPNESS * (m + prior(e)))) for e, m in t.cands]
        total = sum(w for _, w in weights)
        explicit = 2.0 if any(e.feature_code == COUNTRY for e, m in t.cands if m >= 1.0) else 1.0
        for e, w in weights:
            if e.country_code:
                countries[e.country_code] += explicit * w / total
            if e.admin1_code and e.level >= 2:
                admins[e.admin1_code] += w / total
        out[key] = (countries, admins)
    return out


def _demonym_countries(document: Document) -> set[str]:
    out = set()
    for ent in document.doc.ents:
        if ent.label_ == "NORP" and len(ent) <= 2:
            cc = demonym_country(ent[-1].text)
            if cc:
                out.add(cc)
    return out


def _drop_unsupported_variants(tops: list[Toponym], soft: dict[str, tuple[Counter[str],
                               Counter[str]]], countries: Counter[str]) -> None:
    """A reading that only another romanisation or a misspelling links to the mention
    ("Harbour" for a Harbor abroad) stands only where the report's other names or peoples point
    to its country: an unknown English name is no village abroad. (A misspelt country or
    state, "Afganistan", stands on its own.)"""
    for t in tops:
        # Town readings by another romanisation (TRANSLIT_MATCH) or a misspelling (below
        # TYPO_FACTOR; an alternate name matches at TYPO_FACTOR or more).
        loose = [e.id for e, m in t.cands
                 if e.level > 2 and (m == TRANSLIT_MATCH or m < TYPO_FACTOR)]
        if not loose:
            continue
        others = countries.copy()
        own = name_key(t.lookup)
        if own in soft:
            others.subtract(soft[own][0])
        t.cands = [(e, m) for e, m in t.cands
                   if e.id not in loose or others[e.country_code or ""] > 0]


def _share(votes: Counter[str], key: str | None) -> float:
    total = sum(votes.values())
    return votes[key] / total if key and total > 0 else 0.0


def _score(t: Toponym, entry: Entry, match: float, countries: Counter[str],
           admins: Counter[str], container: list[tuple[Entry, float]] | None,
           anchors: list[tuple[str, Entry]], near: int = 0, region_named: bool = False,
           towns_inside: frozenset[str] = frozenset()) -> float:
    score = match + W_PRIOR * prior(entry) + _kind_fit(t.kind, entry)
    if entry.feature_code in REGION_CODES and match >= 1.0 and not (
            entry.level == 2 and (entry.admin1_code in towns_inside
                                  or entry.population < MAJOR_REGION)):
        # A country's or state's own name nearly always means it, unless a town of that name
        # lies in it: a bare "Istanbul" or "Kabul" is the city, not its province.
        score += W_OWN_REGION
    score += W_COUNTRY * _share(countries, entry.country_code)
    if entry.level >= 3 and not region_named:
        score += W_ADMIN * _share(admins, entry.admin1_code)
    if container and any(
            c.feature_code == COUNTRY and c.country_code == entry.country_code
            or c.feature_code == ADMIN1 and c.admin1_code == entry.admin1_code
            for c, _ in container):
        score += W_CONTAINER
    if entry.level >= 3 and not region_named and _anchored(entry, name_key(t.lookup), anchors):
        score += W_ANCHOR
    return score + W_NEAR * min(near, 3)


Vote = tuple[str, float, str | None, int]  # country, weight, admin1 code, the entry voted for


def _vote(entry: Entry) -> Vote:
    return (entry.country_code or "", 2.0 if entry.feature_code == COUNTRY else 1.0,
            entry.admin1_code, entry.id)


def _tally(cast: dict[str, list[Vote]], peoples: Counter[str]
           ) -> tuple[Counter[str], Counter[str], dict[int, list[str]]]:
    """The report's country and admin1 votes, and the names read as each entry."""
    countries = Counter(peoples)
    admins: Counter[str] = Counter()
    read_as: dict[int, list[str]] = {}
    for key, votes in cast.items():
        for cc, weight, code, eid in votes:
            countries[cc] += weight
            if code:
                admins[code] += weight
            read_as.setdefault(eid, []).append(key)
    return countries, admins, read_as


def _without(countries: Counter[str], admins: Counter[str], votes: list[Vote]
             ) -> tuple[Counter[str], Counter[str]]:
    """The report's country and admin1 votes less ``votes``."""
    countries, admins = countries.copy(), admins.copy()
    for cc, weight, code, _ in votes:
        countries[cc] -= weight
        if code:
            admins[code] -= weight
    return countries, admins


def _anchored(entry: Entry, own: str, anchors: list[tuple[str, Entry]]) -> bool:
    """Whether a place with a clear reading (not this name) lies within 150 km."""
    for k, a in anchors:
        if k != own and abs(a.lat - entry.lat) < 1.5 and haversine(
                a.lat, a.lon, entry.lat, entry.lon) < 150:
            return True
    return False


def _one_sense(tops: list[Toponym], raw: dict[int, float]) -> None:
    """One name, one place per report: bare mentions of a name take the reading of its most
    confident bare mention (a headline's "Springfield" is the body's "Springfield")."""
    groups: dict[str, list[Toponym]] = {}
    for t in tops:
        if t.kind is None and t.fixed is None and t.best is not None:
            groups.setdefault(name_key(t.lookup), []).append(t)
    for group in groups.values():
        if len(group) < 2:
            continue
        lead = max(group, key=lambda t: raw.get(id(t), 0.0))
        for t in group:
            if t.best is not lead.best and any(e is lead.best for e, _ in t.cands):
                t.best, t.score = lead.best, lead.score


# What lies between the parts of an address ("Boya area, Federally Administered Tribal Areas,
# Pakistan", "the Safi sub-district of Mohmand"): type words and "of" (not "of" alone: "the Nice
# of Russia"), or a comma after at most two type words, followed by at most two parts that are
# no place of their own.
_TYPE_ALTERNATION = "|".join(sorted(map(re.escape, TYPE_WORDS), key=len, reverse=True))
ADDRESS_GAP = re.compile(rf"(?P<of>(?:\s+(?i:{_TYPE_ALTERNATION})){{1,2}})\s+of\s+|"
                         rf"(?P<types>(?:\s+(?i:{_TYPE_ALTERNATION})){{0,2}})\s*,\s*"
                         r"(?:[A-Z][^,.;:!?()\n]{0,50},\s*){0,2}")


def _address(text: str, tops: list[Toponym], i: int) -> tuple[str | None, Entry | None]:
    """The country and the admin1 division named by the parts of an address after ``tops[i]``
    (read up to the country, which ends an address). After another town, a state counts only
    if the first part is typed as a part of a town ("Arabi neighborhood, Mosul, Nineveh"):
    "Denver, Indianapolis, Louisville, Ky." is a list, and Louisville's state is not Denver's."""
    end, admin1, typed, listed = tops[i].end, None, tops[i].kind is not None, False
    for u in tops[i + 1:]:
        gap = ADDRESS_GAP.fullmatch(text, end, u.start)
        if gap is None:
            break
        typed = typed or bool(gap.group("of") or gap.group("types"))
        end = u.end
        if u.best is None or u.vote_only:
            continue
        if u.best.feature_code == COUNTRY:
            # A state read in another country is a misreading ("Caracas, Capital, Venezuela"
            # is no Danish Capital Region).
            cc = u.best.country_code
            return cc, admin1 if admin1 is not None and admin1.country_code == cc else None
        if u.best.level >= 3:
            listed = listed or not typed
        elif u.best.level == 2 and u.best.admin1_code and admin1 is None and not listed:
            admin1 = u.best
    return None, admin1


# How far from the point of the state an address names a town of the name may lie when GeoNames
# files it in another state: a neighbour's town near the border, not one across the country.
NEIGHBOUR_STATE_KM = 300.0


def _fit_addresses(document: Document, tops: list[Toponym]) -> None:
    """A town that opens an address ("Arabi neighborhood, Mosul, Nineveh, Iraq", "Bara tehsil,
    Khyber, ..., Pakistan") lies in the state and country the address names: its reading moves
    to a namesake there, and with none there the name stays unresolved, not a town a continent
    away (Arabi in Ethiopia, Bara in Nigeria)."""
    for i, t in enumerate(tops):
        if t.best is None or t.best.level < 2 or t.fixed is not None:
            continue
        country, admin1 = _address(document.text, tops, i)
        if t.best.level == 2:
            # A state moves to its namesake in the address's country ("Southern, Israel",
            # "Punjab, India"); with none there it is a list ("Texas, Mexico and Canada").
            if country and t.best.country_code != country:
                there = [(e, m) for e, m in t.cands if e.country_code == country
                         and e.level == 2]
                if there:
                    t.best = _likeliest(there)
            continue
        in_country = [(e, m) for e, m in t.cands if country is None or e.country_code == country]
        inside = [(e, m) for e, m in in_country
                  if admin1 is None or e.admin1_code == admin1.admin1_code]
        if not inside and admin1 is not None:
            # GeoNames may file a town in a neighbouring state ("Slavutych, Kyiv Oblast"): its
            # own name near the state still holds; a loose reading or a namesake across the
            # country does not ("Blooming Grove, Pennsylvania" is none in Texas or Illinois).
            inside = [(e, m) for e, m in in_country if m >= 1.0 and haversine(
                e.lat, e.lon, admin1.lat, admin1.lon) <= NEIGHBOUR_STATE_KM]
        if any(e is t.best for e, _ in inside):
            continue
        if inside:
            t.best = _likeliest(inside)
        else:
            t.best, t.score = None, 0.0


def _likeliest(cands: list[tuple[Entry, float]]) -> Entry:
    """The reading a bare name most likely means, by its match and size alone."""
    return max(cands, key=lambda c: c[1] + prior(c[0]))[0]


def _km(lat_a: Any, lon_a: Any, lat_b: Any, lon_b: Any) -> Any:
    """Great-circle km between points given in radians, as numpy arrays broadcast together
    (readings down, places across)."""
    import numpy as np

    a = (np.sin((lat_b - lat_a) / 2) ** 2
         + np.cos(lat_a) * np.cos(lat_b) * np.sin((lon_b - lon_a) / 2) ** 2)
    return 2 * 6371.0 * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def _read_towns(tops: list[Toponym]) -> dict[str, Entry]:
    """Each name's reading (its first mention's) where that is a town or a district."""
    points: dict[str, Entry] = {}
    for t in tops:
        if t.best is not None and t.best.level >= 3:
            points.setdefault(name_key(t.lookup), t.best)
    return points


def _neighbours(tops: list[Toponym]) -> dict[tuple[int, str], int]:
    """For each reading of each ambiguous name, how many other names of the report are read
    (so far) as places within NEAR_KM of it. One vectorised pass over the report."""
    import numpy as np

    points = _read_towns(tops)
    pairs = {(e.id, name_key(t.lookup)): e for t in tops if len(t.cands) > 1
             for e, _ in t.cands if e.level >= 2}
    if len(points) < 2 or not pairs:
        return {}
    keys = list(points)
    plat = np.radians([points[k].lat for k in keys])
    plon = np.radians([points[k].lon for k in keys])
    items = list(pairs.items())
    clat = np.radians([e.lat for _, e in items])[:, None]
    clon = np.radians([e.lon for _, e in items])[:, None]
    within = _km(clat, clon, plat, plon) < NEAR_KM
    index = {k: i for i, k in enumerate(keys)}
    out: dict[tuple[int, str], int] = {}
    same = np.array([e.id for _, e in items])[:, None] == np.array(
        [points[k].id for k in keys])[None, :]
    within &= ~same  # a reading is no neighbour of itself read for another name
    for row, ((eid, own), _) in enumerate(items):
        n = int(within[row].sum())
        if own in index and within[row, index[own]]:
            n -= 1
        if n:
            out[(eid, own)] = n
    return out


def _near_now(cands: list[tuple[Entry, float]], own: str, tops: list[Toponym]
              ) -> dict[int, int]:
    """How many other names are read, right now, as places within NEAR_KM of each reading."""
    import numpy as np

    points = _read_towns(tops)
    points.pop(own, None)
    ents = [e for e, _ in cands if e.level >= 2]
    if not points or not ents:
        return {}
    plat = np.radians([p.lat for p in points.values()])
    plon = np.radians([p.lon for p in points.values()])
    clat = np.radians([e.lat for e in ents])[:, None]
    clon = np.radians([e.lon for e in ents])[:, None]
    within = _km(clat, clon, plat, plon) < NEAR_KM
    within &= np.array([e.id for e in ents])[:, None] != np.array(
        [p.id for p in points.values()])[None, :]
    counts = within.sum(axis=1)
    return {e.id: int(n) for e, n in zip(ents, counts, strict=True) if n}


def _support(tops: list[Toponym]) -> dict[tuple[int, str], float]:
    """For each reading of each ambiguous name, the other names of the report that have some
    reading near it, each weighted by how few readings it has: "Paris" and "Henry County" in
    one report pull each other to Tennessee, where both have a reading, before either is
    resolved. Readings are capped per name (biggest first) to keep this one small matrix."""
    import numpy as np

    per_name: dict[str, list[Entry]] = {}
    for t in tops:
        key = name_key(t.lookup)
        if key in per_name or not t.cands:
            continue
        ents = sorted((e for e, _ in t.cands if e.level >= 2), key=prior, reverse=True)
        if ents:
            per_name[key] = ents[:MAX_READINGS]
    if len(per_name) < 2 or all(len(v) == 1 for v in per_name.values()):
        return {}
    keys = list(per_name)
    name_of = np.array([i for i, k in enumerate(keys) for _ in per_name[k]])
    ents = [e for k in keys for e in per_name[k]]
    lat = np.radians(np.array([e.lat for e in ents], dtype=np.float32))
    lon = np.radians(np.array([e.lon for e in ents], dtype=np.float32))
    close = np.clip(1.0 - _km(lat[:, None], lon[:, None], lat[None, :], lon[None, :]) / NEAR_KM,
                    0.0, 1.0)
    # One place read for two names is no support: "Mecca" and "Medina" in one report are two
    # places, not an Ohio town that files one as the other's alternate name.
    ids = np.array([e.id for e in ents])
    close[ids[:, None] == ids[None, :]] = 0.0
    # close[i, j] reduced to: how near to reading i is name n's nearest reading?
    by_name = np.zeros((len(ents), len(keys)), dtype=np.float32)
    for n in range(len(keys)):
        by_name[:, n] = close[:, name_of == n].max(axis=1)
    weight = np.array([1.0 / (1.0 + math.log(len(per_name[k]))) for k in keys],
                      dtype=np.float32)
    by_name[np.arange(len(ents)), name_of] = 0.0
    scores = by_name @ weight
    out: dict[tuple[int, str], float] = {}
    for i, e in enumerate(ents):
        if scores[i] > 0 and len(per_name[keys[name_of[i]]]) > 1:
            out[(e.id, keys[name_of[i]])] = float(scores[i])
    return out


def _lookup_candidates(gaz: Gazetteer, t: Toponym) -> list[tuple[Entry, float]]:
    if t.kind == RIVER:
        # "the bank of the Dnipro", "the Jordan river": the river, though a city or a country
        # owns the bare name (and would hide a reading only an alternate name gives).
        rivers = [(e, 1.0) for e in _river_readings(gaz, t.lookup)]
        if rivers:
            return rivers
    # "Kansas City" and "Henry County" are names in their own right: only strip the type word
    # when the whole name is unknown.
    whole = t.text[4:] if t.text.lower().startswith("the ") else t.text
    cands = [c for c in _candidates(gaz, whole) if c[1] >= 1.0] if whole != t.lookup else []
    cands = cands or _candidates(gaz, t.lookup, variants=t.entity)
    if t.entity and not any(c.isupper() for c in t.text):
        # A name in lower case ("the east bank", "the front line") is a description: a
        # country, state or region of that name at most, never a town.
        cands = [c for c in cands if c[0].level <= 2]
    return cands


def _resolve(document: Document, gaz: Gazetteer, tops: list[Toponym]) -> None:
    for t in tops:
        if t.fixed is not None:
            t.cands = [(t.fixed, 1.0)]
        elif not t.cands:
            t.cands = _lookup_candidates(gaz, t)
            if not t.cands and t.entity:
                found = _sub_span(document, gaz, t)
                if found is not None:
                    t.start, t.end, t.text, t.cands = found
                    t.partial = True
                    t.lookup, t.kind = strip_type_words(t.text)
    soft = _soft_votes(tops)
    countries: Counter[str] = Counter()
    admins: Counter[str] = Counter()
    for c, a in soft.values():
        countries.update(c)
        admins.update(a)
    # Demonyms are no places, but they say which country a report is about ("Russian troops"
    # make its "St. Petersburg" the Russian one).
    peoples = Counter({cc: W_DEMONYM for cc in _demonym_countries(document)})
    countries.update(peoples)
    all_countries, all_admins = countries, admins
    _drop_unsupported_variants(tops, soft, countries)
    cast: dict[str, list[Vote]] = {}
    last: dict[str, Vote] = {}  # the previous round's readings
    read_as: dict[int, list[str]] = {}  # entry id -> the names read as it (last round)
    # Places whose reading is clear anchor the ambiguous ones near them.
    anchors: list[tuple[str, Entry]] = []
    for t in tops:
        towns = [c for c, _ in t.cands if c.level >= 2]
        if towns and (len(towns) == 1 or len({c.country_code for c in towns}) == 1):
            anchors.append((name_key(t.lookup), max(towns, key=lambda c: c.population)))
    # Rounds: rank readings by fit to the soft focus, then again by fit to the focus the
    # previous round's readings give (a Minnesota paper's "Alexandria" after its "Douglas County").
    neighbours: dict[tuple[int, str], int] = {}
    support = _support(tops)
    typed: dict[str, str] = {}
    town_codes: dict[str, str] = {}
    raw: dict[int, float] = {}
    for round_ in range(ROUNDS):
        for idx, t in enumerate(tops):
            nxt = tops[idx + 1] if idx + 1 < len(tops) else None
            container = None
            if (nxt is not None and 0 < nxt.start - t.end <= 3
                    and "," in document.text[t.end:nxt.start]):
                container = nxt.cands
            best: tuple[float, Entry] | None = None
            own = name_key(t.lookup)
            countries, admins = all_countries, all_admins
            if round_ == 0 and own in soft:
                countries, admins = all_countries.copy(), all_admins.copy()
                countries.subtract(soft[own][0])
                admins.subtract(soft[own][1])
            elif own in cast:
                # Leave the name's own vote out: "Jordan" must not vote itself a country.
                countries, admins = _without(all_countries, all_admins, cast[own])
            # A country's or state's own name is not outvoted by a namesake town's neighbours
            # ("Mexico" beside New York places stays the country).
            regions = [e for e, m in t.cands if m >= 1.0 and (e.level == 1 or e.level == 2 and (
                e.population >= MAJOR_REGION or _share(countries, e.country_code) >= REGION_SHARE))]
            towns_inside = frozenset(e.admin1_code for e, m in t.cands
                                     if e.level == 4 and m >= 1.0 and e.admin1_code)
            live = None
            if round_ >= LIVE_FROM and len(t.cands) > 1:
                # Late rounds read neighbours as they are now, names before this one
                # included: two names that each follow the other's previous reading
                # ("Richmond" and "Madison County") would otherwise swap states every round.
                live = _near_now(t.cands, own, tops)
            best_town: tuple[float, Entry] | None = None
            best_blocked = False
            for entry, match in t.cands:
                # ...unless the town lies in it: Kabul city in Kabul province.
                named_region = bool(regions) and not any(
                    r.country_code == entry.country_code and (
                        r.level == 1 or r.admin1_code == entry.admin1_code) for r in regions)
                if live is not None:
                    near = live.get(entry.id, 0)
                else:
                    near = neighbours.get((entry.id, own), 0) if neighbours else 0
                local = W_SUPPORT * min(support.get((entry.id, own), 0.0), 2.0)
                blocked = named_region and entry.level >= 3
                votes = (countries, admins)
                echo = [k for k in dict.fromkeys(read_as.get(entry.id, ())) if k != own]
                if echo:
                    # Another name read as this very place ("Medina" for an Ohio town that files
                    # "Mecca" as an alternate) is no evidence that this name means it too.
                    votes = _without(countries, admins, [
                        v for k in echo for v in cast[k] if v[3] == entry.id])
                score = _score(t, entry, match, *votes, container, anchors,
                               0 if blocked else near, named_region, towns_inside)
                if blocked:
                    # Against the region, a town has only strong support; against its
                    # namesake towns, it has all its context ("Lebanon" beside "Warren County"
                    # is the Ohio one once the country has lost).
                    free = _score(t, entry, match, *votes, container, anchors, near, False,
                                  towns_inside) + local
                    if best_town is None or free > best_town[0]:
                        best_town = (free, entry)
                    if local < W_SUPPORT * STRONG_SUPPORT:
                        local = 0.0
                score += local
                if entry.level == 2 and town_codes:
                    # A state's towns vouch for it: "Georgia" beside Atlanta and Macon (the
                    # name's own town reading does not).
                    others = [c for k, c in town_codes.items() if k != own]
                    if others:
                        score += W_ADMIN * others.count(entry.admin1_code) / len(others)
                if t.kind is None and entry.admin1_code and entry.admin1_code == typed.get(own):
                    score += W_TYPED
                if best is None or score > best[0]:
                    best, best_blocked = (score, entry), blocked
            if (best is not None and best_town is not None and best_blocked
                    and best[1].feature_code != CAPITAL):
                best = best_town
            if best is not None:
                t.best, t.score = best[1], min(1.0, best[0] / 2.5)
                raw[id(t)] = best[0]
                if round_ >= LIVE_FROM and best[1].country_code:
                    # Late rounds also vote at once (averaged with the round before): the
                    # next name reads this one as it is now, so that a pair that would swap
                    # readings every round ("Mecca" and "Medina") settles on one sense.
                    votes_now = [_vote(best[1])] + ([last[own]] if own in last else [])
                    cast[own] = [(cc, w / len(votes_now), code, eid)
                                 for cc, w, code, eid in votes_now]
                    all_countries, all_admins, read_as = _tally(cast, peoples)
        if round_ < ROUNDS - 1:
            neighbours = _neighbours(tops)
            # "the Province of Ontario" or "Henry County, Tenn." says which one the bare
            # "Ontario" or "Henry County" of the same report is.
            town_codes = {name_key(t.lookup): t.best.admin1_code for t in reversed(tops)
                          if t.best is not None and t.best.level >= 3 and t.best.admin1_code}
            typed = {name_key(t.lookup): t.best.admin1_code for t in tops
                     if t.best is not None and t.best.admin1_code and (
                         t.kind is not None or t.fixed is not None) and t.best.level <= 3}
            # Each round's readings vote, averaged with the round before: two names that
            # pull each other back and forth ("Mecca" and "Medina", each with a namesake town
            # abroad) settle instead of swapping every round.
            now: dict[str, Vote] = {}
            for t in tops:
                key = name_key(t.lookup)
                if t.best is None or not t.best.country_code or key in now:
                    continue
                now[key] = _vote(t.best)
            share = 0.5 if round_ else 1.0
            cast = {}
            for readings in (now, last) if round_ else (now,):
                for k, (cc, w, code, eid) in readings.items():
                    cast.setdefault(k, []).append((cc, w * share, code, eid))
            last = now
            all_countries, all_admins, read_as = _tally(cast, peoples)
    _one_sense(tops, raw)
    _fit_addresses(document, tops)
    counts = Counter(t.best.country_code for t in tops if t.best and t.best.country_code)
    document.focus_country = counts.most_common(1)[0][0] if counts else None
    # A region is the report's focus only when (nearly) all the distinct towns it names lie in it:
    # a report on Kyiv, Zaporizhzhia and a village in Kyiv Oblast has no focus region.
    towns = {t.best.geonameid: t.best.admin1_code for t in tops if t.best and t.best.level >= 3
             and t.best.country_code == document.focus_country and t.best.admin1_code}
    admin = Counter(towns.values())
    top = admin.most_common(1)[0] if admin else None
    document.focus_admin1 = top[0] if top and top[1] / len(towns) >= 0.67 else None


# -- roles ----------------------------------------------------------------------------------------
def _role(document: Document, t: Toponym) -> str:
    """'metonymy' when the place stands for its government or people, else 'location'."""
    doc = document.doc
    if not (0 <= t.root < len(doc)):
        return "location"
    tok = doc[t.root]
    head = tok.head
    if tok.dep_ == "nsubj" and head.pos_ in ("VERB", "AUX") and head.lemma_ not in (
            LOCATIVE_SUBJECT_VERBS):
        return "metonymy"
    if tok.dep_ == "poss" and (head.ent_type_ in ("PERSON", "ORG")
                               or head.lemma_.lower() in POSSESSED_AGENT):
        return "metonymy"
    if tok.dep_ == "compound" and head.lemma_.lower() in AGENT_NOUNS:
        return "metonymy"
    if tok.dep_ == "pobj" and head.lower_ in ("in", "from") and head.head.lemma_.lower() in (
            AGENT_NOUNS):
        return "metonymy"  # "officials in Moscow"
    return "location"


def _relation(document: Document, t: Toponym) -> str | None:
    sent = document.sentences[t.sent] if document.sentences else None
    lo = max(sent.start_char if sent is not None else 0, t.start - 80)
    m = RELATIVE.search(document.text[lo:t.start])
    if m is None:
        return None
    rel = re.sub(r"\s+", " ", m.group("rel").strip().lower())
    rel = re.sub(r"^(?:[\d,.]+|some|about|around|roughly|nearly|almost)\s*-?\s*", "", rel)
    return rel


def _precision(entry: Entry | None, relation: str | None) -> int:
    if entry is None or entry.level <= 2:
        return 3
    if entry.level == 3:
        return 2
    return 2 if relation else 1


# How near one of the report's other towns a town read inside a longer, unknown name must lie.
PART_KM = 100.0


def _stray_part(document: Document, t: Toponym, tops: list[Toponym]) -> bool:
    """Whether a town read inside a longer name the gazetteer lacks lies outside the state and
    far from the towns of every other place of the report: then the longer name is a landmark
    or a business named after a person or a distant city ("Hyde Park", "Kingston Hospital",
    "the Tokyo Grill" of a Texas report), not a place of the report. A town next to the
    report's places is its own ("Springfield Mall" in a Springfield report); a division the
    text types ("Orange County Sheriff's Office") or a compass part ("S. Phila.") is one
    wherever it lies."""
    e = t.best
    if e is None or e.level < 3 or t.kind is not None:
        return False
    before = document.text[max(0, t.start - 12):t.start].split()
    if before and before[-1].casefold() in COMPASS_PARTS:
        return False
    own = name_key(t.lookup)
    others = [o.best for o in tops if o is not t and o.best is not None and not o.vote_only
              and name_key(o.lookup) != own]
    return bool(others) and not any(
        e.admin1_code and o.admin1_code == e.admin1_code
        or o.level >= 3 and haversine(e.lat, e.lon, o.lat, o.lon) <= PART_KM for o in others)


def find_places(document: Document) -> None:
    """Recognise, resolve and write ``document.places`` and the report's focus."""
    gaz = get_gazetteer()
    tops = _recognise(document, gaz)
    _resolve(document, gaz, tops)
    countries = gaz.countries()
    mentions: list[PlaceMention] = []
    surnames = _surnames(document)
    for t in tops:
        if t.vote_only or t.text.casefold() in NOT_PLACES:
            continue
        if _before_street(document, t):
            continue  # "Cooper" in "North Cooper Street", "Rye" in "Rye Court"
        locative = _locative(document, t)
        if t.best is None and not (t.entity and locative and not _street(t.text)):
            continue
        if t.text in surnames and (t.best is None or t.best.level >= 3):
            continue  # "Farrin" after "police chief Henry Farrin": the person, not a town
        if (t.best is not None and not locative and t.best.level == 4
                and t.best.population < 100_000 and t.best.country_code != document.focus_country):
            continue  # a small foreign town named like a person the model took for a place
        if t.partial and _stray_part(document, t, tops):
            continue  # "Tokyo" of "the Tokyo Grill" in a Texas report
        relation = _relation(document, t)
        e = t.best
        country = countries.get(e.country_code or "") if e else None
        mentions.append(PlaceMention(
            start=t.start, end=t.end, text=t.text,
            place=entry_place(t.start, t.end, t.text, e, t.score if e else None),
            sent=t.sent, role=_role(document, t),
            precision=_precision(e, relation),
            relation=relation, admin2=e.admin2 if e else None,
            country_name=country.name if country else None,
            population=e.population if e else 0))
    document.places = mentions


def _before_street(document: Document, t: Toponym) -> bool:
    m = _NEXT_WORD.match(document.text, t.end)
    return m is not None and m.group(1).casefold() in STREET_WORDS


_NEXT_WORD = re.compile(r"\s+([A-Z][a-z]*\.?)")


NAME_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})


def _surnames(document: Document) -> frozenset[str]:
    """Last names of the people the report names in full: one name, one sense per report
    ("Servance" after "Tony Servance Jr.")."""
    out = set()
    for ent in document.doc.ents:
        if ent.label_ != "PERSON":
            continue
        words = [t for t in ent if t.lower_ not in NAME_SUFFIXES]
        if len(words) >= 2 and words[-1].is_title:
            out.add(words[-1].text)
    return frozenset(out)


def _locative(document: Document, t: Toponym) -> bool:
    doc = document.doc
    tok = doc[t.root] if 0 <= t.root < len(doc) else None
    return tok is not None and tok.dep_ == "pobj" and tok.head.lower_ in LOCATIVE_PREPS


@stage("places", assigns=("places", "focus_country", "focus_admin1"))
def places(document: Document) -> None:
    find_places(document)


# -- event location -------------------------------------------------------------------------------
def _country_location(gaz: Gazetteer, cc: str, admin1_code: str | None) -> Location | None:
    country = gaz.country(cc)
    if country is None:
        return None
    admin = gaz.admin1(admin1_code) if admin1_code else None
    point = admin or country
    return Location(name=point.name, geonameid=point.geonameid, lat=round(point.lat, 5),
                    lon=round(point.lon, 5), country=country.name, country_code=cc,
                    admin1=admin.name if admin else None, admin2=None, geo_precision=3,
                    where_prec=4 if admin else 6)


def _location(m: PlaceMention, precision: int | None = None) -> Location:
    p = m.place
    prec = precision or m.precision
    where = {1: 1, 2: 2, 3: 4}.get(prec, 4)
    if p.feature_code == COUNTRY:
        where = 6
    elif p.feature_code == ADMIN2:
        where = 3
    return Location(name=p.name or m.text, geonameid=p.geonameid, lat=p.lat, lon=p.lon,
                    country=m.country_name, country_code=p.country_code, admin1=p.admin1,
                    admin2=m.admin2, geo_precision=prec, where_prec=where)


def _attached(document: Document, m: PlaceMention, trigger: int) -> bool:
    """Whether the place hangs off the trigger in the parse ('struck X', 'attack in X')."""
    doc = document.doc
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None or not (0 <= trigger < len(doc)):
        return False
    tok = span.root
    for _ in range(4):
        if tok.i == trigger:
            return True
        if tok.head.i == tok.i:
            return False
        tok = tok.head
    return tok.i == trigger


def _rank(document: Document, event: EventDraft, claimed: set[int]) -> PlaceMention | None:
    usable = [m for m in document.places if m.role != "metonymy" and m.resolved]
    trigger_toks = {mn.token for mn in event.mentions}
    best: tuple[tuple[float, ...], PlaceMention] | None = None
    scope = event.scope
    for m in usable:
        if m.sent not in scope:
            continue
        attached = any(_attached(document, m, t) for t in trigger_toks)
        if id(m) in claimed and not attached and m.sent in event.sents:
            continue  # the place of another event told in the same sentence
        tier = 3.0 if attached else (2.0 if m.sent in event.sents else 1.0)
        level = min(feature_level(m.place.feature_code, m.place.country_code), 2)
        specific = 1 if m.precision == 1 else 0
        rank = (float(level >= 2), tier - (0.5 if id(m) in claimed else 0), float(specific),
                -float(scope.index(m.sent)), float(level))
        if best is None or rank > best[0]:
            best = (rank, m)
    return best[1] if best else None



def _finest_part(document: Document, m: PlaceMention | None) -> PlaceMention | None:
    """The finest resolved part of the address ``m`` ends: the parse may hang the state or
    the country of "rockets hit Sderot, Southern, Israel" on the verb, but the place is Sderot
    (a part counts when it lies in ``m``: same country, and same state if ``m`` is one)."""
    if m is None or not m.resolved:
        return m
    level = feature_level(m.place.feature_code, m.place.country_code)
    before = sorted((p for p in document.places if p.end <= m.start), key=lambda p: -p.start)
    best, start = m, m.start
    for p in before:
        if ADDRESS_GAP.fullmatch(document.text, p.end, start) is None:
            break
        start = p.start
        if (p.resolved and p.role != "metonymy" and p.place.country_code == m.place.country_code
                and feature_level(p.place.feature_code, p.place.country_code) > level
                and (m.place.feature_code != ADMIN1 or p.place.admin1 == m.place.admin1)):
            best = p
    return best


# How far apart the towns of a report may lie for it to be about one place ("a military station
# at Ratnu Chak in Jammu").
ONE_PLACE_KM = 25.0


def _only_town(document: Document) -> PlaceMention | None:
    """The report's first town when all the towns it names lie within ``ONE_PLACE_KM`` of it."""
    towns = [p for p in document.places if p.resolved and p.role != "metonymy"
             and p.place.lat is not None
             and feature_level(p.place.feature_code, p.place.country_code) >= 3]
    if not towns:
        return None
    first = min(towns, key=lambda p: p.start)
    if all(haversine(first.place.lat, first.place.lon, p.place.lat, p.place.lon) <= ONE_PLACE_KM
           for p in towns):
        return first
    return None

# Events outside ACLED's scope (diplomacy) happen anywhere: no fallback to the report's focus.
OUT_OF_SCOPE_KINDS = frozenset(k for k, (sub, _) in KINDS.items() if sub is None)


def locate_event(document: Document, event: EventDraft, claimed: set[int]) -> PlaceMention | None:
    """Pick the place where ``event`` happened and set ``event.location``."""
    m = _finest_part(document, _rank(document, event, claimed))
    if m is not None and feature_level(m.place.feature_code, m.place.country_code) >= 3:
        # "a dormitory near Kyiv ... in the city of X, south of the capital": the named town
        # beats the anchor of a relative expression.
        if m.relation:
            towns = [o for o in document.places if o.sent in event.scope and o.role != "metonymy"
                     and o.resolved and not o.relation and o.precision == 1 and o is not m
                     and o.place.lat is not None and m.place.lat is not None
                     and haversine(o.place.lat, o.place.lon, m.place.lat, m.place.lon) < 150]
            if towns:
                m = towns[0]
        event.location = _location(m)
        event.add_evidence("location", (m.start, m.end))
        claimed.add(id(m))
        return m
    if event.kind in OUT_OF_SCOPE_KINDS and (m is None or not any(
            _attached(document, m, mn.token) for mn in event.mentions)):
        return None  # a meeting's place is not guessed from the report's focus
    if m is None:
        only = _only_town(document)
        if only is not None:
            # A report that names one town (or a few a short way apart) tells where an event
            # told without a place happened, if less surely than a place in its clause.
            event.location = _location(only, precision=2)
            event.add_evidence("location", (only.start, only.end))
            return only
    gaz = get_gazetteer()
    cc = document.focus_country
    if m is not None and m.place.country_code:
        cc = m.place.country_code
    if m is not None and m.place.feature_code == ADMIN1:
        event.location = _location(m, precision=3)
        event.add_evidence("location", (m.start, m.end))
        return m
    if cc:
        admin = document.focus_admin1 if cc == document.focus_country else None
        loc = _country_location(gaz, cc, admin)
        if loc is not None:
            event.location = loc
            if m is not None:
                event.add_evidence("location", (m.start, m.end))
    return m


@stage("event_location", requires=("places", "events"), assigns=("events.location",))
def event_location(document: Document) -> None:
    claimed: set[int] = set()
    for event in document.events:
        locate_event(document, event, claimed)
