"""Stages ``claims`` and ``link_claims``: statements by named parties and the events they concern.

A claim is anchored on a reporting verb with a named (or pronoun-resolved) speaker ("X said",
"X wrote on Telegram", "X denies", "X blamed Y for") or on "according to X". Its stance says what
kind of statement it is; a blame stays a claim and never becomes the event's attacker. Linking
runs after the events are drafted: ``extras["claim_events"]`` maps a claim's index to the indices
of the drafts it is about, which ``assemble`` turns into event ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sitrep.document import ClaimMention, Document
from sitrep.lexicon import GOVERNMENT, load_lexicon
from sitrep.lexicon import normalise as _normalise
from sitrep.pipeline.actor_refs import resolve_actor, state_actor
from sitrep.pipeline.armed_groups import group_actor
from sitrep.pipeline.kinds import VIOLENT_KINDS, family
from sitrep.pipeline.registry import stage
from sitrep.records import Actor, Claim, Span

if TYPE_CHECKING:
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token

REPORTING_VERBS = frozenset({
    "say", "tell", "add", "write", "state", "claim", "announce", "report", "confirm", "deny",
    "blame", "accuse", "condemn", "warn", "insist", "allege", "note", "reject", "post", "tweet",
    "explain", "stress", "describe", "acknowledge", "admit", "declare", "argue", "dismiss",
    "refute", "vow", "denounce", "assert", "maintain", "reiterate", "hold", "attribute", "charge",
})
DENY_VERBS = frozenset({"deny", "refute", "dismiss"})
BLAME_VERBS = frozenset({"blame", "accuse", "attribute", "charge"})
CLAIM_NOUNS = frozenset({
    "claim", "claims", "allegation", "allegations", "accusation", "accusations", "report",
    "reports", "charge", "charges", "responsibility", "involvement", "suggestion", "suggestions",
})
PERPETRATION_VERBS = frozenset({
    "carry", "conduct", "launch", "stage", "perpetrate", "execute", "kill", "target", "attack",
    "strike", "bomb", "shoot", "abduct", "kidnap", "plant", "detonate", "fire",
})
CASUALTY_WORDS = frozenset({
    "killed", "dead", "died", "deaths", "death", "injured", "wounded", "hurt", "hospitalised",
    "hospitalized", "casualties", "fatalities", "bodies", "toll", "missing", "abducted",
    "arrested", "detained", "destroyed", "damaged",
})
PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i"})
SELF_PRONOUNS = frozenset({"it", "we", "they", "its", "our", "their", "us"})
CHANNEL_PLATFORMS = {
    "telegram": "Telegram", "twitter": "Twitter", "x": "X", "facebook": "Facebook",
    "instagram": "Instagram", "youtube": "YouTube", "tiktok": "TikTok", "whatsapp": "WhatsApp",
    "website": "website", "television": "television", "tv": "television", "radio": "radio",
}
CHANNEL_NOUNS = {
    "statement": "statement", "communique": "statement", "communiqué": "statement",
    "interview": "interview", "address": "address", "briefing": "press conference",
    "conference": "press conference", "post": "social media", "video": "video",
    "tweet": "Twitter", "letter": "letter",
}
# Unnamed sources are the reporter's attribution, not a party's statement.
GENERIC_SPEAKERS = frozenset({
    "sources", "source", "reports", "report", "media", "observers", "analysts", "experts",
    "some", "many", "others", "one", "people", "reporters", "footage", "video",
})
QUOTES = frozenset({'"', "“", "”", "‘", "’", "'"})


@dataclass
class Speaker:
    """Who made a statement: the name as the text gives it, and the actor it stands for."""

    name: str
    actor: Actor | None
    token: int


def _strip_det(text: str) -> str:
    for prefix in ("the ", "The ", "a ", "A ", "an ", "An "):
        if text.startswith(prefix):
            return text[len(prefix):]
    return text


def _speaker_span(head: Token) -> SpacySpan:
    """The speaker phrase without relative clauses or trailing participles."""
    doc = head.doc
    start = head.left_edge.i
    end = head.i
    for right in head.rights:
        if right.dep_ in ("prep", "appos", "compound", "cc", "conj") and right.lower_ != "after":
            end = right.right_edge.i
        else:
            break
    while start < end and (doc[start].is_punct or doc[start].lower_ in ("“", '"')):
        start += 1
    return doc[start:end + 1]


def _speaker_name(head: Token) -> str:
    """A person's name, else an organisation's, else the phrase ('Officials in Moscow')."""
    phrase = _speaker_span(head)
    for label in ("PERSON", "ORG", "NORP", "GPE"):
        ents = [e for e in phrase.ents if e.label_ == label]
        if ents:
            name = _strip_det(ents[-1].text)
            for sep in ("’s ", "'s "):  # "the United Nation's International Atomic Energy Agency"
                if sep in name:
                    name = name.rsplit(sep, 1)[1]
            if label == "PERSON" or head.i in range(ents[-1].start, ents[-1].end):
                return name.strip()
    return _strip_det(phrase.text.strip()).strip(" ,")


def _country_in(phrase: SpacySpan) -> str | None:
    lex = load_lexicon()
    words = [t.lower_ for t in phrase]
    for size in (3, 2, 1):
        for i in range(len(words) - size + 1):
            gram = " ".join(words[i:i + size])
            code = lex.countries.get(gram) or lex.demonyms.get(gram)
            if code:
                return code
    return None


def _speaker_actor(head: Token) -> Actor | None:
    phrase = _speaker_span(head)
    group = group_actor(phrase.text)
    if group is not None:
        return group
    ref = resolve_actor(head, state_role=GOVERNMENT)
    if ref is not None and ref.actor.inter != 7:
        return ref.actor
    lex = load_lexicon()
    titled = head.ent_type_ == "PERSON" and any(
        t.lower_ in ("president", "minister") for t in phrase)
    if titled or any(lex.classes.get(t.lower_) == GOVERNMENT for t in phrase):
        return state_actor(GOVERNMENT, _country_in(phrase))
    return None


@dataclass
class Found:
    """A claim found in one sentence, before it is written to the document."""

    speaker: Speaker
    stance: str
    channel: str | None
    span: Span
    sent: int
    verb: int
    quote: bool = False


class ClaimFinder:
    def __init__(self, document: Document) -> None:
        self.document = document
        self.doc = document.doc
        self.found: list[Found] = []

    def last_speaker(self, before_sent: int) -> Found | None:
        for f in reversed(self.found):
            if f.sent <= before_sent and f.sent >= before_sent - 3:
                return f
        return None

    def find(self) -> list[Found]:
        for index, sent in enumerate(self.document.sentences):
            before = len(self.found)
            for tok in sent:
                if tok.lower_ == "according" and any(c.lower_ == "to" for c in tok.children):
                    self._according(tok, sent, index)
                elif tok.pos_ in ("VERB", "AUX") and tok.lemma_.lower() in REPORTING_VERBS:
                    self._reporting(tok, sent, index)
            if len(self.found) == before:
                self._continued_quote(sent, index)
        return self.found

    def _speaker(self, head: Token, sent_index: int) -> tuple[Speaker | None, Found | None]:
        if head.lower_ in PRONOUNS:
            prev = self.last_speaker(sent_index)
            return (prev.speaker, prev) if prev else (None, None)
        name = _speaker_name(head)
        if not name or not any(ch.isalpha() for ch in name) or name.lower() in GENERIC_SPEAKERS:
            return None, None
        return Speaker(name, _speaker_actor(head), head.i), None

    def _reporting(self, verb: Token, sent: SpacySpan, index: int) -> None:
        lemma = verb.lemma_.lower()
        subjects = [c for c in verb.children if c.dep_ == "nsubj"]
        if not subjects or _negated(verb) or _negated_subject(subjects[0]):
            return
        if lemma in ("claim", "hold", "attribute", "charge", "post", "report", "state") and not (
                _has_object(verb, CLAIM_NOUNS) or any(c.dep_ == "ccomp" for c in verb.children)):
            return
        if lemma in ("reject", "dismiss") and not _has_object(verb, CLAIM_NOUNS):
            return
        speaker, prev = self._speaker(subjects[0], index)
        if speaker is None:
            return
        stance = self._stance(verb, speaker)
        inherited = prev.channel if prev and prev.sent >= index - 1 else None
        channel = _channel(verb, sent) or inherited
        span, quote = _clause_span(verb, sent)
        self.found.append(Found(speaker, stance, channel, span, index, verb.i, quote))

    def _according(self, tok: Token, sent: SpacySpan, index: int) -> None:
        objs = [g for c in tok.children if c.lower_ == "to" for g in c.children if g.dep_ == "pobj"]
        if not objs:
            return
        speaker, _ = self._speaker(objs[0], index)
        if speaker is None:
            return
        stance = "report" if self._has_figure(sent) else "assert"
        span = _trimmed(sent)
        self.found.append(Found(speaker, stance, _channel(tok, sent), span, index, tok.i))

    def _continued_quote(self, sent: SpacySpan, index: int) -> None:
        """A quote on its own right after a quoted claim continues that speaker's statement."""
        text = sent.text.strip()
        if not text or text[0] not in QUOTES:
            return
        prev = self.found[-1] if self.found else None
        if prev is None or prev.sent != index - 1 or not prev.quote:
            return
        stance = "report" if self._has_figure(sent) else "assert"
        start, end = _trimmed(sent)
        body = self.document.text[start:end]
        start += len(body) - len(body.lstrip("".join(QUOTES)))
        end -= len(body) - len(body.rstrip("".join(QUOTES)))
        self.found.append(Found(prev.speaker, stance, prev.channel, (start, end), index,
                                sent.root.i, True))

    def _has_figure(self, sent: SpacySpan) -> bool:
        if any(sent.start_char <= c.start < sent.end_char for c in self.document.counts):
            return True
        has_number = any(t.like_num or t.ent_type_ == "CARDINAL" for t in sent)
        return has_number and any(t.lower_ in CASUALTY_WORDS for t in sent)

    def _stance(self, verb: Token, speaker: Speaker) -> str:
        lemma = verb.lemma_.lower()
        if _has_object(verb, {"responsibility", "credit"}) and lemma in (
                "claim", "accept", "admit", "acknowledge", "announce"):
            return "claim_responsibility"
        if lemma in DENY_VERBS or lemma in ("reject",):
            return "deny"
        if lemma in BLAME_VERBS or (lemma == "hold" and _mentions(verb, {"responsible"})):
            return "blame"
        for comp in (c for c in verb.children if c.dep_ in ("ccomp", "xcomp")):
            if _negated(comp) and comp.lemma_.lower() in PERPETRATION_VERBS | {"involve", "be"}:
                return "deny"
            subj = [c for c in comp.children if c.dep_ in ("nsubj", "nsubjpass")]
            self_subject = bool(subj) and subj[0].lower_ in SELF_PRONOUNS
            if comp.lemma_.lower() in PERPETRATION_VERBS and self_subject:
                return "claim_responsibility"
            if _mentions(comp, {"responsible", "behind"}) and subj and not self_subject:
                return "blame"
            if _mentions(comp, {"responsible", "behind"}) and self_subject:
                return "claim_responsibility"
        clause = self.doc[verb.left_edge.i:verb.right_edge.i + 1]
        if self._has_figure(clause):
            return "report"
        return "assert"


