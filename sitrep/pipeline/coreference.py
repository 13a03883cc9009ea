"""In-report coreference: one event per real event, not one per sentence.

A report tells one strike several times: a lead that sums up ("a flurry of strikes on Ukraine,
killing civilians"), the specific strikes ("a drone struck a dormitory near Kyiv"), their outcome
("more than 20 were hospitalised") and back-references ("the attack in Zaporizhzhia", "the
incident"). Mentions are grouped first within a sentence, then across sentences by place (two
strikes in two towns are two events) and by discourse role (an outcome or a back-reference joins
the event told before it). Summaries that only restate specific events are folded away.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from sitrep.document import Document, EventDraft, EventMention, PlaceMention
from sitrep.pipeline.kinds import KINDS, REMOTE_KINDS, VERBAL_KINDS, family
from sitrep.pipeline.registry import stage

PARTICIPANT_LEMMAS = frozenset({"protester", "protestor", "demonstrator", "rioter", "mob",
                                "vigilante", "hostage"})
# How far (in sentences) a placeless mention may reach back to join an earlier event.
REACH = {"anaphor": 8, "outcome": 3, "main": 2, "participant": 2, "summary": 0}
# Which kind an event of several kinds is coded as. Ground taken decides first: ACLED codes a
# battle in which a town changes hands by who took it, whatever weapons took it. Violence
# outranks the arrests that end it (a shooting whose gunman is caught is a shooting), except
# where the violence is only the arrest's means: "police raided the house and arrested five
# suspects" is an arrest (see ARREST_MEANS).
KIND_RANK = ("territory_gain", "suicide_bomb", "chemical", "grenade", "air_strike", "shelling",
             "explosion", "clash", "sexual_violence", "abduction", "looting", "riot", "mob",
             "protest", "attack", "arrest")
ARREST_MEANS = frozenset({"raid", "storm", "swoop", "target", "search", "operation",
                          "crackdown", "sweep"})
# Harm told with an arrest makes the event violence: "arrested and killed a villager", "were
# detained and beaten", "arrested ... later found dead" (ACLED: an attack; of ACLED's notes the
# pipeline typed as arrests with such words, 2 of 79 were arrests).
CUSTODY_HARM = frozenset({"kill", "beat", "torture", "die", "execute", "murder", "shoot", "stab",
                          "assault", "behead", "lynch", "dead"})


@dataclass
class _Cluster:
    mentions: list[EventMention]
    sent: int
    place: str | None  # key of the specific place it is tied to
    family: str  # "violence" or the kind, for non-violent events
    roles: set[str] = field(default_factory=set)

    @property
    def role(self) -> str:
        for r in ("main", "participant", "summary", "outcome", "anaphor"):
            if r in self.roles:
                return r
        return "main"


def _place_key(p: PlaceMention) -> str:
    return str(p.place.geonameid) if p.place.geonameid else p.text.lower()


def _specific(p: PlaceMention) -> bool:
    """A place that pins an event down: a town, a site or a district, not a country."""
    if p.role != "location":
        return False
    code = (p.place.feature_code or "").upper()
    if code.startswith(("PCL", "ADM1", "CONT", "RGN", "ADMD")):
        return False
    return not (p.precision >= 3 and p.relation is None)


def _mention_places(document: Document) -> dict[int, str]:
    """Specific place of each mention: one inside the trigger's phrase, else the sentence's only."""
    doc = document.doc
    by_token: dict[int, PlaceMention] = {}
    per_sent: dict[int, list[PlaceMention]] = {}
    for p in document.places:
        if not _specific(p):
            continue
        span = doc.char_span(p.start, p.end, alignment_mode="expand")
        if span is not None:
            for t in span:
                by_token[t.i] = p
        per_sent.setdefault(p.sent, []).append(p)
    out: dict[int, str] = {}
    for m in document.mentions:
        token = doc[m.token]
        hit = None
        for t in token.subtree:
            if t.i in by_token:
                hit = by_token[t.i]
                break
        if hit is None and token.head.i in by_token:
            hit = by_token[token.head.i]
        if hit is None:
            keys = {_place_key(p) for p in per_sent.get(m.sent, [])}
            if len(keys) == 1:
                out[m.token] = keys.pop()
            continue
        out[m.token] = _place_key(hit)
    return out


def _role_of(m: EventMention) -> str:
    if m.lemma in PARTICIPANT_LEMMAS:
        return "participant"
    return m.role


def _sentence_clusters(document: Document, places: dict[int, str]) -> list[_Cluster]:
    kept = [m for m in document.mentions if m.excluded is None]
    clusters: list[_Cluster] = []
    for sent in sorted({m.sent for m in kept}):
        in_sent = [m for m in kept if m.sent == sent]
        local: list[_Cluster] = []
        for m in in_sent:
            group, place, role = family(m.kind), places.get(m.token), _role_of(m)
            target = None
            for c in local:
                if c.family != group:
                    continue
                if group == "violence":
                    if place and c.place and place != c.place:
                        continue
                    target = c
                    break
                # two meetings in one sentence are two meetings, unless one points back or
                # one word governs the other ("signed an agreement", "met to discuss")
                if role in {"anaphor", "participant"} or c.role in {"anaphor", "participant"} \
                        or _governs(document, m, c.mentions):
                    target = c
                    break
            if target is None:
                local.append(_Cluster([m], sent, place, group, {role}))
            else:
                target.mentions.append(m)
                target.roles.add(role)
                target.place = target.place or place
        clusters.extend(local)
    return clusters


def _governs(document: Document, mention: EventMention, others: list[EventMention]) -> bool:
    """Whether ``mention``'s word and one of ``others``' are head and dependent."""
    doc = document.doc
    if doc is None:
        return False
    token = doc[mention.token]

    def governor(t: Token) -> int:
        # through a preposition: "agreed to a ceasefire", "talks on a deal"
        head = t.head
        return head.head.i if head.dep_ == "prep" else head.i

    return any(governor(doc[o.token]) == token.i or governor(token) == o.token for o in others)


def _kind(mentions: list[EventMention], doc: Doc | None = None) -> str:
    main = [m for m in mentions if m.role == "main"] or mentions
    kinds = {m.kind for m in main} | {m.kind for m in mentions if m.kind in REMOTE_KINDS}
    if "arrest" in kinds and all(m.lemma in ARREST_MEANS for m in main if m.kind == "attack"):
        kinds.discard("attack")
    if kinds == {"arrest"} and doc is not None and (
            _harmed_in_custody(mentions, doc) or _caught_after(mentions, doc)):
        return "attack"
    for k in KIND_RANK:
        if k in kinds:
            return k
    return main[0].kind


def _harmed_in_custody(mentions: list[EventMention], doc: Doc) -> bool:
    """Whether harm is told as an act beside the arrest ("arrested and killed a villager",
    "were detained and beaten", "killed one and arrested seven"), not as what the arrested are
    suspected of ("arrested a man suspected of killing his wife", "the gunman who killed")."""
    for m in mentions:
        if m.kind != "attack" or m.lemma not in CUSTODY_HARM or not 0 <= m.token < len(doc):
            continue
        tok = doc[m.token]
        if tok.pos_ == "VERB" and tok.dep_ in ("ROOT", "conj", "advcl") and not any(
                a.dep_ in ("relcl", "acl", "pcomp", "pobj", "xcomp") for a in tok.ancestors):
            return True
    return False


def _caught_after(mentions: list[EventMention], doc: Doc) -> bool:
    """Whether the arrest only ends the violence told with it: "killing the superintendent and
    wounding two teachers before being arrested" (a verb of harm, a passive arrest)."""
    def token(m: EventMention) -> Token | None:
        return doc[m.token] if 0 <= m.token < len(doc) else None

    harm = [t for m in mentions if m.kind == "attack" and m.role == "outcome"
            and (t := token(m)) is not None and t.pos_ == "VERB" and t.tag_ in ("VBG", "VBD")
            and any(c.dep_ == "dobj" for c in t.children)]
    caught = [t for m in mentions if m.kind == "arrest" and (t := token(m)) is not None
              and any(c.dep_ == "auxpass" for c in t.children)]
    return bool(harm and caught)


