"""The founding report, point by point against ``shared/contract/ACCEPTANCE.md``.

The same code must do the same on any report written the same way, so the second half of this
file runs the same checks on a report with other names, places and numbers.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from sitrep.api import extract
from sitrep.records import DocumentResult, Event

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "strikes-2023-03-22.txt"


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(a))


def _near(event: Event, lat: float, lon: float, km: float = 15) -> bool:
    loc = event.location
    return loc.lat is not None and _km(loc.lat, loc.lon, lat, lon) <= km


@pytest.fixture(scope="module")
def result() -> DocumentResult:
    out = extract(SAMPLE.read_text(encoding="utf-8"), published="2023-03-22", id="strikes")
    assert out.error is None, out.error
    return out


def _one(result: DocumentResult, lat: float, lon: float) -> Event:
    hits = [e for e in result.events if _near(e, lat, lon)]
    assert len(hits) == 1, [(e.sub_event_type, e.location.name) for e in result.events]
    return hits[0]


def test_acceptance_1_missile_strike_on_zaporizhzhia(result):
    e = _one(result, 47.84, 35.14)
    assert e.event_date == "2023-03-22"
    assert (e.event_type, e.sub_event_type) == ("Explosions/Remote violence",
                                                "Shelling/artillery/missile attack")
    # Russia's military; in Ukraine ACLED codes a state's forces abroad as external (inter 8)
    assert e.actor1 is not None and e.actor1.country == "RU" and e.actor1.inter == 8
    assert e.actor1.name == "Military Forces of Russia"
    assert e.civilian_targeting
    assert {"apartment", "residential building"} & set(e.targets)
    assert e.location.country_code == "UA" and e.location.geo_precision == 1
    f = e.fatalities
    assert (f.best, f.low, f.qualifier) == (1, 1, "at_least")
    assert f.high is None


def test_acceptance_2_drone_strike_on_dormitory(result):
    e = _one(result, 49.97, 31.04)
    assert e.event_date == "2023-03-22"
    assert (e.event_type, e.sub_event_type) == ("Explosions/Remote violence", "Air/drone strike")
    assert e.actor1 is not None and e.actor1.country == "RU"
    assert e.civilian_targeting
    assert any("student" in a.lower() for a in e.assoc_actor_2 + [e.actor2.name if e.actor2
                                                                   else ""])
    assert "student dormitory" in e.targets
    assert e.location.geo_precision == 1
    assert (e.fatalities.best, e.fatalities.low, e.fatalities.qualifier) == (8, 8, "at_least")
    assert (e.injuries.low, e.injuries.qualifier) == (21, "more_than")
    # the regional police chief is the source of the injuries figure
    text = SAMPLE.read_text(encoding="utf-8")
    reports = [c for c in result.claims if c.stance == "report" and e.event_id in c.event_ids]
    assert any("police" in (c.text + c.claimant + text[c.span[0]:c.span[1]]).lower()
               for c in reports)


def test_acceptance_3_nuclear_plant_power_loss(result):
    strategic = [e for e in result.events if e.disorder_type == "Strategic developments"]
    assert len(strategic) == 1
    e = strategic[0]
    assert e.location.country_code == "UA"
    assert e.location.geo_precision in (1, 2, 3)
    assert any("Atomic Energy" in c.claimant and e.event_id in c.event_ids
               for c in result.claims)


def test_acceptance_4_diplomacy_outside_acled(result):
    diplomacy = [e for e in result.events if e.event_type is None]
    assert len(diplomacy) == 2
    assert all(e.plover.event in {"CONSULT", "AGREE", "COOPERATE", "SUPPORT"}
               for e in diplomacy)


def test_acceptance_5_claims(result):
    by_stance = {(c.stance, c.claimant) for c in result.claims}
    assert any(s == "assert" and "Zelenskyy" in who for s, who in by_stance)
    assert any(c.channel == "Telegram" for c in result.claims if "Zelenskyy" in c.claimant)
    assert any(s == "deny" and "Russia" in who for s, who in by_stance)
    assert any(s == "blame" and "Moscow" in who for s, who in by_stance)
    assert any(s == "assert" and ("Watson" in who or "Security Council" in who)
               for s, who in by_stance)


def test_acceptance_no_event_in_moscow_or_kyiv_for_strikes(result):
    violent = [e for e in result.events if e.disorder_type == "Political violence"]
    assert not any(_near(e, 55.75, 37.62, 50) for e in result.events)  # Moscow
    assert not any(_near(e, 50.45, 30.52, 20) for e in violent)  # Kyiv


def test_acceptance_no_background_or_vague_copies(result):
    violent = [e for e in result.events if e.disorder_type == "Political violence"]
    assert len(violent) == 2, [(e.sub_event_type, e.location.name) for e in violent]
    assert all(e.location.geo_precision == 1 for e in violent)


def test_acceptance_every_figure_has_evidence(result):
    text = SAMPLE.read_text(encoding="utf-8")
    for e in result.events:
        assert e.evidence.get("trigger")
        for name in ("fatalities", "injuries"):
            count = getattr(e, name)
            if count.qualifier != "none":
                spans = e.evidence.get(name)
                assert spans, (name, e.notes)
                assert all(0 <= s < t <= len(text) for s, t in spans)


# The same shape of report with other names: no rule may fire only for the founding report.
LOOKALIKE = (
    "Israel launched a wave of air strikes and artillery attacks on Gaza, killing several "
    "people on Thursday.\n"
    "\u201cThey are bombing our homes,\u201d Hamas spokesman Abdel Latif al-Qanoua told "
    "reporters, after a video showed a missile hitting a school in Khan Yunis.\n"
    "Israel denies targeting civilians.\n"
    "Two people are known to have died in the attack in Khan Yunis, though the toll could rise.\n"
    "Meanwhile, at least five people were killed after an air strike hit a mosque near Gaza "
    "City.\n"
    "The bodies were pulled from the rubble in the town of Beit Lahia, north of the city.\n"
    "More than 30 people were wounded, according to health ministry spokesman Ashraf "
    "al-Qudra.\n"
)


def test_acceptance_shape_generalises_to_other_names():
    out = extract(LOOKALIKE, published="2021-05-13")
    violent = [e for e in out.events if e.disorder_type == "Political violence"]
    assert len(violent) == 2, [(e.sub_event_type, e.location.name) for e in violent]
    khan_yunis = [e for e in violent if _near(e, 31.34, 34.30, 15)]
    beit_lahia = [e for e in violent if _near(e, 31.55, 34.50, 15)]
    assert khan_yunis and beit_lahia
    assert khan_yunis[0].fatalities.best == 2 and khan_yunis[0].fatalities.qualifier == "at_least"
    assert beit_lahia[0].fatalities.best == 5
    assert beit_lahia[0].injuries.low == 31
    assert beit_lahia[0].sub_event_type == "Air/drone strike"
    assert all(e.event_date == "2021-05-13" for e in violent)
    assert any(c.stance == "deny" for c in out.claims)
