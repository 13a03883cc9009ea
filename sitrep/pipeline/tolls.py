"""Event tolls: the figures found by ``counts`` attached to events and added up per event.

This module owns the ``event_counts`` stage: which event each figure belongs to, and how one
event's figures of a category combine (separate groups add, subsets and restatements do not, a
toll update supersedes, attackers are a group of their own). ``fatalities`` counts everyone
killed, as ACLED and GTD do, and a perpetrator's own death ("blew himself up") is added once. A
figure beyond belief is kept as text with qualifier ``unknown``, and a later figure that
contradicts the lead widens ``high``; both are noted in ``extras["count_doubts"]`` so the event is
coded with less confidence.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import replace

from sitrep.document import CountMention, Document, EventDraft
from sitrep.pipeline.figures import ABSURD, CATEGORIES, HURT, SELF_CONFIDENCE, SMALL_WORDS, VAGUE
from sitrep.pipeline.kinds import CONFRONTATION_KINDS
from sitrep.pipeline.people import lone_person
from sitrep.pipeline.registry import stage
from sitrep.records import Count

# --------------------------------------------------------------------------------------------
# Attaching figures to events


# Cues that a later sentence's figure is a further group, not a restatement: "also", and the
# sequence words of a spree narrative ("He then killed two co-workers").
ADDITIVE = re.compile(r"\b(also|another|other|additional|further|in addition|as well(?! as)|then|"
                      r"later|subsequently|continued|again|proceeded|went on)\b", re.I)
NEAREST_EVENT_SENTS = 3
# How far back in its sentence a sequence word still makes a figure add ("He then went to ...").
SPREE_REACH = 160


def combine(mentions: list[CountMention], text: str, doubts: list[str] | None = None) -> Count:
    """One event's figure from its mentions of one category (text order).

    Separate groups in one sentence add up; a later sentence adds only when it says so ("also",
    "another") or when a perpetrator killed himself; otherwise it restates or details the lead
    figure ("the five victims", "three of them were soldiers"), and the lead figure stands.
    Subsets ("including two women") never add. A toll update supersedes everything before it.
    A later, larger figure that neither adds nor updates contradicts the lead: ``best`` stays
    the lead's (ACLED's lowest credible figure), ``high`` takes the larger one, and the reason is
    appended to ``doubts``.
    """
    # A perpetrator's own death adds to whatever the other figures say, once: "blew himself up"
    # and "committed suicide by shooting himself" are one death, and they never stand as the lead
    # figure that a later "30 people were killed" would only restate.
    own_deaths = [m for m in mentions if m.confidence == SELF_CONFIDENCE][:1]
    mentions = [m for m in mentions if m.confidence != SELF_CONFIDENCE]
    if mentions and own_deaths and PRONOUNCED.search(own_deaths[0].text):
        own_deaths = []  # "One person is dead ... he was pronounced dead": the same victim
    if not mentions:
        return _sum_counts([m.count for m in own_deaths]) if own_deaths else Count.none()
    # Attackers and their victims are two groups: "6 gunmen were killed. 40 people are confirmed
    # dead" is 46, though neither sentence says "also".
    mentions, told_civilians = _later_breakdown(mentions, text)
    mentions = _without_parts(mentions, text)
    perpetrators = [m for m in mentions if _of_perpetrators(m, text)]
    victims = [m for m in mentions if m not in perpetrators]
    parts = [_combine_groups(group, text, doubts) for group in (victims, perpetrators) if group]
    total = _sum_counts(parts) if len(parts) > 1 else parts[0]
    lone_attacker = bool(perpetrators) and sum(m.count.best or 0 for m in perpetrators) == 1
    if own_deaths and total.best is not None and not lone_attacker:
        total = _sum_counts([total, own_deaths[0].count])
    armed = _armed_part(victims)
    if armed and parts[0].civilians is None and parts[0].best is not None and (
            parts[0].best > armed):
        # "seven people, including two soldiers": the report sets the armed ones apart
        parts[0].civilians = parts[0].best - armed
        if len(parts) == 1 and not own_deaths:
            total.civilians = parts[0].civilians
    if victims and (perpetrators or own_deaths) and total.best is not None:
        # the attackers' deaths told apart: the others are the victims of one-sided violence
        toll = parts[0]
        total.civilians = toll.civilians if toll.civilians is not None else toll.best
    if told_civilians is not None and total.civilians is None:
        total.civilians = told_civilians
    if not total.civilians:
        total.civilians = None  # a toll of armed people alone: how many civilians is not told
    return total


def _later_breakdown(mentions: list[CountMention], text: str
                     ) -> tuple[list[CountMention], int | None]:
    """A later sentence whose figures add up to the lead figure and set armed people apart
    ("15 people were killed ... 10 militants and five villagers died in the fighting") breaks
    the toll down rather than adding to it: its figures leave, and the civilians it tells are
    the toll's (None when no such sentence)."""
    leads = [m for m in mentions if m.confidence > 0.4]
    if not leads:
        return mentions, None
    first = leads[0].sent
    lead = [m for m in leads if m.sent == first]
    if len(lead) != 1 or lead[0].count.best is None:
        return mentions, None
    by_sent: dict[int, list[CountMention]] = {}
    for m in leads:
        if m.sent > first:
            by_sent.setdefault(m.sent, []).append(m)
    for group in by_sent.values():
        if len(group) >= 2 and all(m.count.best is not None for m in group) and sum(
                m.count.best or 0 for m in group) == lead[0].count.best and any(
                _of_perpetrators(m, text) or m.count.civilians == 0 for m in group) and (
                not all(lone_person(m.count) for m in group)) and not any(
                _additive(m, text) for m in group):  # not "He continued, killing a boy, ..."
            told = _sum_civilians([m.count for m in group if not _of_perpetrators(m, text)])
            return [m for m in mentions if m not in group], told
    return mentions, None


