"""Names for armed groups in ACLED's form: the groups the lexicon knows by name, and the
unnamed ones a report describes ("Pokot militia", "Islamist insurgents", "ethnic militias").

ACLED names an unnamed group by what it is: "Islamist Militia (Mozambique)", "Pokot Ethnic
Militia (Kenya)", "Unidentified Communal Militia (Kenya)", and only when a report says no more,
"Unidentified Armed Group (X)". Which of these a group is decides its inter code (rebels 2,
political militia 3, identity militia 4), so it is read from the words that describe it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from sitrep.lexicon import country_name, load_lexicon, normalise
from sitrep.records import Actor

if TYPE_CHECKING:
    from spacy.tokens import Token

# Words that make a group an Islamist one ("Islamist militants", "jihadist fighters").
ISLAMIST_WORDS = frozenset({"islamist", "islamists", "jihadist", "jihadists", "jihadi"})
# Words that make a militia an identity (communal) one when the community is not named.
COMMUNAL_WORDS = frozenset({"ethnic", "communal", "tribal", "clan"})
# Nouns that an ethnic name before them makes an ethnic militia ("Pokot raiders"); not
# "gunmen" or "attackers", which any group's members are called.
MILITIA_HEADS = frozenset({"militia", "militias", "militiamen", "militiaman", "raiders",
                           "bandits", "herders", "herdsmen", "warriors", "morans"})
# Capitalised words before such a noun that are no community's name.
NOT_A_COMMUNITY = frozenset({
    "suspected", "alleged", "unidentified", "unknown", "armed", "local", "rival", "masked",
    "heavily", "some", "other", "several", "many", "the", "a", "an", "two", "three", "cattle",
    "pro", "anti", "government", "opposition", "youth", "village", "self", "defence", "defense",
    "christian", "muslim", "hindu", "buddhist", "catholic", "islamic", "islamist", "jihadist",
})
_NOT_PLACE_TYPES = frozenset({"GPE", "LOC", "FAC", "DATE", "TIME", "CARDINAL", "ORDINAL",
                              "MONEY", "QUANTITY", "PERCENT"})


def group_actor(text: str, country: str | None = None) -> Actor | None:
    """A named armed group found in ``text`` ('suspected Boko Haram members'), or None."""
    lex = load_lexicon()
    normal = normalise(text)
    for match in lex.group_pattern.finditer(normal):
        alias = match.group(0)
        entry = lex.groups[alias]
        if len(alias) <= 4 and " " not in alias and (
                not _looks_like_acronym(text, alias)
                or (entry.get("where") and country not in entry["where"])):
            continue  # "AA" is the Arakan Army in Myanmar only
        code = entry.get("country") or country
        name = entry["name"]
        if entry.get("by_country") and country:
            name = f"{name} ({country_name(country)})"
        return Actor(name, entry["inter"], code)
    return None


def _looks_like_acronym(text: str, alias: str) -> bool:
    """Short aliases ('IS', 'LeT', 'TTP') count only when written with capitals."""
    for match in re.finditer(rf"(?<!\w){re.escape(alias)}(?!\w)", text, flags=re.IGNORECASE):
        if sum(ch.isupper() for ch in match.group(0)) >= 2:
            return True
    return False


def unnamed_group(token: Token, modifiers: list[Token], code: str | None) -> Actor:
    """The ACLED actor for an armed group the report describes but does not name."""
    where = f" ({country_name(code)})" if code else ""
    words = {m.lower_ for m in modifiers}
    if token.lower_ in ISLAMIST_WORDS or words & ISLAMIST_WORDS:
        return Actor(f"Islamist Militia{where}", 2, code)
    if words & COMMUNAL_WORDS:
        return identity_militia("", code)
    community = _community(token, modifiers) if token.lower_ in MILITIA_HEADS else None
    if community:
        return identity_militia(community, code)
    return Actor(f"Unidentified Armed Group{where}", 3, code)


def identity_militia(community: str, code: str | None) -> Actor:
    """ACLED's identity militia (inter 4): "Pokot Ethnic Militia (Kenya)", or with no
    community named, "Unidentified Communal Militia (Kenya)"."""
    where = f" ({country_name(code)})" if code else ""
    name = f"{community} Ethnic Militia" if community else "Unidentified Communal Militia"
    return Actor(f"{name}{where}", 4, code)


def _community(token: Token, modifiers: list[Token]) -> str | None:
    """The community named right before a militia noun: "Pokot" in "Pokot militia"."""
    lex = load_lexicon()
    words: list[str] = []
    for mod in sorted((m for m in modifiers if m.i < token.i), key=lambda m: -m.i):
        if mod.i != token.i - len(words) - 1 or mod.dep_ not in ("compound", "amod", "nmod"):
            break
        low = mod.lower_
        if (not mod.text[:1].isupper() or low in NOT_A_COMMUNITY or low in lex.demonyms
                or low in lex.countries or mod.ent_type_ in _NOT_PLACE_TYPES
                or low in lex.classes):
            break
        words.insert(0, mod.text[:1].upper() + mod.text[1:].lower())
    return " ".join(words) or None


AFFILIATED = frozenset({"belong", "affiliate", "link", "loyal", "associate", "allied", "ally"})


def affiliation(token: Token, code: str | None) -> Actor | None:
    """The group unnamed fighters are said to belong to: "insurgents allegedly belonging to
    ASWJ", "gunmen affiliated with the TNLA"."""
    for verb in token.children:
        if verb.dep_ not in ("acl", "amod", "relcl") or verb.lemma_.lower() not in AFFILIATED:
            continue
        for prep in verb.children:
            if prep.dep_ == "prep" and prep.lower_ in ("to", "with"):
                for obj in prep.children:
                    if obj.dep_ == "pobj":
                        group = group_actor(obj.doc[obj.left_edge.i:obj.right_edge.i + 1].text,
                                            code)
                        if group is not None:
                            return group
    return None
