"""The geocoder's cheap reads (whether a name is some place's own, which country a name names)
answer as their definitions over ``lookup_scored`` do, and a loaded file changes their answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitrep.places.build import create_empty
from sitrep.places.gazetteer import COUNTRY, PRIMARY, Gazetteer
from sitrep.places.index import load

# Made-up places: a county whose own name carries its type word, a town that files that name as
# an alternate, two countries sharing an alternate name (the more own name must win), a town
# named like a country.
ROWS = [
    ("Walker County", 33.8, -87.3, "", "US", "ADM2", 60000),
    ("Walkerton", 44.1, -81.1, "Walker County|Walkers", "CA", "PPL", 4900),
    ("District of Columbia", 38.9, -77.0, "Washington DC", "US", "ADM1", 680000),
    ("Columbia", 34.0, -81.0, "", "US", "PPL", 136000),
    ("Ruritania", 47.0, 15.0, "Kingdom of Ruritania|Ruritanien|Borduria", "RT", "PCLI", 3000000),
    ("Borduria", 46.0, 20.0, "Bordurian Republic", "BD", "PCLI", 5000000),
    ("Syldavia Town", 45.0, 18.0, "Ruritania", "SY", "PPL", 2000),
    ("Klow", 45.5, 18.5, "", "BD", "PPL", 90000),
]

NAMES = ["Walker County", "walker county", "Walkers", "District of Columbia", "Columbia",
         "Washington DC", "Ruritania", "Kingdom of Ruritania", "Borduria", "Bordurian Republic",
         "Ruritanien", "Syldavia Town", "Klow", "Nowhere", "", "???", "Walker"]


@pytest.fixture
def gaz(tmp_path: Path) -> Gazetteer:
    csv = tmp_path / "places.csv"
    lines = ["name,lat,lon,alt_names,id,country_code,feature_code,population"]
    lines += [f"{name},{lat},{lon},{alts},{i},{cc},{fc},{pop}"
              for i, (name, lat, lon, alts, cc, fc, pop) in enumerate(ROWS)]
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    gazetteer = create_empty(tmp_path / "g.sqlite")
    assert load(csv, "csv", gazetteer=gazetteer) == len(ROWS)
    yield gazetteer
    gazetteer.close()


def _own_by_definition(gaz: Gazetteer, name: str) -> bool:
    return any(q == PRIMARY for _, q in gaz.lookup_scored(name))


def _country_by_definition(gaz: Gazetteer, name: str) -> str | None:
    found = [(q, e) for e, q in gaz.lookup_scored(name) if e.feature_code == COUNTRY]
    return min(found, key=lambda t: t[0])[1].name if found else None


@pytest.mark.parametrize("name", NAMES)
def test_own_name_read_matches_its_definition(gaz: Gazetteer, name: str) -> None:
    cheap = gaz.is_own_name(name)
    gaz.clear_cache()
    assert cheap == _own_by_definition(gaz, name)


@pytest.mark.parametrize("name", NAMES)
def test_country_read_matches_its_definition(gaz: Gazetteer, name: str) -> None:
    country = gaz.country_named(name)
    gaz.clear_cache()
    assert (country.name if country else None) == _country_by_definition(gaz, name)


@pytest.mark.parametrize(("name", "own", "country"), [
    ("Walker County", True, None), ("Walkers", False, None), ("Ruritania", True, "Ruritania"),
    ("Borduria", True, "Borduria"), ("Kingdom of Ruritania", False, "Ruritania"),
    ("Bordurian Republic", False, "Borduria"), ("Klow", True, None), ("", False, None),
])
def test_expected_answers(gaz: Gazetteer, name: str, own: bool, country: str | None) -> None:
    assert gaz.is_own_name(name) is own
    found = gaz.country_named(name)
    assert (found.name if found else None) == country


def test_a_loaded_file_changes_the_answers(gaz: Gazetteer, tmp_path: Path) -> None:
    assert not gaz.is_own_name("Walker Parish")
    assert gaz.country_named("Freedonia") is None
    more = tmp_path / "more.csv"
    more.write_text("name,lat,lon,alt_names,id,country_code,feature_code,population\n"
                    "Walker Parish,30.0,-91.0,,100,US,ADM2,20000\n"
                    "Freedonia,10.0,10.0,Republic of Freedonia,101,FD,PCLI,800000\n",
                    encoding="utf-8")
    assert load(more, "csv", gazetteer=gaz) == 2
    assert gaz.is_own_name("Walker Parish")
    found = gaz.country_named("Republic of Freedonia")
    assert found is not None and found.name == "Freedonia"