PERPETRATOR_WORDS = re.compile(
    r"\s*(?:of\s+(?:the|them|those)\s+)?(?:[\w'-]+\s+){0,2}?(?:suspected\s+|suicide\s+|armed\s+)?"
    r"(?:attackers?|gunm[ae]n|assailants?|militants?|terrorists?|bombers?|perpetrators?|"
    r"insurgents?|jihadists?|shooters?|hijackers?|kidnappers?|suspects?|raiders?)\b", re.I)


def _of_perpetrators(m: CountMention, text: str) -> bool:
    """Whether a figure counts the attackers: '5 attackers', 'one of the gunmen', 'the shooter'."""
    return bool(PERPETRATOR_WORDS.match(text, m.end) or PERPETRATOR_WORDS.fullmatch(
        re.sub(r"^(the|a|an|one)\s+", "", m.text.lower())))


def _armed_part(victims: list[CountMention]) -> int:
    """Armed people told as a part of the lead figure: "including two police" in its sentence,
    or a later breakdown of it ("among those killed, 10 were civilians and four were police
    officers", "one of those killed was a soldier"); 0 when none. Told apart, they leave the
    rest as the victims, civilians or not (docs/CASUALTIES.md)."""
    if not victims:
        return 0
    lead = victims[0].sent
    parts = [m for m in victims if m.sent >= lead and m.confidence <= 0.4
             and m.count.best is not None]
    if not parts:
        return 0
    return sum(m.count.best or 0 for m in parts if m.count.civilians == 0)


def _without_parts(mentions: list[CountMention], text: str) -> list[CountMention]:
    """A sentence whose first figure is the sum of the others ("Eighteen people -- seven herders
    and 11 of the raiders -- were killed") keeps the first alone, attackers or not; its
    civilians are those of the victims among the parts."""
    out: list[CountMention] = []
    by_sent: dict[int, list[CountMention]] = {}
    for m in mentions:
        by_sent.setdefault(m.sent, []).append(m)
    for group in by_sent.values():
        head, rest = group[0], group[1:]
        if (len(rest) >= 2 and head.confidence > 0.4 and head.count.best is not None
                and all(r.count.best is not None and r.confidence > 0.4 for r in rest)
                and head.count.best == sum(r.count.best or 0 for r in rest)):
            count = _sum_counts([head.count])
            if count.civilians is None:
                count.civilians = _sum_civilians(
                    [r.count for r in rest if not _of_perpetrators(r, text)])
            out.append(replace(head, count=count))
        else:
            out.extend(group)
    return out