def _merge_target(events: list[tuple[EventDraft, _Cluster]], c: _Cluster
                  ) -> tuple[EventDraft, _Cluster] | None:
    """The earlier event a sentence cluster continues, if any."""
    for event, head in reversed(events):
        if head.family != c.family:
            continue
        distance = c.sent - event.sents[-1]
        if distance == 0:
            continue  # clusters of one sentence were told apart on purpose
        if head.role == "summary" and c.role != "anaphor":
            continue  # specific events are not folded into the lead that sums them up
        if c.place and head.place:
            if c.place == head.place:
                return event, head
            continue
        if c.role == "summary":
            continue
        if distance <= REACH.get(c.role, 0):
            return event, head
        if c.place is None and head.place is None and c.role == "anaphor":
            return event, head
    return None


def group_mentions(document: Document) -> list[EventDraft]:
    places = _mention_places(document)
    events: list[tuple[EventDraft, _Cluster]] = []
    for c in _sentence_clusters(document, places):
        target = _merge_target(events, c)
        if target is None:
            if c.role == "anaphor" and c.mentions[0].lemma in {"incident"}:
                continue  # "the incident" with nothing before it to point at
            draft = EventDraft(mentions=list(c.mentions), kind=_kind(c.mentions, document.doc),
                               sents=[c.sent])
            events.append((draft, _Cluster(list(c.mentions), c.sent, c.place, c.family,
                                           set(c.roles))))
            continue
        event, head = target
        event.mentions.extend(c.mentions)
        if c.sent not in event.sents:
            event.sents.append(c.sent)
        head.roles |= c.roles
        head.place = head.place or c.place
        event.kind = _kind(event.mentions, document.doc)
    # Fold away summaries that only restate the specific events told after them.
    specific = [e for e, h in events if h.role not in {"summary", "anaphor"}]
    drafts: list[EventDraft] = []
    for event, head in events:
        only_summary = head.roles <= {"summary", "outcome", "anaphor"} and "summary" in head.roles
        if only_summary and any(family(s.kind) == head.family for s in specific
                                if s is not event):
            continue
        drafts.append(event)
    _assign_context(document, drafts)
    return drafts


