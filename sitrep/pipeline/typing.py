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

import base64
import binascii
import json
import math
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np

from sitrep import errors
from sitrep.document import Document, EventDraft
from sitrep.errors import SitrepError
from sitrep.pipeline.kinds import KINDS, VIOLENT_KINDS
from sitrep.pipeline.registry import stage
from sitrep.records import ACLED_TYPES, Plover

MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "typing_model.json"

# CASE 2021 codes of the 25 ACLED sub-event types.
CASE_TO_SUB: dict[str, str] = {
    "AIR_STRIKE": "Air/drone strike",
    "ART_MISS_ATTACK": "Shelling/artillery/missile attack",
    "REM_EXPLOS": "Remote explosive/landmine/IED",
    "SUIC_BOMB": "Suicide bomb",
    "CHEM_WEAP": "Chemical weapon",
    "GRENADE": "Grenade",
    "ARMED_CLASH": "Armed clash",
    "GOV_REGAINS_TERIT": "Government regains territory",
    "NON_STATE_ACTOR_OVERTAKES_TER": "Non-state actor overtakes territory",
    "ATTACK": "Attack",
    "SEX_VIOL": "Sexual violence",
    "ABDUCT_DISSAP": "Abduction/forced disappearance",
    "PEACE_PROTEST": "Peaceful protest",
    "PROTEST_WITH_INTER": "Protest with intervention",
    "FORCE_AGAINST_PROTEST": "Excessive force against protesters",
    "VIOL_DEMONSTR": "Violent demonstration",
    "MOB_VIOL": "Mob violence",
    "AGREEMENT": "Agreement",
    "ARREST": "Arrests",
    "CHANGE_TO_GROUP_ACT": "Change to group/activity",
    "DISR_WEAP": "Disrupted weapons use",
    "HQ_ESTABLISHED": "Headquarters or base established",
    "PROPERTY_DISTRUCT": "Looting/property destruction",
    "NON_VIOL_TERRIT_TRANSFER": "Non-violent transfer of territory",
    "OTHER": "Other",
}
SUB_TO_CASE: dict[str, str] = {v: k for k, v in CASE_TO_SUB.items()}
# Labels that mean "no political event": the report is about an accident, a disaster or crime.
NON_POLITICAL = frozenset({"NATURAL_DISASTER", "MAN_MADE_DISASTER", "ORG_CRIME"})
LABELS: tuple[str, ...] = (*CASE_TO_SUB, "NATURAL_DISASTER", "MAN_MADE_DISASTER", "ORG_CRIME",
                           "DIPLO", "ATTRIB")

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
                            "territory_transfer"})
DECISIVE_RULE_WEIGHT = 0.5
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
# Shooting and stabbing: violence by a person, never a disaster, whatever the classifier says.
PERSONAL_VIOLENCE = re.compile(
    r"\bsh(?:ot|oot|ooting|ootings|ooter|ooters)\b|\bgunm[ae]n\b|\bgunfire\b|\bgunshots?\b"
    r"|opened fire|\bfired (?:at|into|on|upon|shots)\b|\bstabb(?:ed|ing)\b|\bmurder"
    # a person who kills: "he killed the postmaster", "a man then killed two more"
    r"|\b(?:he|she|man|woman|boy|girl|student|teenager|suspect|attacker|assailant|husband"
    r"|son|father)\s+(?:\w+\s+)?(?:killed|kills|killing)\b",
    re.I)

# ---------------------------------------------------------------------------------------------
# Features (no spaCy: the classifier must be cheap and usable on raw text)

_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*|\d+")
_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ied", "ers", "er", "ed", "es", "ly", "s")