def _combine_groups(mentions: list[CountMention], text: str, doubts: list[str] | None = None
                    ) -> Count:
    updates = [m for m in mentions if m.update]
    if updates:
        last = updates[-1]
        first = min(m.start for m in updates if m.sent == last.sent)
        base = [m for m in mentions if m.sent == last.sent and m.start >= first
                and m.confidence > 0.4]
        later = [m for m in mentions if m.sent > last.sent and m.confidence > 0.4]
        return _sum_counts([_sentence_sum(base), *[m.count for m in later if _additive(m, text)]])
    with_subsets = {m.sent for m in mentions if m.confidence <= 0.4}
    mentions = [m for m in mentions if m.confidence > 0.4]
    by_sent: dict[int, list[CountMention]] = {}
    for m in mentions:
        by_sent.setdefault(m.sent, []).append(m)
    total: Count | None = None
    kin_only = False  # whether the figure so far is only the attacker's own people, one by one
    for sent_mentions in by_sent.values():
        sent_total = _sentence_sum(sent_mentions)
        kin = all(_kin(m, text) for m in sent_mentions)
        others = not kin and sent_mentions[0].sent not in with_subsets and not any(
            GENERIC_VICTIMS.match(text, m.end) for m in sent_mentions)
        if total is None or (total.best is None and sent_total.best is not None):
            total = sent_total  # a number replaces deaths reported without one
            kin_only = kin
        elif kin_only and others and sent_total.best is not None and total.best is not None:
            # "after killing his grandfather and his grandmother ... He killed five students":
            # the victims at home and those of the spree are different people
            total = _sum_counts([total, sent_total])
            kin_only = False
        elif _vague(total) and sent_total.best is not None and not _vague(sent_total) and (
                sent_total.best > (total.best or 0)):
            total = sent_total  # "killing several ... Nine victims died": the number is told
        elif len(sent_mentions) >= 2 and sent_total.best == total.best and not any(
                lone_person(m.count) for m in sent_mentions):
            pass  # "killed 21 civilians. 13 were killed in one strike and eight in another"
        elif any(_additive(m, text) for m in sent_mentions):
            total = _sum_counts([total, sent_total])
        elif (total.best is not None and sent_total.best is not None
              and sent_total.best > total.best):
            total = _contradicted(total, sent_total)  # the lead figure stands, the range widens
            if doubts is not None:
                doubts.append(f"contradictory figures: {total.text}")
        # otherwise a restatement or a figure about part of it: the lead figure stands
    return total or Count.none()


KIN_BEFORE = re.compile(r"\b(?:his|her|their)\s+(?:\w+\s+)?$|\w's\s+(?:\w+\s+)?$", re.I)


# A figure of anyone at all ("three people died") may count the attacker's own people too.
GENERIC_VICTIMS = re.compile(r"\s+(?:\w+\s+)?(?:people|persons|victims|individuals|dead)\b",
                             re.I)


def _kin(m: CountMention, text: str) -> bool:
    """One person told as someone's ("his wife", "his grandfather's girlfriend")."""
    return m.count.best == 1 and bool(KIN_BEFORE.search(text[max(0, m.start - 40): m.start]))


def _contradicted(lead: Count, other: Count) -> Count:
    high = None if lead.high is None or other.high is None else max(lead.high, other.high)
    qualifier = "range" if lead.qualifier == "exact" and high is not None else lead.qualifier
    return Count(best=lead.best, low=lead.low, high=high, qualifier=qualifier,
                 civilians=lead.civilians, text=f"{lead.text}; {other.text}")


def _vague(count: Count) -> bool:
    """'several', 'dozens', 'a few': a figure told without a number."""
    return count.best is not None and not any(ch.isdigit() for ch in count.text) and any(
        w in count.text.lower() for w in (*VAGUE, *SMALL_WORDS))


def _sentence_sum(mentions: list[CountMention]) -> Count:
    """Separate groups in one sentence add up, unless the first figure is already their sum:
    "40 people, 6 security personnel and 34 civilians, were killed" is 40."""
    counts = [m.count for m in mentions]
    if len(counts) >= 3 and all(c.best is not None for c in counts):
        head, rest = counts[0], counts[1:]
        if head.best == sum(c.best or 0 for c in rest):
            total = _sum_counts([head])
            if total.civilians is None:  # "40 people, 6 security personnel and 34 civilians"
                total.civilians = _sum_civilians(rest)
            return total
    return _sum_counts(counts)


