"""Event typing: turn each event draft's internal kind into ACLED and PLOVER categories.

Two sources of evidence are combined. Rules read the draft's kind (from its trigger word) and the
words of its sentences: who fought whom, which weapon, what the police did to a crowd. A small
text classifier (multinomial logistic regression over words, stems and bigrams, trained by
``scripts/train_typing.py``) reads the whole report and says what kind of report it is. The
classifier knows things a trigger cannot ("an explosion at a fireworks warehouse" is an accident,
"a peaceful sit-in violently dispersed" is excessive force), the rules know which event a label
belongs to. The classifier types the report's main event only when its label is compatible with
the event's kind; it also flags reports about disasters so their events can be dropped, and
reports about crime so their violence is kept outside ACLED's scope (``event_type`` null, a PLOVER
ASSAULT in the ``crime`` context) with its casualty figures.

What this stage leaves for later ones, in ``document.extras``:

- ``typing_doc``: ``(label, probability)``, the classifier's label for the whole report (a CASE
  2021 code such as ``ARMED_CLASH``, ``NATURAL_DISASTER``, ``DIPLO`` or ``ATTRIB``).
- ``drop_events``: indices into ``document.events`` of drafts that the classifier says are not
  events to code (a disaster, or a crime with no violence); their ``type_score`` is set low.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sitrep.document import Document, EventDraft
from sitrep.pipeline.actor_types import settle_actors
from sitrep.pipeline.kinds import KINDS, REMOTE_KINDS, VIOLENT_KINDS
from sitrep.pipeline.registry import stage
from sitrep.pipeline.typing_accurate import (  # noqa: F401 - use_mode re-exported
    typing_mode,
    use_mode,
)
from sitrep.pipeline.typing_model import (  # noqa: F401 - re-exported: the stage's public names
    CASE_TO_SUB,
    FORMAT,
    LABELS,
    MODEL_ENV,
    MODEL_PATH,
    NON_POLITICAL,
    SUB_TO_CASE,
    ModelError,
    TypingModel,
    _cues,
    classify,
    features,
    load_model,
    model_path,
    read_model,
    use_model,
)
from sitrep.records import ACLED_TYPES, Plover

# The classifier types a report's main event when its top label is at least this likely...
DOC_MIN_PROB = 0.2
# ...and drops the report's events as non-political when disaster/crime labels together are this
# likely and one of them is the top label.
DROP_MIN_PROB = 0.3
# How much a rule's own verdict weighs against the classifier's probability for the main event.
RULE_WEIGHT = 0.2
# Triggers that name their type outright ("captured the town", "a suicide bomber", "detained"):
# the classifier needs more to overrule them.
DECISIVE_KINDS = frozenset({"territory_gain", "suicide_bomb", "grenade", "chemical", "arrest",
                            "abduction", "sexual_violence", "base", "disrupted_weapons",
                            "territory_transfer", "agreement"})
DECISIVE_RULE_WEIGHT = 0.5
# A classifier this sure of an ACLED type types the report's main event even when the type is
# not among those its trigger's kind allows: trained on ACLED's own notes, it knows that
# "protesters ... police fired live rounds" is excessive force though the trigger said "protest"
# and the rules saw a shooting.
CLASSIFIER_WINS_PROB = 0.5
# In the accurate mode (its classifier types ACLED's notes better than the rules do: 0.875
# against 0.867 weighted F1), a classifier this sure overrules decisive triggers and the
# weapon too.
SURE_PROB = 0.8
TAKEN_BY = frozenset({"Government regains territory", "Non-state actor overtakes territory"})
TERRITORY_CODES = frozenset({"GOV_REGAINS_TERIT", "NON_STATE_ACTOR_OVERTAKES_TER"})
# Words that settle a type a bag of words can miss: force used on the protesters themselves
# ("used excessive force against peaceful demonstrators, killing three protesters") is no
# peaceful protest, and gunmen storming a market or a village met no armed side (no clash).
LETHAL_ON_CROWD = re.compile(
    r"\b(?:excessive|lethal|deadly) force\b|\bopened fire on (?:the )?(?:\w+ )?"
    r"(?:protesters|demonstrators|crowds?|marchers)\b|\b(?:killing|killed|shot dead|shooting|"
    r"wounding|injuring) (?!of\b)(?:at least )?(?:\w+ )?(?:protesters|demonstrators|marchers)\b"
    r"|\b(?:protesters|demonstrators|marchers) (?:were |was )?(?:shot dead|killed by"
    r"|died (?:of|from) (?:gunshot|bullet|gunfire))", re.I)
ONE_SIDED = re.compile(
    r"\b(?:stormed|raided|attacked|opened fire (?:on|in|at)) (?:a |the )?(?:\w+ ){0,3}?"
    r"(?:market(?:place)?|village|mosque|church|school|bus|wedding|funeral|hospital|homes?"
    r"|houses?|shops?|restaurant|bar|camp for displaced|building|hotel|bank|university|college"
    r"|temple|shrine|synagogue|cafe|nightclub|theat(?:re|er)|stock exchange)\b", re.I)
CROWD_VIOLENCE = re.compile(
    r"\b(?:turn(?:ed|s)?|became|grew) (?:\w+ )?violent\b|\bviolent (?:protests?|demonstrations?"
    r"|rall(?:y|ies)|clashes)\b|\baggressive demonstrations?\b"
    r"|\b(?:protesters|demonstrators)\b[^.]{0,80}?\b(?:clashed|clashes|clashing)\b(?! between)"
    r"|\bprotesters (?:\w+ )?"
    r"(?:clashed|hurled|threw|pelted|torched|stormed|set fire|vandali[sz]ed|looted)\b", re.I)
NEW_BASE = re.compile(
    r"\b(?:set up|established|built|created|opened|erected) (?:a |an |the )?(?:new )?"
    r"(?:\w+ )?(?:military )?(?:base|headquarters|outpost|garrison)\b", re.I)
# The classifier's types a rule's words rule out: {rule's type: (pattern, ruled out)}.
RULED_OUT: dict[str, tuple[re.Pattern[str], frozenset[str]]] = {
    "FORCE_AGAINST_PROTEST": (LETHAL_ON_CROWD, frozenset({"PEACE_PROTEST",
                                                          "PROTEST_WITH_INTER"})),
    "ATTACK": (ONE_SIDED, frozenset({"ARMED_CLASH"})),
    "VIOL_DEMONSTR": (CROWD_VIOLENCE, frozenset({"PEACE_PROTEST"})),
    "HQ_ESTABLISHED": (NEW_BASE, frozenset({"CHANGE_TO_GROUP_ACT"})),
}
# The police acting on a gathering: arrests, dispersal, crowd-control munitions.
INTERVENED = re.compile(
    r"\b(?:police|officers|authorities|troopers|deputies|security forces|gendarmes)\b(?: \w+){0,3}"
    r" (?:arrested|detained|dispersed|apprehended|broke up|cleared)\b"
    r"|\b(?:were|was|been|being) (?:arrested|detained|apprehended|dispersed)\b"
    r"|\bmade (?:\w+ )?arrests?\b|\barrests? (?:was|were) made\b|\btaken into custody\b"
    r"|\btear ?gas\b|\brubber bullets\b|\bwater cannons?\b|\bpepper (?:spray|balls?)\b",
    re.I)
# Triggers that name a fight between two sides outright.
FIGHT_WORDS = frozenset({"battle", "fight", "fighting", "clash", "firefight", "gunfight",
                         "skirmish"})
# Ground taken with no fight (ACLED's non-violent transfer of territory): "took over the village
# tract; no battle or fatalities reported", "occupied the village without resistance".
NO_FIGHT = re.compile(
    r"\bno (?:\w+ )?(?:fighting|violence|battles?|clash(?:es)?|resistance|engagement|combat"
    r"|gunfire|shots?)\b|\bwithout (?:a |any )?(?:fight|fighting|resistance|violence|shot"
    r"|firing|bloodshed|engagement|clash(?:es)?)\b|\bwith no engagement|\bunopposed\b"
    r"|\bby surprise\b", re.I)
# Force ACLED calls excessive: people killed, shot, hurt or beaten at the gathering.
FORCE_USED = re.compile(
    r"\b(?:kill\w*|shot|shoot\w*|fired|firing|opened fire|live (?:ammunition|rounds|bullets)"
    r"|bullets?|gunfire|gunshots?|injur\w*|wound\w*|beat\w*|batons?|dead|deaths?|died"
    r"|hospitali\w*|tortur\w*|stabb\w*|machetes?|assault\w*|attack\w*|hurt|lynch\w*"
    r"|whipp\w*|caned|clubbed|casualt\w*|fatalit\w*|bleed\w*|blood\w*"
    r"|violently|crush\w*|tear ?gas\w*|rubber|pellets?)\b", re.I)
# A disaster is never carried out with a gun or a knife: when the classifier calls a shooting a
# "man-made disaster", the weapon found in the event's own phrases wins.
PERSONAL_WEAPONS = frozenset({"firearm", "knife", "machete", "axe"})
# Words of deliberate political violence: a report that has them is about an attack, whatever the
# classifier's disaster or crime label says ("a car bomb exploded", "militants stabbed").
POLITICAL_ATTACK = re.compile(
    r"\bbomb(?:s|er|ers|ing|ings)?\b(?! (?:disposal|squad|threat|scare))|\bexplosives\b"
    r"|\bsuicide (?:attack|attacker|bomb|bomber|bombing|blast|vest|belt|car|truck)s?\b"
    r"|\bmilitants?\b|\bterror\w*|\binsurgents?\b|\bjihadi\w*|\bislamist\w*|\bextremists?\b"
    r"|\brebels?\b|\bclaimed responsibility|\bclaimed the attack|\barmed group"
    r"|\bgunmen\b|\bislamic state\b|\bal-?qaeda\b|\btaliban\b|\bal-?shabaab\b"
    r"|\bboko haram\b|\bmissiles?\b|\brockets?\b|\bartillery\b|\bshelling\b|\bmortars?\b"
    r"|\bair ?strikes?\b|\bairstrikes?\b|\bdrone strikes?\b|\bgrenades?\b", re.I)
# A blast at a place attacks are aimed at (worship, security forces, diplomats, crowds gathered
# for a ceremony) is an attack, though the report names no bomb: "an explosion in a cathedral".
TARGETED_BLAST = re.compile(
    r"\b(?:explosions?|blasts?|explod(?:ed|es|ing))\b[^.]{0,60}?\b(?:mosques?|church(?:es)?|cathedrals?|synagogues?"
    r"|shrines?|bus|checkpoints?|police|army|military|convoys?|embassy|consulate|wedding"
    r"|funeral|rally|parliament)\b"
    r"|\b(?:mosque|church|cathedral|synagogue|shrine|checkpoint|convoy|embassy)\b[^.]{0,40}?"
    r"\b(?:explosions?|blasts?|explod(?:ed|es|ing))\b", re.I)
# Nature's harm: a sentence naming a hazard and what it did makes the report a disaster (with
# this probability), unless it names political violence or a crowd (a protest over flood aid).
HAZARD = re.compile(
    r"\b(?:earthquakes?|quakes?|tremors?|floods?|flooding|landslides?|mudslides?|cyclones?"
    r"|hurricanes?|typhoons?|tornado(?:es)?|tsunamis?|storms?|torrential rains?|heavy rains?"
    r"|avalanches?|volcan\w*|eruptions?|wildfires?|bushfires?|forest fires?|droughts?"
    r"|heat ?waves?|lightning)\b", re.I)
HAZARD_HARM = re.compile(r"\b(?:kill\w*|dead|died|deaths?|injur\w*|flatten\w*|destroy\w*"
                         r"|swept|buried|collaps\w*|displac\w*|damag\w*|burn\w*|hospital\w*"
                         r"|poison\w*|total loss|trapped)", re.I)
# An accident's harm (a man-made disaster), and smuggling or trafficking with no violence (a
# crime): the same holds, and neither is a shooting or a stabbing.
ACCIDENT = re.compile(
    r"\baccident\w*|\bcrash(?:ed|es)?\b|\bplunged\b|\bderail\w*|\bcapsiz\w*|\bboilers?\b"
    r"|\bgas (?:cylinders?|leaks?|explosions?|tanks?|containers?|pipelines?)\b|\bpropane\b"
    r"|\bfireworks?\b|\bchemical (?:spills?|leaks?|plants?)\b|short[- ]circuit|fire broke out"
    r"|\bcaught fire\b|\bstampede\b|building collapse|storage container", re.I)
SMUGGLING = re.compile(r"\bsmuggl\w*|\btraffick\w*|\bcyber ?crime\w*|\bcounterfeit\w*", re.I)
CROWD_WORDS = re.compile(r"\bprotest\w*|\bdemonstrat\w*|\brall(?:y|ies|ied)\b|\briot\w*"
                         r"|\bmarch(?:ed|es|ing)?\b|\bstrike\b|\bmobs?\b|\blynch\w*", re.I)
HAZARD_PROB = 0.8
# Shooting and stabbing: violence by a person, never a disaster, whatever the classifier says.
PERSONAL_VIOLENCE = re.compile(
    r"\bsh(?:ot|oot|ooting|ootings|ooter|ooters)\b|\bgunm[ae]n\b|\bgunfire\b|\bgunshots?\b"
    r"|opened fire|\bfired (?:at|into|on|upon|shots)\b|\bstabb(?:ed|ing)\b|\bmurder"
    # a person who kills: "he killed the postmaster", "a man then killed two more"
    r"|\b(?:he|she|man|woman|boy|girl|student|teenager|suspect|attacker|assailant|husband"
    r"|son|father)\s+(?:\w+\s+)?(?:killed|kills|killing)\b",
    re.I)

# ---------------------------------------------------------------------------------------------
# Rules: kind + words around the event

@dataclass(frozen=True)
class Typing:
    """What the rules make of one event: ACLED sub-event type (None outside ACLED), PLOVER."""

    sub_event_type: str | None
    plover_event: str
    mode: str | None
    context: tuple[str, ...]
    score: float


def rule_type(kind: str, window: str) -> Typing:
    """Type an event from its kind and the text of its sentences."""
    cues = _cues(window)
    default_sub, plover_event = KINDS.get(kind, ("Other", "OTHER"))
    sub = default_sub
    score = 0.6
    armed_both = "state" in cues and "nonstate" in cues

    if kind in {"air_strike", "shelling", "explosion", "grenade", "suicide_bomb", "chemical"}:
        if "disrupted" in cues and kind != "suicide_bomb":
            sub, score = "Disrupted weapons use", 0.7
        elif kind == "explosion":
            if "suicide" in cues:
                sub, score = "Suicide bomb", 0.8
            elif "chemical" in cues:
                sub, score = "Chemical weapon", 0.75
            elif "grenade" in cues and "rpg" not in cues:
                sub, score = "Grenade", 0.75
            elif "air" in cues and "ied" not in cues:
                sub, score = "Air/drone strike", 0.65
            elif "heavy" in cues and "ied" not in cues:
                sub, score = "Shelling/artillery/missile attack", 0.65
            else:
                score = 0.7 if "ied" in cues else 0.55
        else:
            score = 0.75
    elif kind in {"attack", "clash"}:
        if "suicide" in cues:
            sub, score = "Suicide bomb", 0.75
        elif "chemical" in cues:
            sub, score = "Chemical weapon", 0.7
        elif "grenade" in cues and "rpg" not in cues:
            sub, score = "Grenade", 0.65
        elif "sexual" in cues:
            sub, score = "Sexual violence", 0.65
        elif "peaceful" in cues and "force" in cues and {"state"} & cues:
            sub, score = "Excessive force against protesters", 0.6
        elif "mob" in cues:
            sub, score = "Mob violence", 0.6
        elif kind == "clash" or "two_sided" in cues or (armed_both and "civilian" not in cues):
            sub, score = "Armed clash", 0.7 if "two_sided" in cues or armed_both else 0.6
        elif "air" in cues:
            sub, score = "Air/drone strike", 0.6
        elif "heavy" in cues:
            sub, score = "Shelling/artillery/missile attack", 0.6
        elif "ied" in cues:
            sub, score = "Remote explosive/landmine/IED", 0.55
        else:
            sub, score = "Attack", 0.6 if "civilian" in cues else 0.5
    elif kind == "territory_gain":
        if NO_FIGHT.search(window):
            sub, score = "Non-violent transfer of territory", 0.75
        elif "transfer" in cues and "two_sided" not in cues:
            sub, score = "Non-violent transfer of territory", 0.6
        elif "regain" in cues or ("state" in cues and "nonstate" not in cues):
            sub, score = "Government regains territory", 0.7
        else:
            sub, score = "Non-state actor overtakes territory", 0.65
    elif kind == "protest":
        if "force" in cues and "state" in cues:
            sub, score = "Excessive force against protesters", 0.65
        elif "violent_crowd" in cues:
            sub, score = "Violent demonstration", 0.65
        elif "intervention" in cues:
            sub, score = "Protest with intervention", 0.65
        else:
            # no sign of force or violence is weak evidence: the classifier may know better
            sub, score = "Peaceful protest", 0.7 if "peaceful" in cues else 0.5
    elif kind == "riot":
        sub, score = ("Mob violence", 0.65) if "mob" in cues else ("Violent demonstration", 0.7)
    elif kind == "mob":
        sub, score = "Mob violence", 0.7
    elif kind == "arrest":
        sub, score = "Arrests", 0.7
        if {"intervention"} <= cues and re.search(r"\bprotest|\bdemonstrat|\brall", window.lower()):
            sub = "Protest with intervention"
    elif kind == "territory_transfer":
        sub, score = "Non-violent transfer of territory", 0.55
    elif kind == "looting":
        sub, score = "Looting/property destruction", 0.65
    elif default_sub is not None:
        score = 0.65
    else:
        score = 0.6

    if sub is not None and sub not in ACLED_TYPES:
        sub = None
    if sub is not None:
        plover_event = _plover_for(sub, plover_event)
    mode, context = _plover_details(sub, plover_event, kind, cues)
    return Typing(sub, plover_event, mode, context, score)


def _plover_for(sub: str, default: str) -> str:
    event_type, _ = ACLED_TYPES[sub]
    if event_type in {"Battles", "Explosions/Remote violence", "Violence against civilians"}:
        return "ASSAULT"
    if sub == "Mob violence":
        return "ASSAULT"
    if event_type in {"Protests", "Riots"}:
        return "PROTEST"
    return {
        "Agreement": "AGREE", "Arrests": "COERCE", "Disrupted weapons use": "COERCE",
        "Headquarters or base established": "MOBILIZE", "Change to group/activity": "MOBILIZE",
        "Non-violent transfer of territory": "RETREAT", "Looting/property destruction": "ASSAULT",
    }.get(sub, default)


_ASSAULT_MODES: dict[str, str] = {
    "Air/drone strike": "aerial", "Shelling/artillery/missile attack": "heavy-weapons",
    "Remote explosive/landmine/IED": "explosives", "Grenade": "explosives",
    "Suicide bomb": "suicide-attack", "Sexual violence": "sexual",
    "Abduction/forced disappearance": "abduct", "Looting/property destruction": "destroy",
    "Armed clash": "firearms", "Chemical weapon": "heavy-weapons",
}


def _plover_details(
    sub: str | None, event: str, kind: str, cues: frozenset[str]
) -> tuple[str | None, tuple[str, ...]]:
    """PLOVER mode (how) and context (why) from the ACLED type and the cue words."""
    mode: str | None = None
    context: list[str] = []
    if event == "ASSAULT":
        mode = _ASSAULT_MODES.get(sub or "")
        if sub in {"Attack", "Mob violence"}:
            mode = "primitive" if "violent_crowd" in cues or "mob" in cues else "firearms"
        if sub in {"Armed clash", "Government regains territory",
                   "Non-state actor overtakes territory"} or "state" in cues:
            context.append("military")
        if "terror" in cues or sub == "Suicide bomb":
            context.append("terrorism")
        if sub == "Chemical weapon":
            context.append("cbrn")
    elif event == "PROTEST":
        mode = "riot" if sub in {"Violent demonstration", "Mob violence"} else "demo"
        context.append("political")
    elif event == "COERCE":
        mode = "arrest" if sub == "Arrests" else "confiscate" if sub else None
        context.append("military" if sub == "Disrupted weapons use" else "political")
    elif event == "MOBILIZE":
        mode = "troops"
        context.append("military")
    elif event == "RETREAT":
        mode = "withdraw"
        context.append("military")
    elif event == "CONSULT":
        visiting = kind == "visit" or "visit" in cues
        mode = "phone" if "phone" in cues else "visit" if visiting else None
        context.append("diplomatic")
    elif event == "AID":
        mode = ("military" if "military_aid" in cues else "humanitarian" if "humanitarian" in cues
                else "economic" if "economic" in cues else None)
        context.append("humanitarian" if mode == "humanitarian" else "diplomatic")
    elif event == "SANCTION":
        mode = "expel" if "expel" in cues else "sever" if "sever" in cues else None
        context.append("diplomatic")
    elif event in {"COOPERATE", "REQUEST"}:
        context.append("diplomatic")
    elif event == "AGREE":
        context.append("military" if "state" in cues or "nonstate" in cues else "diplomatic")
    return mode, tuple(dict.fromkeys(context))


# ---------------------------------------------------------------------------------------------
# Which classifier labels an event of a kind may take

_REMOTE = frozenset({"AIR_STRIKE", "ART_MISS_ATTACK", "REM_EXPLOS", "SUIC_BOMB", "CHEM_WEAP",
                     "GRENADE"})
_BATTLE = frozenset({"ARMED_CLASH", "GOV_REGAINS_TERIT", "NON_STATE_ACTOR_OVERTAKES_TER"})
_CROWD = frozenset({"PEACE_PROTEST", "PROTEST_WITH_INTER", "FORCE_AGAINST_PROTEST",
                    "VIOL_DEMONSTR", "MOB_VIOL"})
_VIOLENT = _REMOTE | _BATTLE | frozenset({"ATTACK", "SEX_VIOL", "ABDUCT_DISSAP", "MOB_VIOL",
                                          "VIOL_DEMONSTR", "FORCE_AGAINST_PROTEST", "DISR_WEAP",
                                          "PROPERTY_DISTRUCT"})
_STRATEGIC = frozenset({"AGREEMENT", "CHANGE_TO_GROUP_ACT", "HQ_ESTABLISHED",
                        "NON_VIOL_TERRIT_TRANSFER", "OTHER", "DISR_WEAP"})
COMPATIBLE: dict[str, frozenset[str]] = {
    "air_strike": _REMOTE | {"DISR_WEAP", "ARMED_CLASH"},
    "shelling": _REMOTE | {"DISR_WEAP", "ARMED_CLASH"},
    "explosion": _REMOTE | {"DISR_WEAP"},
    "suicide_bomb": frozenset({"SUIC_BOMB", "REM_EXPLOS"}),
    "grenade": frozenset({"GRENADE", "REM_EXPLOS", "DISR_WEAP"}),
    "chemical": frozenset({"CHEM_WEAP", "ART_MISS_ATTACK", "AIR_STRIKE"}),
    "attack": _VIOLENT,
    "clash": _BATTLE | _REMOTE | {"ATTACK", "VIOL_DEMONSTR", "MOB_VIOL"},
    # ACLED: a battle in which territory changes hands is coded by who took it, not as a clash
    "territory_gain": (_BATTLE - {"ARMED_CLASH"}) | {"NON_VIOL_TERRIT_TRANSFER", "HQ_ESTABLISHED",
                                                     "OTHER"},
    "sexual_violence": frozenset({"SEX_VIOL", "ATTACK"}),
    "abduction": frozenset({"ABDUCT_DISSAP", "ARREST", "ATTACK"}),
    "protest": _CROWD,
    "riot": _CROWD,
    "mob": frozenset({"MOB_VIOL", "VIOL_DEMONSTR", "ATTACK"}),
    "arrest": frozenset({"ARREST", "PROTEST_WITH_INTER", "ABDUCT_DISSAP"}),
    "looting": frozenset({"PROPERTY_DISTRUCT", "VIOL_DEMONSTR", "MOB_VIOL", "ATTACK"}),
    "agreement": frozenset({"AGREEMENT", "NON_VIOL_TERRIT_TRANSFER", "OTHER"}),
    "disrupted_weapons": frozenset({"DISR_WEAP"}),
    "base": frozenset({"HQ_ESTABLISHED", "CHANGE_TO_GROUP_ACT"}),
    "group_change": _STRATEGIC,
    "strategic": _STRATEGIC,
    "territory_transfer": frozenset({"NON_VIOL_TERRIT_TRANSFER", "GOV_REGAINS_TERIT",
                                     "NON_STATE_ACTOR_OVERTAKES_TER", "CHANGE_TO_GROUP_ACT",
                                     "AGREEMENT"}),
    "meeting": frozenset({"AGREEMENT"}),
}


# ---------------------------------------------------------------------------------------------
# The stage


def document_label(document: Document) -> tuple[str | None, float]:
    """The classifier's label for the whole report, with its probability ((None, 0) if none)."""
    cached = document.extras.get("typing_doc")
    if cached is not None:
        return cached
    ranked, word = _ranked(document.text)
    cause = _non_political_cause(document.text) if ranked else None
    if cause is not None:
        # a classifier trained mostly on conflict notes calls a deadly earthquake an attack
        ranked, word = _with_cause(ranked, cause), _with_cause(word, cause)
    result: tuple[str | None, float] = ranked[0] if ranked else (None, 0.0)
    document.extras["typing_doc"] = result
    document.extras["_typing_probs"] = dict(ranked)
    document.extras["_typing_word"] = dict(word)
    return result


