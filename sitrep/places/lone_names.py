"""A last resort for a report in which no place was recognised: a capitalised word that the
gazetteer knows as a sizeable town or a state, whatever the tagger took it for ("Students of an
Isiolo school protest", "Migori drivers riot", "a raid in the Dadaab refugee complex").

Short notes name their place this way, as a modifier or in a headline, where the recogniser
rightly doubts a name; with no other place in the report it still says more than nothing.
"""

from __future__ import annotations

from sitrep.document import Document
from sitrep.places.gazetteer import ADMIN1, CAPITAL, PRIMARY, TOWN, Entry, Gazetteer
from sitrep.places.recognise import NOT_PLACES, demonym_country

# People in a town for its bare name to count with no other evidence: a hamlet's name is as
# likely a surname or a word.
LONE_TOWN_POPULATION = 20_000
# Nouns after a name that make it a people's ("Turkana raiders"), as peoples share their
# region's name.
PEOPLE_AFTER = frozenset({"raiders", "group", "groups", "community", "communities", "herders",
                          "pastoralists", "elders", "clan", "clans", "tribe", "tribesmen",
                          "warriors", "militia", "militiamen", "youths"})
# Entity kinds that are no place whatever the gazetteer holds (NORP: a people, though named
# like its region).
_NOT_PLACE_ENTITIES = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT",
                                 "QUANTITY", "NORP"})


def lone_town(document: Document, gaz: Gazetteer) -> tuple[Entry, int, int] | None:
    """The first capitalised word whose own name is a town of ``LONE_TOWN_POPULATION`` people
    or a state (with its span), when one country holds all its sizeable readings."""
    for tok in document.doc:
        if not (tok.is_title and tok.is_alpha and len(tok) >= 4 and tok.pos_ == "PROPN"):
            continue
        if (tok.ent_type_ in _NOT_PLACE_ENTITIES or tok.lower_ in NOT_PLACES
                or demonym_country(tok.text)):
            continue
        doc = tok.doc
        if tok.i > 0 and doc[tok.i - 1].is_title and doc[tok.i - 1].pos_ == "PROPN":
            continue  # a later word of a name: "the New Alliance", "Maasai University"
        after = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
        if after is not None and after.is_title and tok.ent_type_ not in ("ORG", "FAC"):
            continue  # the first word of a longer name ("Kolo Manga"), not of an institution's
        if after is not None and after.lower_ in PEOPLE_AFTER:
            continue  # "Turkana raiders", "Kikuyu and Maasai groups": a people, not its land
        big = [e for e, q in gaz.lookup_scored(tok.text) if q == PRIMARY and (
            e.feature_code == ADMIN1 or e.feature_code in (TOWN, CAPITAL)
            and e.population >= LONE_TOWN_POPULATION)]
        if big and len({e.country_code for e in big}) == 1:
            best = max(big, key=lambda e: (e.feature_code != ADMIN1, e.population))
            return best, tok.idx, tok.idx + len(tok.text)
    return None

