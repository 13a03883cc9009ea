"""Deciding which reports describe the same real event, and reconciling their figures.

Pure functions over codebook records, so the rules can be tested without a database: the store
(``sitrep.store.ingest``) finds the candidates by blocking (date window and grid cell, or country
for imprecise locations) and calls :func:`compare` on each, then :func:`merged_record` and
:func:`reconcile` to rebuild the one event it changed. Every decision carries its reasons, which
``sitrep why`` prints.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from itertools import chain
from typing import TYPE_CHECKING, Any

# Search radius (km) by ACLED geo_precision: a town, near a town / part of a region, a region.
RADIUS_KM: dict[int, float] = {1: 10.0, 2: 30.0, 3: 150.0}
# Grid cells for blocking: 0.5 degree (about 55 km of latitude) is wider than the precise radii,
# so a 3x3 neighbourhood holds every precise candidate.
CELL_DEGREES = 0.5
# Day windows by ACLED time_precision: exact day (same or adjacent), week, month.
DAY_WINDOW: dict[int, int] = {1: 1, 2: 7, 3: 31}
MERGE_THRESHOLD = 0.6

# Sub-event types that outlets confuse for the same strike (a "missile" is often a drone).
COMPATIBLE_SUBS = (
    frozenset({"Air/drone strike", "Shelling/artillery/missile attack"}),
    frozenset({"Armed clash", "Government regains territory"}),
    frozenset({"Armed clash", "Non-state actor overtakes territory"}),
    frozenset({"Peaceful protest", "Protest with intervention"}),
    frozenset({"Protest with intervention", "Excessive force against protesters"}),
    frozenset({"Violent demonstration", "Mob violence"}),
)
COMPATIBLE_TYPES = (frozenset({"Battles", "Explosions/Remote violence"}),
                    frozenset({"Protests", "Riots"}))

# Target classes: two outlets name the same building differently ("apartment block",
# "residential building"), but a hospital is never a power station.
TARGET_CLASSES: dict[str, str] = {
    **dict.fromkeys("apartment apartments residential house houses home homes flats flat "
                    "dormitory dormitories hostel housing building buildings block".split(),
                    "residential"),
    **dict.fromkeys("hospital clinic maternity medical ambulance".split(), "medical"),
    **dict.fromkeys("power energy substation electricity grid thermal fuel gas oil "
                    "refinery pipeline".split(), "energy"),
    **dict.fromkeys("school university kindergarten college campus".split(), "education"),
    **dict.fromkeys("market shop shops store supermarket mall restaurant cafe hotel".split(),
                    "commerce"),
    **dict.fromkeys("railway train station bus bridge airport port road".split(), "transport"),
    **dict.fromkeys("base barracks checkpoint position positions depot airfield convoy "
                    "headquarters".split(), "military"),
    **dict.fromkeys("church mosque temple synagogue monastery cathedral".split(), "religious"),
    **dict.fromkeys("camp camps shelter".split(), "displacement"),
}
CLASSED_WORDS = frozenset(TARGET_CLASSES)
_TARGET_WORD = re.compile(r"[a-z]+")
REMOTE_WEAPONS = frozenset({"missile", "drone", "rocket", "airstrike", "artillery", "shell",
                            "bomb", "mortar"})

STOPWORDS = frozenset(
    "a an the of and or to in on at by for from with as is was were are be been being that this "
    "these those it its he she they his her their them which who whom said says say told "
    "according also after before over into than more most when where while about there out up "
    "we our you i if no not one two three four five six seven eight nine ten all some other "
    "has have had will would could should can may might least killed wounded injured people "
    "dead died toll death deaths least".split()
)
_WORD = re.compile(r"[^\W\d_]{3,}")
# "the death toll rose to nine", "climbed to 12", "toll now stands at", "revised up to".
UPDATE_RE = re.compile(
    r"\b(?:rose|risen|rises|rising|climbed|climbs|increased|increases|jumped|grew|grown|"
    r"mounted|surged|revised)\b|\btoll\b[^.]{0,40}\bnow\b|\bnow (?:stands|stood|at)\b|"
    r"\bhas reached\b|\breached\b",
    re.IGNORECASE,
)
CREDIBLE = frozenset({"exact", "at_least", "more_than", "approximately", "up_to", "range"})


if TYPE_CHECKING:  # the same types for type checkers
    from functools import cached_property as cached
else:
    class cached:  # noqa: N801 - used as a decorator, like functools.cached_property
        """``functools.cached_property`` without its lock (Python 3.11 takes an RLock on every
        first access, which cost more than the values when a batch made a million of them)."""

        def __init__(self, function: Callable[[Any], Any]) -> None:
            self.function = function
            self.name = function.__name__
            self.__doc__ = function.__doc__

        def __set_name__(self, owner: type, name: str) -> None:
            self.name = name

        def __get__(self, instance: Any, owner: type | None = None) -> Any:
            if instance is None:
                return self
            value = instance.__dict__[self.name] = self.function(instance)
            return value


# --- the facts compared -----------------------------------------------------------------------


@dataclass
class Mention:
    """One report's event record and what merging needs from it (its sentence, its report)."""

    record: dict[str, Any]
    document_id: str
    source: str | None = None
    url: str | None = None
    published: date | None = None
    sentence: str = ""
    # Sentence around each figure, to recognise toll updates ("rose to nine").
    figure_context: dict[str, str] = field(default_factory=dict)

    # Derived values are cached: a merged event is rebuilt from its mentions on every join.
    # The record is not changed once the mention exists.

    @cached
    def day(self) -> date | None:
        return self.event_day or self.published

    @cached
    def event_day(self) -> date | None:
        return parse_day(self.record.get("event_date"))

    @cached
    def span(self) -> tuple[date | None, date | None]:
        """date_start and date_end, each the event date when not given."""
        record = self.record
        return (parse_day(record.get("date_start")) or self.event_day,
                parse_day(record.get("date_end")) or self.event_day)

    @cached
    def confidence(self) -> float:
        return float(self.record.get("confidence") or 0)

    @cached
    def precision(self) -> int:
        return precision(self.record)

    @cached
    def said_update(self) -> dict[str, bool]:
        """Whether each figure's sentence says it updates an earlier toll (see reconcile)."""
        return {kind: says_update(self.figure_context.get(kind, "")
                                  or (self.record.get(kind) or {}).get("text", ""))
                for kind in ("fatalities", "injuries")}

    @cached
    def order(self) -> tuple[date, str]:
        return self.published or date.min, self.document_id

    @cached
    def words(self) -> frozenset[str]:
        return content_words(self.sentence)

    @cached
    def own_figures(self) -> dict[str, Figure]:
        """Its figure of each kind, made once: :func:`reconcile` sets the update flags of the
        credible ones on every rebuild (the others are never updates)."""
        said = self.said_update
        return {kind: Figure(self.document_id, self.published, self.record.get(kind) or {},
                             self.figure_context.get(kind, ""), said=said[kind])
                for kind in ("fatalities", "injuries")}

    @cached
    def source_entry(self) -> dict[str, Any]:
        """Its entry in a merged record's ``sources`` (shared by the records: never changed)."""
        return {"document_id": self.document_id, "source": self.source, "url": self.url,
                "published": self.published.isoformat() if self.published else None}