def event_label(document: Document) -> tuple[str | None, float]:
    """The word model's label for the report and its probability: whether the report tells an
    event of an ACLED type at all. In the default mode it is ``document_label``'s; in the
    accurate mode the encoder, trained on notes of events only, types but does not decide this.
    """
    label = document_label(document)
    word: dict[str, float] = document.extras.get("_typing_word") or {}
    if not word:
        return label
    top = max(word, key=word.__getitem__)
    return top, word[top]


def _with_cause(ranked: list[tuple[str, float]], cause: str) -> list[tuple[str, float]]:
    if not ranked or ranked[0][0] in NON_POLITICAL:
        return ranked
    return [(cause, HAZARD_PROB)] + [
        (label, p * (1.0 - HAZARD_PROB)) for label, p in ranked if label != cause]


def _ranked(text: str) -> tuple[list[tuple[str, float]], list[tuple[str, float]]]:
    """The classifier's labels for a report by the typing mode in use, and the word model's."""
    if typing_mode() != "accurate":
        ranked = classify(text)
        return ranked, ranked
    from sitrep.pipeline import typing_accurate

    return typing_accurate.classify_pair(text)


def _non_political_cause(text: str) -> str | None:
    """The disaster or crime label a report's own words give, in a report that names no
    political violence and no crowd: a sentence blaming its harm on nature ("an earthquake
    flattened villages, killing 40") or on an accident ("a boiler exploded, killing a worker"),
    or smuggling with no one shot or stabbed."""
    if _names_political_violence(text) or CROWD_WORDS.search(text):
        return None
    sents = re.split(r"(?<=[.!?])\s+", text)
    if any(HAZARD.search(sent) and HAZARD_HARM.search(sent) for sent in sents):
        return "NATURAL_DISASTER"
    if PERSONAL_VIOLENCE.search(text):
        return None
    if any(ACCIDENT.search(sent) and HAZARD_HARM.search(sent) for sent in sents):
        return "MAN_MADE_DISASTER"
    if SMUGGLING.search(text) and not re.search(r"\bkill\w*|\bdead\b|\bweapons?\b|\barms\b",
                                                text, re.I):
        return "ORG_CRIME"
    return None


