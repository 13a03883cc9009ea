"""Dates: find every date expression, resolve it, and give each event the day it happened.

``dates`` resolves explicit dates ("1 September 2024", "03/21/2023", "2023-03-21", "March 21"),
ranges ("between 3 and 5 March", "from Monday to Wednesday") and relative expressions ("on
Wednesday", "yesterday", "earlier this week", "last month") against the report's publication date.
Without one, the nearest full date in the text anchors relative expressions; without either they
stay unresolved, never today's date. The common forms are plain regular expressions (fast);
dateparser handles only the leftovers that spaCy marks as dates, cached.

``event_dates`` picks, per event, a date in its trigger's sentence (the one in the trigger's
clause first), then in its other sentences and context, then a dateline date ("03/12/2018:
Assailants attacked ..."), then the last day told before the event's sentences ("On August 1,
1966, a student entered the tower. He killed ..."), then the publication date with week
precision when the report is about recent events.

Impossible dates ("31/02/2023", "on 45 March", "2023-13-40", "February 30") are never resolved
and never replaced by a guess: ``dates`` keeps them as text in ``extras["malformed_dates"]``; an
event whose date they are gets no date (or the publication date, at week precision, only when the
report also dates it relatively, as "on Tuesday"), the malformed text as ``malformed_date``
evidence, a note in ``extras["date_doubts"]`` and a lower confidence.
"""

from __future__ import annotations

import calendar
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from sitrep.document import DateMention, Document, EventDraft
from sitrep.pipeline.registry import stage

MONTHS: dict[str, int] = {}
for _i in range(1, 13):
    MONTHS[calendar.month_name[_i].lower()] = _i
    MONTHS[calendar.month_abbr[_i].lower()] = _i
MONTHS["sept"] = 9
WEEKDAYS = {calendar.day_name[i].lower(): i for i in range(7)}

_MONTH_NAMES = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
_MONTH = r"(?P<{}>" + _MONTH_NAMES + r")\.?"
_DAY = r"(?P<{}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<{}>1[89]\d\d|20\d\d)"
_WEEKDAY = r"(?P<{}>monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_PART = r"(?:\s+(?:night|morning|evening|afternoon))?"


def _g(pattern: str, *names: str) -> str:
    return pattern.format(*names)


# Order matters: longer, more specific forms first; overlapping later matches are dropped.
PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})\b")),
    ("numeric", re.compile(r"\b(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4})\b")),
    ("day_range", re.compile(
        r"\b(?:between\s+|from\s+)?" + _g(_DAY, "d1") + r"\s*(?:-|–|to|and|until)\s*"
        + _g(_DAY, "d2") + r"\s+(?:of\s+)?" + _g(_MONTH, "m") + r"(?:,?\s+" + _g(_YEAR, "y")
        + r")?\b", re.I)),
    ("month_day_range", re.compile(
        r"\b(?:between\s+|from\s+)?" + _g(_MONTH, "m") + r"\s+" + _g(_DAY, "d1")
        + r"\s*(?:-|–|to|and|until)\s*" + _g(_DAY, "d2") + r"(?:,?\s+" + _g(_YEAR, "y")
        + r")?\b", re.I)),
    ("day_month", re.compile(
        r"\b(?:the\s+)?" + _g(_DAY, "d") + r"\s+(?:of\s+)?" + _g(_MONTH, "m") + r"(?:,?\s+"
        + _g(_YEAR, "y") + r")?\b", re.I)),
    ("month_day", re.compile(
        r"\b" + _g(_MONTH, "m") + r"\s+" + _g(_DAY, "d") + r"(?![\d:])(?:,?\s+" + _g(_YEAR, "y")
        + r")?\b", re.I)),
    ("month_year", re.compile(r"\b(?:in\s+)?" + _g(_MONTH, "m") + r",?\s+(?:of\s+)?"
                              + _g(_YEAR, "y") + r"\b", re.I)),
    ("holiday", re.compile(r"\b(?P<h>new year's eve|new year's day|christmas eve|christmas day|"
                           r"christmas)(?:\s+(?:in|of)\s+" + _g(_YEAR, "y") + r")?", re.I)),
    ("weekday_range", re.compile(r"\bfrom\s+" + _g(_WEEKDAY, "w1") + r"\s+(?:to|until|through)\s+"
                                 + _g(_WEEKDAY, "w2") + r"\b", re.I)),
    ("weekday", re.compile(r"\b(?P<last>last\s+|this\s+past\s+|on\s+|early\s+|late\s+)?"
                           + _g(_WEEKDAY, "w") + r"(?:'s)?" + _PART + r"\b", re.I)),
    ("relative", re.compile(
        r"\b(?P<r>the day before yesterday|yesterday|last night|overnight|earlier today|"
        r"this (?:morning|afternoon|evening)|tonight|today|earlier this week|this week|"
        r"last week|earlier this month|this month|last month|last weekend|this weekend|"
        r"(?P<n>\d{1,3}|two|three|four|five|six|seven) days ago)\b", re.I)),
    ("year", re.compile(r"\b(?P<p>in|since|during|of|by)\s+" + _g(_YEAR, "y") + r"\b", re.I)),
]
HOLIDAYS = {"new year's eve": (12, 31), "new year's day": (1, 1), "christmas eve": (12, 24),
            "christmas day": (12, 25), "christmas": (12, 25)}
