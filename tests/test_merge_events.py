"""Merging events across reports: same real event together, look-alikes apart, figures right."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "data" / "store"))
from fixtures import BACKENDS, GAO_CLASH, db_url, load  # noqa: E402

from sitrep.records import Report  # noqa: E402
from sitrep.store import ingest, open_store, query_events, why  # noqa: E402
from sitrep.store import merge as merge  # noqa: E402
from sitrep.store.rows import candidates, make_mention  # noqa: E402

stubs = load("stubs")
ev = stubs.event


def run(store, items):
    """items: (report id, published, source, text, [event kwargs...])."""
    table, reports = {}, []
    for rid, published, source, text, specs in items:
        reports.append(Report(rid, text, date.fromisoformat(published), source,
                              f"https://{source.lower().replace(' ', '')}.example/{rid}"))
        table[rid] = [ev(rid, n, text=text, **{"day": published, **spec})
                      for n, spec in enumerate(specs)]
    return ingest(store, reports, extractor=stubs.table_extractor(table))


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    s = open_store(db_url(request.param, tmp_path))
    yield s
    s.dispose()


# One strike, several outlets: one merged event with every source.
SAME_EVENT = {
    "wire-and-local": [
        ("a", "2024-05-10", "Northwire", "A Russian missile struck an apartment building in "
         "Kharkiv, killing six.", [dict(killed=6, qualifier="at_least",
                                        targets=["apartment building"])]),
        ("b", "2024-05-10", "Kharkiv Today", "Seven killed as Russian missile hits residential "
         "building in Kharkiv.", [dict(killed=7, targets=["residential building"])]),
    ],
    "adjacent-day-and-offset": [
        ("a", "2024-05-10", "Northwire", "Drone strike on Odesa port kills two.",
         [dict(place="Odesa", kind="drone", killed=2, targets=["port"])]),
        ("b", "2024-05-11", "Sea Monitor", "Drone attack on the port of Odesa late on Friday.",
         [dict(place="Odesa", kind="drone", day="2024-05-11", killed=2, targets=["port"],
               offset=(0.03, 0.02))]),
    ],
    "missile-or-drone-wording": [
        ("a", "2024-05-10", "Northwire", "Russian missile hits Dnipro clinic.",
         [dict(place="Dnipro", killed=3, targets=["clinic"])]),
        ("b", "2024-05-10", "Dnipro News", "A drone hit a hospital in Dnipro.",
         [dict(place="Dnipro", kind="drone", killed=3, targets=["hospital"])]),
        ("c", "2024-05-10", "NGO", "Attack on Dnipro hospital, three dead.",
         [dict(place="Dnipro", killed=3, targets=["hospital"], actor=None)]),
    ],
    "region-level-and-town": GAO_CLASH,
}

# Look-alikes: same day, same city (or close), but different real events.
DIFFERENT_EVENTS = {
    "same-city-different-targets": [
        ("a", "2024-05-10", "Northwire", "Missile hits Kharkiv hospital.",
         [dict(killed=2, targets=["hospital"])]),
        ("b", "2024-05-10", "Kharkiv Today", "Missile strike on Kharkiv power station.",
         [dict(killed=0, targets=["power station"])]),
    ],
    "same-report-two-strikes": [
        ("a", "2024-05-10", "Northwire", "Two missile strikes hit Kharkiv on Friday.",
         [dict(killed=2), dict(killed=3)]),
    ],
    "three-days-apart": [
        ("a", "2024-05-10", "Northwire", "Missile strike on Kharkiv apartment block.",
         [dict(killed=2, targets=["apartment block"])]),
        ("b", "2024-05-13", "Northwire", "Missile strike on Kharkiv apartment block again.",
         [dict(killed=2, day="2024-05-13", targets=["apartment block"])]),
    ],
    "nearby-towns": [
        ("a", "2024-05-10", "Northwire", "Missile strike on a town.",
         [dict(killed=2)]),
        ("b", "2024-05-10", "Local", "Missile strike on a town further east.",
         [dict(killed=2, offset=(0.0, 0.4))]),
    ],
    "different-actors": [
        ("a", "2024-05-10", "Syria Wire", "Airstrike on Idlib market.",
         [dict(place="Idlib", kind="drone", actor="Military Forces of Syria",
               actor_country="SY", targets=["market"])]),
        ("b", "2024-05-10", "Monitor", "Drone attack on Idlib market by a rebel group.",
         [dict(place="Idlib", kind="drone", actor="Hayat Tahrir al-Sham", actor_country=None,
               targets=["market"])]),
    ],
    "different-type": [
        ("a", "2024-05-10", "Northwire", "Protest in Kherson.",
         [dict(place="Kherson", kind="protest", actor="Protesters (Ukraine)",
               actor_country="UA")]),
        ("b", "2024-05-10", "Northwire", "Shelling of Kherson.",
         [dict(place="Kherson", actor="Military Forces of Russia")]),
    ],
}


@pytest.mark.parametrize("case", list(SAME_EVENT))
def test_merge_same_event_one_record(store, case):
    items = SAME_EVENT[case]
    run(store, items)
    merged = list(query_events(store))
    assert len(merged) == 1
    assert [s["document_id"] for s in merged[0]["sources"]] == [i[0] for i in items]


@pytest.mark.parametrize("case", list(DIFFERENT_EVENTS))
def test_merge_lookalikes_stay_apart(store, case):
    items = DIFFERENT_EVENTS[case]
    run(store, items)
    assert len(list(query_events(store))) == sum(len(i[4]) for i in items)


def test_merge_toll_update_supersedes(store):
    run(store, [
        ("a", "2024-05-10", "Northwire", "Missile hits Kharkiv apartment block, eight killed.",
         [dict(killed=8, targets=["apartment block"])]),
        ("b", "2024-05-10", "Kharkiv Today", "Ten dead in Kharkiv missile strike on flats.",
         [dict(killed=10, targets=["flats"])]),
        ("c", "2024-05-11", "Northwire", "The death toll from the Kharkiv missile strike rose "
         "to nine.", [dict(killed=9, killed_text="rose to nine", day="2024-05-10")]),
    ])
    [event] = query_events(store)
    assert event["fatalities"]["best"] == 9
    assert (event["fatalities"]["low"], event["fatalities"]["high"]) == (8, 10)
    explanation = why(store, event["event_id"])
    history = [(f["document_id"], f["best"], f["update"]) for f in explanation["figures"]
               if f["kind"] == "fatalities"]
    assert history == [("a", 8, False), ("b", 10, False), ("c", 9, True)]
    assert explanation["reports"][1]["how"]["reasons"]["date"].startswith("same day")


def test_merge_new_report_joins_existing_event(store):
    run(store, SAME_EVENT["wire-and-local"][:1])
    [before] = query_events(store)
    stats = run(store, SAME_EVENT["wire-and-local"][1:])
    assert stats.joined == 1 and stats.new_events == 0
    [after] = query_events(store)
    assert after["event_id"] == before["event_id"]
    assert len(after["sources"]) == 2


def test_merge_why_accepts_a_report_event_id(store):
    run(store, SAME_EVENT["wire-and-local"])
    mention_id = ev("b", 0).event_id
    explanation = why(store, mention_id)
    assert len(explanation["reports"]) == 2
    assert explanation["reports"][0]["how"] == {"seed": True}
    assert "score" in explanation["reports"][1]["how"]["reasons"]


def test_merge_blocking_reads_only_the_block(store):
    far = [("x", "2024-05-10", "Mogadishu Wire", "Bombing in Mogadishu.",
            [dict(place="Mogadishu", actor="Al Shabaab", actor_country=None)]),
           ("y", "2024-03-01", "Northwire", "Missile strike on Kharkiv in March.",
            [dict(day="2024-03-01")]),
           ("z", "2024-05-10", "Northwire", "Missile hits Odesa.", [dict(place="Odesa")])]
    run(store, far + SAME_EVENT["wire-and-local"][:1])
    report = Report("new", "Kharkiv missile strike.", date(2024, 5, 10), "Wire")
    mention = make_mention(ev("new", 0, day="2024-05-10").to_dict(), report, report.text)
    with store.read() as connection:
        found = candidates(connection, mention, set())
    assert [c.record["location"]["name"] for c in found] == ["Kharkiv"]


# --- figures, without a database ----------------------------------------------------------------


def fig(doc, published, best, qualifier="exact", text="", high="same"):
    count = {"best": best, "low": best, "high": best if high == "same" else high,
             "qualifier": qualifier, "civilians": None, "text": text}
    return merge.Figure(doc, date.fromisoformat(published) if published else None, count, text)


@pytest.mark.parametrize("figures,best,low,high", [
    ([fig("a", "2024-05-10", 8), fig("b", "2024-05-10", 10)], 8, 8, 10),
    ([fig("a", "2024-05-10", 8), fig("b", "2024-05-11", 9, text="the toll rose to nine")],
     9, 8, 9),
    ([fig("a", "2024-05-10", 8), fig("b", "2024-05-12", 12)], 12, 8, 12),
    ([fig("a", "2024-05-10", 8), fig("b", "2024-05-11", 9, text="climbed to 9"),
      fig("c", "2024-05-12", 8, text="eight people died")], 9, 8, 9),
    ([fig("a", "2024-05-10", 5, "at_least", high=None), fig("b", "2024-05-10", 7)], 5, 5, 7),
    ([fig("a", "2024-05-10", 0, "none"), fig("b", "2024-05-10", 3)], 3, 3, 3),
    ([fig("a", "2024-05-10", 0, "none")], 0, 0, 0),
    ([fig("a", "2024-05-10", None, "unknown"), fig("b", "2024-05-10", 0, "none")],
     None, None, None),
    ([fig("a", "2024-05-11", 4, text="death toll now stands at four"),
      fig("b", "2024-05-11", 6, text="rose to six"), fig("c", "2024-05-10", 2)], 4, 2, 6),
])
def test_merge_reconcile_figures(figures, best, low, high):
    merged, history = merge.reconcile(figures)
    assert (merged["best"], merged["low"], merged["high"]) == (best, low, high)
    assert len(history) == len(figures)


@pytest.mark.parametrize("text,update", [
    ("the death toll rose to nine", True), ("The toll climbed to 12 on Sunday", True),
    ("the death toll is now 14", True), ("has risen to 20", True),
    ("eight people were killed", False), ("at least 20 wounded", False),
])
def test_merge_recognises_toll_updates(text, update):
    assert merge.says_update(text) is update


@pytest.mark.parametrize("lat,lon", [(0.0, 0.0), (49.99, 36.23), (-33.9, 151.2),
                                     (64.1, -21.9), (10.0, 179.9)])
def test_merge_neighbour_cells_cover_the_radius(lat, lon):
    cells = set(merge.neighbour_cells(lat, lon, merge.RADIUS_KM[2]))
    for dlat, dlon in ((0.25, 0.0), (-0.25, 0.0), (0.0, 0.25), (0.0, -0.25)):
        km_lon = dlon * 111 * max(0.1, __import__("math").cos(__import__("math").radians(lat)))
        if (dlat * 111) ** 2 + km_lon ** 2 <= merge.RADIUS_KM[2] ** 2:
            other_lon = ((lon + dlon + 180) % 360) - 180
            assert merge.grid_cell(lat + dlat, other_lon) in cells
