"""Stage ``actors``: who acted and who was acted upon, in ACLED's actor naming.

For each event draft the agent of its triggers (subject of an active verb, ``by X`` of a passive,
``Russian strikes``, ``Moscow's attack``, the subject of ``launched a wave of strikes``) becomes
``actor1`` and the victim or target ``actor2``. A report often names the attacker once, in its
lead, and then describes each strike without one; the first agent found for a kind family is the
report's default for drafts of that family that name none. A group claiming responsibility, or a
report attributing an attack to a named group, fills ``actor1`` only when the text leaves the
attacker unidentified: a party blaming another never replaces an identified attacker.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sitrep.document import Document, EventDraft, EventMention
from sitrep.lexicon import (
    ARMED,
    CIVILIAN,
    DIPLOMATIC_PARTIES,
    GOVERNMENT,
    GROUP,
    POLICE,
    PROTESTER,
    RIOTER,
    STATE,
    country_name,
    load_lexicon,
    normalise,
)
from sitrep.pipeline.actor_refs import (
    ActorRef,
    assoc_from_modifiers,
    country_of_token,
    entity_of,
    phrase_span,
    resolve_actor,
    state_actor,
)
from sitrep.pipeline.armed_groups import group_actor, identity_militia
from sitrep.pipeline.kinds import REMOTE_KINDS, VIOLENT_KINDS
from sitrep.pipeline.parties import (
    AGENT_PRONOUNS,
    QUANTITY_HEADS,
    antecedent,
    community,
    crowd_noun,
    inner,
    noun_class,
    subject_before,
)
from sitrep.pipeline.registry import stage
from sitrep.records import Actor

if TYPE_CHECKING:
    from spacy.tokens import Token

# Verbs whose object is an attack carried out by their subject ("launched a wave of strikes").
LAUNCH_VERBS = frozenset({
    "launch", "carry", "conduct", "unleash", "stage", "mount", "fire", "order", "perform",
    "execute", "commit", "perpetrate", "initiate", "begin", "start", "continue", "step",
    "intensify", "escalate", "resume", "rain", "hurl", "lob", "drop", "target",
})
# Verbs whose object (or passive subject) was harmed: their arguments are victims.
HARM_VERBS = frozenset({
    "kill", "injure", "wound", "hurt", "hospitalise", "hospitalize", "die", "abduct", "kidnap",
    "target", "hit", "attack", "strike", "shoot", "massacre", "slaughter", "behead", "execute",
    "murder", "maim", "assault", "rape", "beat", "torture", "burn", "stab", "hack", "seize",
    "arrest", "detain", "disperse", "shell", "bomb", "ambush", "raid", "storm",
})
INTERVENTION_VERBS = frozenset({
    "disperse", "fire", "use", "arrest", "detain", "beat", "clash", "break", "charge", "shoot",
    "spray", "baton", "intervene", "block", "crack", "kill", "injure", "wound",
})
ATTRIBUTION_LEMMAS = frozenset({"attribute", "suspect", "blame", "believe", "link", "accuse",
                                "claim"})
RESPONSIBILITY_STANCES = frozenset({"claim_responsibility"})
NON_STATE_INTERS = frozenset({2, 3, 4})
NEGATIVE_DETS = frozenset({"no", "neither"})
ARREST_KINDS = frozenset({"arrest"})
PROTEST_KINDS = frozenset({"protest"})
RIOT_KINDS = frozenset({"riot", "mob"})
# Fighting told as between two sides: "clashes between the army and the KIA".
TWO_SIDED_KINDS = frozenset({"clash"})
# Event verbs with no object, so a participle modifying a noun names the agent, not a victim.
INTRANSITIVE_VERBS = frozenset({
    "protest", "demonstrate", "march", "rally", "riot", "gather", "clash", "fight", "mutiny",
    "rebel", "picket", "strike",
})
AGENT_EXCLUDED = frozenset({"negated", "hypothetical"})



def _with_conjuncts(token: Token) -> list[Token]:
    return [token, *[t for t in token.conjuncts if t.i > token.i]]


def _kids(token: Token, *deps: str) -> list[Token]:
    """``token``'s children with these dependency labels, in text order, from an index built
    once a document: the agent search asks each trigger's verbs for their subjects, and in a
    degenerate parse (a text of repeated trigger words) one verb heads thousands of tokens, so
    scanning ``children`` each time made the stage quadratic."""
    doc = token.doc
    index = doc.user_data.get("sitrep.kids")
    if index is None:
        index = {}
        for t in doc:
            if t.head.i != t.i:
                index.setdefault((t.head.i, t.dep_), []).append(t.i)
        doc.user_data["sitrep.kids"] = index
    found = [i for dep in deps for i in index.get((token.i, dep), ())]
    if len(deps) > 1:
        found.sort()
    return [doc[i] for i in found]


def _is_passive(verb: Token) -> bool:
    return bool(_kids(verb, "nsubjpass", "auxpass"))


def _agent_candidates(trigger: Token) -> list[Token]:
    """Tokens that may name who carried out the event the trigger denotes."""
    lex = load_lexicon()
    out: list[Token] = []
    if trigger.pos_ in ("VERB", "AUX"):
        verb = trigger
        for _ in range(3):
            if _is_passive(verb):
                out += [g for c in _kids(verb, "agent") for g in _kids(c, "pobj")]
            else:
                out += _kids(verb, "nsubj")
                if not out and verb.dep_ in ("acl", "relcl") and (
                        verb.tag_ in ("VBD", "VBG") or verb.lemma_.lower() in INTRANSITIVE_VERBS):
                    out.append(verb.head)  # "gunmen firing at ...", "students protested"
            if out or verb.dep_ not in ("conj", "xcomp", "advcl") or verb.head.i == verb.i:
                break
            if verb.dep_ == "advcl" and verb.tag_ != "VBG":
                break
            verb = verb.head
    else:
        out += [c for c in _kids(trigger, "poss", "compound", "amod", "nmod") if c.i < trigger.i]
        out += [g for c in _kids(trigger, "prep") if c.lower_ == "by" for g in _kids(c, "pobj")]
        node = trigger
        for _ in range(4):  # climb "a flurry of missile and drone strikes" to its verb
            if node.dep_ not in ("dobj", "pobj", "prep", "conj", "compound", "nmod", "appos",
                                 "nsubjpass", "attr") or node.head.i == node.i:
                break
            node = node.head
            if node.pos_ in ("VERB", "AUX"):
                if node.lemma_.lower() in LAUNCH_VERBS:
                    out += _agent_candidates(node)
                break
    if not out and trigger.pos_ == "VERB" and not _kids(trigger, "nsubj", "nsubjpass", "expl"):
        out += subject_before(trigger)
    # "an exploding drone struck": a weapon is no agent, but "a Russian drone" names its owner
    return [t for t in out if t.lower_ not in lex.weapons or _country_modifier(t)] + [
        m for t in out if t.lower_ in lex.weapons for m in t.lefts if country_of_token(m)]


def _country_modifier(token: Token) -> str | None:
    return next((c for c in (country_of_token(m) for m in token.lefts) if c), None)


def _patient_candidates(trigger: Token) -> list[Token]:
    """Direct arguments of the trigger that name who or what was hit."""
    out: list[Token] = []
    if trigger.pos_ in ("VERB", "AUX"):
        dep = "nsubjpass" if _is_passive(trigger) else "dobj"
        out += [c for c in trigger.children if c.dep_ == dep]
        if trigger.lemma_.lower() == "die":
            out += [c for c in trigger.children if c.dep_ == "nsubj"]
    preps = ("on", "against", "at", "of", "targeting", "into", "upon")
    out += [g for c in trigger.children if c.dep_ in ("prep", "acl", "advcl")
            and c.lower_ in preps for g in c.children if g.dep_ in ("pobj", "dobj")]
    out += [g for c in trigger.children if c.dep_ in ("acl", "advcl") and c.lemma_ == "target"
            for g in c.children if g.dep_ == "dobj"]
    return [t for head in out for t in _with_conjuncts(head)]


def _sentence_victims(sent: Any) -> list[Token]:
    """Arguments of harm verbs in a sentence ('killing students', 'eight people were killed')."""
    out: list[Token] = []
    for tok in sent:
        if tok.pos_ not in ("VERB", "AUX") or tok.lemma_.lower() not in HARM_VERBS:
            continue
        dep = "nsubjpass" if _is_passive(tok) else "dobj"
        if tok.lemma_.lower() == "die":
            dep = "nsubj"
        out += [t for c in tok.children if c.dep_ == dep for t in _with_conjuncts(c)]
    return out


def _event_country(document: Document, event: EventDraft) -> str | None:
    """Country where the event happened: its location, a place in its sentences, the focus."""
    if event.location is not None and event.location.country_code:
        return event.location.country_code
    sents = set(event.sents)
    trig_sent = event.trigger.sent
    places = [p for p in document.places
              if p.sent in sents and p.role == "location" and p.place.country_code]
    places.sort(key=lambda p: (p.sent != trig_sent, p.start))
    if places:
        return places[0].place.country_code
    if document.focus_country:
        return document.focus_country
    return _named_country(document, event.sents)


def _named_country(document: Document, sents: list[int]) -> str | None:
    """A country or capital named in the sentences, when no geoparsed place says more."""
    lex = load_lexicon()
    for index in sents:
        if not 0 <= index < len(document.sentences):
            continue
        for ent in document.sentences[index].ents:
            if ent.label_ in ("GPE", "LOC"):
                code = lex.countries.get(normalise(ent.text.removeprefix("the ")))
                if code:
                    return code
    return None


def _family(kind: str) -> str:
    if kind in REMOTE_KINDS:
        return "remote"
    if kind in VIOLENT_KINDS:
        return "violent"
    return kind


@dataclass
class ActorCoding:
    """What the finder settled for one draft, before it is written to it."""

    actor1: ActorRef | None = None
    actor2: ActorRef | None = None
    civilian_targeting: bool = False


class ActorFinder:
    """Finds agents and victims for a document's drafts; holds per-document caches."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.doc = document.doc
        self.lex = load_lexicon()
        self._defaults: dict[str, ActorRef] | None = None

    def agents(self, mention: EventMention) -> list[Token]:
        """The phrases that may name who did what a mention tells, pronouns read as what they
        stand for."""
        if not 0 <= mention.token < len(self.doc):
            return []
        trigger = self.doc[mention.token]
        candidates = _agent_candidates(trigger)
        if trigger.pos_ == "VERB":  # the parse's subject may be a place ("Kachin State")
            candidates += [t for t in subject_before(trigger) if t not in candidates]
        return [(antecedent(c) or c) if c.lower_ in AGENT_PRONOUNS else c for c in candidates]

    def agent_of(self, mention: EventMention, country: str | None) -> ActorRef | None:
        for cand in self.agents(mention):
            ref = resolve_actor(cand, country)
            if ref is not None and ref.cls != CIVILIAN:
                return ref
            if ref is not None and mention.kind in PROTEST_KINDS | RIOT_KINDS:
                return ref
        return None

    def defaults(self) -> dict[str, ActorRef]:
        """The first agent the report names for each kind family (its lead's attacker)."""
        if self._defaults is None:
            found: dict[str, ActorRef] = {}
            for mention in sorted(self.document.mentions, key=lambda m: m.start):
                if mention.excluded in AGENT_EXCLUDED:
                    continue
                family = _family(mention.kind)
                if family in found:
                    continue
                ref = self.agent_of(mention, self.document.focus_country)
                if ref is not None and ref.cls in (STATE, POLICE, ARMED, GROUP):
                    found[family] = ref
            self._defaults = found
        return self._defaults

    def code(self, event: EventDraft) -> ActorCoding:
        if event.kind in DIPLOMACY_KINDS:
            return _diplomacy(self.document, event)
        country = _event_country(self.document, event)
        mentions = sorted(event.mentions, key=lambda m: (-m.weight, m.start))
        agent = next((r for r in (self.agent_of(m, country) for m in mentions) if r), None)
        kind = event.kind
        if kind in PROTEST_KINDS:
            return self._protest(event, agent, country)
        if kind in RIOT_KINDS:
            agent = self._as_crowd(agent, country, RIOTER)
        if kind in ARREST_KINDS and agent is None:
            agent = ActorRef(state_actor(POLICE, country), POLICE, (0, 0)) if country else None
        if agent is None and kind in TWO_SIDED_KINDS:
            sides = self._between(event, country)
            state = sides[0] if len(sides) == 1 and sides[0].cls in (STATE, POLICE) else (
                None if sides else self._state_partner(event, country))
            if state is not None:
                # "locals and workers clashed with police": a crowd against the state
                crowd = self._crowd(event, country, civilians=True)
                if crowd is not None:
                    return ActorCoding(crowd, state, False)
            if sides:
                return ActorCoding(sides[0], sides[1] if len(sides) > 1 else None, False)
        if agent is None and kind in VIOLENT_KINDS:
            # "locals beat a suspected thief", "youths clashed": people, not an armed group,
            # whatever the event's type turns out to be (ACLED's rioters, mob violence)
            agent = (self._crowd(event, country) or self._community(event, country)
                     or self._crowd(event, country, civilians=True))
        if agent is None and kind in VIOLENT_KINDS:
            defaults = self.defaults()
            agent = defaults.get(_family(kind)) or defaults.get("violent")
        if (agent is None or agent.cls == ARMED) and kind in VIOLENT_KINDS:
            agent = self._attributed(event, country) or agent
        if agent is None and kind in VIOLENT_KINDS:
            agent = self._armed_subject(event, country)
        victim = self._victim(event, agent, country)
        targeting = (kind in VIOLENT_KINDS and victim is not None and victim.cls == CIVILIAN
                     and (agent is None or agent.cls != CIVILIAN))
        return ActorCoding(agent, victim, targeting)

    def _state_partner(self, event: EventDraft, country: str | None) -> ActorRef | None:
        """The state side a clash was "with" ("clashed with police forces")."""
        for mention in event.mentions:
            if not 0 <= mention.token < len(self.doc):
                continue
            for prep in self.doc[mention.token].children:
                if prep.dep_ == "prep" and prep.lower_ == "with":
                    for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                        ref = resolve_actor(pobj, country)
                        if ref is not None and ref.cls in (STATE, POLICE):
                            return ref
        return None

    def _crowd(self, event: EventDraft, country: str | None,
               civilians: bool = False) -> ActorRef | None:
        """Violence done by a crowd, not an armed group: "locals assaulted two students", "two
        groups clashed", "members of the party's student wing vandalized": ACLED's rioters."""
        for mention in sorted(event.mentions, key=lambda m: (-m.weight, m.start)):
            if civilians and not self._done_to_others(mention):
                continue  # "four children died": who died, not who did it
            for cand in self.agents(mention):
                ref = resolve_actor(cand, country)
                people = inner(cand) if cand.lower_ in QUANTITY_HEADS | {"group"} else cand
                if not crowd_noun(cand) and not (
                        civilians and ref is not None and ref.cls == CIVILIAN
                        and people.tag_ == "NNS"):
                    continue
                if ref is not None and ref.cls != CIVILIAN:
                    return None  # "members of Boko Haram": the group
                where = f" ({country_name(country)})" if country else ""
                start, end = phrase_span(cand)
                phrase = self.doc[start:end + 1]
                assoc = list(ref.assoc) if ref is not None else []
                return ActorRef(Actor(f"Rioters{where}", 5, country), RIOTER,
                                (phrase.start_char, phrase.end_char), assoc)
        return None

    def _done_to_others(self, mention: EventMention) -> bool:
        """Whether the mention's subject did something to someone: "villagers killed a man",
        "youths clashed", not "children died" or "villagers were hospitalised"."""
        if not 0 <= mention.token < len(self.doc):
            return False
        trigger = self.doc[mention.token]
        if mention.role != "outcome":
            return True
        return any(c.dep_ == "dobj" for c in trigger.children)

    def _community(self, event: EventDraft, country: str | None) -> ActorRef | None:
        """Violence a community did: ACLED's identity militia ("members of the Mossi community
        attacked" is "Mossi Ethnic Militia"; unnamed, "Unidentified Communal Militia")."""
        for mention in event.mentions:
            for cand in self.agents(mention):
                name = community(cand)
                if name is None:
                    continue
                start, end = phrase_span(cand)
                phrase = self.doc[start:end + 1]
                return ActorRef(identity_militia(name, country), ARMED,
                                (phrase.start_char, phrase.end_char))
        return None

    def _armed_subject(self, event: EventDraft, country: str | None) -> ActorRef | None:
        """The first armed side the event's sentences make a subject ("a Myanmar soldier who
        was on night duty opened fire"), when the parse hangs none on the trigger."""
        for index in event.sents:
            for tok in self._sentence(index):
                verb = tok.head.head if tok.dep_ == "pobj" else tok.head
                if ((tok.dep_ == "nsubj" or (tok.dep_ == "pobj" and tok.head.lower_ == "by"))
                        and verb.lemma_.lower() in HARM_VERBS | LAUNCH_VERBS | {"open"}
                        and noun_class(tok) in (STATE, POLICE, ARMED, GROUP)):
                    ref = resolve_actor(tok, country)
                    if ref is not None:
                        return ref
        return None

    def _between(self, event: EventDraft, country: str | None) -> list[ActorRef]:
        """The sides of "clashes between the army and the TNLA" (state forces first, as ACLED
        lists them), or of "X and Y clashed"; [] when the parse names no armed side."""
        doc = self.doc
        for mention in event.mentions:
            if not 0 <= mention.token < len(doc):
                continue
            trigger = doc[mention.token]
            heads = [g for c in trigger.children if c.dep_ == "prep" and c.lower_ == "between"
                     for g in c.children if g.dep_ == "pobj"]
            if not heads:
                heads = [c for c in trigger.children if c.dep_ == "nsubj"]
            tokens = [t for h in heads for t in _with_conjuncts(h)]
            sides = [r for r in (resolve_actor(t, country) for t in tokens)
                     if r is not None and r.cls in (STATE, POLICE, ARMED, GROUP)]
            if sides:
                return sorted(sides, key=lambda r: r.cls not in (STATE, POLICE))
        return []

    def _as_crowd(self, ref: ActorRef | None, country: str | None, cls: str) -> ActorRef:
        where = f" ({country_name(country)})" if country else ""
        name, inter = ("Protesters", 6) if cls == PROTESTER else ("Rioters", 5)
        if ref is not None and ref.cls == cls:
            return ref
        assoc = list(ref.assoc) if ref is not None and ref.cls == CIVILIAN else []
        span = ref.span if ref is not None else (0, 0)
        return ActorRef(Actor(f"{name}{where}", inter, country), cls, span, assoc)

    def _protest(self, event: EventDraft, agent: ActorRef | None,
                 country: str | None) -> ActorCoding:
        actor1 = self._as_crowd(agent, country, PROTESTER)
        actor2 = None
        for sent_index in event.scope:
            for tok in self._sentence(sent_index):
                cls = noun_class(tok) if tok.pos_ in ("NOUN", "PROPN") else None
                if cls not in (STATE, POLICE):
                    continue
                if tok.dep_ in ("nsubj", "pobj") and (
                        tok.head.lemma_.lower() in INTERVENTION_VERBS
                        or tok.head.head.lemma_.lower() in INTERVENTION_VERBS
                        or tok.dep_ == "nsubj"):
                    actor2 = resolve_actor(tok, country)
                    break
            if actor2 is not None:
                break
        return ActorCoding(actor1, actor2, False)

    def _sentence(self, index: int) -> Any:
        sents = self.document.sentences
        return sents[index] if 0 <= index < len(sents) else []

    def _victim(self, event: EventDraft, agent: ActorRef | None,
                country: str | None) -> ActorRef | None:
        agent_name = agent.actor.name if agent else None
        direct = [t for m in event.mentions if 0 <= m.token < len(self.doc)
                  for t in _patient_candidates(self.doc[m.token]) if noun_class(t)
                  or t.lower_ in self.lex.facilities]
        indirect = [t for s in event.sents for t in _sentence_victims(self._sentence(s))]
        best: ActorRef | None = None
        assoc: list[str] = []
        for is_direct, tokens in ((True, direct), (False, indirect)):
            for tok in tokens:
                ref = resolve_actor(tok, country)
                if ref is None or ref.actor.name == agent_name:
                    continue
                if not is_direct and ref.cls in (ARMED, GROUP):
                    continue  # attackers killed in the attack are not its target
                if best is None:
                    best = ref
                if ref.actor.name == best.actor.name:
                    assoc += [a for a in ref.assoc if a not in assoc]
            if best is not None:
                break
        if best is None and event.kind in VIOLENT_KINDS:
            best = self._civilian_target(event, direct, country)
        if best is not None:
            best.assoc = assoc or best.assoc
            if best.cls == CIVILIAN:
                target = self._civilian_target(event, direct, country)
                best.assoc += [a for a in (target.assoc if target else []) if a not in best.assoc]
        return best

    def _civilian_target(self, event: EventDraft, direct: list[Token],
                         country: str | None) -> ActorRef | None:
        """A strike on homes, a school or a dormitory targets civilians, victims named or not."""
        for sent_index in event.sents:
            for tok in [*direct, *self._sentence(sent_index)]:
                residential = tok.lower_ == "areas" and any(
                    m.lower_ in ("residential", "resident") for m in tok.lefts)
                if tok.lower_ not in self.lex.civilian_targets and not residential:
                    continue
                if tok.dep_ not in ("dobj", "pobj", "nsubjpass"):
                    continue
                where = f" ({country_name(country)})" if country else ""
                assoc = assoc_from_modifiers(list(tok.lefts), where)
                return ActorRef(Actor(f"Civilians{where}", 7, country), CIVILIAN,
                                (tok.idx, tok.idx + len(tok.text)), assoc)
        return None

    def _attributed(self, event: EventDraft, country: str | None) -> ActorRef | None:
        """A named group that claimed the attack, or that the report attributes it to."""
        first = min(event.sents) if event.sents else 0
        single = sum(1 for e in self.document.events if e.kind in VIOLENT_KINDS) <= 1
        for claim in self.document.claims:
            actor = claim.claim.claimant_actor
            if (claim.claim.stance in RESPONSIBILITY_STANCES and actor is not None
                    and actor.inter in NON_STATE_INTERS
                    and (single or 0 <= claim.sent - first <= 3)):
                return ActorRef(actor, GROUP, claim.claim.span)
        sents = range(len(self.document.sentences)) if single else range(first, first + 4)
        for index in sents:
            for tok in self._sentence(index):
                if tok.lemma_.lower() not in ATTRIBUTION_LEMMAS or _negated(tok):
                    continue
                if tok.lemma_.lower() == "claim" and not any(
                        c.lemma_.lower() == "responsibility" for c in tok.children):
                    continue
                sub = self.doc[tok.left_edge.i:tok.right_edge.i + 1]
                group = group_actor(sub.text, country)
                if group is not None:
                    return ActorRef(group, GROUP, (sub.start_char, sub.end_char))
        return None


