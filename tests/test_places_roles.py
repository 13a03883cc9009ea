"""places stage: recognition, resolution, metonymy, relative expressions, event location."""

from __future__ import annotations

import pytest
from conftest import geoparsed

from sitrep.document import Document, EventDraft, EventMention
from sitrep.pipeline.places import event_location
from sitrep.places.geocode import haversine

_document = geoparsed


def _mention(document: Document, text: str):  # noqa: ANN202
    found = [m for m in document.places if m.text == text]
    assert found, f"{text!r} not found in {[m.text for m in document.places]}"
    return found[0]


@pytest.mark.parametrize(("text", "place"), [
    ("Tehran denied on Monday that its drones had been used in the attack.", "Tehran"),
    ("Moscow unleashed a wave of missile strikes on Ukraine overnight.", "Moscow"),
    ("Officials in Beijing blamed the protesters for the violence.", "Beijing"),
    ("Washington imposed new sanctions after the coup, a State Department statement said.",
     "Washington"),
])
def test_places_metonymy(text: str, place: str) -> None:
    assert _mention(_document(text), place).role == "metonymy"


@pytest.mark.parametrize(("text", "place"), [
    ("A car bomb exploded in Kabul on Monday, killing four people.", "Kabul"),
    ("Russian shelling hit Kharkiv overnight, the regional governor said.", "Kharkiv"),
    ("Hundreds of protesters gathered in Nairobi to demand lower prices.", "Nairobi"),
])
def test_places_locations(text: str, place: str) -> None:
    m = _mention(_document(text), place)
    assert m.role == "location" and m.resolved


@pytest.mark.parametrize("text", [
    "Ukrainian forces shelled the positions overnight.",
    "Syrian troops entered the village on Sunday.",
    "Nigerian police arrested six suspects.",
])
def test_places_demonyms_are_not_places(text: str) -> None:
    """A demonym names a country's people, never a place (CLI.md: toponyms, not demonyms)."""
    document = _document(text)
    demonym = text.split()[0]
    assert not [m for m in document.places if m.text == demonym]


@pytest.mark.parametrize(("text", "place", "relation"), [
    ("Two soldiers were killed in clashes near Donetsk on Tuesday.", "Donetsk", "near"),
    ("A roadside bomb exploded 30 km south of Mosul.", "Mosul", "km south of"),
    ("Fighting continued on the outskirts of Aleppo.", "Aleppo", "on the outskirts of"),
])
def test_places_relative_expressions(text: str, place: str, relation: str) -> None:
    m = _mention(_document(text), place)
    assert (m.relation, m.precision) == (relation, 2)


@pytest.mark.parametrize(("text", "lat", "lon"), [
    ("Protesters marched through the Kenyan capital on Friday.", -1.28, 36.82),
    ("Explosions were heard in the Syrian capital overnight.", 33.51, 36.29),
])
def test_places_descriptive_capital(text: str, lat: float, lon: float) -> None:
    document = _document(text)
    caps = [m for m in document.places if "capital" in m.text]
    assert caps and haversine(caps[0].place.lat, caps[0].place.lon, lat, lon) < 25


def test_places_focus_country() -> None:
    document = _document("Shelling hit Kharkiv and Izium on Monday. Ukraine said it would "
                         "respond. Lviv was calm.")
    assert document.focus_country == "UA"


def test_places_survive_odd_input() -> None:
    for text in ["", "   ", "🙂🙂🙂", "\x00\x01", "in in in of the near near"]:
        document = geoparsed(text)
        assert isinstance(document.places, list)


def _draft(document: Document, trigger: str, context: tuple[int, ...] = ()) -> EventDraft:
    tok = next(t for t in document.doc if t.text == trigger)
    sent = document.sent_index(tok.idx)
    mention = EventMention(start=tok.idx, end=tok.idx + len(tok.text), text=tok.text,
                           lemma=tok.lemma_, sent=sent, kind="attack", token=tok.i)
    return EventDraft(mentions=[mention], kind="attack", sents=[sent], context=list(context))


@pytest.mark.parametrize(("text", "trigger", "context", "lat", "lon", "prec"), [
    ("Moscow launched a drone that struck a school in Kharkiv on Monday.", "struck", (), 49.98,
     36.25, 1),
    ("A drone struck a warehouse near Odesa. It hit buildings in the town of Yuzhne, east of "
     "the city.", "struck", (1,), 46.62, 31.10, 1),
    ("Officials in Tehran condemned the blast that killed nine in Kabul.", "blast", (), 34.53,
     69.17, 1),
])
def test_places_event_location(text: str, trigger: str, context: tuple[int, ...], lat: float,
                               lon: float, prec: int) -> None:
    document = _document(text)
    document.events = [_draft(document, trigger, context)]
    event_location(document)
    loc = document.events[0].location
    assert loc is not None and loc.geo_precision == prec
    assert haversine(loc.lat, loc.lon, lat, lon) < 25
    assert document.events[0].evidence["location"]


def test_places_event_location_falls_back_to_focus_country() -> None:
    document = _document("Ukraine said the strikes would not break its people. Rescue work "
                         "went on.")
    document.events = [_draft(document, "went")]
    event_location(document)
    loc = document.events[0].location
    assert loc is not None and (loc.country_code, loc.geo_precision) == ("UA", 3)