def _additive(m: CountMention, text: str, since: int = 0) -> bool:
    """A sequence word near the figure, or earlier in its own clause chain: "He continued
    shooting at patients and visitors at the hospital, killing a young boy"; only from
    ``since`` on (not the "another" of the first figure itself: "Yet another activist was
    shot dead. Ana Ruiz, 46, was murdered" is one person)."""
    start = max(m.start - 60, 0, since)
    reach = max(m.start - SPREE_REACH - 2, 0)  # no further back than a sentence start can count
    opening = max(text.rfind(". ", reach, m.start), text.rfind("\n", reach, m.start), reach - 1) + 1
    opening = opening if opening > reach else 0
    if m.start - opening <= SPREE_REACH:
        start = min(start, opening)
    return bool(ADDITIVE.search(text[max(start, since): m.end + 40]))


def _add(a: int | None, b: int | None) -> int | None:
    return None if a is None or b is None else a + b


def _sum_counts(counts: list[Count]) -> Count:
    if len(counts) == 1:
        c = counts[0]
        return Count(c.best, c.low, c.high, c.qualifier, c.civilians, c.text)
    out = Count(best=0, low=0, high=0, qualifier="exact", civilians=None, text="")
    quals: list[str] = []
    if any(c.best is None for c in counts) and any(c.best is not None for c in counts):
        # "killed four relatives ... then murdered more": at least the four told in numbers
        known = [c for c in counts if c.best is not None]
        total = _sum_counts(known)
        return Count(best=total.best, low=total.low, high=None, qualifier="at_least",
                     civilians=total.civilians, text="; ".join(c.text for c in counts))
    for c in counts:
        out.best = _add(out.best, c.best)
        out.low = _add(out.low, c.low)
        out.high = _add(out.high, c.high)
        quals.append(c.qualifier)
    out.civilians = _sum_civilians(counts)
    out.text = "; ".join(c.text for c in counts)
    out.qualifier = _merge_qualifiers(quals)
    return out


def _sum_civilians(counts: list[Count]) -> int | None:
    """Civilians of groups added up: those of the groups whose status is told ("eight civilians,
    an intelligence agent and a soldier" is 8, "seven civilians ... and 11 others" is 7);
    unknown when no group's status is told. Beside lone people named as civilians, people of
    untold status are those with them ("a doctor along with five members of his entourage")."""
    told = [c.civilians for c in counts if c.civilians is not None]
    if told and all(c.best is not None and (c.civilians is None or (
            c.civilians == 1 and lone_person(c))) for c in counts):
        # "the mayor was killed along with his wife and 10 other people": a person named,
        # and the people with them; not "14 civilians and three others", set apart
        return sum(c.best or 0 for c in counts)
    return sum(told) if told else None


def _merge_qualifiers(quals: list[str]) -> str:
    for q in ("unknown", "at_least", "more_than", "range", "up_to", "approximately"):
        if q in quals:
            return q
    return "exact"