def _has_object(verb: Token, nouns: set[str] | frozenset[str]) -> bool:
    return any(c.dep_ in ("dobj", "attr", "nsubjpass") and c.lower_ in nouns for c in verb.children)


def _mentions(token: Token, words: set[str]) -> bool:
    return any(t.lower_ in words for t in token.subtree)


def _negated(token: Token) -> bool:
    return any(c.dep_ == "neg" for c in token.children)


def _negated_subject(subject: Token) -> bool:
    return any(c.dep_ == "det" and c.lower_ in ("no", "neither") for c in subject.children)


def _channel(verb: Token, sent: SpacySpan) -> str | None:
    """Where it was said: 'on Telegram', 'in a statement', 'told reporters'."""
    for tok in sent:
        low = tok.lower_
        if tok.dep_ == "pobj" and tok.head.lower_ in ("on", "via", "in", "at", "during"):
            if tok.head.lower_ in ("on", "via") and low in CHANNEL_PLATFORMS:
                return CHANNEL_PLATFORMS[low] if low != "telegram" else tok.text
            if low == "media" and any(m.lower_ == "social" for m in tok.lefts):
                return "social media"
            if low in CHANNEL_NOUNS:
                return CHANNEL_NOUNS[low]
        if low == "reporters" and tok.head.lemma_.lower() == "tell":
            return "press conference"
    del verb
    return None


