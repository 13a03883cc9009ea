"""places stage: a town read inside a longer name the gazetteer lacks (a landmark, a business,
a university) stays a place only where it fits the report's other places."""

from __future__ import annotations

import pytest
from conftest import geoparsed

from sitrep.document import Document
from sitrep.places.gazetteer import Entry
from sitrep.places.mentions import _stray_part
from sitrep.places.recognise import Toponym
from sitrep.records import Report


def _entry(i: int, name: str, lat: float, lon: float, admin1: str, code: str = "PPL") -> Entry:
    return Entry(i, i, name, lat, lon, admin1.split(".")[0], None, None, admin1, code, 20_000)


def _toponym(text: str, start: int, best: Entry | None, *, partial: bool = True,
             kind: str | None = None) -> Toponym:
    return Toponym(start, start + len(text), text, text, kind, 0, 0, True, best=best,
                   partial=partial)


def _report(text: str) -> Document:
    return Document(report=Report(id="t", text=text), doc=None)


AUSTIN = _entry(1, "Austin", 30.27, -97.74, "US.TX")
TOKYO = _entry(2, "Tokyo", 35.69, 139.69, "JP.40")
ROUND_ROCK = _entry(3, "Round Rock", 30.51, -97.68, "US.TX")
EL_PASO = _entry(4, "El Paso", 31.76, -106.49, "US.TX")  # 850 km away, same state


@pytest.mark.parametrize(("part", "others", "stray"), [
    (TOKYO, [AUSTIN], True),  # "the Tokyo Grill" in Austin
    (ROUND_ROCK, [AUSTIN], False),  # 30 km away: the report's own area
    (EL_PASO, [AUSTIN], False),  # far, but in the report's state
    (TOKYO, [], False),  # nothing else to fit: no evidence either way
])
def test_places_stray_part_fits_the_report(part: Entry, others: list[Entry], stray: bool
                                           ) -> None:
    text = "x" * 200
    t = _toponym(part.name, 0, part)
    tops = [t] + [_toponym(o.name, 50 + 20 * i, o, partial=False) for i, o in enumerate(others)]
    assert _stray_part(_report(text), t, tops) is stray


def test_places_stray_part_typed_division_and_compass_part_stay() -> None:
    county = _entry(5, "Orange County", 28.51, -81.32, "US.FL", "ADM2")
    typed = _toponym("Orange", 0, county, kind="ADM2")
    assert not _stray_part(_report("x" * 100), typed, [typed, _toponym("Austin", 50, AUSTIN)])
    text = "A fire in S. Phila left one hurt, a cousin in Austin said."
    phila = _entry(6, "Philadelphia", 39.95, -75.16, "US.PA")
    part = _toponym("Phila", text.index("Phila"), phila)
    assert not _stray_part(_report(text), part, [part, _toponym("Austin", 40, AUSTIN)])


def _places(text: str) -> list[str]:
    document = geoparsed(text)
    return [m.text for m in document.places]


@pytest.mark.parametrize(("text", "name"), [
    ("Researchers from Columbia University met health officials in Nairobi and Mombasa on "
     "Tuesday to plan the vaccination drive in Kenya.", "Columbia"),
    ("Doctors at Kingston Hospital treated two men wounded in Lviv, Ukraine, volunteers said.",
     "Kingston"),
])
def test_places_institution_named_after_a_distant_place(text: str, name: str) -> None:
    assert not [p for p in _places(text) if name in p], _places(text)


def test_places_institution_of_the_reports_town_stays() -> None:
    places = _places("Police said the Springfield Museum was closed on Sunday after a burst "
                     "pipe flooded its basement in Springfield, Illinois.")
    assert "Springfield" in " ".join(places) and "Illinois" in places, places