def _assign(document: Document, mentions: list[CountMention] | None = None
            ) -> list[tuple[EventDraft, list[CountMention]]]:
    """Hand each figure to one event: events whose own sentences hold it first, then context."""
    pool = document.counts if mentions is None else mentions
    usable = _without_restatements(
        [m for m in pool if m.confidence >= 0.3], document.text)
    taken: set[int] = set()
    per_event: dict[int, list[CountMention]] = {i: [] for i in range(len(document.events))}
    # People killed or hurt belong to a confrontation, not to the meeting or the visit told in
    # the same sentence ("returned to the meeting and began shooting, killing six").
    violent = {i for i, e in enumerate(document.events) if e.kind in CONFRONTATION_KINDS}

    def eligible(ei: int, m: CountMention) -> bool:
        return ei in violent or not violent or m.category not in HURT

    by_sent: dict[int, list[int]] = {}
    for mi, m in enumerate(usable):
        by_sent.setdefault(m.sent, []).append(mi)
    for pass_own in (True, False):
        for ei, event in enumerate(document.events):
            sents = set(event.sents) if pass_own else set(event.context) - set(event.sents)
            chosen = sorted(mi for si in sents for mi in by_sent.get(si, ()))
            for mi in chosen:  # in text order, as a scan over all figures would take them
                if mi not in taken and eligible(ei, usable[mi]):
                    per_event[ei].append(usable[mi])
                    taken.add(mi)
    # A figure in a sentence no event covers ("At least 45 people were killed in two bombings",
    # told as a summary) belongs to the report's only event, when it has one, unless the
    # sentence tells of an event set apart (background, hypothetical). With several events a
    # summary figure may span them all, so it stays unassigned.
    dropped = set(document.extras.get("drop_events", ()))
    apart = {m.sent for m in document.mentions if m.excluded is not None}
    apart -= {m.sent for m in document.mentions if m.excluded is None}
    candidates = [i for i in range(len(document.events)) if i not in dropped] or list(
        range(len(document.events)))
    scopes = {ei: sorted(set(document.events[ei].scope)) for ei in candidates}
    for mi, m in enumerate(usable):
        own = [ei for ei in candidates if eligible(ei, m)]
        if mi in taken or m.sent in apart or len(own) != 1:
            continue
        def distance(ei: int, sent: int = m.sent) -> tuple[int, int]:
            scope = scopes[ei]
            if not scope:
                return 10**6, 10**6
            at = bisect_left(scope, sent)  # the nearest sentence of the scope, the earlier of two
            near = min(scope[max(at - 1, 0): at + 1], key=lambda s: (abs(s - sent), s))
            return abs(near - sent), near
        best = min(own, key=distance)
        if distance(best)[0] <= NEAREST_EVENT_SENTS:
            per_event[best].append(m)
            taken.add(mi)
    return [(event, sorted(per_event[i], key=lambda m: m.start))
            for i, event in enumerate(document.events)]


# Words that make a later figure of the same size a further group: "also", "more".
FURTHER = re.compile(r"\b(also|another|additional|further|in addition|as well|more|second|"
                     r"separate|earlier|later|other|others|then|afterwards)\b(?! as\b)", re.I)
# "shot three people, killing one": a part of a further group, not the one told before.
PART_BEFORE = re.compile(r"\b(?:killing|wounding|injuring)\s+$", re.I)
# "the man suspected of firing": the attacker, told by what he did.
DOER_AFTER = re.compile(r"\s+(?:suspected|accused|believed|who\s+(?:had\s+)?(?:shot|opened|fired|"
                        r"killed|attacked|stabbed))\b", re.I)


def _gist(m: CountMention, text: str) -> str:
    """The figure and the words after it, to tell a repeated sentence (a headline restated)."""
    return " ".join(text[m.start: m.end + 30].lower().split()[:4])


def _noun_after(m: CountMention, text: str) -> str:
    """The word after a figure ("people" in "14 people,"), to tell a figure said twice."""
    words = text[m.end: m.end + 30].split()
    return words[0].strip(".,;:()").lower() if words else ""


def _further(m: CountMention, text: str, others_before: bool = False) -> bool:
    """A word of a further group in the figure's clause; where the first figure of that size
    also said "others", not the "other" right after this one: both set the group apart from
    the dead ("one dead and four others injured ... four other men suffered wounds")."""
    clause = _clause(m, text)
    cut = clause.find(m.text)
    if cut >= 0 and others_before:
        rest = clause[cut + len(m.text):]
        said = OTHER_AFTER.match(rest)
        clause = clause[:cut] + (rest[said.end():] if said else rest)
    return bool(FURTHER.search(clause))


OTHER_AFTER = re.compile(r"\s+others?\b", re.I)


def _clause(m: CountMention, text: str) -> str:
    reach = max(m.start - 80, 0)
    opening = max(text.rfind(". ", reach, m.start), text.rfind("\n", reach, m.start)) + 1
    return text[max(opening, reach): m.end + 40]


# "the wounded man later died": one of another figure, whose fate changed.
CHANGED = re.compile(r"\b(wounded|injured|hurt|missing|kidnapped|abducted)\b", re.I)
# "the man", "the victim": a person told of before, whatever sequence words surround it.
DEFINITE = re.compile(r"(?:the\s+(?:victim|man|woman|boy|girl|teen|teenager|person|male|female)$|"
                      r"him$|her$|he$|she$)", re.I)
# "all five friends", "the three victims": a figure that points back at a group told before.
RESTATED = re.compile(r"\b(all|the|those|these|all the|all of the|both of the)\s+$", re.I)


