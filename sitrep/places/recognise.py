"""Recognising toponyms in a parsed report: the model's GPE/LOC/FAC entities, plus what it
misses or mislabels (capitalised gazetteer names, towns tagged as people, rivers marked by the
text, county lists, datelines, descriptions such as "the Ukrainian capital").

Recognition only proposes names with their candidate readings; ``resolve`` chooses among them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from sitrep.document import Document
from sitrep.lexicon import is_group_name
from sitrep.places.candidates import NAME_JOINS, OPEN_ENDS, _candidates
from sitrep.places.gazetteer import (
    ADMIN1,
    ADMIN2,
    CONTINENT,
    COUNTRY,
    PRIMARY,
    RIVER,
    TOWN,
    TYPE_WORDS,
    Entry,
    Gazetteer,
    capital_of,
    strip_type_words,
)
from sitrep.places.geocode import TRANSLIT_MATCH, candidates, prior
from sitrep.places.index import get_gazetteer
from sitrep.places.names import name_key
from sitrep.places.tables import us_state_abbreviations

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token


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
                        "southwest", "metro", "downtown", "uptown", "heaven", "god",
                        "capitol", "the capitol"})
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
    from sitrep.lexicon import load_lexicon

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
        if ent.label_ in ("ORG", "PERSON", *ENTITY_LABELS) and any(
                t.text in "()" or _spaced_dash(t) for t in ent):
            parts = _bracketed(document, gaz, ent)
            if parts:
                # "Montgomery (Alabama" read as one organisation: the address's parts
                found += parts
                taken.update(range(ent.start, ent.end))
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




def _bracketed(document: Document, gaz: Gazetteer, ent: Span) -> list[Toponym]:
    """The places of an entity the model ran across a bracket or a spaced dash ("Timika (Mimika,
    Papua" as one organisation): each capitalised part between brackets, commas and dashes that
    the gazetteer knows,
    or none when a part is no place (a group's name with its abbreviation)."""
    parts: list[Span] = []
    start = ent.start
    for tok in [*ent, None]:
        if tok is None or tok.text in "()," or _spaced_dash(tok):
            end = tok.i if tok is not None else ent.end
            if end > start:
                parts.append(document.doc[start:end])
            start = end + 1
    known: list[tuple[Span, str, str | None, list]] = []
    for part in parts:
        if part[0].lower_ == "the":
            part = part[1:]
        if not len(part) or not all(t.is_title or not t.is_alpha for t in part):
            return []
        lookup, kind = strip_type_words(part.text)
        hits = [] if demonym_country(lookup) else gaz.lookup(part.text) or gaz.lookup(lookup)
        known.append((part, lookup, kind, hits))
    # An address whose first part (a village) or larger part (its state) the gazetteer knows:
    # its known parts; else an organisation with its abbreviation ("Arakan Army (AA").
    if not known or not (known[0][3] or any(e.level <= 2 for e in known[-1][3])):
        return []
    return [Toponym(part.start_char, part.end_char, part.text, lookup, kind,
                    document.sent_index(part.start_char), part.root.i, True)
            for part, lookup, kind, hits in known if hits]


def _spaced_dash(tok: Token) -> bool:
    """A dash between spaces joins a city to its quarter ("Dhaka - Lalbagh", ACLED's form); a
    hyphen inside a name ("Hpa-an") has none."""
    return tok.text in ("-", "\u2013", "\u2014") and tok.i > 0 and bool(
        tok.doc[tok.i - 1].whitespace_) and bool(tok.whitespace_)


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


def _typed_name(doc: Doc, i: int) -> bool:
    """Whether the capitalised name at ``i`` is followed by a type word ("Kyaukme township",
    "Shan state"), or ends in a capitalised one ("Rakhine State", not "Ohio State University"),
    which makes it a place whatever the model took it for."""
    j = i
    while j < len(doc) and j - i < 3 and doc[j].pos_ == "PROPN" and doc[j].is_title:
        j += 1
    return j > i and (j < len(doc) and doc[j].lower_ in TYPE_WORDS
                      or j - 1 > i and doc[j - 1].lower_ in CAPITAL_TYPE_ENDS
                      and (j >= len(doc) or doc[j].lower_ != "of"))


# Capitalised type words that end a place's name ("Rakhine State", "Minbya Township"); not those
# that end an institution's ("the Texas Department of Transportation").
CAPITAL_TYPE_ENDS = frozenset({"state", "province", "region", "township", "district", "county",
                               "oblast", "governorate", "regency", "upazila", "prefecture"})


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
                tok.ent_type_ and not _lone_object(tok) and not _typed_name(doc, i)):
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
            typed = end < n and doc[end].lower_ in TYPE_WORDS  # "Kyaukme township"
            if tok.ent_type_ and big.feature_code != COUNTRY and big.population < 500_000 and not (
                    locative and big.population >= 20_000) and not typed:
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
# At most 30 names before the "and": an unbounded list made the search quadratic on a long
# comma-separated list of names with no "counties" after it (each start read to its end).
COUNTY_LIST = re.compile(
    rf"(?P<names>{_NAME}(?:,\s+{_NAME}){{0,30}},?\s+(?:and|or)\s+{_NAME})"
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


MAJOR_REGION = 300_000  # people in a state or province whose own name nearly always means it


# Compass points as they open a part of a place ("Northeast D.C.", "S. Phila."): the part
# is read as the place it lies in.
COMPASS_PARTS = COMPASS | {"n.", "s.", "e.", "w.", "ne", "nw", "se", "sw"}


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