# Harm or arrests a gathering may be about, whose words are cut from the window that types it
# ("demanding the release of students who were arrested"; not "clashes": a background reading
# of those is less sure than a protest's clashes are common).
CAUSE_KILLINGS = frozenset({"kill", "killing", "death", "murder", "shoot", "shooting", "rape",
                            "assault", "beat", "beating", "torture", "lynch", "execute",
                            "arrest", "detain", "detention", "jail", "imprison"})


def _window(document: Document, event: EventDraft) -> str:
    """The text of the event's sentences, without what a gathering there is about: "a protest
    over the killing of X, a man killed by police" tells of no force used at the protest."""
    sents = document.sentences
    cut: list[tuple[int, int]] = []
    doc = document.doc
    for m in document.mentions:
        if (m.excluded == "background" and m.lemma in CAUSE_KILLINGS and m.sent in event.scope
                and 0 <= m.token < len(doc)):
            tok = doc[m.token]
            cut.append((tok.left_edge.idx, tok.right_edge.idx + len(tok.right_edge.text)))
    parts = []
    for i in event.scope:
        if not 0 <= i < len(sents):
            continue
        sent = sents[i]
        text, start, pos, kept = sent.text, sent.start_char, sent.start_char, []
        for a, b in sorted(cut):  # nested and overlapping subtrees: keep what none covers
            if start <= a and b <= start + len(text) and b > pos:
                kept.append(text[pos - start:max(a, pos) - start])
                pos = b
        kept.append(text[pos - start:])
        parts.append(" ".join(kept))
    return " ".join(parts)