def _without_restatements(mentions: list[CountMention], text: str) -> list[CountMention]:
    """Drop a figure that only points back at the same group told earlier ("shot five friends
    ... all five friends had been shot", "his brother ... his brother"), so an event split in two
    does not count it twice.

    Earlier figures are looked up in indexes (first sentence per category, per category and
    size, per kin phrase), so the pass is linear in the number of figures.
    """
    out: list[CountMention] = []
    per_sent = Counter((m.sent, m.category) for m in mentions)
    first_hurt: dict[str, int] = {}  # category -> first sentence with a figure of 1 or more
    first_end: dict[str, int] = {}  # category -> where that first figure ends
    first_size: dict[tuple[str, int], int] = {}  # (category, best) -> first sentence
    gists: dict[tuple[str, int], set[str]] = {}  # (category, best) -> earlier wordings
    first_kin: dict[tuple[str, str], int] = {}  # (category, kin phrase) -> first sentence
    in_sent: set[tuple[int, str, int, str]] = set()  # (sentence, category, best, noun)
    others_first: dict[tuple[str, int], bool] = {}  # whether that first figure said "others"
    first_said: dict[tuple[str, str], int] = {}  # (category, definite wording) -> first sentence
    first_lead: dict[tuple[str, str], int] = {}  # (category, words up to the figure) -> sentence
    for m in mentions:
        size = (m.category, m.count.best) if m.count.best is not None else None
        earlier = size is not None and first_size.get(size, m.sent) < m.sent
        said = (m.sent, m.category, m.count.best or 0, _noun_after(m, text))
        if (m.count.best or 0) >= 2 and said in in_sent and not FURTHER.search(
                _clause(m, text)):
            continue  # "killing 14 people, burning shops ... and killing 14 people": told twice
        in_sent.add(said)
        if lone_person(m.count) and m.confidence != SELF_CONFIDENCE and not (
                _of_perpetrators(m, text) or CHANGED.search(m.text)
                or DOER_AFTER.match(text, m.end)) and (
                first_hurt.get(m.category, m.sent) < m.sent) and (
                DEFINITE.match(m.text)
                or not _additive(m, text, first_end.get(m.category, 0))) and (
                per_sent[(m.sent, m.category)] == 1):
            continue  # "A man was shot in the leg ... James Haile, 29, was shot": one person
        if earlier and RESTATED.search(text[max(0, m.start - 14): m.start]):
            continue
        if earlier and ((m.count.best or 0) >= 2 or (
                m.count.best == 1 and m.confidence != SELF_CONFIDENCE
                and not lone_person(m.count) and not PART_BEFORE.search(
                    text, max(0, m.start - 12), m.start))) and size is not None and (
                _gist(m, text) in gists.get(size, ()) or not _further(
                    m, text, others_first.get(size, False))):
            continue  # "left four others injured ... Four other men suffered wounds"; a repeat;
            # "a man was fatally shot ... 1 dead in gas station shooting"
        if m.confidence == SELF_CONFIDENCE and PRONOUNCED.search(m.text) and (
                first_hurt.get(m.category, m.sent) < m.sent):
            continue  # "A man was fatally shot ... he was pronounced dead": the same man
        kin = (m.category, m.text.lower()) if _kin(m, text) else None
        if kin is not None and first_kin.get(kin, m.sent) < m.sent:
            continue  # "shot his brother dead ... He killed his brother at 3 p.m."
        lead_in = (m.category, " ".join(text[max(0, m.start - 60): m.end].lower().split()[-8:]))
        if first_lead.get(lead_in, m.sent) < m.sent:
            continue  # a sentence said again word for word (a headline restated in the body)
        first_lead.setdefault(lead_in, m.sent)
        said_as = (m.category, m.text.lower())
        if m.count.best == 1 and said_as[1].startswith("the ") and (
                first_said.get(said_as, m.sent) < m.sent):
            continue  # "the other driver ... the other driver": one person, named alike
        first_said.setdefault(said_as, m.sent)
        out.append(m)
        if (m.count.best or 0) >= 1:
            first_hurt.setdefault(m.category, m.sent)
            first_end.setdefault(m.category, m.end)
        if size is not None:
            first_size.setdefault(size, m.sent)
            others_first.setdefault(size, bool(OTHER_AFTER.match(text, m.end)))
            gists.setdefault(size, set()).add(_gist(m, text))
        if kin is not None:
            first_kin.setdefault(kin, m.sent)
    return out