@dataclass(slots=True)
class Candidate:
    """A stored merged event, as blocking returns it."""

    pk: int
    event_id: str
    record: dict[str, Any]
    words: frozenset[str] = frozenset()
    report_ids: frozenset[str] = frozenset()


@dataclass
class Decision:
    score: float
    merge: bool
    reasons: dict[str, str]

    def to_dict(self) -> dict[str, Any]:
        return {"score": round(self.score, 3), "merge": self.merge, "reasons": self.reasons}


def parse_day(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def content_words(text: str) -> frozenset[str]:
    return frozenset(w for w in (m.lower() for m in _WORD.findall(text or ""))
                     if w not in STOPWORDS)


def sentence_around(text: str | None, span: Sequence[int] | None) -> str:
    """The sentence holding a character span (sentence ends: '.', '!', '?', newline)."""
    if not text or not span:
        return ""
    start, end = max(0, int(span[0])), min(len(text), int(span[1]))
    left = max(text.rfind(ch, 0, start) for ch in ".!?\n") + 1
    rights = [i for i in (text.find(ch, end) for ch in ".!?\n") if i >= 0]
    return text[left:(min(rights) + 1 if rights else len(text))].strip()


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def grid_cell(lat: float | None, lon: float | None) -> int | None:
    """The blocking cell of a point: row * 1000 + column on a CELL_DEGREES grid."""
    if lat is None or lon is None:
        return None
    row = int(math.floor((lat + 90.0) / CELL_DEGREES))
    col = int(math.floor((lon + 180.0) / CELL_DEGREES))
    return row * 1000 + col


def neighbour_cells(lat: float, lon: float, radius_km: float) -> tuple[int, ...]:
    """The cells within ``radius_km`` of a point (more columns towards the poles)."""
    return cell_neighbourhood(grid_cell(lat, lon) or 0, radius_km)


@lru_cache(maxsize=65536)
def cell_neighbourhood(cell: int, radius_km: float) -> tuple[int, ...]:
    """The cells within ``radius_km`` of any point of ``cell``: columns are counted at the
    cell's pole-ward edge, so one answer serves every point in it (cached)."""
    row, col = divmod(cell, 1000)
    rows = math.ceil(radius_km / (111.0 * CELL_DEGREES))
    edge = max(abs(row * CELL_DEGREES - 90.0), abs((row + 1) * CELL_DEGREES - 90.0))
    km_per_col = max(111.0 * CELL_DEGREES * math.cos(math.radians(min(edge, 89.0))), 1e-3)
    ncols = int(360 / CELL_DEGREES)
    span = min(math.ceil(radius_km / km_per_col), ncols // 2)
    return tuple(sorted({r * 1000 + (c % ncols) for r in range(row - rows, row + rows + 1)
                         for c in range(col - span, col + span + 1)}))


def precision(record: dict[str, Any]) -> int:
    loc = record.get("location") or {}
    if loc.get("lat") is None or loc.get("lon") is None:
        return 3
    return int(loc.get("geo_precision") or 3)


def day_window(record: dict[str, Any]) -> int:
    return DAY_WINDOW.get(int(record.get("time_precision") or 1), 1)


# --- comparing --------------------------------------------------------------------------------


def _type_score(a: dict[str, Any], b: dict[str, Any]) -> tuple[float | None, str]:
    ta, tb = a.get("event_type"), b.get("event_type")
    sa, sb = a.get("sub_event_type"), b.get("sub_event_type")
    if ta and tb:
        if sa and sa == sb:
            return 1.0, f"same sub-event type ({sa})"
        if frozenset({sa, sb}) in COMPATIBLE_SUBS:
            return 0.8, f"compatible sub-event types ({sa} / {sb})"
        if ta == tb:
            return 0.7, f"same event type ({ta})"
        if frozenset({ta, tb}) in COMPATIBLE_TYPES:
            return 0.2, f"compatible event types ({ta} / {tb})"
        return None, f"different event types ({ta} / {tb})"
    pa = (a.get("plover") or {}).get("event")
    pb = (b.get("plover") or {}).get("event")
    if not ta and not tb and pa and pa == pb:
        return 0.8, f"same PLOVER event ({pa}), outside ACLED's scope"
    return None, f"incompatible types ({ta or pa} / {tb or pb})"


def _place_score(a: dict[str, Any], b: dict[str, Any]) -> tuple[float | None, str]:
    la, lb = a.get("location") or {}, b.get("location") or {}
    ca, cb = la.get("country_code"), lb.get("country_code")
    if ca and cb and ca != cb:
        return None, f"different countries ({ca} / {cb})"
    if None in (la.get("lat"), la.get("lon"), lb.get("lat"), lb.get("lon")):
        if ca and ca == cb:
            return 0.3, f"same country ({ca}), no coordinates to compare"
        return None, "no location to compare"
    pa, pb = precision(a), precision(b)
    limit = RADIUS_KM[max(pa, pb)]
    km = haversine_km(la["lat"], la["lon"], lb["lat"], lb["lon"])
    why = f"{km:.1f} km apart (limit {limit:g} km for geo_precision {pa}/{pb})"
    if km > limit:
        return None, why
    if la.get("geonameid") and la.get("geonameid") == lb.get("geonameid"):
        return 1.0, f"same place ({la.get('name')}), " + why
    return max(0.0, 1.0 - km / limit), why


def _date_score(a: Mention | dict[str, Any], b: dict[str, Any]) -> tuple[float | None, str]:
    rec_a = a.record if isinstance(a, Mention) else a
    da = a.day if isinstance(a, Mention) else parse_day(a.get("event_date"))
    db = parse_day(b.get("event_date"))
    if da is None or db is None:
        return None, "no date to compare"
    gap = abs((da - db).days)
    limit = max(day_window(rec_a), day_window(b))
    if gap > limit:
        return None, f"{gap} days apart (limit {limit})"
    if gap == 0:
        return 1.0, f"same day ({da.isoformat()})"
    return max(0.2, 1.0 - gap / (limit + 1)), f"{gap} day(s) apart (limit {limit})"


def _actor_names(record: dict[str, Any], key: str) -> tuple[str | None, str | None]:
    actor = record.get(key) or {}
    return actor.get("name"), actor.get("country")


def _actor_score(a: dict[str, Any], b: dict[str, Any]) -> tuple[float | None, str]:
    (na, ca), (nb, cb) = _actor_names(a, "actor1"), _actor_names(b, "actor1")
    if not na or not nb:
        return 0.5, "actor1 unknown in one report"
    if na == nb:
        return 1.0, f"same actor1 ({na})"
    if ca and ca == cb:
        return 0.7, f"actor1 from the same country ({na} / {nb})"
    n2a, n2b = _actor_names(a, "actor2")[0], _actor_names(b, "actor2")[0]
    if na == n2b and nb == n2a:
        return 0.7, f"the same two sides, named in the other order ({na} / {nb})"
    return None, f"different actors ({na} / {nb})"


@lru_cache(maxsize=4096)
def _classes(targets: tuple[str, ...]) -> tuple[frozenset[str], frozenset[str]]:
    words = frozenset(w for t in targets for w in _TARGET_WORD.findall(t.lower()))
    return words, frozenset(TARGET_CLASSES[w] for w in words if w in TARGET_CLASSES)


def _target_adjust(a: dict[str, Any], b: dict[str, Any]) -> tuple[float, str | None]:
    ta, tb = a.get("targets") or [], b.get("targets") or []
    if not ta or not tb:
        return 0.0, None
    (wa, ka), (wb, kb) = _classes(tuple(ta)), _classes(tuple(tb))
    if ka & kb or (wa & (wb - CLASSED_WORDS)):
        return 0.1, f"same kind of target ({', '.join(sorted(ka & kb) or sorted(wa & wb))})"
    if ka and kb:
        return -0.35, f"different targets ({', '.join(ta)} / {', '.join(tb)})"
    return -0.1, f"targets named differently ({', '.join(ta)} / {', '.join(tb)})"


def _weapon_adjust(a: dict[str, Any], b: dict[str, Any]) -> tuple[float, str | None]:
    wa, wb = set(a.get("weapons") or []), set(b.get("weapons") or [])
    if not wa or not wb:
        return 0.0, None
    if wa & wb:
        return 0.05, f"same weapons ({', '.join(sorted(wa & wb))})"
    if wa <= REMOTE_WEAPONS and wb <= REMOTE_WEAPONS:
        return -0.05, f"weapons named differently ({', '.join(sorted(wa))} / "\
                      f"{', '.join(sorted(wb))})"
    return -0.15, f"different weapons ({', '.join(sorted(wa))} / {', '.join(sorted(wb))})"


def text_similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Overlap of the event sentences' content words (the share of the shorter one)."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def compare(mention: Mention, candidate: Candidate) -> Decision:
    """Whether a report's event is the same real event as a stored one, and why."""
    a, b = mention.record, candidate.record
    reasons: dict[str, str] = {}
    if mention.document_id in candidate.report_ids:
        reasons["report"] = "the report already gives this event: a second event in one report"
        return Decision(0.0, False, reasons)
    parts: dict[str, float] = {}
    for name, check in (("date", _date_score), ("type", _type_score), ("place", _place_score),
                        ("actors", _actor_score)):
        value, why = check(mention if name == "date" else a, b)  # type: ignore[operator]
        reasons[name] = why
        if value is None:
            return Decision(0.0, False, reasons)
        parts[name] = value
    similarity = text_similarity(mention.words, candidate.words)
    reasons["sentence"] = f"event sentences share {similarity:.0%} of their content words"
    score = (0.3 * parts["type"] + 0.2 * parts["place"] + 0.1 * parts["date"]
             + 0.15 * parts["actors"] + 0.25 * similarity)
    for name, adjust in (("targets", _target_adjust), ("weapons", _weapon_adjust)):
        delta, why = adjust(a, b)
        if why:
            reasons[name] = why
            score += delta
    merge = score >= MERGE_THRESHOLD
    reasons["score"] = f"{score:.2f} ({'>=' if merge else '<'} {MERGE_THRESHOLD})"
    return Decision(score, merge, reasons)


# --- reconciling figures ----------------------------------------------------------------------


@dataclass
class Figure:
    """One report's figure for one event, with what is needed to order and trust it."""

    document_id: str
    published: date | None
    count: dict[str, Any]
    context: str = ""
    update: bool = False
    # says_update of the context (or the count's text), when the caller knows it already.
    said: bool | None = None

    @cached
    def order(self) -> tuple[date, str]:
        return self.published or date.min, self.document_id

    @cached
    def stored(self) -> tuple[Any, ...] | None:
        """Its row in the figures history (best, low, high, qualifier, civilians, text,
        published), or None when the report gives no figure of its kind."""
        count = self.count
        if count.get("qualifier") in (None, "none"):
            return None
        return (count.get("best"), count.get("low"), count.get("high"), count.get("qualifier"),
                count.get("civilians"), count.get("text") or "", self.published)

    @cached
    def credible(self) -> bool:
        return self.count.get("qualifier") in CREDIBLE and self.count.get("best") is not None

    def to_dict(self, kind: str) -> dict[str, Any]:
        return {"kind": kind, "document_id": self.document_id,
                "published": self.published.isoformat() if self.published else None,
                **{k: self.count.get(k) for k in ("best", "low", "high", "qualifier",
                                                  "civilians", "text")},
                "update": self.update}


def _figure_order(figure: Figure) -> tuple[date, str]:
    return figure.order


def says_update(text: str) -> bool:
    return bool(UPDATE_RE.search(text or ""))


def no_figure() -> dict[str, Any]:
    """The count of an event that no report gives a figure for."""
    return {"best": 0, "low": 0, "high": 0, "qualifier": "none", "civilians": None, "text": ""}


def reconcile(figures: Sequence[Figure]) -> tuple[dict[str, Any], list[Figure]]:
    """ACLED's conservative best among the latest credible figures; UCDP low/high across all.

    A figure is an update when its sentence says so ("rose to nine") or when it was published
    later with a higher figure than anything before. The latest updates supersede what came
    before them, and later reports that repeat a figure at least as high stay current.
    Returns the merged count and the history (oldest first, with update flags set).
    """
    ordered = sorted(figures, key=_figure_order)
    credible = [f for f in ordered if f.credible]
    # In date order: the highest figure of the days before each figure's day.
    higher_than_before, before, day, today = [], None, None, None
    for f in credible:
        published = f.published or date.min
        if published != day:
            if today is not None:
                before = today if before is None else max(before, today)
            day, today = published, None
        best = f.count["best"]
        higher_than_before.append(before is not None and best > before)
        today = best if today is None else max(today, best)
    for f, higher in zip(credible, higher_than_before, strict=True):
        said = f.said if f.said is not None else says_update(
            f.context or f.count.get("text", ""))
        f.update = said or higher
    if not credible:
        unknown = next((f for f in ordered if f.count.get("qualifier") == "unknown"), None)
        if unknown is not None:
            return dict(unknown.count), list(ordered)
        return no_figure(), list(ordered)
    updates = [f for f in credible if f.update]
    if updates:
        last = max(f.published or date.min for f in updates)
        latest = [f for f in updates if (f.published or date.min) == last]
        floor = min(f.count["best"] for f in latest)
        current = latest + [f for f in credible if (f.published or date.min) > last
                            and f.count["best"] >= floor]
    else:
        current = credible
    chosen = min(current, key=lambda f: (f.count["best"], -(f.published or date.min).toordinal()))
    lows = [f.count["low"] if f.count.get("low") is not None else f.count["best"]
            for f in credible]
    highs = [v for f in credible for v in (f.count.get("high"), f.count["best"]) if v is not None]
    merged = dict(chosen.count)
    merged.update(low=min(lows), high=max(highs))
    if merged["low"] != merged["high"] and chosen.count.get("qualifier") == "exact":
        merged["qualifier"] = "range" if len({f.count["best"] for f in current}) > 1 else "exact"
    return merged, list(ordered)


# --- the merged record ------------------------------------------------------------------------


def merged_record(event_id: str, mentions: Sequence[Mention],
                  history: dict[str, list[Figure]] | None = None) -> dict[str, Any]:
    """One codebook record for the mentions of one real event.

    ``history``, when given, receives each kind's figures in mention order with their update
    flags set, so the store writes the figures' history without reconciling them again.

    The most confident report gives the coding, the most precise location wins, lists are
    unions, figures are reconciled and ``sources`` lists every supporting report.
    """
    return merge_mentions(event_id, mentions, history).record


@dataclass(slots=True)
class Merged:
    """A merged record and what :func:`merged_record` made it from, so that one more mention
    can be added (:func:`merged_with`) without going over the others again."""

    record: dict[str, Any]
    # The lowest confidence of the mentions; None when one is not a number (NaN), which
    # leaves the order by confidence to the sort.
    lowest: float | None
    located: Mention  # the mention that gave the location
    days: dict[date, int]  # each event day and how many mentions give it
    start: date | None  # the earliest start of the mentions' spans, and the latest end
    end: date | None
    votes: int  # mentions that say civilians were targeted
    ordered: list[Mention]  # by _mention_order, the order of ``sources``
    count: int


def merge_mentions(event_id: str, mentions: Sequence[Mention],
                   history: dict[str, list[Figure]] | None = None) -> Merged:
    """:func:`merged_record`, with what it was made from."""
    # sorted(reverse=True) keeps equal confidences in mention order, as the key -confidence did.
    by_confidence = sorted(mentions, key=_confidence, reverse=True) if len(mentions) > 1 \
        else list(mentions)
    records = [m.record for m in by_confidence]
    lead = dict(records[0])
    located = min(mentions, key=_location_order) if len(mentions) > 1 else mentions[0]
    lead["location"] = dict(located.record.get("location") or {})
    days = [d for d in (m.event_day for m in mentions) if d]
    counts: dict[date, int] = {}
    for d in days:
        counts[d] = counts.get(d, 0) + 1
    spans = [m.span for m in mentions]
    starts = [s[0] for s in spans if s[0]]
    ends = [s[1] for s in spans if s[1]]
    start, end = (min(starts) if starts else None), (max(ends) if ends else None)
    if days:
        if len(days) == 1:
            lead["event_date"] = days[0].isoformat()
        else:
            top = max(counts.values())
            lead["event_date"] = min(d for d, n in counts.items() if n == top).isoformat()
        lead["date_start"] = start.isoformat()  # type: ignore[union-attr]
        lead["date_end"] = end.isoformat()  # type: ignore[union-attr]
    for key in ("actor1", "actor2"):
        if not lead.get(key):
            lead[key] = next((r[key] for r in records if r.get(key)), None)
    for key in ("assoc_actor_1", "assoc_actor_2", "weapons", "targets"):
        lead[key] = list(dict.fromkeys(chain.from_iterable([r.get(key) or () for r in records])))
    votes = sum([1 for r in records if r.get("civilian_targeting")])
    lead["civilian_targeting"] = votes * 2 >= len(mentions)
    _reconciled(lead, mentions, history)
    ordered = sorted(mentions, key=_mention_order) if len(mentions) > 1 else list(mentions)
    lead["sources"] = _sources(ordered)
    lead["event_id"] = event_id
    # The first by confidence has the highest.
    lead["confidence"] = round(by_confidence[0].confidence, 3)
    confidences = [m.confidence for m in mentions]
    lowest = None if any(c != c for c in confidences) else min(confidences)
    return Merged(lead, lowest, located, counts, start, end, votes, ordered, len(mentions))


def merged_with(previous: Merged, event_id: str, mentions: Sequence[Mention],
                history: dict[str, list[Figure]] | None = None) -> Merged:
    """:func:`merge_mentions` of ``mentions``: ``previous``'s mentions and one more, last.

    When the new mention sorts last by confidence (so the lead record, the actors and the
    order of the lists stay), the previous record is updated from it alone; the figures are
    reconciled again in full (a new figure can turn the others' update flags). Otherwise, or
    when its day would add the date keys, the record is made again from all mentions.
    """
    new = mentions[-1]
    confidence = new.confidence
    day = new.event_day
    if len(mentions) != previous.count + 1 or previous.lowest is None \
            or not confidence <= previous.lowest or (day and not previous.days):
        return merge_mentions(event_id, mentions, history)
    record, lead = new.record, dict(previous.record)
    located = previous.located
    if _location_order(new) < _location_order(located):  # (min keeps the first smallest)
        located = new
        lead["location"] = dict(record.get("location") or {})
    days, start, end = previous.days, previous.start, previous.end
    first, last = new.span
    if first and (start is None or first < start):
        start = first
    if last and (end is None or last > end):
        end = last
    if day:
        days = dict(days)
        days[day] = days.get(day, 0) + 1
        top = max(days.values())
        lead["event_date"] = min(d for d, n in days.items() if n == top).isoformat()
    if days:  # (a mention without a day can still widen the span)
        lead["date_start"] = start.isoformat()  # type: ignore[union-attr]
        lead["date_end"] = end.isoformat()  # type: ignore[union-attr]
    for key in ("actor1", "actor2"):
        if not lead.get(key):  # none of the others gives one: the first that does is the new
            lead[key] = record[key] if record.get(key) else None
    for key in ("assoc_actor_1", "assoc_actor_2", "weapons", "targets"):
        items = record.get(key)
        if items:
            lead[key] = list(dict.fromkeys(chain(lead[key], items)))
    votes = previous.votes + (1 if record.get("civilian_targeting") else 0)
    lead["civilian_targeting"] = votes * 2 >= len(mentions)
    _reconciled(lead, mentions, history)
    ordered = previous.ordered
    order = new.order
    if order >= ordered[-1].order:  # (the sort is stable: the new one goes after equals)
        ordered = [*ordered, new]
        key = (new.document_id, new.url)
        if all((m.document_id, m.url) != key for m in previous.ordered):
            lead["sources"] = [*lead["sources"], new.source_entry]
    else:
        at = bisect_right([m.order for m in ordered], order)
        ordered = [*ordered[:at], new, *ordered[at:]]
        lead["sources"] = _sources(ordered)
    return Merged(lead, confidence, located, days, start, end, votes, ordered, len(mentions))


def _reconciled(lead: dict[str, Any], mentions: Sequence[Mention],
                history: dict[str, list[Figure]] | None) -> None:
    for kind in ("fatalities", "injuries"):
        listed = figures(mentions, kind)
        if any(f.stored is not None for f in listed):
            lead[kind], _ = reconcile(listed)
        else:  # no report gives one (what reconcile returns then, without sorting them)
            lead[kind] = no_figure()
        if history is not None:
            history[kind] = listed


def _sources(ordered: Sequence[Mention]) -> list[dict[str, Any]]:
    """Every supporting report once (the first of its mentions in ``ordered``)."""
    sources: dict[tuple[str, str | None], dict[str, Any]] = {}
    for m in ordered:
        key = (m.document_id, m.url)
        if key not in sources:
            sources[key] = m.source_entry
    return list(sources.values())


def _confidence(mention: Mention) -> float:
    return mention.confidence


def _location_order(mention: Mention) -> tuple[int, float]:
    return mention.precision, -mention.confidence


def figures(mentions: Sequence[Mention], kind: str) -> list[Figure]:
    # The counts are the mentions' own (never changed: reconcile copies the one it returns).
    return [m.own_figures[kind] for m in mentions]


def _mention_order(mention: Mention) -> tuple[date, str]:
    return mention.order


def block_window(mention: Mention) -> tuple[date, date] | None:
    day = mention.day
    if day is None:
        return None
    # Stored events may be imprecise by up to a week; a month-precise report looks a month out.
    span = max(day_window(mention.record), DAY_WINDOW[2])
    return day - timedelta(days=span), day + timedelta(days=span)
