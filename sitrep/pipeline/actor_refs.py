"""Reading one noun phrase as an ACLED actor: "Russian forces" -> Military Forces of Russia
(inter 1), "Islamist militants" -> Islamist Militia (2), "hundreds of students" -> Civilians (7),
with the span it was read from and the associated actors it implies.

The actors stage decides which phrase is an event's agent or victim; claims and diplomacy read
their parties with the same functions. Kept apart so that each of those reads one phrase the
same way without importing the stage.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sitrep.lexicon import (
    ARMED,
    CIVILIAN,
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
from sitrep.pipeline.armed_groups import affiliation, group_actor, unnamed_group
from sitrep.pipeline.parties import QUANTITY_HEADS, inner, noun_class
from sitrep.records import Actor, Span

if TYPE_CHECKING:
    from spacy.tokens import Token


def interaction_code(inter1: int | None, inter2: int | None) -> int | None:
    """ACLED's interaction: both inter codes, lower first (17); a sole actor gives 10, 20, ..."""
    if inter1 is None and inter2 is None:
        return None
    if inter1 is None or inter2 is None:
        return 10 * (inter1 or inter2 or 0)
    low, high = sorted((inter1, inter2))
    return 10 * low + high


def state_actor(cls: str, code: str | None) -> Actor | None:
    """ACLED's state actor names: 'Military Forces of Russia', 'Police Forces of Nigeria'."""
    if not code:
        return None
    lex = load_lexicon()
    place = lex.country_of_forms.get(code) or country_name(code)
    prefix = {STATE: "Military Forces of", POLICE: "Police Forces of",
              GOVERNMENT: "Government of"}[cls]
    return Actor(f"{prefix} {place}", 1, code)



@dataclass
class ActorRef:
    """An actor found in the text, with where it was said and the associated actors it implies."""

    actor: Actor
    cls: str
    span: Span
    assoc: list[str] = field(default_factory=list)


def country_of_token(token: Token) -> str | None:
    lex = load_lexicon()
    low = token.text.lower()
    if low in lex.demonyms:
        return lex.demonyms[low]
    if token.ent_type_ in ("GPE", "NORP", "LOC", "ORG", "") and token.ent_iob_ != "O":
        ent = entity_of(token)
        if ent is not None:
            name = normalise(ent.text.removeprefix("the ").removeprefix("The "))
            if name in lex.countries:
                return lex.countries[name]
            if name in lex.demonyms:
                return lex.demonyms[name]
    return lex.countries.get(low) if token.pos_ == "PROPN" else None


def entity_of(token: Token) -> Any:
    for ent in token.doc.ents:
        if ent.start <= token.i < ent.end:
            return ent
    return None


def phrase_span(token: Token) -> tuple[int, int]:
    """Token range of the noun phrase headed by ``token``, without relative clauses."""
    start = token.i
    for left in token.lefts:
        if left.dep_ in ("det", "amod", "compound", "nmod", "poss", "nummod", "quantmod", "case",
                         "advmod", "punct") or left.dep_.startswith("nummod"):
            start = min(start, left.left_edge.i)
    end = token.i
    for right in token.rights:
        if right.dep_ == "prep" and right.lower_ in ("of", "from", "in") and right.i == end + 1:
            end = right.right_edge.i
        elif right.dep_ in ("appos", "compound") or (right.dep_ == "punct" and right.text in "()"):
            end = max(end, right.right_edge.i)
        else:
            break
    return start, end


def resolve_actor(token: Token, fallback_country: str | None = None, *,
                  state_role: str = STATE) -> ActorRef | None:
    """The ACLED actor a noun phrase or place headed by ``token`` stands for, or None.

    ``fallback_country`` names the country of generic actors ('police', 'civilians') when the
    phrase does not; ``state_role`` is what a bare country or capital stands for: its armed
    forces as the agent of violence, its government as a claimant.
    """
    if token.pos_ == "PRON" or token.is_punct or token.is_space:
        return None
    if token.lower_ in QUANTITY_HEADS:  # "hundreds of students", "a group of gunmen"
        token = inner(token)
    lex = load_lexicon()
    start, end = phrase_span(token)
    doc = token.doc
    phrase = doc[start:end + 1]
    span = (phrase.start_char, phrase.end_char)
    modifiers = [t for t in phrase if t.i != token.i]
    country = next((c for c in (country_of_token(t) for t in modifiers) if c), None)
    cls = noun_class(token)
    group = group_actor(phrase.text, country or fallback_country)
    if group is not None and cls not in (CIVILIAN, POLICE, PROTESTER):
        return ActorRef(group, GROUP, span)
    if cls is None and token.pos_ in ("PROPN", "NOUN"):
        # "the Myanmar military 437th LIR", "five military members": its unit, its people
        cls = next((c for c in (noun_class(m) for m in modifiers if m.i < token.i)
                    if c in (STATE, POLICE)), None)
    if cls is None and token.lower_ in lex.facilities:
        cls = next((c for c in (noun_class(m) for m in modifiers) if c in (STATE, POLICE)), None)
        if cls is None and any(m.lower_ in ("security", "military") for m in modifiers):
            cls = STATE
    if cls is None:
        own = country_of_token(token)
        if own and (token.pos_ == "PROPN" or token.lower_ in lex.demonyms):
            actor = state_actor(state_role, own)
            return ActorRef(actor, state_role, span) if actor else None
        return None
    code = country or fallback_country
    if cls in (STATE, POLICE, GOVERNMENT):
        # "security forces" act for the state; "Ukrainian air defences" are its military
        actor = state_actor(cls, code)
        if actor is None and cls != GOVERNMENT:
            # a report that names no country still says the police, not an unknown group, did it
            actor = Actor("Police Forces" if cls == POLICE else "Military Forces", 1, None)
        return ActorRef(actor, cls, span) if actor else None
    where = f" ({country_name(code)})" if code else ""
    if cls == ARMED:
        named = affiliation(token, code)
        return ActorRef(named or unnamed_group(token, modifiers, code), ARMED, span)
    if cls == PROTESTER:
        return ActorRef(Actor(f"Protesters{where}", 6, code), PROTESTER, span,
                        assoc_from_modifiers(modifiers, where))
    if cls == RIOTER:
        return ActorRef(Actor(f"Rioters{where}", 5, code), RIOTER, span,
                        assoc_from_modifiers(modifiers, where))
    assoc = [f"{group_name}{where}" for group_name in
             [lex.civilian_assoc.get(token.lower_) or lex.civilian_assoc.get(token.lemma_.lower())]
             if group_name]
    assoc += [a for a in assoc_from_modifiers(modifiers, where) if a not in assoc]
    return ActorRef(Actor(f"Civilians{where}", 7, code), CIVILIAN, span, assoc)


def assoc_from_modifiers(modifiers: list[Token], where: str) -> list[str]:
    lex = load_lexicon()
    out: list[str] = []
    for mod in modifiers:
        name = lex.civilian_assoc.get(mod.lower_) or lex.civilian_assoc.get(mod.lemma_.lower())
        if name and f"{name}{where}" not in out:
            out.append(f"{name}{where}")
    return out
