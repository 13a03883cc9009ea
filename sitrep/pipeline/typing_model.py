"""The typing classifier: its labels, features, model file and loading (numpy only).

Split from ``sitrep.pipeline.typing`` (the stage), which imports everything here: the cue words
live here because both the rules and the classifier's features use them. Training is in
``sitrep.training`` (scikit-learn), which writes the files this module reads.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np

from sitrep import errors
from sitrep.errors import SitrepError

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


# ---------------------------------------------------------------------------------------------
# Cue words: the rules read them around an event, the classifier reads them as features

# ASCII word boundaries: the cues are English words, and Python's Unicode ones cost twice the
# time over a long report (the cues are read over every report's whole text).
_CUES: dict[str, re.Pattern[str]] = {name: re.compile(pattern, re.ASCII) for name, pattern in {
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



@lru_cache(maxsize=256)
def _cues(text: str) -> frozenset[str]:
    """The cue words of a text; cached, since the typing stage asks again for each event's
    window and each rule that reads it."""
    low = text.lower()
    return frozenset(name for name, pattern in _CUES.items() if pattern.search(low))


# ---------------------------------------------------------------------------------------------
# Features (no spaCy: the classifier must be cheap and usable on raw text)

_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*|\d+")
_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ied", "ers", "er", "ed", "es", "ly", "s")


@lru_cache(maxsize=65536)
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
    """A typing model file that cannot be used (code E030), naming the file."""

    def __init__(self, path: str | Path, detail: str) -> None:
        err = errors.error(errors.BAD_TYPING_MODEL, path=path, detail=detail)
        super().__init__(err.code, err.message)
        self.path = str(path)


def write_whole(path: str | Path, data: dict[str, object]) -> None:
    """Write a model file whole or not at all: a failed write leaves any old model in place."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
    tmp.replace(path)


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

    def logits_features(self, feats: Iterable[str]) -> np.ndarray:
        """Label scores before the softmax (the accurate mode adds its encoder's to them)."""
        rows = [self.vocab[f] for f in feats if f in self.vocab]
        z = self.bias.astype(np.float64).copy()
        if rows:
            z += self.weights[rows].sum(axis=0) / math.sqrt(len(rows))
        return z

    def scores_features(self, feats: Iterable[str]) -> np.ndarray:
        z = self.logits_features(feats)
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
        write_whole(path, self.to_json())


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


def chosen_model() -> TypingModel | None:
    """The model set by ``use_model``, if any: worker processes are handed it (they do not
    share this module's state)."""
    return _override[-1] if _override else None


def classify(text: str) -> list[tuple[str, float]]:
    """Labels (CASE 2021 codes) with probabilities, most likely first; [] without a model."""
    model = load_model()
    if model is None or not text.strip():
        return []
    return model.classify(text)