@stage("event_counts", requires=("counts",), assigns=("events.fatalities", "events.injuries"))
def event_counts(document: Document) -> None:
    """Set each event's fatalities, injuries and other counts from the figures in its scope."""
    sources = document.extras.setdefault("count_sources", [])
    doubts: dict[int, list[str]] = document.extras.setdefault("count_doubts", {})
    harmed = _assign(document, _harmed_not_told(document))
    implausible = [m for m in document.counts if m.confidence < 0.3 and m.count.best is not None
                   and m.count.best >= ABSURD]
    for index, (event, mentions) in enumerate(_assign(document, _counts_not_restating(document))):
        fields = {"killed": "fatalities", "injured": "injuries"}
        notes: list[str] = []
        for category in CATEGORIES:
            chosen = [m for m in mentions if m.category == category]
            count = combine(chosen, document.text, notes) if chosen else Count.none()
            beyond = [m for m in implausible if m.category == category and m.sent in event.scope]
            if beyond:
                notes.append(f"implausible figure: {beyond[0].text}")
                if not chosen:  # kept as text, with no number to count
                    count = Count(best=None, low=None, high=None, qualifier="unknown",
                                  text=beyond[0].text)
            field = fields.get(category)
            if field:
                setattr(event, field, count)
            elif chosen:
                event.extra_counts[category] = count
            for m in chosen:
                if field:
                    event.add_evidence(field, (m.start, m.end))
                if m.source:
                    sources.append({"event_index": index, "field": field or category,
                                    "source": m.source, "source_span": m.source_span,
                                    "span": (m.start, m.end)})
        hurt = harmed[index][1]
        if hurt and not (event.fatalities and event.fatalities.best) and all(
                lone_person(m.count) for m in hurt) and any(
                FATAL_REPORT.search(document.sentences[i].text) for i in set(event.scope)
                if i < len(document.sentences)):
            # "a fatal shooting ... Rodney Smith, 21, was shot": the one shot is the one killed;
            # not "attempted murder" or "a non-fatal shooting", nor a link to another story
            # outside the event's sentences
            told = hurt[0]
            event.fatalities = Count(best=1, low=1, high=1, qualifier="exact",
                                     civilians=told.count.civilians, text=told.text)
            event.add_evidence("fatalities", (told.start, told.end))
        elif not any(m.category == "injured" for m in mentions) and hurt:
            _injured_from_harmed(event, mentions, hurt, document.text)
        if notes:
            doubts[index] = notes


def _counts_not_restating(document: Document) -> list[CountMention]:
    """The figures, less a lone person injured who was told shot before: "A man was shot on
    Friday ... Deputies found a 33-year-old man suffering from a gunshot wound" is one injured,
    not one shot in one event and one injured in another. Where the report tells of one death,
    a lone person found with a wound is the one who died ("a shooting left one man dead ...
    officers found a man suffering from a gunshot wound")."""
    shot = [m.sent for m in document.extras.get("harmed_counts", [])
            if m.count.best == 1 and m.count.qualifier == "exact"]
    dead = [m.count.best for m in document.counts if m.category == "killed"]
    one_dead = 1 in dead and all(b is not None and b <= 1 for b in dead)
    if not shot and not one_dead:
        return document.counts
    first, text = min(shot, default=len(document.sentences)), document.text
    per_sent = Counter((m.sent, m.category) for m in document.counts)
    return [m for m in document.counts if not (
        m.category == "injured" and (lone_person(m.count) or (
            m.count.best == 1 and m.sent > first and not FURTHER.search(_clause(m, text))))
        and (m.sent > first or (one_dead and FOUND_WOUNDED.match(text, m.end)))
        and per_sent[(m.sent, m.category)] == 1 and not _of_perpetrators(m, text)
        and (DEFINITE.match(m.text) or not _additive(m, text)))]


# "officers found a man suffering from a gunshot wound": how the one who died was found.
FOUND_WOUNDED = re.compile(r"(?:,?\s+[\w'-]+){0,6}?,?\s+(?:suffering\s+from|with)\s+(?:an?\s+|"
                           r"multiple\s+|several\s+|at\s+least\s+one\s+)?(?:apparent\s+)?"
                           r"(?:gunshot|stab|bullet)\s+wounds?\b", re.I)


