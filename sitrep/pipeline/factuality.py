"""Whether an event mention tells of a specific event that happened, and if not, why.

Detection finds a mention by its trigger word; this module judges it by its grammar: negated
("denies targeting civilians"), hypothetical ("threatened to strike", "could attack"), habitual
("strikes on an almost daily basis"), background ("13 months of fighting", "the 2017 attack", a
death a protest is about), generic ("some of the deadliest strikes") or ongoing inside a quote
("Russia is shelling the city"). It is apart from ``detection`` because it is another job:
``detection`` decides what kind of event a trigger names, this reads the clause around it. It
also serves ``counts``, which leaves out a death a protest is about (``cause_of_gathering``).
"""

from __future__ import annotations

from bisect import bisect_left
from itertools import islice
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token

NEGATING_HEADS = frozenset({"deny", "reject", "refute", "dismiss", "rule", "disavow",
                            "cancel", "postpone", "suspend"})
# "a test of a hydrogen bomb", "missile tests", "tested a missile": a weapon tried, not used
TEST_WORDS = frozenset({"test", "testing", "trial"})
MODAL_HEADS = frozenset({
    "threaten", "plan", "vow", "warn", "intend", "prepare", "seek", "aim", "want", "plot",
    "fear", "call", "urge", "demand", "pledge", "promise", "propose", "consider", "try",
    "attempt", "need", "hope", "expect", "would", "could", "may", "might", "prevent", "avoid",
    "deter", "risk", "allow", "refuse", "order", "threat", "ready", "anticipation",
})
MODAL_AUX = frozenset({"could", "would", "may", "might", "will", "shall", "should", "must",
                       "can", "'d", "'ll"})
HABITUAL_WORDS = frozenset({
    "repeatedly", "regularly", "often", "frequently", "routinely", "daily", "constantly",
    "continuously", "usually", "typically", "sometimes", "occasionally", "nightly", "weekly",
    "always", "never", "increasingly", "persistently", "systematically",
})
# "13 months of fighting" is the war's background; "two days of fighting" is this battle.
DURATION_NOUNS = frozenset({"month", "year", "decade", "century"})
# A death a gathering is about ("rallied against the deaths of X and Y", "marched to remember a
# girl who was killed by a car") is its cause, not an event of the report: a cause word on the
# way up from the trigger to a gathering's verb.
CAUSE_WORDS = frozenset({"against", "over", "remember", "mourn", "honor", "honour",
                         "commemorate", "memory", "homage", "justice", "wake", "denounce",
                         "condemn", "victim", "regard", "regarding", "concern", "concerning",
                         "about", "demand", "call", "penalty", "punishment", "awareness",
                         "solidarity", "inquiry", "investigation", "accountability", "case",
                         "support", "remembrance", "commemoration", "anniversary", "memorial",
                         "tribute"})
# (Condemning, denouncing or mourning a killing is no gathering: "the governor condemned the
# attack, which killed eight" tells the attack's toll; "gathered to condemn" gathers.)
GATHERING_WORDS = frozenset({"protest", "demonstrate", "rally", "march", "gather", "vigil",
                             "demonstration", "commemorate", "remember", "honor", "honour",
                             "picket", "sit-in", "riot", "motorcade", "caravan", "encampment",
                             "procession", "parade"})
MAX_CHILDREN = 24
QUANTIFIER_HEADS = frozenset({"some", "many", "most", "several", "few", "all", "any", "none",
                              "much", "part", "series"})


def _clause_head(token: Token) -> Token:
    """The verb a noun trigger belongs to, or the trigger itself."""
    t = token
    for _ in range(4):
        if t.pos_ in {"VERB", "AUX"} or t.dep_ == "ROOT":
            return t
        t = t.head
    return t


def cause_of_gathering(token: Token) -> bool:
    """Whether a killing (or its victims) is what a protest or vigil of its sentence is about."""
    cause = False
    t = token
    for _ in range(16):  # "the deaths of X, Y, and Z" climbs through every name
        if t.head.i == t.i:
            return False
        prev, t = t, t.head
        lemma = t.lemma_.lower()
        if lemma in GATHERING_WORDS and t.pos_ == "VERB" and prev.dep_ == "dobj":
            return True  # "to protest the killing of X": what is protested
        # "to show solidarity for X", "seek justice for X": the verb's object says so (a
        # real verb has a handful of children; a degenerate parse may hang thousands on one)
        cause = cause or lemma in CAUSE_WORDS or (
            t.pos_ == "VERB" and t.n_lefts + t.n_rights <= MAX_CHILDREN and any(
                c.dep_ == "dobj" and c.lemma_.lower() in CAUSE_WORDS for c in t.children))
        if lemma in GATHERING_WORDS:
            return cause or lemma in CAUSE_WORDS
        if cause and t.pos_ in ("VERB", "AUX") and any(
                c.dep_ in ("dobj", "nsubj") and c.lemma_.lower() in GATHERING_WORDS
                for c in t.children):
            return True  # "staged a protest ... against the death of X": the verb's object
    return False


