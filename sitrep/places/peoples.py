"""A people's or a region's adjective is no place: "Papuan students", "Acehnese fishermen",
"Tigrayan refugees". The gazetteer has no such name, so the resolver reads it loosely as some
town spelled alike (Papuan as Papayan, a Javanese village) three thousand kilometres away.
"""

from __future__ import annotations

from sitrep.places.gazetteer import Gazetteer

# Endings that make an adjective of a place's name ("Papua-n", "Aceh-nese", "Tigray-an",
# "Sindh-i", "Kashmir-i"), longest first.
_SUFFIXES = ("nese", "ese", "ian", "an", "n", "i")
# The shortest stem that counts: "Mali" is no adjective of a two-letter name.
_MIN_STEM = 3


def regional_adjective(gaz: Gazetteer, word: str) -> bool:
    """Whether ``word`` has no reading of its own but is a country's, a state's or a region's
    name with an adjective's ending: a mention of its people, not a place."""
    if not word[:1].isupper() or " " in word.strip() or gaz.lookup(word):
        return False
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            if any(e.level <= 2 for e in gaz.lookup(word[: -len(suffix)])):
                return True
    return False