def _trimmed(span: SpacySpan) -> Span:
    text = span.text
    start = span.start_char + (len(text) - len(text.lstrip()))
    return start, span.start_char + len(text.rstrip())


def _clause_span(verb: Token, sent: SpacySpan) -> tuple[Span, bool]:
    """The reported clause (a quote or a 'that' clause), else the whole sentence."""
    comps = [c for c in verb.children if c.dep_ == "ccomp"]
    if comps:
        comp = comps[0]
        doc = verb.doc
        start, end = comp.left_edge.i, comp.right_edge.i
        while start <= end and (doc[start].is_punct or doc[start].lower_ == "that"):
            start += 1
        while end >= start and doc[end].is_punct:
            end -= 1
        if start <= end:
            quote = any(t.text in QUOTES for t in sent[:max(comp.left_edge.i - sent.start, 1)])
            return (doc[start].idx, doc[end].idx + len(doc[end].text)), quote
    return _trimmed(sent), False


def _write(document: Document, found: list[Found]) -> None:
    text = document.text
    seen: set[tuple[int, str]] = set()
    for f in found:
        key = (f.sent, f.speaker.name)
        if key in seen:  # "X blamed Y, claiming ...": one statement
            continue
        seen.add(key)
        claim = Claim(claimant=f.speaker.name, stance=f.stance, text=text[f.span[0]:f.span[1]],
                      span=f.span, claimant_actor=f.speaker.actor, channel=f.channel)
        document.claims.append(ClaimMention(claim=claim, sent=f.sent, about=[f.span]))


