"""places stage: recognising toponyms the model misses or garbles, and reading them in context."""

from __future__ import annotations

import pytest
from conftest import geoparsed

from sitrep.document import Document
from sitrep.places.geocode import haversine

_document = geoparsed


def _near(document: Document, text: str, lat: float, lon: float, km: float = 161.0) -> bool:
    hits = [m for m in document.places if m.text == text and m.place.lat is not None]
    assert hits, f"{text!r} not among {[m.text for m in document.places]}"
    return all(haversine(m.place.lat, m.place.lon, lat, lon) < km for m in hits)


@pytest.mark.parametrize(("text", "dateline", "lat", "lon"), [
    ("Council delays vote on budget. HARTFORD — State lawmakers approved the budget on "
     "Tuesday after a long debate.", "HARTFORD", 41.76, -72.69),
    ("Governor signs jobs bill. COLUMBUS, Ohio (AP) — The governor signed the bill into law "
     "on Friday.", "COLUMBUS", 39.96, -83.0),
    ("NAIROBI -- Police fired tear gas at hundreds of protesters on Monday.", "NAIROBI",
     -1.28, 36.82),
])
def test_places_recognition_datelines(text: str, dateline: str, lat: float, lon: float) -> None:
    """A wire story opens with its place in capitals; the model rarely tags it."""
    assert _near(_document(text), dateline, lat, lon)


@pytest.mark.parametrize(("text", "inner"), [
    ("Deputies booked the suspect into the Licking County Jail on Friday night.",
     "Licking County"),
    ("Rain is expected across Western Massachusetts through the weekend.", "Massachusetts"),
    ("Flights were cancelled at Nairobi International Airport after the fire.", "Nairobi"),
])
def test_places_recognition_place_inside_a_longer_name(text: str, inner: str) -> None:
    """'X County Jail', 'Western X': the place inside a name the gazetteer does not hold."""
    document = _document(text)
    assert [m for m in document.places if m.text == inner and m.resolved], (
        [(m.text, m.place.name) for m in document.places])


@pytest.mark.parametrize(("text", "street"), [
    ("A jogger was robbed near Briarcliff Road on Tuesday morning, police said.",
     "Briarcliff"),
    ("The crash happened at the corner of Cooper Street and Main Street in the afternoon.",
     "Cooper"),
    ("Crews will repave Washington Avenue between the library and the park.", "Washington"),
    ("Traffic was backed up for miles on Interstate 75 after the accident.", "Interstate"),
])
def test_places_recognition_streets_are_not_towns(text: str, street: str) -> None:
    """A street named after a town is not that town; a street is not a settlement either."""
    document = _document(text)
    assert not [m for m in document.places if street in m.text], (
        [(m.text, m.place.name) for m in document.places])


@pytest.mark.parametrize(("text", "surname"), [
    ("Wrestling coach Darren Ripley praised his team. \"They never gave up,\" said coach "
     "Ripley.", "Ripley"),
    ("Former police chief Henry Madison was arrested on Monday. Madison, 43, denied the "
     "charges in court.", "Madison"),
])
def test_places_recognition_surnames_are_people(text: str, surname: str) -> None:
    """One name, one sense per report: a person named in full keeps their surname."""
    document = _document(text)
    assert not [m for m in document.places if m.text == surname]


@pytest.mark.parametrize(("text", "town"), [
    ("A Gainesville man was sentenced on Friday to 15 years in prison for the killing.",
     "Gainesville"),
    ("About 55 Gainesville residents marched on Friday near City Hall.", "Gainesville"),
    ("A Lancaster woman was injured in the crash on Route 30, police said.", "Lancaster"),
])
def test_places_recognition_where_someone_lives(text: str, town: str) -> None:
    """"A Gainesville man" names a town; the model often takes it for a group or a person."""
    assert town in [m.text for m in _document(text).places]


@pytest.mark.parametrize(("text", "surname"), [
    ("James Fresno Jr. was arrested on Monday. Police said Fresno had a gun.", "Fresno"),
    ("John Camden III was charged. Camden was held in the county jail.", "Camden"),
])
def test_places_recognition_surnames_after_suffixes(text: str, surname: str) -> None:
    """"Jr." or "III" closing a person's name does not hide the surname before it."""
    assert surname not in [m.text for m in _document(text).places]