def _assign_context(document: Document, drafts: list[EventDraft]) -> None:
    """Sentences between an event's mentions and after its last one (up to the next event's)
    elaborate it: "in the city of X, south of the capital", "more than 20 were hospitalised"."""
    owner: dict[int, EventDraft] = {}
    for d in drafts:
        for s in d.sents:
            owner.setdefault(s, d)
    n = len(document.sentences)
    for d in drafts:
        first, last = min(d.sents), max(d.sents)
        for s in range(first + 1, min(n, last + 4)):
            if s in owner and owner[s] is not d:
                if s > last:
                    break
                continue
            if s not in d.sents:
                d.context.append(s)


# Briefs and headlines ("Land forces formed in ..."): when no trigger was recognised, the
# report-level classifier may still name the event, anchored on the lead's main verb.
BRIEF_MAX_SENTENCES = 3
BRIEF_MAX_CHARS = 600
BRIEF_MIN_PROB = 0.35
SUB_EVENT_KIND = {
    "Government regains territory": "territory_gain",
    "Non-state actor overtakes territory": "territory_gain",
    "Excessive force against protesters": "protest",
    "Protest with intervention": "protest",
}
# A crowd gathered for a match, a feast or a wedding is no demonstration, though a classifier
# that learnt from protest notes calls every crowd one ("hundreds gathered at the stadium for
# the final"): a short report naming such an occasion, and no word of protest, gets no protest.
# (Not prayers: crowds leaving prayers often march.)
BRIEF_PROTESTS = frozenset({"Peaceful protest", "Protest with intervention",
                            "Excessive force against protesters"})
OCCASION_WORDS = re.compile(
    r"\b(?:celebrat\w*|festivals?|concerts?|match(?:es)?|final|games?|tournaments?|weddings?"
    r"|ceremon(?:y|ies)|carnivals?|graduations?|birthdays?|fans|holidays?|feast)\b")
PROTEST_WORDS = re.compile(
    r"\b(?:protest|demonstrat|rall(?:y|ies|ied|ying)\b|march(?:ed|es|ers?|ing)?\b|sit-ins?\b"
    r"|picket|vigils?\b|chant|slogans?\b|placards?\b|banners?\b|petition|boycott|demand"
    r"|against\b|in support of\b|solidarity\b|denounc|condemn|call(?:ed|ing|s)? for\b"
    r"|activists?\b|(?:on|general|hunger) strikes?\b|strikers?\b|walk-?outs?\b)")


def brief_event(document: Document) -> EventDraft | None:
    """An event for a short report whose classifier label is an ACLED type, or None."""
    from sitrep.pipeline.typing import CASE_TO_SUB, document_label, event_label

    sents = document.sentences
    if not sents or len(sents) > BRIEF_MAX_SENTENCES or len(document.text) > BRIEF_MAX_CHARS:
        return None
    label, _ = document_label(document)
    # whether there is an event is the word model's call (the accurate mode's encoder types it)
    said, prob = event_label(document)
    sub = CASE_TO_SUB.get(label or "")
    if sub is None or CASE_TO_SUB.get(said or "") is None or prob < BRIEF_MIN_PROB:
        return None
    if sub in BRIEF_PROTESTS:
        low = _without_months(document.text)
        if OCCASION_WORDS.search(low) and not PROTEST_WORDS.search(low):
            return None
    kind = SUB_EVENT_KIND.get(sub) or next(
        (k for k, (s, _) in KINDS.items() if s == sub), "strategic")
    root = sents[0].root
    mention = EventMention(
        start=root.idx, end=root.idx + len(root.text), text=root.text,
        lemma=root.lemma_.lower(), sent=0, kind=kind, token=root.i, role="brief", weight=0.4)
    return EventDraft(mentions=[mention], kind=kind, sents=[0],
                      context=list(range(1, len(sents))))


def _without_months(text: str) -> str:
    """Lower-cased text without the month "March", which is no march."""
    return re.sub(r"\bMarch\b", " ", text).lower()


@stage("coreference", requires=("mentions", "places"), assigns=("events",))
def resolve_coreference(document: Document) -> None:
    document.events = group_mentions(document)
    if all(e.kind in VERBAL_KINDS for e in document.events) and not any(
            m.excluded is None and m.kind not in VERBAL_KINDS for m in document.mentions):
        draft = brief_event(document)
        if draft is not None:
            document.events.append(draft)