DIPLOMACY_KINDS = frozenset({"meeting", "visit", "aid", "sanction", "agreement", "cooperation",
                             "request", "pledge"})
PARTNER_PREPS = frozenset({"with", "by", "on", "upon", "to", "from", "between"})
PARTNER_TO = frozenset({"with", "to", "between"})
# Who may be the partner of a meeting, an agreement or an expulsion ("expelled the embassy
# staff"): the parties of diplomacy, and an embassy's people.
PARTY_NOUNS = DIPLOMATIC_PARTIES | {"staff", "attache"}


def _diplomat(token: Token) -> ActorRef | None:
    """A party to diplomacy: 'Japanese Prime Minister X' and "China's X" stand for their
    government; a named person with no country stays a person."""
    ref = resolve_actor(token, None, state_role=GOVERNMENT)
    if ref is not None:
        return ref
    start, end = phrase_span(token)
    phrase = token.doc[start:end + 1]
    own = country_of_token(token)
    if own:  # a headline's parse may tag "Somalia" as a common noun
        actor = state_actor(GOVERNMENT, own)
        return ActorRef(actor, GOVERNMENT, (phrase.start_char, phrase.end_char)) if actor else None
    # "in Riyadh" says where the parties met, not who they are
    venue = {t.i for p in token.children if p.dep_ == "prep" and p.lower_ in ("in", "at")
             for t in p.subtree}
    country = next((c for c in (country_of_token(t) for t in phrase
                                if t.i != token.i and t.i not in venue) if c), None)
    if country is None:
        country = next((country_of_token(c) for c in token.children if c.dep_ == "poss"), None)
    span = (phrase.start_char, phrase.end_char)
    if country:
        actor = state_actor(GOVERNMENT, country)
        return ActorRef(actor, GOVERNMENT, span) if actor else None
    body = [t for t in phrase if t.i not in venue]
    org = next((e for e in (entity_of(t) for t in body if t.ent_type_ == "ORG" and t.i < token.i)
                if e is not None), None)
    if org is not None and token.ent_type_ != "PERSON":  # "the UN Secretary-General"
        return ActorRef(Actor(org.text, None, None), GROUP, span)
    if token.ent_type_ in ("PERSON", "ORG") or token.pos_ == "PROPN":
        ent = entity_of(token)
        name = ent.text if ent is not None else token.text
        return ActorRef(Actor(name, None, None), GROUP, span)
    return None


