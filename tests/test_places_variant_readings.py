"""places stage: a reading linked to a mention only by another romanisation or a misspelling
stands only where the report points to its country."""

from __future__ import annotations

from collections import Counter

import pytest

from sitrep.places.gazetteer import Entry
from sitrep.places.geocode import TRANSLIT_MATCH
from sitrep.places.names import name_key
from sitrep.places.recognise import Toponym
from sitrep.places.resolve import _drop_unsupported_variants


def _entry(i: int, name: str, cc: str, code: str = "PPL") -> Entry:
    return Entry(i, i, name, 10.0, 10.0, cc, None, None, f"{cc}.01", code, 2_000)


def _toponym(text: str, cands: list[tuple[Entry, float]]) -> Toponym:
    return Toponym(0, len(text), text, text, None, 0, 0, True, cands=cands)


@pytest.mark.parametrize(("countries", "kept"), [
    (Counter({"US": 3.0}), False),  # an American report: the village abroad goes
    (Counter({"AZ": 1.0, "US": 2.0}), True),  # another name or people points to Azerbaijan
    (Counter(), False),  # nothing points anywhere: a romanisation guess is no reading
])
def test_places_variant_town_needs_its_country_named(countries: Counter[str], kept: bool
                                                     ) -> None:
    village = _entry(1, "Harbur", "AZ")
    t = _toponym("Harbour", [(village, TRANSLIT_MATCH)])
    _drop_unsupported_variants([t], {}, countries)
    assert bool(t.cands) == kept


def test_places_variant_exact_readings_stay() -> None:
    own = _entry(2, "Kyiv", "UA")
    t = _toponym("Kyiv", [(own, 1.0), (_entry(3, "Kiev", "US"), 0.9)])
    _drop_unsupported_variants([t], {}, Counter({"FR": 1.0}))
    assert [e.name for e, _ in t.cands] == ["Kyiv", "Kiev"]


def test_places_variant_misspelt_country_stands_alone() -> None:
    country = _entry(4, "Afghanistan", "AF", "PCLI")
    t = _toponym("Afganistan", [(country, 0.7)])
    _drop_unsupported_variants([t], {}, Counter({"US": 2.0}))
    assert t.cands == [(country, 0.7)]


def test_places_variant_own_soft_vote_is_no_support() -> None:
    """The name's own soft vote for its reading's country does not count as support."""
    village = _entry(5, "Kettli", "IN")
    t = _toponym("Kettle City", [(village, TRANSLIT_MATCH)])
    soft = {name_key("Kettle City"): (Counter({"IN": 1.0}), Counter({"IN.01": 1.0}))}
    _drop_unsupported_variants([t], soft, Counter({"IN": 1.0, "US": 4.0}))
    assert t.cands == []
