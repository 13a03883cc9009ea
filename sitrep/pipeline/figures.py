"""Figures in the text: the casualty vocabulary and the reading of number phrases.

This module owns what a figure *is* before anyone asks whom it counts: the words that name
casualties, persons and non-casualties, the vague quantities and their conservative values
("dozens" 12, "several" 3), and the reading of a number phrase off the tokens ("twenty-one",
"between 4 and 7", "more than 30") into a ``Count``. Deciding whether a figure is a casualty of
the reported event is ``counts``'s job; adding figures up per event is ``tolls``'s.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sitrep.records import Count

if TYPE_CHECKING:
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token

CATEGORIES = ("killed", "injured", "missing", "abducted", "arrested")

# Verbs whose object (or passive subject) is the casualty.
TRANSITIVE_VERBS: dict[str, str] = {
    "kill": "killed", "murder": "killed", "slay": "killed", "execute": "killed",
    "behead": "killed", "decapitate": "killed", "massacre": "killed", "assassinate": "killed",
    "slaughter": "killed",
    # the armies' word in the Sahel's reporting (French "neutraliser"): "neutralized ten militants"
    "neutralize": "killed", "neutralise": "killed",
    "lynch": "killed", "claim": "",  # "claimed 12 lives": only with "lives"
    "injure": "injured", "wound": "injured", "hurt": "injured", "hospitalise": "injured",
    "hospitalize": "injured", "maim": "injured", "injur": "injured",
    "kidnap": "abducted", "abduct": "abducted",
    "arrest": "arrested", "detain": "arrested", "apprehend": "arrested",
}
# Verbs whose subject is the casualty.
INTRANSITIVE_VERBS: dict[str, str] = {"die": "killed", "perish": "killed", "succumb": "killed",
                                      "disappear": "missing"}
# Nouns and adjectives that name the casualty itself ("12 deaths", "five dead", "3 injured").
CASUALTY_WORDS: dict[str, str] = {
    "death": "killed", "fatality": "killed", "dead": "killed", "body": "killed",
    "corpse": "killed", "life": "killed", "toll": "killed",
    "injury": "injured", "injured": "injured", "wounded": "injured", "wound": "injured",
    "missing": "missing", "hostage": "abducted", "captive": "abducted", "abductee": "abducted",
    "arrest": "arrested", "detainee": "arrested",
}
# Verbs that kill only with "fatally", "to death" or "dead": "shot dead", "stabbed to death".
HARM_VERBS = frozenset({"shoot", "stab", "beat", "hack", "burn", "wound", "gun", "bludgeon",
                        "strangle", "club", "run", "slash", "stone", "torture", "assault",
                        "batter", "whip", "machete"})
UPDATE_VERBS = frozenset({"rise", "climb", "increase", "jump", "reach", "mount", "grow", "swell",
                          "soar", "hit"})
TOLL_VERBS = UPDATE_VERBS | frozenset({"stand", "be", "remain"})
REPORT_VERBS = frozenset({"say", "tell", "report", "state", "confirm", "announce", "add", "write",
                          "claim", "estimate", "put"})
# Plural vague quantities: (value, qualifier).
VAGUE: dict[str, tuple[int, str]] = {
    "dozens": (12, "at_least"), "tens": (10, "at_least"), "scores": (20, "at_least"),
    "hundreds": (100, "at_least"), "thousands": (1000, "at_least"), "several": (3, "at_least"),
    "dozen": (12, "approximately"), "score": (20, "approximately"),
}
MULTIPLIERS = {"dozen": 12, "score": 20, "hundred": 100, "thousand": 1000, "million": 10**6,
               "billion": 10**9}
SMALL_WORDS = {"a couple": (2, "approximately"), "a couple of": (2, "approximately"),
               "a few": (2, "at_least"), "a number of": (2, "at_least"),
               "a handful of": (2, "at_least")}
CIVILIAN_NOUNS = frozenset({
    "civilian", "resident", "villager", "student", "child", "woman", "passenger",
    "worker", "pupil", "teacher", "farmer", "worshipper", "shopper", "pedestrian", "girl", "boy",
    "infant", "baby", "family", "teenager", "patient", "journalist", "doctor", "nurse",
    "bystander", "tourist", "refugee", "displaced", "kid", "elder", "local",
    "inmate", "prisoner", "pilgrim", "mourner", "protester", "demonstrator", "activist",
    "trader", "vendor", "miner", "herder", "fisherman", "fishermen", "motorist", "traveller",
    "traveler", "guest", "customer", "parishioner", "congregant", "minor", "toddler", "wife",
    "husband", "mother", "father", "son", "daughter", "sister", "brother", "relative", "man",
})
# Nouns of armed people: their deaths are not civilians' ("14 civilians and one soldier").
COMBATANT_NOUNS = frozenset({
    "soldier", "trooper", "troop", "police", "policeman", "policemen", "policewoman", "officer",
    "guard", "agent", "militant", "fighter", "rebel", "insurgent", "militiaman", "militia",
    "jihadist", "terrorist", "gunman", "gunmen", "attacker", "assailant", "bomber", "personnel",
    "sergeant", "captain", "commander", "colonel", "general", "lieutenant", "serviceman",
    "servicemen", "marine", "paramilitary", "combatant", "cop", "constable", "peacekeeper",
    "bodyguard", "sheriff", "deputy", "security", "army", "force", "recruit",
    "perpetrator", "shooter", "raider", "kidnapper", "hijacker", "armed", "masked",
})
# Singular nouns that stand for one casualty when killed without a number ("a soldier was killed").
PERSON_SUFFIXES = ("er", "or", "ist", "ian", "ant", "ent", "man", "woman", "person", "child",
                   "boy", "girl", "ee", "ier", "ive")
NOT_PERSONS = frozenset({
    "number", "toll", "attack", "strike", "blast", "explosion", "power", "center", "centre",
    "order", "water", "border", "corner", "member", "monitor", "weather", "matter", "quarter",
    "headquarter", "government", "department", "parliament", "movement", "incident", "event",
    "moment", "tower", "container", "shelter", "cluster", "launcher", "helicopter", "tractor",
    "computer", "river", "paper", "letter", "chapter", "trailer", "generator", "warrant",
    "plan", "covenant", "restaurant", "apartment", "document", "statement", "settlement",
})
PERSONS = frozenset({
    "man", "woman", "male", "female", "juvenile", "child", "boy", "girl", "soldier", "policeman",
    "policewoman", "civilian",
    "student", "officer", "guard", "resident", "villager", "journalist", "official", "leader",
    "commander", "militant", "fighter", "rebel", "insurgent", "gunman", "assailant", "attacker",
    "bomber", "perpetrator", "shooter", "suspect", "victim", "person", "infant", "baby", "teen",
    "teenager", "son", "daughter", "wife", "husband", "mother", "father", "brother", "sister",
    "principal", "teacher", "pupil", "worker", "farmer", "driver", "passenger", "priest", "imam",
    "cleric", "chief", "mayor", "governor", "judge", "lawyer", "doctor", "nurse", "patient",
    "customer", "employee", "member", "trooper", "sergeant", "captain", "colonel", "general",
    "lieutenant", "major", "deputy", "sheriff", "agent", "cop", "constable", "militiaman",
    "jihadist", "terrorist", "activist", "protester", "demonstrator", "bystander", "pedestrian",
    "custodian", "janitor", "classmate", "friend", "neighbor", "neighbour", "elder", "kid",
    "grandmother", "grandfather", "girlfriend", "boyfriend", "relative", "cousin", "uncle",
    "aunt", "nephew", "niece", "guest", "tourist", "worshipper", "shopper", "coworker",
    "supervisor", "manager", "owner", "clerk", "cashier", "security", "personnel", "dean",
    "minister", "pastor", "reverend", "bishop", "monk", "nun", "toddler", "candidate",
    "politician", "lawmaker", "senator", "councillor", "councilor", "diplomat", "ambassador",
    "peacekeeper", "bodyguard", "delegate", "representative", "secretary", "lecturer",
    "chairman", "chairperson", "legislator", "councilman", "magistrate", "prosecutor",
    "scholar", "sheikh", "paramedic", "medic", "chieftain", "individual", "adult",
})
# Inanimate or non-casualty heads: a figure attached to one of these is not a casualty figure.
NON_CASUALTY_NOUNS = frozenset({
    "drone", "missile", "rocket", "shell", "building", "house", "home", "vehicle", "car", "truck",
    "tank", "km", "kilometre", "kilometer", "mile", "metre", "meter", "day", "week", "month",
    "year", "hour", "minute", "time", "village", "district", "attack", "strike", "round", "bomb",
    "percent", "%", "dollar", "shot", "bullet", "gun", "weapon", "aircraft", "plane", "jet",
    "helicopter", "school", "hospital", "town", "city", "region", "province", "kg", "ton",
    "tonne", "episode", "incident", "raid", "operation", "mortar", "grenade", "device", "ied",
    "explosion", "blast", "bombing", "shooting", "stabbing", "airstrike", "family",
})
SKIP_ENTS = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "ORDINAL", "QUANTITY"})
CUMULATIVE = re.compile(
    r"\b(since (the (start|beginning|outbreak)|(january|february|march|april|may|june|july|"
    r"august|september|october|november|december|\d{4}))|so far this (year|month)|to date|"
    r"in total since|over the (past|last) (\w+ )?(years|months|decades)|"
    r"(during|throughout|over the course of) the (war|conflict|insurgency)|since 19\d\d|"
    r"since 20\d\d|this year alone|the (war|conflict|insurgency) has (killed|claimed)|"
    r"so far (in|this) \w+|nationwide|(reported|recorded|documented|tracked) in (19|20)\d\d|"
    r"milestones? of)\b",
    re.I,
)
MORE_TO_COME = re.compile(
    r"\b(could be more|may be more|might be more|more casualties|could rise|may rise|"
    r"likely to rise|expected to rise|feared to rise|could increase|may increase|"
    r"(toll|number) (is )?(likely|expected) to|more (bodies|victims) (are|were|may))\b",
    re.I,
)
ABSURD = 10**7
SELF_CONFIDENCE = 0.6
# Categories of people hurt in a confrontation (as opposed to arrested).
HURT = frozenset({"killed", "injured", "missing", "harmed"})
# People shot or stabbed, dead or not: a figure of its own, used for injuries when none is given.
HARMED = "harmed"
HARMED_VERBS = frozenset({"shoot", "stab", "hack", "slash", "knife", "hit", "graze", "strike"})


@dataclass
class Figure:
    """A number phrase before it is known to be a casualty figure."""

    tokens: list[Token]
    count: Count
    anchor: Token  # where the phrase attaches to the tree (its head noun, or itself)
    noun: Token | None  # the noun saying who ("people", "civilians", "others")


def parse_int(text: str) -> int | None:
    """Digits ('1,200', '3.5') or number words ('twenty-one') to an int; None if neither."""
    from text_to_num import text2num

    clean = text.replace(",", "").strip()
    if re.fullmatch(r"\d+", clean):
        return int(clean)
    if re.fullmatch(r"\d+\.\d+", clean):
        return int(float(clean))
    m = re.fullmatch(r"(\d+)\s*\^\s*(\d+)", clean)
    if m:
        return int(m.group(1)) ** min(int(m.group(2)), 30)
    words = clean.lower().replace("-", " ").split()
    if not words:
        return None
    value = 1
    # Trailing multipliers the word parser does not take ("two dozen", "3 million").
    while len(words) > 1 and words[-1] in MULTIPLIERS and words[-1] not in ("hundred",):
        value *= MULTIPLIERS[words.pop()]
    head = " ".join(words)
    if re.fullmatch(r"\d+(\.\d+)?", head):
        return int(float(head) * value)
    try:
        return text2num(head, "en") * value
    except (ValueError, IndexError, KeyError):
        pass
    if words[0] in MULTIPLIERS and len(words) == 1:
        return MULTIPLIERS[words[0]] * value
    return None


MONTHS = frozenset({"january", "february", "march", "april", "may", "june", "july", "august",
                    "september", "october", "november", "december"})
WEEKDAYS = frozenset({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
                      "sunday"})


def date_tail(tok: Token) -> bool:
    """'On 25 July five people were killed', 'On Wednesday 41 persons': a head count that the
    tagger read as the last word of the date before it (not 'on July 12 people', a day)."""
    doc = tok.doc
    if tok.ent_type_ != "DATE" or tok.ent_iob_ != "I" or not tok.like_num or (
            tok.i + 1 >= len(doc)):
        return False
    nxt, prev = doc[tok.i + 1], doc[tok.i - 1]
    if nxt.ent_type_ == "DATE" or nxt.tag_ != "NNS" or nxt.lemma_.lower() not in (
            PERSONS | CIVILIAN_NOUNS | COMBATANT_NOUNS | {"people", "person"}):
        return False
    if prev.lower_ in MONTHS:
        return not tok.text.isdigit()
    return prev.lower_ in WEEKDAYS or (prev.text.isdigit() and len(prev.text) == 4)


def is_number_token(tok: Token) -> bool:
    if tok.ent_type_ in SKIP_ENTS and not date_tail(tok):
        return False
    if tok.lower_ in VAGUE or tok.lower_ in MULTIPLIERS:
        return True
    return (tok.like_num or tok.tag_ == "CD") and tok.tag_ != "LS" and any(
        ch.isalnum() for ch in tok.text)


def number_runs(sent: SpacySpan) -> list[list[Token]]:
    """Maximal runs of number tokens ('twenty - one', 'one hundred and five', '3 million')."""
    runs: list[list[Token]] = []
    current: list[Token] = []
    for tok in sent:
        if is_number_token(tok):
            current.append(tok)
            continue
        if current and tok.text in ("-", "and", "^") and tok.i + 1 < sent.end:
            nxt = tok.doc[tok.i + 1]
            if is_number_token(nxt) and (tok.text == "^" or not nxt.text[0].isdigit()) and (
                    tok.text != "and" or current[-1].lower_ in MULTIPLIERS):
                current.append(tok)
                continue
        if current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def ages_or_units(run: list[Token]) -> bool:
    """'a 40-year-old man', '100 km', '13 months': a number that is not a head count."""
    doc = run[0].doc
    after = doc[run[-1].i + 1: run[-1].i + 4].text.lower()
    if re.match(r"-?\s*(year|month|week|day)s?\s*-?\s*old", after):
        return True
    if run[-1].i + 1 < len(doc) and doc[run[-1].i + 1].text in ("%", "km", "kms", "-km", "/"):
        return True
    return bool(run[0].i > 0 and doc[run[0].i - 1].text in ("$", "€", "£", "#", "No.", "no."))


def modifier(run: list[Token]) -> str:
    doc = run[0].doc
    start = run[0].i
    before = doc[max(start - 4, 0): start].text.lower()
    before = re.sub(r"\s+", " ", before)
    if re.search(r"(at least|at minimum|no fewer than|no less than|not less than|a minimum of)$",
                 before):
        return "at_least"
    if re.search(r"(more than|over|upwards of|in excess of|above)$", before):
        return "more_than"
    if re.search(r"(up to|as many as|at most|no more than|a maximum of)$", before):
        return "up_to"
    if re.search(r"(nearly|almost|about|around|approximately|roughly|some|an estimated|"
                 r"estimated|close to|approx\.|circa|about|or so)$", before):
        return "approximately"
    return "exact"


def count_for(value: int, qualifier: str, text: str) -> Count:
    if qualifier == "more_than":  # ACLED codes the figure given; UCDP's low is strictly above
        return Count(best=value, low=value + 1, high=None, qualifier=qualifier, text=text)
    if qualifier == "at_least":
        return Count(best=value, low=value, high=None, qualifier=qualifier, text=text)
    if qualifier == "up_to":
        return Count(best=value, low=None, high=value, qualifier=qualifier, text=text)
    return Count(best=value, low=value, high=value, qualifier=qualifier, text=text)


def number_range(run: list[Token], value: int, sent: SpacySpan) -> tuple[int, list[Token]] | None:
    """'between 4 and 7', '4-7', '4 to 7', '4 or 5': the second bound and the tokens it adds."""
    doc = run[0].doc
    i = run[-1].i
    if i + 2 < sent.end and doc[i + 1].lower_ in ("-", "to", "or", "and", "–"):
        nxt = doc[i + 2]
        if is_number_token(nxt):
            if doc[i + 1].lower_ == "and" and doc[max(run[0].i - 1, 0)].lower_ != "between":
                return None
            high = parse_int(nxt.text)
            if high is not None and high > value:
                return high, [doc[i + 1], nxt]
    return None



def modifier_start(run: list[Token]) -> int:
    doc = run[0].doc
    start = run[0].i
    for n in (3, 2, 1):
        if start - n < 0:
            continue
        before = doc[start - n: start].text.lower()
        if re.fullmatch(r"(at least|more than|up to|as many as|no fewer than|an estimated|"
                        r"in excess of|close to|upwards of|between|nearly|almost|about|around|"
                        r"approximately|roughly|some|over)", before):
            return start - n
    return start


def phrase_head(run: list[Token]) -> Token:
    ids = {t.i for t in run}
    for tok in run:
        if tok.head.i not in ids or tok.head.i == tok.i:
            return tok
    return run[-1]


def of_object(tok: Token) -> Token | None:
    """'dozens of people', '12 of the victims': the noun after 'of'."""
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for obj in child.children:
                if obj.dep_ == "pobj":
                    return obj
    return None


# Verbs of intent: "planning to kill hundreds" tells of no casualty.
INTENT_VERBS = frozenset({"plan", "threaten", "vow", "try", "attempt", "want", "intend", "aim",
                          "seek", "plot", "fail"})