def _diplomacy(document: Document, event: EventDraft) -> ActorCoding:
    """Who met, visited or agreed with whom: the subject of the trigger (or of the verb it
    hangs from: 'X left Kyiv after meeting Y') and its object or 'with' partner."""
    doc = document.doc
    trigger = doc[event.trigger.token]
    subjects: list[Token] = []
    node = trigger
    for _ in range(3):
        subjects = [c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subjects or node.head.i == node.i:
            break
        node = node.head
    objects = [c for c in trigger.children if c.dep_ == "dobj"]
    # the partner may hang from the trigger or from its object: "severed ties with Kenya",
    # "pledged 50 million euros in aid to Sudan", "talks between the two sides"
    preps = [c for c in trigger.children if c.dep_ == "prep"]
    preps += [t for o in objects for t in o.subtree if t.dep_ == "prep" and t.lower_ in PARTNER_TO]
    named = [g for c in preps if c.lower_ in PARTNER_PREPS for g in c.children if g.dep_ == "pobj"]
    partners = [t for t in objects + named + [c for t in named for c in t.conjuncts] if _party(t)]
    # "Ethiopia and Eritrea signed", "the foreign ministers of India and Pakistan met": the
    # second of two subjects is the other party
    for subject in subjects:
        named = [g for c in subject.children if c.dep_ == "prep" and c.lower_ == "of"
                 for g in c.children if g.dep_ == "pobj"]
        if named and country_of_token(subject) is None and subject.lemma_.lower() in PARTY_NOUNS:
            subjects = [named[0]] + subjects
            partners += named[0].conjuncts
        partners += subject.conjuncts
    agent = next((r for r in (_diplomat(t) for t in subjects) if r), None)
    partner = next((r for r in (_diplomat(t) for t in partners)
                    if r and (agent is None or r.actor.name != agent.actor.name)), None)
    if agent is not None and partner is not None and agent.actor.name == partner.actor.name:
        partner = None
    return ActorCoding(agent, partner, False)


def _party(token: Token) -> bool:
    """Whether an object of diplomacy is a party to it ("met his counterpart", "urged Iran"),
    not what was signed, given or discussed."""
    if token.ent_type_ in ("DATE", "TIME", "CARDINAL", "MONEY", "QUANTITY"):
        return False  # "signed on Sunday"
    if token.ent_type_ in ("PERSON", "GPE", "NORP", "ORG") or token.pos_ == "PROPN":
        return True
    return token.lemma_.lower() in PARTY_NOUNS or country_of_token(token) is not None


def _negated(token: Token) -> bool:
    if any(c.dep_ == "neg" for c in token.children):
        return True
    return any(c.dep_ in ("nsubj", "nsubjpass") and any(
        d.dep_ == "det" and d.lower_ in NEGATIVE_DETS for d in c.children) for c in token.children)


def _write(event: EventDraft, coding: ActorCoding) -> None:
    for name, ref in (("actor1", coding.actor1), ("actor2", coding.actor2)):
        if ref is None:
            continue
        setattr(event, name, ref.actor)
        assoc_field = "assoc_actor_1" if name == "actor1" else "assoc_actor_2"
        merged = list(getattr(event, assoc_field))
        merged += [a for a in ref.assoc if a not in merged]
        setattr(event, assoc_field, merged)
        if ref.span[1] > ref.span[0]:
            event.add_evidence(name, ref.span)
    event.civilian_targeting = coding.civilian_targeting


@stage("actors", requires=("events",),
       assigns=("events.actor1", "events.actor2", "events.assoc_actor_1", "events.assoc_actor_2",
                "events.civilian_targeting"))
def code_actors(document: Document) -> None:
    if not document.events:
        return
    finder = ActorFinder(document)
    codings = [finder.code(event) for event in document.events]
    for event, coding in zip(document.events, codings, strict=True):
        _write(event, coding)
