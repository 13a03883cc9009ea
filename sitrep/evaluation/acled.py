"""ACLED's own notes against ACLED's coding of them: type, fatalities, date, place and actor.

Each note is one event as ACLED summarised it, so sitrep's coding of the note compares field by
field with ACLED's row. The predicted type is the typing scorer's (``sub_event_type`` of the most
confident event, ...), mapped to the 25 CASE codes; weighted and macro F1 are over the gold
sub-event types. Killed is the sum of ``fatalities.best`` (exact match with ACLED's fatalities).
The date, place and first actor are those of the most confident event: the date must be exact,
scored only on notes that state the event's year (a note without it cannot be dated from its
text alone); the place within 25 km of ACLED's coordinates; ``actor1`` is compared with ACLED's
by exact name, by family (ACLED's inter code, inferred from the gold name's form: "Protesters
(Kenya)" 6, "Military Forces of Kenya (2013-)" 1, "Unidentified Armed Group (Kenya)" 3...) and
by country (from the gold name when it says, else the note's country).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sitrep.evaluation.casualties import main_event, totals
from sitrep.evaluation.common import Case, Score, distance_km, has_coords, share, snippet
from sitrep.evaluation.typing import ACLED_TO_CASE, class_f1, predicted_label

TASK = "acled"
WITHIN_KM = 25.0

FIGURES = {
    "weighted_f1": "sub-event type: weighted F1",
    "macro_f1": "sub-event type: macro F1",
    "accuracy": "sub-event type: accuracy",
    "typed_rows": "rows with an ACLED sub-event type",
    "killed_exact": "killed: exact match",
    "date_exact": "event date exact (notes stating the year)",
    "date_rows": "notes stating the year",
    "location_within25": "event location within 25 km",
    "location_rows": "rows with coordinates",
    "actor1_exact": "actor1: exact name",
    "actor1_family": "actor1: same family (inter code)",
    "actor1_country": "actor1: same country",
    "actor1_rows": "rows with an actor1",
    "no_event": "reports with no event",
    "failed": "reports that came back with an error",
}

_STATE = re.compile(r"^(?:Military|Police|Navy|Air Force|Government|Prison|Presidential|Coast"
                    r"|Border|Gendarmerie|Special|Municipal|Naval|Intelligence|Armed)"
                    r"[\w\s/'-]*? (?:Forces|Guards?|Police|Services?) of (?:the )?"
                    r"(?P<country>[^(]+?)(?: \(\d{4}-(?:\d{4})?\)(?: .*)?)?$")
# A government is a state actor too (ACLED's "State Forces", inter 1): "Government of Kenya
# (2013-)".
_GOVERNMENT = re.compile(r"^Government of (?:the )?(?P<country>[^(]+?)"
                         r"(?: \(\d{4}-(?:\d{4})?\).*)?$")
_CROWD = re.compile(r"^(?P<kind>Protesters|Rioters|Civilians) \((?P<country>[^)]+)\)")
_IDENTITY = re.compile(r"\b(?:Communal|Ethnic|Tribal|Clan|Identity) Militia\b|\bDozo\b"
                       r"|\bKoglweogo\b|\bVigilante")
_REBEL = re.compile(r"\bIslamic State\b|\bJNIM\b|\bAl Shabaab\b|\bBoko Haram\b|\bIslamist Militia"
                    r"|\bArmy\b|\bLiberation\b|\bFront\b|\bRebels?\b|\bDefen[cs]e Force\b"
                    r"|\bPDF\b|\bIndependence\b|\bRCSS\b|\bOPM\b|\bAnsaroul|\bAl Qaeda\b")


def gold_actor(name: str, note_country: str = "") -> tuple[int | None, str | None]:
    """ACLED's inter code and the country of an ACLED actor name, from the name's form."""
    name = " ".join(name.split())
    if not name:
        return None, None
    crowd = _CROWD.match(name)
    if crowd:
        inter = {"Protesters": 6, "Rioters": 5, "Civilians": 7}[crowd["kind"]]
        return inter, crowd["country"].strip()
    state = _STATE.match(name) or _GOVERNMENT.match(name)
    if state:
        country = state["country"].strip()
        # ACLED codes a state's forces abroad as external (8)
        foreign = bool(note_country) and country.lower() != note_country.lower()
        return (8 if foreign else 1), country
    if _IDENTITY.search(name):
        return 4, note_country or None
    if _REBEL.search(name):
        return 2, note_country or None
    if "Militia" in name or "Unidentified Armed Group" in name or "Gang" in name:
        return 3, note_country or None
    if "Private Security" in name or "Forces" in name:
        return 8, note_country or None
    return 3, note_country or None


def _states_year(row: dict[str, Any]) -> bool:
    date = str(row.get("date") or "")
    return len(date) >= 4 and date[:4] in (row.get("text") or "")


def _country(value: Any) -> Any:
    """A country name for an ISO code ("KE" -> "Kenya"), as the pipeline's actors give codes."""
    if isinstance(value, str) and len(value) == 2 and value.isupper():
        try:
            from sitrep.lexicon import country_name
        except ImportError:  # the scorer works without the pipeline
            return value
        return country_name(value)
    return value