@stage("claims", requires=(), assigns=("claims",))
def find_claims(document: Document) -> None:
    if not document.text.strip():
        return
    _write(document, ClaimFinder(document).find())


# --- linking -----------------------------------------------------------------------------------


def _count_source_claims(document: Document) -> dict[int, list[int]]:
    """A 'report' claim for each casualty figure the counts stage attributed to a source."""
    links: dict[int, list[int]] = {}
    for entry in document.extras.get("count_sources", []) or []:
        if not isinstance(entry, dict) or not entry.get("source"):
            continue
        source_span = entry.get("source_span")
        span = entry.get("span") or source_span
        if not span:
            continue
        sent = document.sent_index(span[0])
        index = _matching_claim(document, sent, str(entry["source"]), source_span)
        if index is None:
            sentence = document.sentences[sent] if document.sentences else None
            claim_span = _trimmed(sentence) if sentence is not None else (span[0], span[1])
            claim = Claim(claimant=str(entry["source"]), stance="report",
                          text=document.text[claim_span[0]:claim_span[1]], span=claim_span,
                          claimant_actor=_actor_at(document, source_span))
            document.claims.append(ClaimMention(claim=claim, sent=sent, about=[claim_span]))
            index = len(document.claims) - 1
        elif document.claims[index].claim.stance == "assert":
            document.claims[index].claim.stance = "report"
        event_index = entry.get("event_index")
        if isinstance(event_index, int) and 0 <= event_index < len(document.events):
            links.setdefault(index, []).append(event_index)
    return links


