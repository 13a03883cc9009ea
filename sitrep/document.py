"""The shared document object that every pipeline stage reads and writes.

Stages run in the order set in ``sitrep.config``. The first ones *find* things over the whole
report (places, dates, casualty figures, claims, event mentions); coreference groups mentions
into ``EventDraft``s; the later ones *attach* what was found to each draft. ``assemble`` then
turns the drafts into codebook records. Keeping the intermediate annotations here, rather than in
the records, lets a stage see what earlier stages found without re-parsing.
"""

from __future__ import annotations

import time
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from sitrep import errors
from sitrep.records import Actor, Claim, Count, Location, Place, Plover, Report, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.tokens import Span as SpacySpan


@dataclass
class PlaceMention:
    """A toponym in the text and what the geoparser made of it."""

    start: int
    end: int
    text: str
    place: Place
    sent: int
    # "location": somewhere things can happen; "metonymy": a place standing for its government
    # ("Moscow said"); "demonym" mentions are never created.
    role: str = "location"
    # ACLED geo_precision this mention supports on its own: 1 town, 2 near a town / part of a
    # region (set when a relative expression such as "near X" or "south of X" anchors it), 3 region.
    precision: int = 1
    relation: str | None = None  # "near", "south of", "outskirts of", ... when relative
    admin2: str | None = None
    country_name: str | None = None
    population: int = 0

    @property
    def resolved(self) -> bool:
        return self.place.geonameid is not None or self.place.lat is not None


@dataclass
class DateMention:
    start: int
    end: int
    text: str
    date_start: date
    date_end: date
    sent: int
    time_precision: int = 1  # ACLED: 1 day, 2 week, 3 month


@dataclass
class CountMention:
    """A casualty or arrest figure: 'at least eight people were killed'."""

    start: int
    end: int
    text: str
    category: str  # "killed", "injured", "missing", "abducted", "arrested"
    count: Count
    sent: int
    source: str | None = None  # who gave the figure ("regional police chief Andrii ...")
    source_span: Span | None = None
    update: bool = False  # "the death toll rose to 12"
    confidence: float = 0.9


@dataclass
class ClaimMention:
    claim: Claim
    sent: int
    # Char spans of what the claim is about (its reported clause), to link it to events.
    about: list[Span] = field(default_factory=list)


@dataclass
class EventMention:
    """One textual mention of a specific event, anchored on its trigger word."""

    start: int
    end: int
    text: str  # the trigger
    lemma: str
    sent: int
    kind: str  # internal event class, see ``sitrep.pipeline.kinds.KINDS``
    token: int  # index of the trigger token in the spaCy doc
    # Why a mention was not kept, when it was not ("negated", "generic", "habitual",
    # "hypothetical", "background", "test"); None for a specific event mention.
    excluded: str | None = None
    weight: float = 1.0  # how specific the mention is (a lead's "flurry of strikes" is low)
    # "main": describes the event; "outcome": only its result ("were killed"); "anaphor": points
    # back at an event told before ("the attack", "the incident"); "summary": an overview of
    # several events ("a flurry of strikes on Ukraine").
    role: str = "main"


@dataclass
class EventDraft:
    """An event as the stages build it, before ``assemble`` writes the record."""

    mentions: list[EventMention]
    kind: str
    sents: list[int]  # sentences of its mentions, in order
    context: list[int] = field(default_factory=list)  # following sentences that elaborate it
    sub_event_type: str | None = None
    event_type: str | None = None
    disorder_type: str | None = None
    plover: Plover | None = None
    type_score: float = 0.0
    actor1: Actor | None = None
    actor2: Actor | None = None
    assoc_actor_1: list[str] = field(default_factory=list)
    assoc_actor_2: list[str] = field(default_factory=list)
    civilian_targeting: bool = False
    weapons: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    location: Location | None = None
    date_start: date | None = None
    date_end: date | None = None
    time_precision: int | None = None
    fatalities: Count | None = None
    injuries: Count | None = None
    extra_counts: dict[str, Count] = field(default_factory=dict)  # missing, abducted, arrested
    evidence: dict[str, list[Span]] = field(default_factory=dict)
    confidence: float = 0.0
    event_id: str = ""

    @property
    def trigger(self) -> EventMention:
        """The most specific mention, used for ids, notes and the trigger evidence."""
        return max(self.mentions, key=lambda m: (m.weight, -m.start))

    @property
    def scope(self) -> list[int]:
        """Sentences to look in for this event's details, most relevant first."""
        return list(self.sents) + [s for s in self.context if s not in self.sents]

    def add_evidence(self, name: str, span: Span) -> None:
        spans = self.evidence.setdefault(name, [])
        if tuple(span) not in spans:
            spans.append((span[0], span[1]))


@dataclass
class Document:
    report: Report
    doc: Doc
    places: list[PlaceMention] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    counts: list[CountMention] = field(default_factory=list)
    claims: list[ClaimMention] = field(default_factory=list)
    mentions: list[EventMention] = field(default_factory=list)
    events: list[EventDraft] = field(default_factory=list)
    # The report's focus: the country (ISO alpha-2) and admin1 most of its places fall in.
    focus_country: str | None = None
    focus_admin1: str | None = None
    extras: dict[str, Any] = field(default_factory=dict)
    # time.monotonic() after which the report is given up (None: no budget), and its length.
    deadline: float | None = None
    budget: float = 0.0
    stage: str = ""  # the stage running, for the budget's message

    def check_deadline(self) -> None:
        """Raise E013 once the report's time budget is spent.

        Cheap enough (one clock read) for stages to call in every loop whose length grows with
        the text, so a hostile report stops within one iteration of its budget.
        """
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise errors.error(errors.TIME_BUDGET, report_id=self.report.id, budget=self.budget,
                               stage=self.stage or "parse")

    @property
    def text(self) -> str:
        return self.report.text

    @property
    def sentences(self) -> list[SpacySpan]:
        sents = self.extras.get("_sents")
        if sents is None:
            sents = self.extras["_sents"] = list(self.doc.sents)
        return sents

    def sent_index(self, char: int) -> int:
        """Index of the sentence holding character offset ``char`` (stages call this per
        toponym, figure and date, so it bisects sentence starts instead of scanning)."""
        starts = self.extras.get("_sent_starts")
        if starts is None:
            starts = self.extras["_sent_starts"] = [s.start_char for s in self.sentences]
        return max(bisect_right(starts, char) - 1, 0)

    def in_scope(self, event: EventDraft, sent: int) -> bool:
        return sent in event.sents or sent in event.context
