"""A corpus of short conflict reports made up for the tests of parallel and Spark runs.

Reports are built from sentence templates over places, actors, figures and days, so any number
of them can be had, always the same ones; a few are broken on purpose (no text, a bad
date) so that errors are exercised in their places too.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

PLACES = [
    ("Kharkiv", "Ukraine"), ("Aleppo", "Syria"), ("Maiduguri", "Nigeria"), ("Goma", "Congo"),
    ("Mosul", "Iraq"), ("Bakhmut", "Ukraine"), ("Idlib", "Syria"), ("Kidal", "Mali"),
    ("Mogadishu", "Somalia"), ("Khartoum", "Sudan"), ("Kherson", "Ukraine"),
    ("Sanaa", "Yemen"),
]
ACTORS = ["government troops", "rebel fighters", "police", "unidentified gunmen",
          "army units", "militia members", "security forces"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
NUMBERS = ["two", "three", "five", "seven", "12", "at least 14", "more than 20", "about 30"]

TEMPLATES = [
    "{Actor} shelled residential areas of {place}, {country}, on {day}, killing {n} civilians "
    "and wounding several others, the regional governor said.",
    "An air strike hit a market in {place} on {day}. Local officials said {n} people were "
    "killed. The defence ministry denied that its aircraft were involved.",
    "{Actor} clashed with {other} near {place}, {country}, on {day}; {n} fighters died in the "
    "fighting, according to a monitoring group.",
    "Hundreds of people marched through the centre of {place} on {day} to protest against "
    "fuel prices. Police fired tear gas and arrested {n} demonstrators.",
    "A roadside bomb struck a convoy of {actor} outside {place} on {day}, killing {n} "
    "soldiers. No group has claimed responsibility for the attack.",
    "{Actor} abducted {n} villagers from a settlement near {place}, {country}, overnight on "
    "{day}, residents told reporters.",
    "The two sides signed a ceasefire agreement in {place} on {day}, the foreign ministry of "
    "{country} said in a statement.",
    "Rioters set fire to shops in {place} on {day} after a disputed election; {n} people were "
    "injured, a hospital official said.",
]


def reports(n: int, *, broken: bool = True) -> list[dict[str, Any]]:
    """``n`` JSONL-style report dicts, the same every call (every 50th broken when asked)."""
    out: list[dict[str, Any]] = []
    for i in range(n):
        template = TEMPLATES[i % len(TEMPLATES)]
        place, country = PLACES[(i + i // len(TEMPLATES)) % len(PLACES)]
        actor, other = ACTORS[i % len(ACTORS)], ACTORS[(i + 3) % len(ACTORS)]
        text = template.format(
            Actor=actor[0].upper() + actor[1:], actor=actor, other=other, place=place,
            country=country, day=DAYS[i % len(DAYS)], n=NUMBERS[(i * 5) % len(NUMBERS)])
        report: dict[str, Any] = {"id": f"r{i:04d}", "text": text,
                                  "published": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}",
                                  "source": ["wire", "local", "ngo"][i % 3]}
        if broken and i % 50 == 17:
            report["text"] = ""
        elif broken and i % 50 == 41:
            report["published"] = "2024-13-45"
        out.append(report)
    return out


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path
