"""Recognising the parts of written addresses, which the model often tags as people or
groups: the divisions in brackets after a place ("Olympia (Washington)", "a village
(Chepalungu, Bomet)") and a name typed by the word after it ("Kutkai township").

An address names its parts from the smallest to the largest, so a part the gazetteer knows is a
place whatever the model took it for; ``event_location`` later picks the finest part it knows.
"""

from __future__ import annotations

import re

from sitrep.document import Document
from sitrep.places.gazetteer import TOWN, TYPE_WORDS, Entry, Gazetteer, strip_type_words
from sitrep.places.geocode import haversine
from sitrep.places.recognise import Toponym, demonym_country

# A bracket after a word, holding up to three comma-separated parts.
_BRACKET = re.compile(r"(?<=\w)\s*\((?P<parts>[^()\n]{2,90})\)")
_PART = re.compile(r"[^,]+")
# A name's words: capitalised, or the small joins of place names ("Bosnia and Herzegovina").
_JOINS = frozenset({"and", "de", "du", "des", "la", "le", "el", "al", "of", "the"})


def _name_like(text: str) -> bool:
    words = text.replace("-", " ").split()
    return (bool(words) and len(words) <= 5 and words[0][:1].isupper()
            and all(w[:1].isupper() or w.lower() in _JOINS for w in words))


def _overlaps(found: list[Toponym], start: int, end: int) -> bool:
    return any(f.start < end and start < f.end for f in found)


# The name before an address bracket: up to three capitalised words, maybe a type word after.
_NAME_BEFORE = re.compile(r"(?<![\w'’.-])(?P<name>[A-Z][\w'’.-]*(?:[ -][A-Z][\w'’.-]*){0,2})"
                          r"(?:\s+(?P<type>[a-z]+))?\s*$")
# How far from a division's centre a town said to lie in it may be.
_IN_DIVISION_KM = 100.0


def _inside(e: Entry, division: Entry) -> bool:
    """Whether the reading ``e`` may lie in ``division``: the same country, the same state
    when the division is a state, else near the division's centre."""
    if e.country_code != division.country_code or e is division:
        return False
    if division.level <= 1:
        return True
    if division.level == 2:
        return e.admin1_code == division.admin1_code
    return haversine(e.lat, e.lon, division.lat, division.lon) <= _IN_DIVISION_KM


def _named_before(document: Document, gaz: Gazetteer, at: int, divisions: list[Entry]
                  ) -> Toponym | None:
    """The place an address bracket follows ("Anchorage" of "in Anchorage (Alaska)"), read
    where the bracket says it lies, when the gazetteer knows it there; the model often runs
    such a name into the organisation or landmark before it."""
    m = _NAME_BEFORE.search(document.text, max(0, at - 80), at)
    if m is None or (m.group("type") and m.group("type") not in TYPE_WORDS):
        return None
    words = m.group("name").split(" ")
    for k in range(len(words)):
        name = " ".join(words[k:])
        start = m.start("name") + len(" ".join(words[:k])) + (1 if k else 0)
        if name.casefold() in _JOINS or demonym_country(name):
            continue
        fits = [e for e in gaz.lookup(name) if e.level >= 3
                and any(_inside(e, d) for d in divisions)]
        if fits:
            end = m.end("type") if m.group("type") else m.end("name")
            span = document.doc.char_span(start, end, alignment_mode="expand")
            kind = TYPE_WORDS.get(m.group("type") or "")
            return Toponym(start, end, document.text[start:end], name, kind,
                           document.sent_index(start), span.root.i if span is not None else 0,
                           True, fixed=max(fits, key=lambda e: (e.level, e.population)))
    return None


def bracketed_addresses(document: Document, gaz: Gazetteer, found: list[Toponym]
                        ) -> list[Toponym]:
    """The known parts of an address in brackets after a name ("Habiganj" and "Sylhet" of
    "Nabiganj upazila (Habiganj, Sylhet)"), when its last part is a country or a first-level
    division: then the bracket is an address, not an abbreviation or an aside."""
    out: list[Toponym] = []
    text = document.text
    for m in _BRACKET.finditer(text):
        parts = [(p.start() + m.start("parts"), p.end() + m.start("parts"))
                 for p in _PART.finditer(m.group("parts"))]
        spans: list[tuple[int, int, str]] = []
        for s, e in parts:
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            spans.append((s, e, text[s:e]))
        if not spans or len(spans) > 3 or not all(_name_like(t) for _, _, t in spans):
            continue
        hits = [gaz.lookup(strip_type_words(t)[0]) if not demonym_country(t) else ()
                for _, _, t in spans]
        divisions = [h for h in hits[-1] if h.level <= 3]
        if not divisions:
            continue
        named = _named_before(document, gaz, m.start(), divisions)
        if named is not None and not _overlaps(found, named.start, named.end):
            out.append(named)
        for (s, e, t), h in zip(spans, hits, strict=True):
            if h and not _overlaps(found, s, e) and not _overlaps(out, s, e):
                span = document.doc.char_span(s, e, alignment_mode="expand")
                lookup, kind = strip_type_words(t)
                out.append(Toponym(s, e, t, lookup, kind, document.sent_index(s),
                                   span.root.i if span is not None else 0, True))
    return out


def typed_names(document: Document, gaz: Gazetteer, found: list[Toponym]) -> list[Toponym]:
    """A capitalised name followed by a type word ("Kutkai township", "Mrauk-U Township",
    "Kyaukme district") that the gazetteer knows: a place of that kind whatever its size and
    whatever the model took it for."""
    text = document.text
    out: list[Toponym] = []
    for m in _TYPED.finditer(text):
        words = m.group("name").split(" ")
        for k in range(len(words)):
            name = " ".join(words[k:])
            start = m.start("name") + len(" ".join(words[:k])) + (1 if k else 0)
            end = m.end("type")
            if words[k] in ("The", "A", "An") or _overlaps(found, start, m.end("name")):
                continue
            whole = text[start:end]
            kind = TYPE_WORDS[m.group("type").lower()]
            if demonym_country(name):
                continue
            if not _of_kind(gaz.lookup(name), kind):
                if not _of_kind(gaz.lookup(whole), kind):
                    continue
                name = whole  # "Wajo Regency": the gazetteer has the division by its full name
            span = document.doc.char_span(start, end, alignment_mode="expand")
            out.append(Toponym(start, end, whole, name, kind, document.sent_index(start),
                               span.root.i if span is not None else 0, True))
            break
    return out


def _of_kind(hits: tuple[Entry, ...], kind: str) -> bool:
    """Whether a reading can be what the type word says: a settlement or a local division for
    "village" or "township" ("San Kha village" is not the Sangha region of Congo), a division
    for "district" or "province"."""
    least = 3 if kind == TOWN else 2
    return any(e.level >= least for e in hits)


# The words that type a settlement or a local division; not the ones that also end the names
# of institutions and units ("Houston State", "Police Department", "Patrol Division").
_TYPED_WORDS = ("township", "town", "village", "city", "hamlet", "settlement", "upazila",
                "regency", "sub-district", "subdistrict", "district", "county", "parish",
                "commune", "municipality", "tehsil", "taluk", "raion", "rayon", "oblast",
                "province", "governorate")
_TYPED = re.compile(r"(?<![\w'’.-])(?P<name>[A-Z][\w'’]*(?:-[\w'’]+)*"
                    r"(?: [A-Z][\w'’]*(?:-[\w'’]+)*){0,2})\s+"
                    rf"(?P<type>(?i:{'|'.join(_TYPED_WORDS)}))\b")
