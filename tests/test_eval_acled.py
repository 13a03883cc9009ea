"""``sitrep eval acled``: ACLED notes scored field by field against ACLED's coding."""

from __future__ import annotations

import pytest

from sitrep.evaluation import acled
from sitrep.evaluation.runner import sample_rows


def _row(i: int, label: str, **kw: object) -> dict[str, object]:
    row: dict[str, object] = {"id": f"R{i}", "text": "On 3 May 2021, something happened.",
                              "label": label, "date": "2021-05-03", "killed": 0, "lat": 10.0,
                              "lon": 20.0, "country": "Ruritania", "actor1": ""}
    row.update(kw)
    return row


def _result(sub: str | None, **kw: object) -> dict[str, object]:
    event: dict[str, object] = {"sub_event_type": sub, "confidence": 0.8,
                                "event_date": "2021-05-03", "location": {"lat": 10.05,
                                                                         "lon": 20.0},
                                "fatalities": {"best": 0}, "actor1": None}
    event.update(kw)
    return {"events": [event]}


def test_eval_acled_scores_each_field() -> None:
    rows = [_row(1, "Peaceful protest", actor1="Protesters (Ruritania)"),
            _row(2, "Armed clash", killed=3, actor1="Military Forces of Ruritania (2010-)"),
            _row(3, "Attack", text="Gunmen shot a man.", killed=1)]
    results = [
        _result("Peaceful protest", actor1={"name": "Protesters (Ruritania)", "inter": 6,
                                            "country": "Ruritania"}),
        _result("Attack", fatalities={"best": 3}, location={"lat": 11.0, "lon": 20.0},
                actor1={"name": "Ruritanian army", "inter": 1, "country": "Ruritania"}),
        _result("Attack", fatalities={"best": 1}, event_date="2020-01-01"),
    ]
    f = acled.score(rows, results).figures
    assert f["accuracy"] == pytest.approx(2 / 3)
    assert f["killed_exact"] == 1.0
    # the third note does not state its year: it is not scored for the date
    assert f["date_rows"] == 2 and f["date_exact"] == 1.0
    assert f["location_within25"] == pytest.approx(2 / 3)
    assert f["actor1_rows"] == 2 and f["actor1_exact"] == 0.5
    assert f["actor1_family"] == 1.0 and f["actor1_country"] == 1.0


@pytest.mark.parametrize(("name", "country", "inter"), [
    ("Protesters (Kenya)", "Kenya", 6),
    ("Rioters (Kenya)", "Kenya", 5),
    ("Civilians (Niger)", "Niger", 7),
    ("Military Forces of Myanmar (2021-)", "Myanmar", 1),
    ("Police Forces of Kenya (2013-)", "Kenya", 1),
    # a country of two words, "the", a unit after the years: still the country's own forces
    ("Military Forces of Burkina Faso (2015-)", "Burkina Faso", 1),
    ("Police Forces of the United States (2017-) Prison Guards", "United States", 1),
    ("Military Forces of the United States", "United States", 1),
    ("Government of Burkina Faso (2015-)", "Burkina Faso", 1),  # a government: state forces
    ("Military Forces of Rwanda (2000-)", "Rwanda", 8),  # abroad: external
    ("Unidentified Armed Group (Burkina Faso)", "Burkina Faso", 3),
    ("Unidentified Communal Militia (Kenya)", "Kenya", 4),
    ("Islamic State (Greater Sahara)", "Kenya", 2),
])
def test_eval_acled_gold_actor_family(name: str, country: str, inter: int) -> None:
    got_inter, got_country = acled.gold_actor(name, "Kenya" if inter in {2, 8} else country)
    assert got_inter == inter
    assert got_country == country


def test_eval_acled_sample_is_seeded_and_in_order() -> None:
    rows = [{"id": i} for i in range(100)]
    a, b = sample_rows(rows, 10), sample_rows(rows, 10)
    assert a == b and len(a) == 10 and [r["id"] for r in a] == sorted(r["id"] for r in a)
    assert sample_rows(rows, 0) == rows and sample_rows(rows, None) == rows


def test_eval_acled_actor_country_code_read_as_name() -> None:
    rows = [_row(1, "Arrests", country="Kenya", actor1="Police Forces of Kenya (2013-)")]
    results = [_result("Arrests", actor1={"name": "Police Forces of Kenya", "inter": 1,
                                          "country": "KE"})]
    f = acled.score(rows, results).figures
    assert f["actor1_exact"] == 0.0 and f["actor1_family"] == 1.0 and f["actor1_country"] == 1.0