SMALL = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}


def _safe(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _weekday_on_or_before(anchor: date, weekday: int, strictly: bool = False) -> date:
    delta = (anchor.weekday() - weekday) % 7
    if strictly and delta == 0:
        delta = 7
    return anchor - timedelta(days=delta)


def _year_for(month: int, day: int, anchor: date | None) -> int | None:
    """A month-day with no year: the anchor's year, or the one before if that is after it."""
    if anchor is None:
        return None
    candidate = _safe(anchor.year, month, day)
    if candidate is not None and candidate > anchor + timedelta(days=7):
        return anchor.year - 1
    return anchor.year


Resolved = tuple[date, date, int]


def _resolve(kind: str, m: re.Match[str], anchor: date | None) -> Resolved | None:
    """The (start, end, precision) of one match, or None when it cannot be resolved."""
    gd = {k: (v.lower() if isinstance(v, str) else v) for k, v in m.groupdict().items()}
    if kind == "iso":
        d = _safe(int(gd["y"]), int(gd["m"]), int(gd["d"]))
        return (d, d, 1) if d else None
    if kind == "numeric":
        a, b, y = int(gd["a"]), int(gd["b"]), int(gd["y"])
        d = _safe(y, a, b) if a <= 12 else _safe(y, b, a)  # US month/day first, as GTD writes
        return (d, d, 1) if d else None
    if kind in ("day_range", "month_day_range"):
        month = MONTHS[gd["m"]]
        d1, d2 = int(gd["d1"]), int(gd["d2"])
        year = int(gd["y"]) if gd.get("y") else _year_for(month, d1, anchor)
        if year is None or d2 <= d1:
            return None
        s, e = _safe(year, month, d1), _safe(year, month, d2)
        return (s, e, 1) if s and e else None
    if kind in ("day_month", "month_day"):
        month, day = MONTHS[gd["m"]], int(gd["d"])
        year = int(gd["y"]) if gd.get("y") else _year_for(month, day, anchor)
        if year is None:
            return None
        d = _safe(year, month, day)
        return (d, d, 1) if d else None
    if kind == "month_year":
        y, mo = int(gd["y"]), MONTHS[gd["m"]]
        return date(y, mo, 1), _month_end(y, mo), 3
    if kind == "holiday":
        mo, day = HOLIDAYS[gd["h"]]
        year = int(gd["y"]) if gd.get("y") else _year_for(mo, day, anchor)
        if year is None:
            return None
        d = date(year, mo, day)
        return d, d, 1
    if kind == "year":
        y = int(gd["y"])
        return date(y, 1, 1), date(y, 12, 31), 3
    if anchor is None:
        return None
    if kind == "weekday_range":
        s = _weekday_on_or_before(anchor, WEEKDAYS[gd["w1"]])
        e = _weekday_on_or_before(anchor, WEEKDAYS[gd["w2"]])
        if e < s:
            s -= timedelta(days=7)
        return s, e, 1
    if kind == "weekday":
        strictly = bool(gd.get("last")) and gd["last"].strip() in ("last", "this past")
        d = _weekday_on_or_before(anchor, WEEKDAYS[gd["w"]], strictly)
        return d, d, 1
    return _relative(gd["r"], gd.get("n"), anchor)


def _relative(phrase: str, n: str | None, anchor: date) -> Resolved | None:
    day = timedelta(days=1)
    if phrase in ("yesterday", "last night"):
        return anchor - day, anchor - day, 1
    if phrase == "the day before yesterday":
        return anchor - 2 * day, anchor - 2 * day, 1
    if phrase == "overnight":
        return anchor - day, anchor, 1
    if phrase in ("today", "earlier today", "tonight") or phrase.startswith("this "):
        if phrase in ("this week", "this month", "this weekend"):
            pass
        else:
            return anchor, anchor, 1
    if n is not None:
        k = int(n) if n.isdigit() else SMALL[n]
        return anchor - k * day, anchor - k * day, 1
    monday = anchor - timedelta(days=anchor.weekday())
    if phrase in ("earlier this week", "this week"):
        return monday, anchor, 2
    if phrase == "last week":
        return monday - 7 * day, monday - day, 2
    if phrase == "last weekend":
        sat = _weekday_on_or_before(anchor, 5, strictly=True)
        return sat, sat + day, 2
    if phrase == "this weekend":
        sat = _weekday_on_or_before(anchor, 5)
        return sat, min(sat + day, anchor), 2
    if phrase in ("earlier this month", "this month"):
        return anchor.replace(day=1), anchor, 3
    if phrase == "last month":
        first = anchor.replace(day=1)
        prev = first - day
        return prev.replace(day=1), prev, 3
    return None


RELATIVE_KINDS = frozenset({"weekday_range", "weekday", "relative"})
YEARLESS_KINDS = frozenset({"day_range", "month_day_range", "day_month", "month_day", "holiday"})


class SpanSet:
    """Character spans taken so far, merged and sorted, for "does this overlap any?" in
    O(log n): checking every taken span for every match was quadratic in a report full of
    dates."""

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []  # sorted too: the stored spans are disjoint
        for start, end in spans:
            self.add(start, end)

    def overlaps(self, start: int, end: int) -> bool:
        last = bisect_left(self.starts, end) - 1  # the last span that starts before ``end``
        return last >= 0 and self.ends[last] > start

    def add(self, start: int, end: int) -> None:
        lo, hi = bisect_right(self.ends, start), bisect_left(self.starts, end)
        if lo < hi:  # merge the spans it overlaps
            start, end = min(start, self.starts[lo]), max(end, self.ends[hi - 1])
        self.starts[lo:hi] = [start]
        self.ends[lo:hi] = [end]


def _matches(text: str) -> list[tuple[int, int, str, re.Match[str]]]:
    """Every date pattern's matches, the first pattern to match a span claiming it."""
    taken = SpanSet()
    out: list[tuple[int, int, str, re.Match[str]]] = []
    for kind, pattern in PATTERNS:
        for m in pattern.finditer(text):
            s, e = m.span()
            if taken.overlaps(s, e):
                continue
            if kind in ("day_month",) and not _plausible_day_month(text, m):
                continue
            taken.add(s, e)
            out.append((s, e, kind, m))
    out.sort()
    return out


def _plausible_day_month(text: str, m: re.Match[str]) -> bool:
    """'3 May' is a date, '12 may be' is not: an abbreviation or 'may' needs a capital/year."""
    word = m.group("m")
    if word.lower() == "may" and not word[0].isupper():
        return False
    return not (len(word) == 3 and word.lower() in ("mar", "jan") and not word[0].isupper())


def _has_year(kind: str, m: re.Match[str]) -> bool:
    return kind in ("iso", "numeric") or bool(m.groupdict().get("y"))


@lru_cache(maxsize=2048)
def _dateparser(text: str, base: date | None) -> date | None:
    """The slow general parser, for spaCy DATE entities no pattern covered; cached."""
    from datetime import datetime

    import dateparser

    settings: dict[str, object] = {"PREFER_DAY_OF_MONTH": "first",
                                   "RETURN_AS_TIMEZONE_AWARE": False,
                                   "REQUIRE_PARTS": ["day", "month", "year"]}
    if base is not None:
        settings["RELATIVE_BASE"] = datetime(base.year, base.month, base.day)
    try:
        parsed = dateparser.parse(text, languages=["en"], settings=settings)
    except Exception:  # dateparser raises many kinds on odd input
        return None
    return parsed.date() if parsed else None


@dataclass(frozen=True)
class MalformedDate:
    """A date-shaped expression that names no real day ("31/02/2023", "on 45 March")."""

    start: int
    end: int
    text: str
    sent: int


# Day numbers no month has, next to a month name: "on 45 March", "March 45, 2023".
_BAD_DAY = r"(?P<{}>0?0|3[2-9]|[4-9]\d)(?:st|nd|rd|th)?"
MALFORMED_PATTERNS: list[re.Pattern[str]] = [
    re.compile(r"\b" + _g(_BAD_DAY, "d") + r"\s+(?:of\s+)?" + _g(_MONTH, "m") + r"(?:,?\s+"
               + _g(_YEAR, "y") + r")?\b", re.I),
    re.compile(r"\b" + _g(_MONTH, "m") + r"\s+" + _g(_BAD_DAY, "d") + r"(?![\d:])(?:,?\s+"
               + _g(_YEAR, "y") + r")?\b", re.I),
]
# A yearless "February 30" is a date only where a date is expected: "on February 30", a dateline
# "February 30:", or before punctuation; "in February 30 people died" is a month and a number.
_DATE_BEFORE = re.compile(r"\b(?:on|since|from|until|till|by|dated|of)\s+(?:the\s+)?$", re.I)
_DATE_AFTER = re.compile(r"\s*(?:[,.;:)\]]|$)|\s+(?:at|when|while|in|near)\b")
CHECKED_KINDS = frozenset({"iso", "numeric", "day_range", "month_day_range", "day_month",
                           "month_day"})


def _real_day(year: int | None, month: int, day: int) -> bool:
    """Whether the day exists; a yearless 29 February counts (some year has it)."""
    return _safe(year if year is not None else 2000, month, day) is not None


def _impossible(kind: str, m: re.Match[str]) -> bool:
    """Whether a pattern match names no real day in any reading (not merely lacks a year)."""
    gd = {k: (v.lower() if isinstance(v, str) else v) for k, v in m.groupdict().items()}
    year = int(gd["y"]) if gd.get("y") else None
    if kind == "iso":
        return not _real_day(year, int(gd["m"]), int(gd["d"])) if 1 <= int(gd["m"]) <= 12 else True
    if kind == "numeric":
        a, b = int(gd["a"]), int(gd["b"])
        return not any(1 <= mo <= 12 and _real_day(year, mo, d) for mo, d in ((a, b), (b, a)))
    month = MONTHS[gd["m"]]
    if kind in ("day_range", "month_day_range"):
        return not (_real_day(year, month, int(gd["d1"])) and _real_day(year, month, int(gd["d2"])))
    if kind in ("day_month", "month_day"):
        return not _real_day(year, month, int(gd["d"]))
    return False


def _expected_date(text: str, kind: str, m: re.Match[str]) -> bool:
    """Whether a day-and-month is written where a date belongs (see ``_DATE_BEFORE``)."""
    if kind in ("iso", "numeric") or m.groupdict().get("y"):
        return True
    s, e = m.span()
    if not m.group("m")[0].isupper():
        return False
    if kind in ("day_range", "month_day_range") and m.group(0)[:4].lower() in ("from", "betw"):
        return True
    line_start = s == 0 or text[max(0, s - 1)] == "\n"
    return bool(line_start or _DATE_BEFORE.search(text[max(0, s - 20):s])
                or _DATE_AFTER.match(text, e))


def find_malformed(document: Document,
                   found: Sequence[tuple[int, int, str, re.Match[str]]] | None = None
                   ) -> list[MalformedDate]:
    """Date expressions that name an impossible day, in text order, kept as written."""
    text = document.text
    found = _matches(text) if found is None else found
    spans: list[tuple[int, int]] = []
    for s, e, kind, m in found:
        if kind in CHECKED_KINDS and _impossible(kind, m) and _expected_date(text, kind, m):
            spans.append((s, e))
    taken = SpanSet([(s, e) for s, e, _k, _m in found] + spans)
    for pattern in MALFORMED_PATTERNS:
        for m in pattern.finditer(text):
            s, e = m.span()
            if taken.overlaps(s, e):
                continue
            if _expected_date(text, "day_month", m):
                spans.append((s, e))
                taken.add(s, e)
    return [MalformedDate(s, e, text[s:e], document.sent_index(s)) for s, e in sorted(spans)]


def find_dates(document: Document,
               found: Sequence[tuple[int, int, str, re.Match[str]]] | None = None,
               malformed: Sequence[MalformedDate] | None = None) -> list[DateMention]:
    """Every resolvable date expression in the report, in text order (``found`` and
    ``malformed``, when the caller has them, spare reading the text again)."""
    text = document.text
    published = document.report.published
    found = _matches(text) if found is None else found
    # Full explicit dates, to anchor relative expressions when there is no publication date.
    full: list[tuple[int, date]] = []
    for s, _e, kind, m in found:
        if _has_year(kind, m) and kind not in ("year", "month_year"):
            res = _resolve(kind, m, None)
            if res:
                full.append((s, res[0]))
    out: list[DateMention] = []
    for n, (s, e, kind, m) in enumerate(found):
        document.check_deadline()
        if kind == "weekday" and n + 1 < len(found) and found[n + 1][2] not in RELATIVE_KINDS and (
                re.fullmatch(r"[\s,]*((early|late)?\s*(morning|night|evening|afternoon)\s*)?(of)?"
                             r"[\s,]*", text[e: found[n + 1][0]], re.I)):
            continue  # "Friday, January 10, 2015", "Sunday night of March 15": the date says it
        anchor = published
        if anchor is None and (kind in RELATIVE_KINDS or (kind in YEARLESS_KINDS
                                                          and not _has_year(kind, m))):
            anchor = min(full, key=lambda f: abs(f[0] - s))[1] if full else None
        res = _resolve(kind, m, anchor)
        if res is None:
            continue
        start, end, precision = res
        out.append(DateMention(start=s, end=e, text=text[s:e], date_start=start, date_end=end,
                               sent=document.sent_index(s), time_precision=precision))
    covered = [(d.start, d.end) for d in out] + [
        (bad.start, bad.end) for bad in (
            find_malformed(document, found) if malformed is None else malformed)]
    out.extend(_entity_dates(document, covered, published))
    out.sort(key=lambda d: d.start)
    return out


def _entity_dates(document: Document, covered: list[tuple[int, int]], published: date | None
                  ) -> list[DateMention]:
    """spaCy DATE entities with a day, month and year that no pattern caught."""
    out: list[DateMention] = []
    taken = SpanSet(covered)
    for ent in document.doc.ents:
        if ent.label_ != "DATE" or len(ent.text) > 40 or not re.search(r"\d{4}", ent.text):
            continue
        if taken.overlaps(ent.start_char, ent.end_char):
            continue
        if not re.search(r"[A-Za-z]", ent.text):
            continue
        d = _dateparser(ent.text, published)
        if d is not None:
            out.append(DateMention(start=ent.start_char, end=ent.end_char, text=ent.text,
                                   date_start=d, date_end=d, time_precision=1,
                                   sent=document.sent_index(ent.start_char)))
    return out


@stage("dates", assigns=("dates", "extras.malformed_dates"))
def dates(document: Document) -> None:
    """Find and resolve date expressions over the whole report; keep impossible ones as text."""
    found = _matches(document.text)
    malformed = find_malformed(document, found)
    document.dates = find_dates(document, found, malformed)
    document.extras["malformed_dates"] = malformed


# --------------------------------------------------------------------------------------------
# Attaching a date to each event


def _is_year_only(d: DateMention) -> bool:
    return d.date_start.month == 1 and d.date_start.day == 1 and d.date_end.month == 12 and (
        d.date_end.day == 31) and d.date_start.year == d.date_end.year


def _in_clause(document: Document, event: EventDraft, d: DateMention | MalformedDate) -> bool:
    """Whether the date attaches to the trigger's clause (its subtree or the trigger's verb)."""
    doc = document.doc
    trig = event.trigger
    if not 0 <= trig.token < len(doc):
        return False
    tok = doc[trig.token]
    verb = tok
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    span = doc.char_span(d.start, d.end, alignment_mode="expand")
    if span is None:
        return False
    root = span.root
    return root.is_ancestor(verb) is False and (verb.is_ancestor(root) or root.head == verb
                                                or tok.is_ancestor(root))


def _opens_report(document: Document, d: DateMention | MalformedDate) -> bool:
    rest = document.text[d.end: d.end + 3]
    return d.start == 0 or rest.startswith((":", " -", " —", " –"))


def _dateline(document: Document) -> DateMention | MalformedDate | None:
    """A date opening the report ('03/12/2018: Assailants attacked ...'), if any."""
    malformed: list[MalformedDate] = document.extras.get("malformed_dates", [])
    for d in sorted([*document.dates, *malformed], key=lambda d: d.start):
        if d.start > 40:
            break
        if isinstance(d, MalformedDate) or d.time_precision == 1:
            if _opens_report(document, d):
                return d
    return None


Candidate = DateMention | MalformedDate


def event_date_candidate(document: Document, event: EventDraft) -> Candidate | None:
    """The date expression an event is dated by, which may be a malformed one."""
    by_sent: dict[int, list[Candidate]] = {}
    for d in document.dates:
        by_sent.setdefault(d.sent, []).append(d)
    for bad in document.extras.get("malformed_dates", []):
        by_sent.setdefault(bad.sent, []).append(bad)
    trig = event.trigger
    order = [trig.sent] + [s for s in event.scope if s != trig.sent]
    fallback_year: DateMention | None = None
    for si in order:
        found = sorted(by_sent.get(si, []), key=lambda d: d.start)
        cands = [d for d in found if isinstance(d, MalformedDate) or not _is_year_only(d)]
        years = [d for d in found if isinstance(d, DateMention) and _is_year_only(d)]
        if years and fallback_year is None:
            fallback_year = years[0]
        if not cands:
            continue
        if si == trig.sent and len(cands) > 1:
            attached = [d for d in cands if _in_clause(document, event, d)]
            if attached:
                cands = attached
            else:  # nearest to the trigger
                cands = sorted(cands, key=lambda d: abs(d.start - trig.start))
        return cands[0]
    line = _dateline(document)
    if line is not None:
        return line
    told = _told_before(document, by_sent, min(event.sents, default=trig.sent))
    if told is not None:
        return told
    return fallback_year


def _told_before(document: Document, by_sent: dict[int, list[Candidate]], first: int
                 ) -> Candidate | None:
    """The last day-precise date told before the event's sentences: a narrative dated once
    ("On August 1, 1966, a student entered the tower. He killed sixteen people") dates what
    follows it."""
    for si in range(first - 1, -1, -1):
        days = [d for d in by_sent.get(si, []) if isinstance(d, MalformedDate) or (
            d.time_precision == 1 and d.date_start == d.date_end)]
        if days:
            return max(days, key=lambda d: d.start)
    return None


def pick_date(document: Document, event: EventDraft) -> tuple[DateMention | None, int | None]:
    """The date mention for an event, and the precision to code (None: use the mention's);
    None when the event is dated by a malformed expression."""
    found = event_date_candidate(document, event)
    return (found if isinstance(found, DateMention) else None), None


_RELATIVE_CUE = re.compile("|".join(p.pattern for k, p in PATTERNS if k in RELATIVE_KINDS), re.I)


def _relative_cue(document: Document, event: EventDraft) -> bool:
    """Whether the event's own sentences date it relatively ("on Tuesday", "yesterday")."""
    sents = document.sentences
    return any(_RELATIVE_CUE.search(sents[i].text) for i in event.scope if 0 <= i < len(sents))


def _recent(document: Document) -> bool:
    """Whether the report is about recent events: no full date far from publication."""
    published = document.report.published
    if published is None:
        return False
    return all(abs((d.date_start - published).days) <= 31 or _is_year_only(d)
               for d in document.dates if d.time_precision == 1)


@stage("event_dates", requires=("dates",), assigns=(
    "events.date_start", "events.date_end", "events.time_precision", "extras.date_doubts"))
def event_dates(document: Document) -> None:
    """Give each event its date, or the publication date (week precision) for recent news."""
    for index, event in enumerate(document.events):
        mention = event_date_candidate(document, event)
        if isinstance(mention, MalformedDate):
            _keep_malformed(document, index, event, mention)
        elif mention is not None:
            event.date_start, event.date_end = mention.date_start, mention.date_end
            event.time_precision = mention.time_precision
            event.add_evidence("event_date", (mention.start, mention.end))
        elif _recent(document):
            published = document.report.published
            event.date_start = event.date_end = published
            event.time_precision = 2


def _keep_malformed(document: Document, index: int, event: EventDraft, bad: MalformedDate
                    ) -> None:
    """An event dated by an impossible day: no date from it, the text kept, and a doubt that
    assembly turns into a note and less confidence."""
    published = document.report.published
    if published is not None and _relative_cue(document, event):
        event.date_start = event.date_end = published
        event.time_precision = 2
    event.add_evidence("malformed_date", (bad.start, bad.end))
    doubts: dict[int, list[str]] = document.extras.setdefault("date_doubts", {})
    doubts.setdefault(index, []).append(f"malformed date not used: {bad.text!r}")