def _main_events(events: Sequence[EventDraft]) -> set[int]:
    """Drafts told first: a news lead reports the main event in its first sentences."""
    if not events:
        return set()
    first = min((min(e.sents) if e.sents else 10**6) for e in events)
    return {i for i, e in enumerate(events) if e.sents and min(e.sents) == first}


def _lead_event(events: Sequence[EventDraft], main: set[int]) -> int | None:
    """The one draft of the lead the report is about, which the classifier may type against
    its trigger: the most weighted (first told on a tie). The report's label is one event's;
    "gendarmes assaulted a driver for breaking the curfew" is an attack, not two."""
    if not main:
        return None
    return max(sorted(main), key=lambda i: (max((m.weight for m in events[i].mentions),
                                                default=0.0), -i))


def _lead_sentence(document: Document) -> int:
    """The first sentence that tells something (has a verb): "10 July." is only a date."""
    for i, sent in enumerate(document.sentences):
        if any(t.pos_ in ("VERB", "AUX") for t in sent):
            return i
    return 0


def _follow_up_arrest(event: EventDraft, lead_sentence: int) -> bool:
    """An arrest told only after the lead, whose act the rules did not find: "students burnt
    their school. 22 were arrested the following day" is ACLED's mob violence, the arrests its
    sequel (of ACLED's notes typed as arrests so, 1 in 51 was one)."""
    return event.kind == "arrest" and bool(event.sents) and min(event.sents) > lead_sentence