def _harmed_not_told(document: Document) -> list[CountMention]:
    """People shot or stabbed, less a lone person shot after the report has already told its
    dead or injured: "A student was wounded ... the teen was shot in his side" is one person;
    not a lone person told beside another in one sentence ("a man was found dead and a woman
    was found with a gunshot wound"). A group shot of the size of one told hurt before is that
    group: "wounded four teenagers ... fired, striking the four boys"."""
    hurt = [m for m in document.counts if m.category in ("killed", "injured")
            and (m.count.best or 0) >= 1]
    text = document.text
    first = min((o.sent for o in hurt), default=None)
    told_in = {o.sent for o in hurt}
    group_in = {o.sent for o in hurt if not lone_person(o.count)}
    first_of: dict[int, int] = {}  # size -> first sentence with a figure of that size
    for o in hurt:
        first_of[o.count.best or 0] = min(first_of.get(o.count.best or 0, o.sent), o.sent)

    def told_before(m: CountMention) -> bool:
        if first is not None and first < m.sent:
            return True
        return m.sent in (told_in if PRONOUN.match(m.text) else group_in)

    return [m for m in document.extras.get("harmed_counts", [])
            if not (lone_person(m.count) and not _additive(m, text) and told_before(m))
            and not ((m.count.best or 0) >= 2 and first_of.get(m.count.best or 0, m.sent) < m.sent
                     and not FURTHER.search(_clause(m, text)))]


# A person told by a pronoun is someone told of before: "a man is dead after he was shot".
PRONOUN = re.compile(r"(?:he|she|him|her)$", re.I)


# "he was pronounced dead": told after a lone victim shot, it is that victim who died.
PRONOUNCED_DEAD = re.compile(r"(?:he|she) was\b", re.I)
PRONOUNCED = re.compile(r"\bpronounced dead\b", re.I)


# A report of a killing: a lone person said only to be shot in it is the one who died.
FATAL_REPORT = re.compile(r"(?<!non-)(?<!non )\b(fatal (shooting|stabbing)|(shooting|stabbing) "
                          r"death)\b", re.I)
OTHER_PERSON = re.compile(r"\b(another|other|second|third|fourth|fifth|sixth|seventh|eighth|ninth|"
                          r"tenth)\b", re.I)


# The report says no one was hurt ("No injuries were reported", "no one was injured"; not "no
# one else", "no other injuries"): whatever was shot at was no person.
NO_INJURY = re.compile(r"\b(?:(?:no one|no-one|nobody) (?:was|were|got) (?:injured|hurt|"
                       r"wounded|struck|shot)|no injuries)\b", re.I)


def _injured_from_harmed(event: EventDraft, mentions: list[CountMention],
                         hurt: list[CountMention], text: str) -> None:
    """Those shot or stabbed who did not die are the injured: 'shot four people, three fatally'
    gives 1 injured, '7 people were stabbed' with no death gives 7; none when the report says
    no one was hurt."""
    if NO_INJURY.search(text):
        return
    lone = all(lone_person(m.count) for m in hurt)
    victims = [m for m in mentions if m.category == "killed" and (
        m.confidence != SELF_CONFIDENCE or (lone and PRONOUNCED_DEAD.match(m.text)))]
    killed = combine(victims, text) if victims else Count.none()
    # the largest figure: "shot five friends ... all five had been shot" is one group
    total = max((m.count for m in hurt), key=lambda c: c.best or 0)
    if total.best is None or (victims and killed.best is None):
        return
    # "killed two people and shot another person": the one shot is someone besides the dead;
    # so is a lone person told in the same sentence as a lone person dead ("a man was found
    # dead and a woman was found with a gunshot wound")
    lone_dead = {v.sent for v in victims if lone_person(v.count)}
    told_apart = lone and any(m.sent in lone_dead and not PRONOUN.match(m.text) for m in hurt)
    further = (bool(OTHER_PERSON.search(total.text)) or told_apart) and total.best == 1
    best = total.best - (0 if further else killed.best or 0)
    if best <= 0:
        return
    qualifier = total.qualifier if total.qualifier in ("exact", "at_least") else "approximately"
    high = best if qualifier == "exact" else None
    event.injuries = Count(best=best, low=best, high=high, qualifier=qualifier,
                           civilians=None, text=total.text)
    for m in hurt:
        event.add_evidence("injuries", (m.start, m.end))
