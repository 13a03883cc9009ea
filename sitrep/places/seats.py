"""A name read as a division before the division itself in its address is that division's town
of the name: "New York (New York)", "Kuwait, Kuwait", "New York-Queens (New York)". An address
names its parts from the smallest up, so no division lies in itself; the first part is the city
the state or country is named after (or named like).
"""

from __future__ import annotations

import re

from sitrep.document import Document
from sitrep.places.gazetteer import COUNTRY, Gazetteer
from sitrep.places.recognise import Toponym
from sitrep.places.resolve import ADDRESS_GAP

# The rest of a hyphen-joined name whose first part is a known town ("Seattle-Capitol Hill",
# "Dhaka - Paltan"), up to the bracket or comma that opens its address.
COMPOUND_GAP = re.compile(r"\s*[-–]\s*[A-Z][\w'’.]*(?:[\s-]+[A-Z][\w'’.]*){0,2}"
                          r"\s*(?:,\s*\(?|\()\s*")
# Parts of an address read after its first (a district, a state, a country).
MAX_PARTS = 4


def _parts(text: str, tops: list[Toponym], i: int) -> list[Toponym]:
    """The later parts of the address ``tops[i]`` opens (a hyphen-joined name may come first)."""
    parts: list[Toponym] = []
    end = tops[i].end
    for u in tops[i + 1:i + 1 + MAX_PARTS]:
        if not (ADDRESS_GAP.fullmatch(text, end, u.start)
                or not parts and COMPOUND_GAP.fullmatch(text, end, u.start)):
            break
        parts.append(u)
        end = u.end
    return parts


def seat_before_itself(document: Document, gaz: Gazetteer, tops: list[Toponym]) -> None:
    """Read a state or country named before itself in its address as its town of that name."""
    text = document.text
    for i, t in enumerate(tops):
        e = t.best
        if e is None or t.fixed is not None or e.level not in (1, 2) or t.kind is not None:
            continue
        if not any(u.best is not None and u.best.level == e.level
                   and u.best.country_code == e.country_code
                   and (e.feature_code == COUNTRY or u.best.admin1_code == e.admin1_code)
                   for u in _parts(text, tops, i)):
            continue
        # (the resolver keeps only the division, the name's exact reading, as a candidate)
        towns = [c for c in gaz.lookup(t.lookup) if c.level >= 3
                 and c.country_code == e.country_code
                 and (e.feature_code == COUNTRY or c.admin1_code == e.admin1_code)]
        if towns:
            t.best = max(towns, key=lambda c: c.population)