@dataclass(frozen=True)
class Decision:
    sub_event_type: str | None
    plover: Plover
    score: float
    drop: bool


def _crime_mode(event: EventDraft, window: str) -> str | None:
    """PLOVER mode of a criminal assault from its weapons."""
    weapons, low = set(event.weapons), window.lower()
    if "firearm" in weapons or re.search(r"\bsh(?:o|oo)t|\bgun|\bfired\b|opened fire", low):
        return "firearms"
    if weapons & PERSONAL_WEAPONS or re.search(r"\bstabb|\bknife|\bbeat", low):
        return "primitive"
    return None


def _by_forces(event: EventDraft) -> bool:
    """Violence by state forces, rebels or a foreign state's forces is political whatever a
    word model trained on other countries calls it: "soldiers raped a woman" is no crime
    report to drop (a fold that never saw Myanmar's notes calls it one)."""
    return (event.kind in VIOLENT_KINDS and event.actor1 is not None
            and event.actor1.inter in (1, 2, 8))


@lru_cache(maxsize=64)
def _names_political_violence(report: str) -> bool:
    """Once per report, not once per event: both patterns scan the whole text."""
    return bool(POLITICAL_ATTACK.search(report) or TARGETED_BLAST.search(report))


def decide(
    event: EventDraft,
    window: str,
    probs: dict[str, float],
    *,
    main: bool,
    lead: bool = True,
    report: str = "",
    word: dict[str, float] | None = None,
    decisive: bool = True,
) -> Decision:
    """Combine the rules' verdict for one draft with the report-level classifier.

    A report the classifier calls a disaster or a crime loses its events, unless it names
    deliberate political violence (a bomb, militants, a claim of responsibility); a crime with
    victims keeps its event outside ACLED's scope (no ACLED type, a PLOVER assault in the
    ``crime`` context), so its casualties are still reported. A trigger that is not
    ``decisive`` (an arrest told after a lead the rules found nothing in) weighs as any other.
    """
    kind = event.kind
    decisive = decisive and kind in DECISIVE_KINDS
    accurate = typing_mode() == "accurate"
    rule = rule_type(kind, window)
    sub, event_name, mode, context = rule.sub_event_type, rule.plover_event, rule.mode, rule.context
    taker = event.actor1.inter if event.actor1 is not None else None
    if kind == "territory_gain" and sub in TAKEN_BY and taker in (1, 2, 3, 4):
        # ACLED tells the two by who took the ground, not by the verb: rebels who "recapture"
        # a village overtake it; government forces who "capture" one regain it
        sub = "Government regains territory" if taker == 1 else (
            "Non-state actor overtakes territory")
    score = rule.score
    allowed = COMPATIBLE.get(kind, frozenset())
    if probs:
        # whether the report is a disaster or a crime: the word model's call (``event_label``)
        gate = word or probs
        gate_top = max(gate, key=gate.__getitem__)
        top_label = max(probs, key=probs.__getitem__)
        non_political = sum(gate.get(lab, 0.0) for lab in NON_POLITICAL)
        armed = gate_top != "ORG_CRIME" and bool(set(event.weapons) & PERSONAL_WEAPONS)
        political = _names_political_violence(report) or _by_forces(event)
        if (gate_top in NON_POLITICAL and non_political >= DROP_MIN_PROB and not armed
                and not political):
            low_score = round(min(score, 1.0 - non_political) * 0.5, 4)
            criminal = gate_top == "ORG_CRIME" or bool(PERSONAL_VIOLENCE.search(window))
            if criminal and kind in VIOLENT_KINDS:
                return Decision(None, Plover("ASSAULT", _crime_mode(event, window), ["crime"]),
                                low_score, False)
            return Decision(sub, Plover(event_name, mode, list(context)), low_score, True)
        rule_code = SUB_TO_CASE.get(sub or "")
        if main and allowed:
            # the rule's label gets a bonus; the classifier may overrule it within the kind
            best, best_value = rule_code, -1.0
            for code in allowed | ({rule_code} if rule_code else set()):
                weight = DECISIVE_RULE_WEIGHT if decisive else RULE_WEIGHT
                value = probs.get(code, 0.0) + (weight * rule.score if code == rule_code
                                               else 0.0)
                if value > best_value:
                    best, best_value = code, value
            sure = accurate and probs[top_label] >= SURE_PROB
            if (top_label in CASE_TO_SUB and probs[top_label] >= CLASSIFIER_WINS_PROB
                    and lead and (not decisive or sure)
                    and KINDS[kind][0] is not None):
                best = top_label
            best, forced = _settled_by_words(
                best, event, window, rule_code, allowed, probs, sure=sure,
                taken_by=sub in TAKEN_BY and taker in (1, 2, 3, 4))
            if best and best != rule_code and (forced or probs.get(best, 0.0) >= DOC_MIN_PROB):
                sub = CASE_TO_SUB[best]
                event_name = _plover_for(sub, event_name)
                mode, context = _plover_details(sub, event_name, kind, _cues(window))
            chosen = SUB_TO_CASE.get(sub or "")
            p_chosen = probs.get(chosen or "", 0.0)
            score = 0.5 * score + 0.5 * p_chosen + (0.1 if chosen == top_label else 0.0)
        elif rule_code:
            score = 0.7 * score + 0.3 * probs.get(rule_code, 0.0)
    return Decision(sub, Plover(event_name, mode, list(context)), round(min(score, 1.0), 4),
                    False)