# Who a gathering is made of: a killing of them at it is the gathering's own event.
GATHERED = frozenset({"protester", "demonstrator", "marcher", "participant", "rioter",
                      "mourner", "crowd", "student"})


def _described_killing(token: Token) -> bool:
    """"A man killed by police" hung on a person in a sentence that tells of a gathering
    ("staged a protest over the killing of John Doe, a man killed by police"): who the
    gathering is for, however the parse attached the description."""
    if token.dep_ != "acl" or token.tag_ != "VBN" or token.head.lemma_.lower() in GATHERED:
        return False
    root = token.sent.root
    return root.lemma_.lower() in GATHERING_WORDS or (
        root.n_lefts + root.n_rights <= MAX_CHILDREN and any(
            c.dep_ == "dobj" and c.lemma_.lower() in GATHERING_WORDS for c in root.children))


# Events that may follow another, told by what they followed: "youths clashed following a
# grenade attack", "police responded to the attack by raiding a village". (Not deaths: "two
# were killed after an attack on the village" is the attack's toll.)
SEQUELS = frozenset({"clash", "fight", "riot", "protest", "demonstrate", "rally", "march",
                     "erupt", "storm", "attack", "flee", "arrest", "detain", "raid", "gather"})
RESPONSES = frozenset({"respond", "response", "retaliation", "reprisal", "revenge",
                       "retaliate", "react", "reaction"})


def _earlier_event(token: Token) -> bool:
    """A noun trigger naming the event another one followed or answered: "clash in Eastleigh
    following an Al Shabaab grenade attack" codes the clash; the attack was coded before."""
    if token.pos_ != "NOUN":
        return False
    for _ in range(4):  # "grenade" in "a grenade attack", "a spate of grenade attacks"
        if token.dep_ == "compound" or (token.dep_ == "pobj" and token.head.lower_ == "of"):
            token = token.head if token.dep_ == "compound" else token.head.head
        else:
            break
    if token.dep_ != "pobj":
        return False
    prep, governor = token.head, token.head.head
    lemma = governor.lemma_.lower()
    if prep.lower_ in {"after", "following"}:
        return lemma in SEQUELS and governor.pos_ in {"VERB", "NOUN"}
    return prep.lower_ in {"to", "for"} and lemma in RESPONSES


def _reported_fear(verb: Token) -> bool:
    """'Twelve people were feared dead as gunmen attacked': deaths reported, not a fear of an
    attack to come ('residents fear an attack')."""
    return verb.lemma_.lower() == "fear" and any(c.dep_ == "auxpass" for c in verb.children)