@pytest.mark.parametrize("text", [
    "Police found Mrs. Parsons in the garage of the family home.",
    "The bill was signed into law as the Act took effect on Monday.",
])
def test_places_recognition_no_code_alternates(text: str) -> None:
    """Airport codes filed as alternate names ('MRS', 'ACT') do not make words into cities."""
    document = _document(text)
    assert not [m for m in document.places if m.text in ("Mrs.", "Act")]


@pytest.mark.parametrize(("text", "name", "lat", "lon"), [
    ("Richmond police said the suspect fled to Berea, a few miles south in Madison County.",
     "Richmond", 37.75, -84.29),
    ("Paris firefighters and Henry County deputies responded to the blaze near Puryear.",
     "Paris", 36.30, -88.33),
    ("Storms swept across Georgia on Monday, knocking out power in Atlanta and Macon.",
     "Georgia", 32.75, -83.5),
    ("Columbus police arrested two men after a chase that ended in Phenix City.",
     "Columbus", 32.46, -84.99),
])
def test_places_resolution_by_neighbours(text: str, name: str, lat: float, lon: float) -> None:
    """An ambiguous name takes the reading that lies near the report's other places."""
    assert _near(_document(text), name, lat, lon, km=250.0)


@pytest.mark.parametrize(("text", "name", "country"), [
    ("Flights from Mexico landed in Albany and Syracuse, New York officials said.", "Mexico",
     "MX"),
    ("Talks with Ontario officials in Toronto and Ottawa ended without a deal.", "Ontario",
     "CA"),
])
def test_places_resolution_region_names_beat_namesakes(text: str, name: str,
                                                        country: str) -> None:
    """A country's or province's own name is not outvoted by a small namesake town."""
    document = _document(text)
    hits = [m for m in document.places if m.text == name]
    assert hits and all(m.place.country_code == country for m in hits)


@pytest.mark.parametrize(("text", "names", "lat", "lon"), [
    ("A women's shelter in Richmond received a $5,000 grant on Wednesday. The shelter has "
     "served Madison County families since 2006.", ("Richmond", "Madison County"), 37.75,
     -84.29),
    ("The Richmond city council approved the budget. Madison County commissioners will vote "
     "next week.", ("Richmond", "Madison County"), 37.75, -84.29),
])
def test_places_resolution_two_ambiguous_names_agree(text: str, names: tuple[str, ...],
                                                     lat: float, lon: float) -> None:
    """Two ambiguous names with readings side by side settle on them together, instead of each
    following the other's previous reading into a different state."""
    document = _document(text)
    assert all(_near(document, name, lat, lon, km=60.0) for name in names)


@pytest.mark.parametrize(("text", "name", "lat", "lon"), [
    ("The Lebanon school board met on Tuesday. Lebanon is the seat of Warren County, between "
     "Mason and Franklin.", "Lebanon", 39.44, -84.2),
    ("Lebanon police said the driver was taken to a hospital in Mason, in Warren County.",
     "Lebanon", 39.44, -84.2),
    ("Lebanon firefighters were called to a house fire near Mason on Sunday, Warren County "
     "officials said.", "Lebanon", 39.44, -84.2),
])
def test_places_resolution_namesake_towns_by_context(text: str, name: str, lat: float,
                                                     lon: float) -> None:
    """Once a country's name is read as a town, which town is still the report's to say: the
    one beside its other places, not the biggest."""
    assert _near(_document(text), name, lat, lon, km=60.0)


@pytest.mark.parametrize(("text", "name", "lat", "lon"), [
    ("Jordan police said the crash happened on a county road near Shakopee late on Friday.",
     "Jordan", 44.67, -93.63),
    ("Lebanon firefighters were called to a barn fire outside Zionsville in Boone County.",
     "Lebanon", 40.05, -86.47),
])
def test_places_resolution_town_named_like_a_country(text: str, name: str, lat: float,
                                                     lon: float) -> None:
    """A name does not vote for its own reading: a small town named like a country is read
    by its neighbours, not by the country its own name would make the report about."""
    assert _near(_document(text), name, lat, lon)