def _settled_by_words(best: str | None, event: EventDraft, window: str, rule_code: str | None,
                      allowed: frozenset[str], probs: dict[str, float], *, sure: bool,
                      taken_by: bool) -> tuple[str | None, bool]:
    """The type the event's own words settle against the classifier's choice (``best``), and
    whether they force it. Unless ``sure`` (the accurate mode's encoder at ``SURE_PROB``), a
    classifier trained on other countries' notes does not overrule what the text says."""
    kind = event.kind
    forced = False
    two_sided = "two_sided" in _cues(window)
    for code, (pattern, ruled_out) in RULED_OUT.items():
        # words that settle a type overrule both the classifier and a weaker rule ("the march
        # turned violent"); a clash told beside them makes the force or the attack two-sided,
        # but a crowd that clashes is violent all the same
        if (best in ruled_out and (code == rule_code or code in allowed)
                and pattern.search(window) and (code == "VIOL_DEMONSTR" or not two_sided)):
            best, forced = code, True
            break
    if best == "FORCE_AGAINST_PROTEST" and not forced and not FORCE_USED.search(window):
        # no one hurt or shot at the gathering: what a protest against police killings is
        # about is no force used on it (the window leaves that killing out)
        best = max(sorted(_CROWD - {best}), key=lambda c: probs.get(c, 0.0))
    if (best == "PEACE_PROTEST" and not sure and "PROTEST_WITH_INTER" in allowed
            and INTERVENED.search(window)):
        # police who arrested, detained or dispersed the protesters intervened (ACLED's
        # protest with intervention), however peaceful the rest reads
        best = "PROTEST_WITH_INTER"
    if best == "ATTACK" and kind == "clash" and not sure and any(
            m.lemma in FIGHT_WORDS for m in event.mentions):
        # "the army and the KIA battled", "troops fought the TNLA": two sides fought, whatever
        # a classifier that never saw the conflict makes of its names
        best = "ARMED_CLASH"
    if (best == "ARMED_CLASH" and rule_code in _REMOTE and kind in REMOTE_KINDS
            and not two_sided and not sure):
        # ACLED codes by the weapon: shells or bombs falling on positions, with no fighting
        # told, are remote violence, not a clash
        best = rule_code
    if taken_by and best in TERRITORY_CODES:
        best = rule_code  # the taker settled it
    if (kind == "territory_gain" and rule_code == "NON_VIOL_TERRIT_TRANSFER"
            and best in TERRITORY_CODES | {"ARMED_CLASH"}):
        best, forced = rule_code, True  # "no fighting was reported" settles it
    return best, forced


