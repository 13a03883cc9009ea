"""ACLED's actor conventions that depend on the event type, applied once typing has settled it.

The actors stage reads who did what from the parse; ACLED's coding adds rules that only the
final type decides: a riot's actor1 is always its rioters, a protest's its protesters; violence
with no named perpetrator still has one (state forces in a battle, a communal militia, an
unidentified armed group); and a state's forces outside their own country are "External/Other
forces" (inter 8), as ACLED codes France's soldiers in Burkina Faso or Russia's in Ukraine.
"""

from __future__ import annotations

import re

from sitrep.document import EventDraft
from sitrep.lexicon import POLICE, STATE, country_name
from sitrep.pipeline.actor_refs import state_actor
from sitrep.pipeline.armed_groups import identity_militia
from sitrep.records import Actor

# ACLED names the crowd by what it did: "Protesters (X)" for the protest types, "Rioters (X)"
# for a violent demonstration or mob violence, whatever word the report used for the crowd.
CROWD_ACTOR: dict[str, tuple[str, int]] = {
    "Peaceful protest": ("Protesters", 6), "Protest with intervention": ("Protesters", 6),
    "Excessive force against protesters": ("Protesters", 6),
    "Violent demonstration": ("Rioters", 5), "Mob violence": ("Rioters", 5),
}
STATE_FORCES = re.compile(r"\b(?:army|military|soldiers?|troops|police|gendarm\w*|national guard"
                          r"|guardsmen|security forces|government forces|state forces)\b", re.I)
COMMUNAL = re.compile(r"\b(?:ethnic|communal|tribal|clan) (?:militias?|groups?|clash\w*|violence"
                      r"|conflicts?|fighting|attacks?|raids?)|\binter-?(?:communal|ethnic|clan)\b"
                      r"|\bcattle (?:rustlers|raiders|raid\w*)|\brustlers\b|\braiders\b", re.I)
# ACLED event types whose actor1 is always an armed side: with none named, ACLED writes an
# unidentified armed group of the country. Looting is done by someone too.
ARMED_EVENT_TYPES = frozenset({"Battles", "Explosions/Remote violence",
                               "Violence against civilians"})
ARMED_SUB_EVENT_TYPES = frozenset({"Looting/property destruction"})
# Strategic developments an armed side or the state carries out: forces moved, weapons seized
# or defused, a base set up. With no actor named, the state's forces the report names (ACLED's
# most common actor1 of these: 162 of 505 changes to group activity, 49 of 122 disrupted
# weapons uses in its notes), else an unidentified armed group.
FORCES_SUB_EVENT_TYPES = frozenset({"Change to group/activity", "Disrupted weapons use",
                                    "Headquarters or base established"})
STATE_INTERS = frozenset({1, 8})


def settle_actors(event: EventDraft, window: str, focus_country: str | None) -> None:
    """Make the event's actors follow ACLED's conventions for the type it got."""
    _crowd_actor(event, focus_country)
    _unidentified_actor(event, window, focus_country)
    _external(event, focus_country)


def _crowd_actor(event: EventDraft, focus_country: str | None) -> None:
    """Make a crowd's actor1 agree with the crowd type it got (or give one when none was found).

    ACLED's actor1 for the protest and riot types is the crowd whatever the report's subject
    (41 of 3,284 violent demonstrations in ACLED's notes have another): police the report puts
    first become actor2, a named party the crowd's associated actor."""
    wanted = CROWD_ACTOR.get(event.sub_event_type or "")
    if wanted is None:
        return
    name, inter = wanted
    current = event.actor1
    if current is not None and current.inter == inter:
        return
    code = current.country if current is not None else focus_country
    where = f" ({country_name(code)})" if code else ""
    event.actor1 = Actor(f"{name}{where}", inter, code)
    if current is None or current.inter in {5, 6, 7}:
        return
    if current.inter in STATE_INTERS:
        if event.actor2 is None or event.actor2.inter not in STATE_INTERS:
            event.actor2 = current
    elif not current.name.startswith("Unidentified") and current.name not in event.assoc_actor_1:
        event.assoc_actor_1 = [*event.assoc_actor_1, current.name]


def _unidentified_actor(event: EventDraft, window: str, focus_country: str | None) -> None:
    """Give violence with no perpetrator the parse could name an actor1 as ACLED would: in a
    battle, the state forces the sentences name (ACLED lists them first); a communal militia
    where the report says so; else "Unidentified Armed Group (X)"."""
    forces_type = event.sub_event_type in FORCES_SUB_EVENT_TYPES
    if (event.event_type not in ARMED_EVENT_TYPES
            and event.sub_event_type not in ARMED_SUB_EVENT_TYPES and not forces_type):
        return
    code = event.location.country_code if event.location is not None else focus_country
    where = f" ({country_name(code)})" if code else ""
    if event.actor1 is not None:
        if event.actor1.name.startswith("Unidentified Armed Group") and COMMUNAL.search(window):
            event.actor1 = identity_militia("", event.actor1.country)
        return
    forces = STATE_FORCES.search(window)
    if (event.event_type == "Battles" or forces_type) and forces and code:
        cls = POLICE if forces.group(0).lower().startswith(("police", "gendarm")) else STATE
        event.actor1 = state_actor(cls, code)
    elif COMMUNAL.search(window):
        event.actor1 = identity_militia("", code)
    else:
        event.actor1 = Actor(f"Unidentified Armed Group{where}", 3, code)


def _external(event: EventDraft, focus_country: str | None) -> None:
    """A state's forces in another country's event are ACLED's external forces (inter 8)."""
    if event.event_type is None:  # diplomacy: governments abroad are what it is about
        return
    here = (event.location.country_code if event.location is not None else None) or focus_country
    for field in ("actor1", "actor2"):
        actor: Actor | None = getattr(event, field)
        if actor is not None and actor.inter == 1 and here and actor.country not in (None, here):
            setattr(event, field, Actor(actor.name, 8, actor.country))