@pytest.mark.parametrize(("text", "names"), [
    ("Storm damage was reported in Harvey, Harper and Kingman counties on Sunday.",
     ("Harvey", "Harper", "Kingman")),
    ("Deputies from Clay, Becker and Otter Tail counties joined the search.",
     ("Clay", "Becker", "Otter Tail")),
])
def test_places_recognition_county_lists(text: str, names: tuple[str, ...]) -> None:
    """'X, Y and Z counties': each name of the list is a county (admin2)."""
    document = _document(text)
    found = {m.text: m for m in document.places}
    for name in names:
        assert name in found and found[name].place.feature_code == "ADM2", (
            [(m.text, m.place.feature_code) for m in document.places])


@pytest.mark.parametrize(("text", "name"), [
    ("The storm hit Gainesville on Monday. Gainesville officials said the cleanup would take "
     "weeks, and Gainesville's mayor asked for state help.", "Gainesville"),
    ("Shelling hit the centre of Kramatorsk overnight. Kramatorsk residents spent the night "
     "in shelters, and Kramatorsk's mayor said three people were wounded.", "Kramatorsk"),
])
def test_places_recognition_one_sense_per_report(text: str, name: str) -> None:
    """A name the report uses as a place is that place at each mention, whatever tag the
    model gave the other mentions."""
    document = _document(text)
    assert len([m for m in document.places if m.text == name]) == 3


@pytest.mark.parametrize(("text", "name", "lat", "lon"), [
    ("A former Las Vegas City Marshal was charged on Friday, Clark County prosecutors in "
     "Nevada said.", "Las Vegas City", 36.17, -115.14),
    ("The Springfield City Marshal said Clark County deputies in Ohio helped with the arrest.",
     "Springfield", 39.92, -83.81),
])
def test_places_resolution_type_word_in_a_longer_name(text: str, name: str, lat: float,
                                                      lon: float) -> None:
    """A town's name read out of a longer one ("Las Vegas City Marshal") keeps all its
    readings, not only the one that files "Las Vegas City" as an alternate name."""
    assert _near(_document(text), name, lat, lon, km=60.0)


def test_places_recognition_city_named_with_city() -> None:
    """"Kansas City International" names Kansas City, not the state of Kansas."""
    document = _document("Flights from Kansas City International to Dallas were delayed on "
                         "Monday by the storm.")
    assert "Kansas" not in [m.text for m in document.places]
    assert _near(document, "Kansas City", 39.1, -94.58, km=60.0)


@pytest.mark.parametrize(("text", "name", "country"), [
    ("Coast guards from Trinidad and Tobago rescued 14 migrants off the coast on Friday.",
     "Tobago", "TT"),
    ("Cholera has killed 40 people in the Democratic Republic of the Congo since January, "
     "health officials said.", "Congo", "CD"),
    ("Aid convoys crossed from Rwanda into the Democratic Republic of the Congo overnight.",
     "Congo", "CD"),
])
def test_places_recognition_names_the_model_cuts_short(text: str, name: str,
                                                       country: str) -> None:
    """'Trinidad and', 'Democratic Republic of the': the whole name when the gazetteer knows
    it, never a mention ending on a dangling word."""
    document = _document(text)
    assert not [m for m in document.places
                if m.text.split()[-1].casefold() in ("and", "of", "the")]
    hits = [m for m in document.places if name in m.text]
    assert hits and all(m.place.country_code == country for m in hits), (
        [(m.text, m.place.country_code) for m in document.places])


def test_places_recognition_city_of_stays_a_description() -> None:
    """A model span 'the City of' is not completed into one namesake's alternate name."""
    document = _document("Crews from the City of Lexington's water department fixed the main "
                         "by Sunday, officials in Kentucky said.")
    assert all(m.text != "City of" for m in document.places)
    assert all(m.place.country_code in (None, "US") for m in document.places)


@pytest.mark.parametrize(("text", "part", "lat", "lon"), [
    ("Two men were wounded in a shooting in Northeast D.C. late on Saturday.",
     "D.C.", 38.9, -77.04),
    ("Fire crews battled a warehouse blaze in S. Phila. for six hours, officials said.",
     "Phila", 39.95, -75.16),
])
def test_places_recognition_compass_part_of_a_place(text: str, part: str, lat: float,
                                                    lon: float) -> None:
    """'Northeast D.C.', 'S. Phila.': the part of a place lies in that place, even where the
    place's short form is an alternate name no place owns."""
    assert _near(_document(text), part, lat, lon, km=50.0)
