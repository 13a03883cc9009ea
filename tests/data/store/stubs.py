"""Stand-ins for the pipeline in store tests: events built from short specs, no spaCy.

``coded(report, specs)`` gives the DocumentResult a report would get; ``stub_extractor`` codes
any report from its text alone ("PLACE; N killed"), for tests where the content does not matter
(kills, concurrency).
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Iterable, Iterator
from typing import Any

from sitrep.records import Actor, Count, DocumentResult, Event, Location, Plover, Report

PLACES: dict[str, tuple[float, float, str, str]] = {
    "Kharkiv": (49.9935, 36.2304, "UA", "Kharkiv"),
    "Odesa": (46.4775, 30.7326, "UA", "Odesa"),
    "Kherson": (46.6354, 32.6169, "UA", "Kherson"),
    "Dnipro": (48.4500, 34.9833, "UA", "Dnipropetrovsk"),
    "Aleppo": (36.2021, 37.1343, "SY", "Aleppo"),
    "Idlib": (35.9306, 36.6339, "SY", "Idlib"),
    "Gao": (16.2717, -0.0447, "ML", "Gao"),
    "Mogadishu": (2.0371, 45.3438, "SO", "Banaadir"),
}
SUBS = {
    "missile": ("Shelling/artillery/missile attack", "Explosions/Remote violence"),
    "drone": ("Air/drone strike", "Explosions/Remote violence"),
    "clash": ("Armed clash", "Battles"),
    "protest": ("Peaceful protest", "Protests"),
}


def count(best: int | None, qualifier: str = "exact", text: str = "") -> Count:
    if best is None:
        return Count.none()
    return Count(best=best, low=best, high=None if qualifier == "at_least" else best,
                 qualifier=qualifier, text=text or f"{best} killed")


def event(report_id: str, n: int = 0, *, place: str = "Kharkiv", day: str = "2023-03-22",
          kind: str = "missile", killed: int | None = None, qualifier: str = "exact",
          killed_text: str = "", injured: int | None = None, actor: str | None =
          "Military Forces of Russia", actor_country: str | None = "RU",
          targets: Iterable[str] = (), weapons: Iterable[str] | None = None,
          precision: int = 1, text: str = "", confidence: float = 0.8,
          offset: tuple[float, float] = (0.0, 0.0)) -> Event:
    lat, lon, cc, admin1 = PLACES[place]
    sub, etype = SUBS[kind]
    evidence: dict[str, list[tuple[int, int]]] = {}
    if text:
        evidence["trigger"] = [(0, min(len(text), 10))]
        if killed_text and killed_text in text:
            i = text.index(killed_text)
            evidence["fatalities"] = [(i, i + len(killed_text))]
    digest = hashlib.sha1(f"{report_id}:{n}".encode()).hexdigest()[:12]
    return Event(
        event_id=f"ev-{digest}", event_date=day, date_start=day, date_end=day,
        time_precision=1, disorder_type="Political violence" if kind != "protest"
        else "Demonstrations", event_type=etype, sub_event_type=sub,
        plover=Plover("ASSAULT" if kind != "protest" else "PROTEST"),
        actor1=Actor(actor, 1, actor_country) if actor else None,
        civilian_targeting=kind in ("missile", "drone"),
        weapons=list(weapons if weapons is not None else ([kind] if kind in ("missile", "drone")
                                                          else [])),
        targets=list(targets),
        location=Location(name=place, lat=lat + offset[0], lon=lon + offset[1], country_code=cc,
                          country={"UA": "Ukraine", "SY": "Syria", "ML": "Mali",
                                   "SO": "Somalia"}[cc], admin1=admin1,
                          geo_precision=precision),
        fatalities=count(killed, qualifier, killed_text),
        injuries=count(injured, "exact", f"{injured} injured") if injured else Count.none(),
        notes=f"{kind} in {place}", evidence=evidence, confidence=confidence,
    )


def coded(report: Report, events: list[Event]) -> DocumentResult:
    return DocumentResult(id=report.id, published=report.published, events=events,
                          text=report.text)


def table_extractor(table: dict[str, list[Event]]):
    """An extractor that returns prepared events for each report id."""

    def extract(items: Iterable[Report]) -> Iterator[DocumentResult]:
        for report in items:
            yield coded(report, table.get(report.id, []))

    return extract


_SPEC = re.compile(r"^(?P<place>\w+); (?P<killed>\d+) killed; (?P<kind>\w+)", re.M)


def stub_extractor(items: Iterable[Report], delay: float = 0.0) -> Iterator[DocumentResult]:
    """Codes 'PLACE; N killed; KIND' lines, one event each; sleeps ``delay`` per report."""
    for report in items:
        if delay:
            time.sleep(delay)
        found: list[Any] = []
        for n, m in enumerate(_SPEC.finditer(report.text)):
            found.append(event(report.id, n, place=m["place"], kind=m["kind"],
                               killed=int(m["killed"]),
                               day=report.published.isoformat() if report.published
                               else "2023-03-22", text=m.group(0)))
        yield coded(report, found)