def _same(a: Any, b: Any) -> bool:
    return bool(a) and bool(b) and str(a).strip().lower() == str(b).strip().lower()


def score(rows: Sequence[dict[str, Any]], results: Sequence[dict[str, Any] | None],
          dataset: str = "") -> Score:
    """Score document results (codebook JSON, aligned with ``rows``) against ACLED's coding."""
    labels = [predicted_label(r) for r in results]
    typed = [(ACLED_TO_CASE[str(row.get("label"))], lab[0])
             for row, lab in zip(rows, labels, strict=True)
             if row.get("label") in ACLED_TO_CASE]
    per_class = class_f1([g for g, _ in typed], [p for _, p in typed])
    n_typed = len(typed)
    tally = dict.fromkeys(("killed_hit", "killed_n", "date_hit", "date_n", "loc_hit", "loc_n",
                           "a_exact", "a_family", "a_country", "a_n", "no_event", "failed"), 0)
    cases: list[Case] = []
    for row, result, (label, _conf) in zip(rows, results, labels, strict=True):
        tally["failed"] += result is None or bool(result.get("error"))
        event = main_event(result)
        tally["no_event"] += event is None
        wrong: list[str] = []
        gold_sub = ACLED_TO_CASE.get(str(row.get("label")))
        if gold_sub and label != gold_sub:
            wrong.append(f"type {label or 'none'}")
        if isinstance(row.get("killed"), int):
            tally["killed_n"] += 1
            killed = totals(result)[0]
            tally["killed_hit"] += killed == row["killed"]
            if killed != row["killed"]:
                wrong.append(f"killed {killed}")
        if row.get("date") and _states_year(row):
            tally["date_n"] += 1
            got = (event or {}).get("event_date")
            tally["date_hit"] += got == row["date"]
            if got != row["date"]:
                wrong.append(f"date {got}")
        if has_coords(row):
            tally["loc_n"] += 1
            location = (event or {}).get("location") or {}
            km = distance_km(row, location if event else None)
            ok = km is not None and km <= WITHIN_KM
            tally["loc_hit"] += ok
            if not ok:
                wrong.append(f"place {location.get('name') or 'none'}")
        if row.get("actor1"):
            tally["a_n"] += 1
            actor = (event or {}).get("actor1") or {}
            inter, country = gold_actor(str(row["actor1"]), str(row.get("country") or ""))
            tally["a_exact"] += _same(actor.get("name"), row["actor1"])
            tally["a_family"] += inter is not None and actor.get("inter") == inter
            tally["a_country"] += _same(_country(actor.get("country")), country)
            if actor.get("inter") != inter:
                wrong.append(f"actor1 {actor.get('name') or 'none'}")
        if wrong:
            gold = (f"{gold_sub or row.get('label')}, killed {row.get('killed')}, "
                    f"{row.get('date')}, {row.get('location')}, {row.get('actor1')}")
            cases.append(Case(str(row.get("id")), float(len(wrong)), gold, "; ".join(wrong),
                              snippet(row.get("text", ""))))
    figures: dict[str, Any] = {
        "weighted_f1": (sum(c["f1"] * c["support"] for c in per_class.values()) / n_typed
                        if n_typed else None),
        "macro_f1": (sum(c["f1"] for c in per_class.values()) / len(per_class)
                     if per_class else None),
        "accuracy": share(sum(g == p for g, p in typed), n_typed),
        "typed_rows": n_typed,
        "killed_exact": share(tally["killed_hit"], tally["killed_n"]),
        "date_exact": share(tally["date_hit"], tally["date_n"]),
        "date_rows": tally["date_n"],
        "location_within25": share(tally["loc_hit"], tally["loc_n"]),
        "location_rows": tally["loc_n"],
        "actor1_exact": share(tally["a_exact"], tally["a_n"]),
        "actor1_family": share(tally["a_family"], tally["a_n"]),
        "actor1_country": share(tally["a_country"], tally["a_n"]),
        "actor1_rows": tally["a_n"],
        "no_event": share(tally["no_event"], len(rows)),
        "failed": tally["failed"],
    }
    return Score(TASK, dataset, len(rows), figures, cases=cases,
                 details={"per_label": per_class})