def exclusion(token: Token, sent_start: int, quotes: QuoteIndex) -> str | None:
    """Why a trigger does not denote a specific event that happened, or None when it does."""
    if any(c.dep_ == "neg" for c in token.children):
        return "negated"
    if token.pos_ == "NOUN" and any(c.dep_ == "det" and c.lower_ == "no" for c in token.children):
        return "negated"  # "no clash was reported"
    if token.dep_ in {"pcomp", "pobj"} and token.head.lower_ == "without":
        return "negated"  # "entered the town without fighting"
    if _weapon_test(token):
        return "test"
    if token.dep_ == "acl" and token.head.pos_ == "NOUN" and any(
            c.dep_ == "aux" and c.lower_ == "to" for c in token.children):
        return "hypothetical"  # "an attack to capture the base", "a bid to seize the town"
    head = _clause_head(token)
    if head.i != token.i and any(c.dep_ == "neg" for c in head.children):
        if token.dep_ in {"dobj", "nsubjpass", "xcomp", "ccomp"}:
            return "negated"
    # Governing verbs: "denies targeting", "threatened to strike", "plans an offensive".
    t = token
    for _ in range(3):
        if t.dep_ in {"xcomp", "ccomp", "pcomp", "dobj", "advcl", "pobj", "prep", "nsubj"}:
            gov = t.head
            if gov.lemma_.lower() in NEGATING_HEADS and t.dep_ in {"xcomp", "ccomp", "pcomp",
                                                                   "dobj"}:
                return "negated"
            if gov.lemma_.lower() in MODAL_HEADS and t.dep_ != "nsubj" and not _reported_fear(gov):
                return "hypothetical"
            t = gov
        else:
            break
    for c in list(token.children) + ([head] if head.i != token.i else []) + list(head.children):
        lower = c.lower_
        if c.dep_ in {"aux", "auxpass"} and lower in MODAL_AUX:
            return "hypothetical"
        if c.dep_ == "mark" and lower in {"if", "unless"}:
            return "hypothetical"
    # Habitual and background: adverbs and duration phrases around the trigger.
    scope = list(islice(token.subtree, MAX_SUBTREE)) if token.pos_ == "NOUN" else [
        c for c in token.children if c.dep_ not in {"ccomp", "advcl", "conj", "relcl"}]
    scope_words: set[str] = set()
    for c in scope:
        scope_words.add(c.lower_)
        if c.i != token.i and c.pos_ in {"ADP", "NOUN", "ADV", "ADJ"}:
            # not an adjective of a noun ("died after being shot during weekly protests": the
            # protests recur, this death does not); "on a daily basis" is kept below
            scope_words.update(g.lower_ for g in islice(c.subtree, MAX_SUBTREE)
                               if g.dep_ != "amod" or g.head.lower_ == "basis")
    if head.i != token.i:
        for c in head.children:
            if c.dep_ in {"advmod", "npadvmod"}:
                scope_words.add(c.lower_)
            elif c.dep_ == "prep":
                scope_words.update(g.lower_ for g in islice(c.subtree, MAX_SUBTREE)
                                   if g.lower_ in {"basis", "daily"})
    if scope_words & HABITUAL_WORDS or {"basis", "daily"} <= scope_words:
        return "habitual"
    if cause_of_gathering(token) or _described_killing(token):
        return "background"
    if token.pos_ == "NOUN" and any(_is_year(c) for c in token.children
                                    if c.dep_ in {"nummod", "compound", "amod", "npadvmod"}):
        return "background"  # "the scene of a deadly 2017 chemical attack": history, not news
    if _earlier_event(token):
        return "background"
    if token.dep_ == "pobj" and token.head.lower_ in {"of", "in"}:
        owner = token.head.head
        if owner.lemma_.lower() in DURATION_NOUNS:
            return "background"  # "13 months of vicious fighting"
        if owner.lemma_.lower() in QUANTIFIER_HEADS:
            return "generic"  # "some of the deadliest strikes"
    # Ongoing or timeless present inside a quote: "Russia is shelling the city". Outside quotes
    # the present is the headline tense ("Somalia expels diplomats") and is kept.
    verb = token if token.pos_ == "VERB" and _in_quote(token, sent_start, quotes) else None
    if verb is not None:
        auxes = [c for c in verb.children if c.dep_ in {"aux", "auxpass"}]
        if verb.tag_ in {"VBZ", "VBP"} or (verb.tag_ in {"VBG", "VBN"} and auxes and all(
                a.tag_ in {"VBZ", "VBP", "VBG"} for a in auxes)
                and not any(a.lower_ in {"has", "have"} for a in auxes)):
            return "ongoing"
        if verb.tag_ in {"VB", "VBG"} and not auxes and verb.dep_ in {"xcomp", "pcomp", "csubj"}:
            # "help Ukraine defend itself", "continuing to attack"
            if verb.head.lemma_.lower() in {"continue", "keep", "help", "stop", "start", "begin"}:
                return "ongoing"
    return None


def _weapon_test(token: Token) -> bool:
    """A weapon named as what was tested: no one was attacked."""
    head = token.head
    if token.dep_ == "pobj" and head.lower_ == "of":
        head = head.head
    elif token.dep_ not in {"compound", "dobj"}:
        return False
    return head.lemma_.lower() in TEST_WORDS


def _is_year(token: Token) -> bool:
    """A year written as a modifier ("the 2017 attack"), not a count ("2,017 attacks")."""
    return token.shape_ == "dddd" and 1900 <= int(token.text) <= 2100


OPEN_QUOTES = ("\u201c", "\u2018", "\u00ab")
CLOSE_QUOTES = ("\u201d", "\u2019", "\u00bb")
# Tokens of a subtree looked at for habitual or background words: far more than any real
# phrase, and a bound on the work when a broken parse hangs the whole text under one token.
MAX_SUBTREE = 64


class QuoteIndex:
    """Quote depth at any offset of a text in O(log n): prefix sums over its quote marks, so a
    trigger's "inside a quote" test does not rescan its sentence (quadratic in a long one)."""

    def __init__(self, text: str) -> None:
        self.positions: list[int] = []
        self.depth: list[int] = [0]  # open minus close marks before each position
        self.straight: list[int] = [0]
        for i, ch in enumerate(text):
            if ch in OPEN_QUOTES or ch in CLOSE_QUOTES or ch == '"':
                self.positions.append(i)
                opened = 1 if ch in OPEN_QUOTES else -1 if ch in CLOSE_QUOTES[::2] else 0
                self.depth.append(self.depth[-1] + opened)
                self.straight.append(self.straight[-1] + (ch == '"'))

    def inside(self, start: int, end: int) -> bool:
        """Whether ``end`` is inside quotation marks opened after ``start``."""
        a, b = bisect_left(self.positions, start), bisect_left(self.positions, end)
        if self.depth[b] - self.depth[a] > 0:
            return True
        return (self.straight[b] - self.straight[a]) % 2 == 1


def _in_quote(token: Token, sent_start: int, quotes: QuoteIndex) -> bool:
    """Whether the token sits inside quotation marks in its sentence."""
    return quotes.inside(sent_start, token.idx)