def _matching_claim(document: Document, sent: int, source: str,
                    source_span: Any) -> int | None:
    for i, cm in enumerate(document.claims):
        if cm.sent != sent:
            continue
        if source_span and cm.claim.span[0] <= source_span[0] < cm.claim.span[1]:
            return i
        if cm.claim.claimant in source or source in cm.claim.claimant:
            return i
    return None


def _actor_at(document: Document, span: Any) -> Actor | None:
    if not span:
        return None
    sub = document.doc.char_span(span[0], span[1], alignment_mode="expand")
    if sub is None or not len(sub):
        return None
    return _speaker_actor(sub.root)


def _linked_events(document: Document, cm: ClaimMention) -> list[int]:
    """Drafts the claim is about: a trigger in its clause, else in its sentence, else nearby."""
    about = cm.about or [cm.claim.span]
    inside = [i for i, e in enumerate(document.events)
              if any(a[0] <= m.start < a[1] for m in e.mentions for a in about)]
    if inside:
        return inside
    # What the claim talks about, even when its own mention is not an event ("Russia is
    # attacking Ukrainian homes" is a condemnation of the strikes, not of a meeting told nearby).
    start, end = cm.claim.span
    talk = {family(m.kind) for m in document.mentions if start <= m.start < end}

    def fits(i: int) -> bool:
        return not talk or family(document.events[i].kind) in talk

    same = [i for i, e in enumerate(document.events) if cm.sent in e.sents]
    if same and any(fits(i) for i in same):
        return [i for i in same if fits(i)]
    scoped = [i for i, e in enumerate(document.events) if cm.sent in e.context]
    if scoped and any(fits(i) for i in scoped):
        return [i for i in scoped if fits(i)]
    if talk:
        about_kind = [i for i, e in enumerate(document.events) if family(e.kind) in talk]
        if about_kind:
            return about_kind
    if same or scoped:
        return same or scoped
    near = [i for i, e in enumerate(document.events)
            if any(abs(cm.sent - s) <= 1 for s in e.sents)
            and _shares_place_or_kind(document, cm, e)]
    if near:
        return near
    violent = [i for i, e in enumerate(document.events) if e.kind in VIOLENT_KINDS]
    if len(violent) == 1 and cm.claim.stance in ("claim_responsibility", "blame", "deny"):
        return violent
    return []


def _shares_place_or_kind(document: Document, cm: ClaimMention, event: Any) -> bool:
    start, end = cm.claim.span
    claim_places = {_normalise(p.text) for p in document.places if start <= p.start < end}
    event_places = {_normalise(p.text) for p in document.places if p.sent in event.sents}
    if event.location is not None and event.location.name:
        event_places.add(_normalise(event.location.name))
    if claim_places & event_places:
        return True
    kinds = {m.kind for m in document.mentions if start <= m.start < end}
    return event.kind in kinds


@stage("link_claims", requires=("claims", "events"),
       assigns=("claims.about", "extras.claim_events"))
def link_claims(document: Document) -> None:
    links = _count_source_claims(document)
    previous: ClaimMention | None = None
    for index, cm in enumerate(document.claims):
        if not cm.about:
            cm.about = [cm.claim.span]
        found = _linked_events(document, cm)
        start, end = cm.claim.span
        silent = not any(start <= m.start < end for m in document.mentions)
        if (silent and previous is not None and previous.claim.claimant == cm.claim.claimant
                and cm.sent - previous.sent <= 1 and links.get(index - 1)):
            found = list(links[index - 1])  # the same speaker going on about the same events
        previous = cm
        for event_index in found:
            if event_index not in links.setdefault(index, []):
                links[index].append(event_index)
    document.extras["claim_events"] = {k: sorted(v) for k, v in links.items() if v}
