"""Casualty figures, place and date of the main event, against incident databases.

A report's killed figure is the sum of ``fatalities.best`` over its events (a null best, or no
event, counts 0), compared exactly with ``killed``; injuries likewise with ``wounded``. A row
whose gold figure is null is left out of that figure. The place and the date are those of the
most confident event (the first of equals), scored only on rows that give coordinates or a date;
a report with no event misses them.

WAD (the Worldwide Atrocities Dataset) counts the victims of one-sided violence only, attackers
left out: its rows (ids ``wad:``, or a file named ``wad*``) are compared with each event's
``fatalities.civilians`` where the event gives one, else its ``fatalities.best``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sitrep.evaluation.common import (
    Case,
    Score,
    distance_km,
    has_coords,
    share,
    snippet,
)

TASK = "casualties"
WITHIN_KM = 25.0

FIGURES = {
    "killed_exact": "killed: exact match",
    "killed_published": "killed: exact match, published result",
    "killed_rows": "rows with a killed figure",
    "wounded_exact": "wounded: exact match",
    "wounded_published": "wounded: exact match, published result",
    "wounded_rows": "rows with a wounded figure",
    "location_within25": "main event within 25 km",
    "location_rows": "rows with coordinates",
    "date_exact": "main event date exact",
    "date_rows": "rows with a date",
    "no_event": "reports with no event",
    "failed": "reports that came back with an error",
}


# Published exact-match results on the data sets that have them, by file-name prefix:
# (killed, wounded, who). Not the same split as the dev files, so a guide, not a race.
PUBLISHED: dict[str, tuple[float | None, float | None, str]] = {
    "wad": (0.813, None, "Zhong et al. 2023: a QA model trained on WAD, random split of "
                         "1995-2020 (regex 0.117, SRL 0.741)"),
    "gva": (0.837, 0.742, "the GVA split's authors (husinthewei/CIS530P), on its test split"),
}


def published(dataset: str) -> tuple[float | None, float | None, str] | None:
    """The published figures for a gold file, when there are any."""
    name = dataset.replace("\\", "/").rsplit("/", 1)[-1].lower()
    return next((v for k, v in PUBLISHED.items() if name.startswith(k)), None)


def _best(count: Any, victims: bool = False) -> int:
    if not isinstance(count, dict):
        return 0
    if victims and isinstance(count.get("civilians"), int):
        return int(count["civilians"])
    return int(count["best"]) if isinstance(count.get("best"), int) else 0


def totals(result: dict[str, Any] | None, victims: bool = False) -> tuple[int, int]:
    """(killed, injured) of a document result: sums of ``best`` over its events; with
    ``victims``, the killed figure takes each event's ``civilians`` where it gives one."""
    events = [e for e in (result or {}).get("events") or [] if isinstance(e, dict)]
    return (sum(_best(e.get("fatalities"), victims) for e in events),
            sum(_best(e.get("injuries")) for e in events))


def counts_victims_only(row: dict[str, Any], dataset: str = "") -> bool:
    """Whether a gold row counts victims only (WAD), so the civilians figure is compared."""
    name = dataset.replace("\\", "/").rsplit("/", 1)[-1].lower()
    return name.startswith("wad") or str(row.get("id", "")).lower().startswith("wad:")


def main_event(result: dict[str, Any] | None) -> dict[str, Any] | None:
    events = [e for e in (result or {}).get("events") or [] if isinstance(e, dict)]
    if not events:
        return None
    return max(events, key=lambda e: e.get("confidence") or 0.0)


def _gold_int(value: Any) -> int | None:
    return int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def score(rows: Sequence[dict[str, Any]], results: Sequence[dict[str, Any] | None],
          dataset: str = "") -> Score:
    """Score document results (codebook JSON, aligned with ``rows``)."""
    tally = dict.fromkeys(("killed_hit", "killed_n", "wounded_hit", "wounded_n", "loc_hit",
                           "loc_n", "date_hit", "date_n", "no_event", "failed"), 0)
    cases: list[Case] = []
    for row, result in zip(rows, results, strict=True):
        if result is None or result.get("error"):
            tally["failed"] += 1
        killed, injured = totals(result, counts_victims_only(row, dataset))
        event = main_event(result)
        tally["no_event"] += event is None
        severity = 0.0
        gold_killed, gold_wounded = _gold_int(row.get("killed")), _gold_int(row.get("wounded"))
        if gold_killed is not None:
            tally["killed_n"] += 1
            tally["killed_hit"] += killed == gold_killed
            severity += abs(killed - gold_killed)
        if gold_wounded is not None:
            tally["wounded_n"] += 1
            tally["wounded_hit"] += injured == gold_wounded
            severity += abs(injured - gold_wounded)
        location = (event or {}).get("location") or {}
        if has_coords(row):
            tally["loc_n"] += 1
            km = distance_km(row, location if event else None)
            ok = km is not None and km <= WITHIN_KM
            tally["loc_hit"] += ok
            severity += 0 if ok else 0.5
        gold_date = row.get("date")
        if gold_date:
            tally["date_n"] += 1
            ok = event is not None and event.get("event_date") == gold_date
            tally["date_hit"] += ok
            severity += 0 if ok else 0.5
        if severity:
            cases.append(Case(str(row.get("id")), severity,
                              _gold_text(gold_killed, gold_wounded, row),
                              _pred_text(killed, injured, event, result),
                              snippet(row.get("text", ""))))
    anchor = published(dataset)
    figures: dict[str, Any] = {
        "killed_exact": share(tally["killed_hit"], tally["killed_n"]),
        "killed_published": anchor[0] if anchor else None,
        "killed_rows": tally["killed_n"],
        "wounded_exact": share(tally["wounded_hit"], tally["wounded_n"]),
        "wounded_published": anchor[1] if anchor else None,
        "wounded_rows": tally["wounded_n"],
        "location_within25": share(tally["loc_hit"], tally["loc_n"]),
        "location_rows": tally["loc_n"],
        "date_exact": share(tally["date_hit"], tally["date_n"]),
        "date_rows": tally["date_n"],
        "no_event": share(tally["no_event"], len(rows)),
        "failed": tally["failed"],
    }
    notes = [f"published result: {anchor[2]}"] if anchor else []
    return Score(TASK, dataset, len(rows), figures, cases=cases, notes=notes)


def _gold_text(killed: int | None, wounded: int | None, row: dict[str, Any]) -> str:
    parts = [f"killed {killed if killed is not None else '?'}",
             f"wounded {wounded if wounded is not None else '?'}"]
    if row.get("date"):
        parts.append(str(row["date"]))
    if has_coords(row):
        parts.append(f"{row['lat']:.2f},{row['lon']:.2f}")
    return ", ".join(parts)


def _pred_text(killed: int, injured: int, event: dict[str, Any] | None,
               result: dict[str, Any] | None) -> str:
    if result and result.get("error"):
        return f"error {result['error'].get('code')}"
    parts = [f"killed {killed}", f"wounded {injured}"]
    if event is None:
        return ", ".join([*parts, "no event"])
    parts.append(str(event.get("event_date")))
    loc = event.get("location") or {}
    where = f"{loc['lat']:.2f},{loc['lon']:.2f}" if has_coords(loc) else "no coordinates"
    parts.append(f"{loc.get('name') or '?'} {where}")
    return ", ".join(parts)