def _stem(word: str) -> str:
    """A crude stem, enough to join 'shelled', 'shelling' and 'shells'."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)]
            if suffix in {"ies", "ied"}:
                stem += "y"
            if len(stem) > 3 and stem[-1] == stem[-2] and stem[-1] not in "aeiouls":
                stem = stem[:-1]  # "kidnapp" -> "kidnap", "shott" -> "shot"
            return stem
    return word


def features(text: str) -> set[str]:
    """Word, stem and stem-bigram features of a text (binary bag), plus the rules' cue words.

    The cues (``c:force``, ``c:intervention``, ``c:state+nonstate``...) carry what a bag of words
    spreads over many spellings: tear gas and water cannon are one "intervention", and pairs of
    cues say what single words cannot (state and non-state armed actors together: a clash).
    """
    low = text.lower()
    words = ["<num>" if w.isdigit() else w for w in _WORD.findall(low)]
    stems = [_stem(w) for w in words]
    feats = {f"w:{w}" for w in words}
    feats.update(f"s:{s}" for s in stems)
    feats.update(f"b:{a}_{b}" for a, b in pairwise(stems))
    cues = sorted(_cues(low))
    feats.update(f"c:{c}" for c in cues)
    feats.update(f"c:{a}+{b}" for i, a in enumerate(cues) for b in cues[i + 1:])
    return feats


# ---------------------------------------------------------------------------------------------
# The classifier


FORMAT = "sitrep-typing-2"
# Where users point sitrep at a model they trained (``sitrep train typing``).
MODEL_ENV = "SITREP_TYPING_MODEL"


class ModelError(SitrepError):
    """A typing model file that cannot be used (code E013), naming the file."""

    def __init__(self, path: str | Path, detail: str) -> None:
        err = errors.error(errors.BAD_TYPING_MODEL, path=path, detail=detail)
        super().__init__(err.code, err.message)
        self.path = str(path)


@dataclass
class TypingModel:
    """Multinomial logistic regression over a fixed feature vocabulary.

    ``meta`` records what the model was trained on (files, row and label counts), when, by which
    sitrep, and its cross-validated figures; ``sitrep info`` shows it.
    """

    labels: list[str]
    vocab: dict[str, int]
    weights: np.ndarray  # (len(vocab), len(labels))
    bias: np.ndarray  # (len(labels),)
    meta: dict[str, Any] = field(default_factory=dict)

    def scores_features(self, feats: Iterable[str]) -> np.ndarray:
        rows = [self.vocab[f] for f in feats if f in self.vocab]
        z = self.bias.astype(np.float64).copy()
        if rows:
            z += self.weights[rows].sum(axis=0) / math.sqrt(len(rows))
        z -= z.max()
        p = np.exp(z)
        return p / p.sum()

    def scores(self, text: str) -> np.ndarray:
        return self.scores_features(features(text))

    def classify_features(self, feats: Iterable[str]) -> list[tuple[str, float]]:
        p = self.scores_features(feats)
        order = np.argsort(-p, kind="stable")
        return [(self.labels[i], float(p[i])) for i in order]

    def classify(self, text: str) -> list[tuple[str, float]]:
        return self.classify_features(features(text))

    def to_json(self) -> dict[str, object]:
        """Weights as int8 per label (with a scale), so the artefact stays small."""
        scale = np.abs(self.weights).max(axis=0) / 127.0
        scale[scale == 0] = 1.0
        q = np.round(self.weights / scale).astype(np.int8)
        vocab = sorted(self.vocab, key=self.vocab.__getitem__)
        return {
            "format": FORMAT,
            "meta": self.meta,
            "labels": self.labels,
            "vocab": vocab,
            "scale": [float(s) for s in scale],
            "bias": [round(float(b), 5) for b in self.bias],
            "weights_int8": base64.b64encode(q.tobytes()).decode("ascii"),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], path: str | Path = "<model>") -> TypingModel:
        """The model of a parsed file; ModelError when it is of another format or damaged."""
        if not isinstance(data, dict) or "format" not in data:
            raise ModelError(path, "not a sitrep typing model")
        if data["format"] != FORMAT:
            raise ModelError(path, f"format '{data['format']}', this sitrep reads '{FORMAT}'")
        try:
            labels = [str(lab) for lab in data["labels"]]
            unknown = sorted(set(labels) - set(LABELS))
            if unknown:
                raise ValueError(f"unknown labels {', '.join(unknown)}")
            vocab_list = [str(f) for f in data["vocab"]]
            q = np.frombuffer(base64.b64decode(str(data["weights_int8"]), validate=True),
                              dtype=np.int8)
            scale = np.asarray(data["scale"], dtype=np.float32)
            bias = np.asarray(data["bias"], dtype=np.float32)
            shape = (len(labels),)
            if (q.size != len(vocab_list) * len(labels) or scale.shape != shape
                    or bias.shape != shape or len(labels) < 2):
                raise ValueError("weights do not match the labels and vocabulary")
            weights = q.reshape(len(vocab_list), len(labels)).astype(np.float32) * scale
        except (KeyError, TypeError, ValueError, binascii.Error) as exc:
            raise ModelError(path, f"damaged: {exc}") from None
        meta = data.get("meta") if isinstance(data.get("meta"), dict) else {}
        return cls(labels, {f: i for i, f in enumerate(vocab_list)}, weights, bias, meta)

    def write(self, path: str | Path) -> None:
        """Write the file whole or not at all: a failed write leaves any old model in place."""
        path = Path(path)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(self.to_json(), separators=(",", ":")) + "\n",
                       encoding="utf-8")
        tmp.replace(path)


def read_model(path: str | Path) -> TypingModel:
    """A model file, or ModelError naming it (unreadable, not JSON, other format, damaged)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ModelError(path, f"cannot read it: {exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ModelError(path, f"not JSON ({exc.msg} at line {exc.lineno})") from None
    return TypingModel.from_json(data, path)


_override: list[TypingModel] = []


@lru_cache(maxsize=4)
def _load_file(path: str, mtime: float) -> TypingModel:
    return read_model(path)


def model_path() -> Path:
    """The model in use: ``SITREP_TYPING_MODEL`` when set, else the shipped one."""
    chosen = os.environ.get(MODEL_ENV)
    return Path(chosen) if chosen else MODEL_PATH


def load_model() -> TypingModel | None:
    """The model in use, loaded once per process and file (or one set by ``use_model``)."""
    if _override:
        return _override[-1]
    path = model_path()
    if not path.exists():
        if path != MODEL_PATH:
            raise ModelError(path, "no such file")
        return None
    return _load_file(str(path), path.stat().st_mtime)


def use_model(model: TypingModel | str | Path | None) -> None:
    """Use another model (a file, or one trained in memory for cross-validation); None restores
    the default. A file is read at once, so a bad one fails here, naming itself."""
    _override.clear()
    if isinstance(model, (str, Path)):
        model = read_model(model)
    if model is not None:
        _override.append(model)


def classify(text: str) -> list[tuple[str, float]]:
    """Labels (CASE 2021 codes) with probabilities, most likely first; [] without a model."""
    model = load_model()
    if model is None or not text.strip():
        return []
    return model.classify(text)


# ---------------------------------------------------------------------------------------------
# Rules: kind + words around the event

_CUES: dict[str, re.Pattern[str]] = {name: re.compile(pattern) for name, pattern in {
    # a suicide attack, not a gunman who "committed suicide" or "attempted suicide"
    "suicide": r"(?<!commit )(?<!commits )(?<!committed )(?<!committing )(?<!attempted )"
               r"(?<!attempt )\bsuicide\b(?! by\b)|\bblew (?:himself|herself|themselves) up"
               r"|explosive (?:vest|belt)s?",
    "grenade": r"\bgrenades?\b",
    "rpg": r"rocket-propelled grenade|\brpgs?\b",
    "chemical": r"\bchlorine\b|\bsarin\b|nerve agent|mustard (?:gas|agent)|toxic gas|poison gas"
                r"|chemical (?:weapon|attack|munition|agent)",
    "air": r"\bair ?strikes?\b|\bairstrikes?\b|\bair raids?\b|\bwarplanes?\b|\bfighter jets?\b"
           r"|\bdrones?\b|\buavs?\b|\bhelicopters?\b|\baircraft\b|\bbombers?\b|\bjets?\b"
           r"|barrel bombs?|\bsorties?\b",
    "heavy": r"\bshell(?:s|ed|ing)?\b|\bartillery\b|\bmortars?\b|\bmissiles?\b|\brockets?\b"
             r"|\bhowitzers?\b|\bmlrs\b|\bgrad\b|\bkatyusha|\btanks?\b|\bbarrage\b",
    "ied": r"\bied\b|\bieds\b|improvised explosive|roadside bomb|\blandmines?\b|\bmines?\b"
           r"|car bomb|\bbomb\b|\bbombs\b|explosive device|booby.trap|unexploded",
    "disrupted": r"\bdefus|\bdismantl|intercept|shot down|\bdowned\b|shoots? down|\bfoil"
                 r"|\bthwart|\bseiz\w* (?:\w+ ){0,3}(?:weapons?|arms|ammunition|explosives?|cache)"
                 r"|\bcache\b|bomb disposal|prematurely|safely detonated|controlled explosion",
    "state": r"\barmy\b|\btroops?\b|\bsoldiers?\b|\bmilitary\b|government forces|security forces"
             r"|\bpolice\b|\bregime\b|armed forces|\bgendarm|\bmarines?\b|national guard"
             r"|defen[cs]e forces|pro-government",
    "nonstate": r"\brebels?\b|\bmilitants?\b|\binsurgents?\b|\bfighters\b|\bmilitias?\b"
                r"|\bjihadists?\b|\bgunmen\b|\bseparatists?\b|\bguerrillas?\b|armed groups?"
                r"|\bterrorists?\b|\bbandits?\b|\bextremists?\b|\binsurgency\b",
    "two_sided": r"\bclash|\bfighting\b|gun ?battles?|firefights?|exchanged? (?:\w+ )?fire"
                 r"|traded fire|\bskirmish|\brepel|\brepulsed\b|\bbattles?\b|\bcombatants\b",
    "regain": r"\brecaptur|\bretak|\bretook\b|\bregain|\bliberat|took back|taken back"
              r"|\brecover\w* control|seized back|\breclaim|back under (?:government )?control",
    "force": r"opened fire|\blive (?:ammunition|rounds|fire)\b|shot dead|\bkill|\bdied\b"
             r"|\bdead\b|lethal force|excessive force|\bsnipers?\b|violently (?:suppress|crush)"
             r"|\bgunfire\b|violent crackdown|\bbrutal(?:ly)?\b",
    "intervention": r"tear ?gas|water cannons?|\bdispers|\bdetain|\barrest|\bbatons?\b"
                    r"|rubber bullets|broke up|\bbreak up|stun grenades?|\bcleared\b|\bcustody\b"
                    r"|\bcharged\b|\bsuppress|\bchased?\b|\bdrag|\bcrackdown|\bkettl",
    "violent_crowd": r"\bstones?\b|\brocks\b|\btorch|set fire|\bburn(?:ed|ing|t)?\b|petrol bombs?"
                     r"|molotov|\bvandal|\bloot|\bstormed\b|\bsmash|\bhurl|\bpelt"
                     r"|\briot(?!\s+(?:police|gear|squad|control|officers?))|\bclash|\bscuffle"
                     r"|\bfought\b|\bprojectiles?\b|thrown at|\bbreach|\bblaze\b|firecrackers?"
                     r"|violent (?:protests?|demonstrations?|rallies|clashes|unrest)"
                     r"|\baggressive\b|\btyres?\b|\btires\b|\bbarricad",
    "mob": r"\bmob\b|\blynch|\bvigilante|angry crowd|\bmobs\b",
    "peaceful": r"\bpeaceful",
    "transfer": r"handed over|hand over|\bwithdr[ae]w|pulled out|\bceded?\b|\bsurrender"
                r"|without (?:a fight|resistance)|\bunopposed\b",
    "base": r"(?:set up|established?|built|opened) (?:\w+ ){0,3}(?:base|post|outpost|camp"
            r"|headquarters|position)",
    "civilian": r"\bcivilians?\b|\bvillagers\b|\bresidents\b|\bworshippers\b|\bfarmers\b"
                r"|\bstudents\b|\bchildren\b|\bwomen\b|\bjournalists?\b|\bpassengers\b",
    "loot": r"\bloot|\bransack|\bvandal|\bdemolish|\braze|\btorch|set fire|\barson",
    "sexual": r"\brap(?:e|ed|es|ing)\b|sexual(?:ly)? (?:violence|assault|abuse)",
    "abduct": r"\babduct|\bkidnap|\bhostages?\b|forcibly disappeared|enforced disappearance",
    "terror": r"\bterror|\bjihad|\bislamic state\b|\bal-?qaeda\b|\bal-shabaab\b|\bboko haram\b",
    "humanitarian": r"\bhumanitarian\b|\bfood\b|\bmedical\b|\brelief\b",
    "military_aid": r"\bweapons\b|\barms\b|\bmilitary aid\b|\bammunition\b|\btanks\b",
    "economic": r"\bloans?\b|\bgrants?\b|\bfunding\b|\bfinancial\b|\bdollars?\b|\beuros?\b",
    "expel": r"\bexpel|\bexpulsion",
    "sever": r"\bsever|\bcut ties|\bsuspend|\brecall",
    "phone": r"phone call|\bphoned\b|\btelephone|video (?:call|link)",
    "visit": r"\bvisit|\barrived in\b|\btrip to\b",
}.items()}


@dataclass(frozen=True)
class Typing:
    """What the rules make of one event: ACLED sub-event type (None outside ACLED), PLOVER."""

    sub_event_type: str | None
    plover_event: str
    mode: str | None
    context: tuple[str, ...]
    score: float


def _cues(text: str) -> set[str]:
    low = text.lower()
    return {name for name, pattern in _CUES.items() if pattern.search(low)}


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
        if "transfer" in cues and "two_sided" not in cues:
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
    sub: str | None, event: str, kind: str, cues: set[str]
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
    ranked = classify(document.text)
    result: tuple[str | None, float] = ranked[0] if ranked else (None, 0.0)
    document.extras["typing_doc"] = result
    document.extras["_typing_probs"] = dict(ranked)
    return result


def _window(document: Document, event: EventDraft) -> str:
    sents = document.sentences
    return " ".join(sents[i].text for i in event.scope if 0 <= i < len(sents))


def _main_events(events: Sequence[EventDraft]) -> set[int]:
    """Drafts told first: a news lead reports the main event in its first sentences."""
    if not events:
        return set()
    first = min((min(e.sents) if e.sents else 10**6) for e in events)
    return {i for i, e in enumerate(events) if e.sents and min(e.sents) == first}


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
    report: str = "",
) -> Decision:
    """Combine the rules' verdict for one draft with the report-level classifier.

    A report the classifier calls a disaster or a crime loses its events, unless it names
    deliberate political violence (a bomb, militants, a claim of responsibility); a crime with
    victims keeps its event outside ACLED's scope (no ACLED type, a PLOVER assault in the
    ``crime`` context), so its casualties are still reported.
    """
    kind = event.kind
    rule = rule_type(kind, window)
    sub, event_name, mode, context = rule.sub_event_type, rule.plover_event, rule.mode, rule.context
    score = rule.score
    allowed = COMPATIBLE.get(kind, frozenset())
    if probs:
        top_label = max(probs, key=probs.__getitem__)
        non_political = sum(probs.get(lab, 0.0) for lab in NON_POLITICAL)
        armed = top_label != "ORG_CRIME" and bool(set(event.weapons) & PERSONAL_WEAPONS)
        political = _names_political_violence(report)
        if (top_label in NON_POLITICAL and non_political >= DROP_MIN_PROB and not armed
                and not political):
            low_score = round(min(score, 1.0 - non_political) * 0.5, 4)
            criminal = top_label == "ORG_CRIME" or bool(PERSONAL_VIOLENCE.search(window))
            if criminal and kind in VIOLENT_KINDS:
                return Decision(None, Plover("ASSAULT", _crime_mode(event, window), ["crime"]),
                                low_score, False)
            return Decision(sub, Plover(event_name, mode, list(context)), low_score, True)
        rule_code = SUB_TO_CASE.get(sub or "")
        if main and allowed:
            # the rule's label gets a bonus; the classifier may overrule it within the kind
            best, best_value = rule_code, -1.0
            for code in allowed | ({rule_code} if rule_code else set()):
                weight = DECISIVE_RULE_WEIGHT if kind in DECISIVE_KINDS else RULE_WEIGHT
                value = probs.get(code, 0.0) + (weight * rule.score if code == rule_code
                                               else 0.0)
                if value > best_value:
                    best, best_value = code, value
            if best and best != rule_code and probs.get(best, 0.0) >= DOC_MIN_PROB:
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
                                                  "events.type_score"))
def type_events(document: Document) -> None:
    document_label(document)
    probs: dict[str, float] = document.extras.get("_typing_probs", {})
    main = _main_events(document.events)
    decisions = [
        decide(event, _window(document, event), probs, main=i in main, report=document.text)
        for i, event in enumerate(document.events)
    ]
    drop: list[int] = []
    for i, (event, decision) in enumerate(zip(document.events, decisions, strict=True)):
        _write(event, decision)
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