DEMONSTRATION = re.compile(r"\b(?:protest|demonstrat|rall(?:y|ies|ied)|march(?:ed|es|ing)?\b"
                           r"|strik(?:e|es|ing|ers)\b)", re.I)


def _crowd_violence(event: EventDraft, window: str) -> None:
    """Violence a crowd did (the actors stage found rioters, not an armed group, behind an
    attack or a clash) is ACLED's mob violence: "locals assaulted two students", "supporters of
    two candidates clashed"."""
    if (event.actor1 is not None and event.actor1.inter == 5
            and event.sub_event_type in ("Attack", "Armed clash")):
        # a crowd that fights the police at a demonstration is a violent demonstration
        sub = ("Violent demonstration" if event.actor2 is not None
               and event.actor2.inter in (1, 8) and DEMONSTRATION.search(window)
               else "Mob violence")
        event.sub_event_type = sub
        event.event_type, event.disorder_type = ACLED_TYPES[sub]
        if event.plover is not None:
            event.plover = Plover(_plover_for(sub, event.plover.event),
                                  "primitive" if sub == "Mob violence" else "riot",
                                  list(event.plover.context))


def _write(event: EventDraft, decision: Decision) -> None:
    event.sub_event_type = decision.sub_event_type
    if decision.sub_event_type is not None:
        event.event_type, event.disorder_type = ACLED_TYPES[decision.sub_event_type]
    else:
        event.event_type = event.disorder_type = None
    event.plover = decision.plover
    event.type_score = decision.score


@stage("typing", requires=("events",), assigns=("events.sub_event_type", "events.event_type",
                                                  "events.disorder_type", "events.plover",
                                                  "events.type_score", "events.actor1"))
def type_events(document: Document) -> None:
    document_label(document)
    probs: dict[str, float] = document.extras.get("_typing_probs", {})
    main = _main_events(document.events)
    lead = _lead_event(document.events, main)
    windows = [_window(document, event) for event in document.events]
    told_first = _lead_sentence(document)
    decisions = [
        decide(event, window, probs, main=i in main, lead=i == lead, report=document.text,
               word=document.extras.get("_typing_word"),
               decisive=not _follow_up_arrest(event, told_first))
        for i, (event, window) in enumerate(zip(document.events, windows, strict=True))
    ]
    drop: list[int] = []
    for i, (event, decision) in enumerate(zip(document.events, decisions, strict=True)):
        _write(event, decision)
        _crowd_violence(event, windows[i])
        settle_actors(event, windows[i], document.focus_country)
        if decision.drop:
            drop.append(i)
    if drop:
        document.extras["drop_events"] = drop


def iter_rows(path: Path) -> Iterable[dict[str, str]]:
    """Rows of a typing JSONL file ({"id", "text", "label"})."""
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)
