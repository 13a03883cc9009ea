"""Internal event classes that detection assigns to a mention and typing turns into ACLED/PLOVER.

A kind is coarser than a sub-event type where the trigger alone cannot tell (an "attack" may be
an armed clash or an attack on civilians: actors decide), finer where the trigger says more.
"""

from __future__ import annotations

# kind -> (default ACLED sub_event_type or None when outside ACLED, default PLOVER event)
KINDS: dict[str, tuple[str | None, str]] = {
    "air_strike": ("Air/drone strike", "ASSAULT"),
    "shelling": ("Shelling/artillery/missile attack", "ASSAULT"),
    "explosion": ("Remote explosive/landmine/IED", "ASSAULT"),
    "suicide_bomb": ("Suicide bomb", "ASSAULT"),
    "grenade": ("Grenade", "ASSAULT"),
    "chemical": ("Chemical weapon", "ASSAULT"),
    "clash": ("Armed clash", "ASSAULT"),
    "territory_gain": ("Non-state actor overtakes territory", "ASSAULT"),
    "attack": ("Attack", "ASSAULT"),
    "sexual_violence": ("Sexual violence", "ASSAULT"),
    "abduction": ("Abduction/forced disappearance", "ASSAULT"),
    "protest": ("Peaceful protest", "PROTEST"),
    "riot": ("Violent demonstration", "PROTEST"),
    "mob": ("Mob violence", "ASSAULT"),
    "arrest": ("Arrests", "COERCE"),
    "looting": ("Looting/property destruction", "COERCE"),
    "agreement": ("Agreement", "AGREE"),
    "disrupted_weapons": ("Disrupted weapons use", "COERCE"),
    "base": ("Headquarters or base established", "MOBILIZE"),
    "group_change": ("Change to group/activity", "OTHER"),
    "territory_transfer": ("Non-violent transfer of territory", "RETREAT"),
    "strategic": ("Other", "OTHER"),
    "meeting": (None, "CONSULT"),
    "visit": (None, "CONSULT"),
    "aid": (None, "AID"),
    "sanction": (None, "SANCTION"),
    "cooperation": (None, "COOPERATE"),
    "request": (None, "REQUEST"),
    "threat": (None, "THREATEN"),
    "pledge": (None, "AGREE"),  # help, talks or closer ties announced: "will provide aid"
}

# Verbal acts of diplomacy ("urged Ecuador to withdraw") tell less than a meeting or a strike:
# they weigh less, and a short report whose only event is an appeal may still get the event its
# classifier label names.
VERBAL_KINDS = frozenset({"request", "pledge"})
# Kinds whose announcement for later is itself an event (PLOVER's AGREE), not a mere future.
PLEDGEABLE_KINDS = frozenset({"aid", "cooperation", "meeting", "visit"})

# Kinds of armed violence whose mentions in one report may corefer with each other.
VIOLENT_KINDS = frozenset(
    {"air_strike", "shelling", "explosion", "suicide_bomb", "grenade", "chemical", "clash",
     "attack", "mob", "riot", "sexual_violence", "abduction"}
)
REMOTE_KINDS = frozenset(
    {"air_strike", "shelling", "explosion", "suicide_bomb", "grenade", "chemical"}
)

# Kinds that describe one confrontation together: a protest the police broke up, a raid that
# ended in arrests. Coreference lets them share an event; claims about one are about the others.
CONFRONTATION_KINDS = VIOLENT_KINDS | {"protest", "arrest", "looting", "territory_gain"}


def family(kind: str) -> str:
    """The group of kinds a mention of ``kind`` may corefer with."""
    return "violence" if kind in CONFRONTATION_KINDS else kind
