"""Name keys: how a place name is normalised, romanised and loosened for lookup.

One key function for every writer and reader of the index, so "Kiev"/"Kyiv", "Zaporozhye"/
"Zaporizhzhia" and "Харків"/"Kharkiv" meet wherever a name is stored or asked for.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

_APOSTROPHES = re.compile(r"[\'’ʼ`´ʹ‘]")
_NON_ALNUM = re.compile(r"[\W_]+", re.UNICODE)
_TRANSLIT = [
    ("shch", "s"), ("sch", "s"), ("kh", "h"), ("zh", "z"), ("ts", "c"), ("tz", "c"),
    ("ch", "c"), ("sh", "s"), ("ph", "f"), ("gh", "h"), ("g", "h"), ("w", "v"), ("j", "i"),
    ("y", "i"), ("q", "k"), ("x", "ks"),
]
_DIGRAPHS = [(src, dst) for src, dst in _TRANSLIT if len(src) > 1]
# The one-letter folds, applied after every digraph as the ordered replacements did.
_LETTERS = str.maketrans({src: dst for src, dst in _TRANSLIT if len(src) == 1})
# The same for ASCII keys as a byte table (a few times faster than a str table), the folds
# that write two letters ("x" -> "ks") done before it: no fold applies to the letters they write.
_WIDENING = [(src, dst) for src, dst in _TRANSLIT if len(src) == 1 and len(dst) > 1]
_LETTER_BYTES = bytes.maketrans(
    "".join(src for src, dst in _TRANSLIT if len(src) == len(dst) == 1).encode(),
    "".join(dst for src, dst in _TRANSLIT if len(src) == len(dst) == 1).encode())
assert not any(c in _LETTERS for _, dst in _WIDENING for c in map(ord, dst))
_NO_VOWELS = str.maketrans("", "", "aeiou")  # a translation that drops them
_VOWEL_BYTES = b"aeiou"
_DOUBLED = re.compile(r"(.)\1+", re.DOTALL)
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# Letters that Unicode does not decompose into a base letter and a mark ("Diyarbakır").
_UNDECOMPOSED = str.maketrans({"ı": "i", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d",
                               "Đ": "D", "ħ": "h", "Ħ": "H", "æ": "ae", "Æ": "AE", "œ": "oe",
                               "Œ": "OE", "þ": "th", "Þ": "Th", "ð": "d", "Ð": "D"})


def _first_letter(match: re.Match[str]) -> str:
    return match.group(1)


def _drop_combining(match: re.Match[str]) -> str:
    char = match.group()
    return "" if unicodedata.combining(char) else char


# Abbreviated name words, spelled out so that "St. Petersburg" meets "Saint Petersburg" and
# "Mt. Pleasant" meets "Mount Pleasant" (GeoNames spells them both ways).
_ABBREVIATED = re.compile(r"\b(st|ste|mt|ft)\b\.?(?=[\s.-]*\w)")  # not a word on its own
_SPELLED_OUT = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}


def _spell_out(m: re.Match[str]) -> str:
    return _SPELLED_OUT[m.group(1)]


# Cyrillic romanised as Ukraine's national system (2010) when a name has a letter only Ukrainian
# writes, else as BGN/PCGN Russian: "Київ" -> "kyiv", "Харьков" -> "kharkov", the spellings
# GeoNames files. The ambiguous vowels differ between romanisations anyway; the consonant
# skeleton (``translit_key``) absorbs what is left.
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_UKRAINIAN_ONLY = frozenset("іїєґ")
_CYRILLIC_COMMON = {"а": "a", "б": "b", "в": "v", "д": "d", "е": "e", "ж": "zh", "з": "z",
                    "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
                    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch",
                    "ш": "sh", "щ": "shch", "ь": "", "ъ": "", "ю": "iu", "я": "ia"}
_UKRAINIAN = str.maketrans({**_CYRILLIC_COMMON, "г": "h", "ґ": "g", "и": "y", "і": "i",
                            "ї": "i", "й": "i", "є": "ie"})
_RUSSIAN = str.maketrans({**_CYRILLIC_COMMON, "г": "g", "и": "i", "й": "y", "ё": "e",
                          "ы": "y", "э": "e", "ю": "yu", "я": "ya"})
# At the start of a word the iotated vowels are spelled with y: "Ялта" -> "Yalta".
_IOTATED_START = re.compile("(?<![\u0400-\u04ff'’ʼ])([яюєї])")
_IOTATED = {"я": "ya", "ю": "yu", "є": "ye", "ї": "yi"}


def romanise(text: str) -> str:
    """Cyrillic letters of ``text`` in Latin (see above); other text unchanged."""
    if not _CYRILLIC.search(text):
        return text
    text = text.lower()
    table = _UKRAINIAN if _UKRAINIAN_ONLY.intersection(text) else _RUSSIAN
    text = _IOTATED_START.sub(lambda m: _IOTATED[m.group(1)], text)
    return text.translate(table)


# Arabic letters written several ways for one name: teh marbuta and heh, alef maksura and yeh,
# the Persian yeh and keheh, and the tatweel that only stretches a word. (The hamza and madda
# forms of alef decompose, and lose their marks with the vowel signs.)
_ARABIC = re.compile("[\u0600-\u06ff]")
_ARABIC_LETTERS = str.maketrans({"ة": "ه", "ى": "ي", "ی": "ي", "ک": "ك", "ـ": ""})


@lru_cache(maxsize=200_000)
def name_key(name: str) -> str:
    """Exact lookup key: casefolded, no diacritics, no apostrophes, hyphens or spaces, Cyrillic
    romanised, Arabic spelling variants folded, and abbreviated name words spelled out."""
    if name.isascii():
        if name.isalnum():
            # One plain word ("Zolochiv"): no separator to drop, nor an abbreviation to spell
            # out (those need a word after them); most names and query parts.
            return name.lower()
        text = name.lower().replace("'", "").replace("`", "")
    else:
        text = unicodedata.normalize("NFKD", romanise(name).translate(_UNDECOMPOSED))
        if _ARABIC.search(text):
            text = text.translate(_ARABIC_LETTERS)
        if not text.isascii():  # only non-ASCII letters can be combining marks
            text = _NON_ASCII.sub(_drop_combining, text)
        text = _APOSTROPHES.sub("", text.casefold())
    if "st" in text or "mt" in text or "ft" in text:  # what every abbreviation holds
        text = _ABBREVIATED.sub(_spell_out, text)
    joined = text.replace(" ", "")
    if joined.isascii() and joined.isalnum():  # words and spaces only: nothing else to drop
        return joined
    return _NON_ALNUM.sub("", text)


@lru_cache(maxsize=200_000)
def translit_form(key: str) -> str:
    """``key`` with digraphs and doubled letters folded ("mykolajiw" -> "mikolaiv"): the
    romanisations still differ in vowels here, so two forms can be compared letter by letter."""
    out = key
    for src, dst in _DIGRAPHS:
        if src in out:
            out = out.replace(src, dst)
    if out.isascii():
        for src, dst in _WIDENING:
            if src in out:
                out = out.replace(src, dst)
        out = out.encode().translate(_LETTER_BYTES).decode()
    else:
        out = out.translate(_LETTERS)
    return _DOUBLED.sub(_first_letter, out)


@lru_cache(maxsize=200_000)
def translit_key(key: str) -> str:
    """A loose key over transliteration variants (Kiev/Kyiv, Kharkov/Kharkiv, -ia/-ya/-ye).

    Post-Soviet and Arabic names reach English through several romanisations that differ mostly
    in vowels, doubled letters and digraphs, so the key keeps the first letter and the consonant
    skeleton.
    """
    if not key:
        return key
    out = translit_form(key)
    if out.isascii():
        return out[0] + out[1:].encode().translate(None, _VOWEL_BYTES).decode()
    return out[0] + out[1:].translate(_NO_VOWELS)


def spelling_similarity(a: str, b: str) -> float:
    """How alike two name keys are, letter by letter (1 the same)."""
    return float(Levenshtein.normalized_similarity(a, b))


def max_typos(length: int) -> int:
    """Spelling errors tolerated in a name of ``length`` letters: none in short names, where one
    changed letter makes another word ("Ebola"/"Erbil", "Act"/"Waco")."""
    return 0 if length < 6 else 1 if length < 9 else 2 if length < 13 else 3


def skeleton_deletions(tkey: str) -> set[str]:
    """``tkey`` and its one-letter deletions past the first letter (misspellings rarely start
    wrong): two skeletons one substitution, insertion or swap apart share one of these, so the
    index stores them and a misspelling is found with a handful of indexed reads (SymSpell)."""
    head, tail = tkey[:1], tkey[1:]
    return {tkey, *(head + tail[:i] + tail[i + 1:] for i in range(len(tail)))}


# Skeletons shorter than this meet too many others to be worth correcting.
MIN_FUZZY_SKELETON = 4
