"""Plain text: decoding bytes, the checks every report's text passes, and ids from content.

Every source ends here: whatever the input kind, its text is decoded and checked the same way,
so a report refused from a feed is refused for the same reason as one from a file.
"""

from __future__ import annotations

import hashlib
import logging
import re
import unicodedata
from datetime import date

from sitrep import errors
from sitrep.config import Settings
from sitrep.records import Report

log = logging.getLogger("sitrep.sources")

# Words that make up a large share of any English running text, whatever its topic.
ENGLISH_WORDS = frozenset(
    "the of and to in a an is was were are be been being that for on with as by at from it its "
    "he she they his her their them this these those which who whom whose not but or has have "
    "had will would could should can may said says after over into than more when where while "
    "about also there out up we our you i if no one two all some other".split()
)
# Frequent function words of other languages sitrep is likely to be handed, none of them common
# English words, so they tell another language from English prose full of foreign names.
OTHER_WORDS = frozenset(
    # French
    "le la les des du une et est dans pour qui que sur par pas avec au aux ont sont ces cette été "
    "selon ils elle leur mais ou nous vous être "
    # Spanish / Portuguese / Italian
    "el los las del y en por para una es se su sus al lo como más fue han según pero este esta "
    "o os da do das dos em um uma não com foi il di della delle gli nel sono è non degli "
    # German / Dutch
    "der das und ist nicht mit dem ein eine zu von auf für sich wurde wurden bei nach het een "
    "van niet zijn wordt werd".split()
)
_WORD = re.compile(r"[^\W\d_]+")
# Characters that make text look like binary data: C0/C1 controls but layout whitespace, lone
# surrogates (undecodable bytes) and private-use code points.
_BINARY_CHARS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff]")
# Control characters that carry no text (all C0 and C1 controls but tab, newlines, form feed):
# a stray NUL or escape in an otherwise good report is dropped, not a reason to refuse it.
_STRAY_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
# Share of control characters above which a text is binary data, not text with strays.
BINARY_SHARE = 0.05


def content_id(text: str) -> str:
    """A short id that is the same for the same text, for reports given without one."""
    digest = hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()
    return f"sha1:{digest[:16]}"


# --- checks -----------------------------------------------------------------------------------


def _control_share(text: str) -> float:
    sample = text[:20_000]
    return len(_BINARY_CHARS.findall(sample)) / max(len(sample), 1)


def looks_binary(text: str) -> bool:
    return _control_share(text) > BINARY_SHARE


def clean_text(text: str) -> str:
    """``text`` without stray control characters, unless so many that it is binary data (then
    unchanged, for ``check_text`` to refuse). Readers clean before content ids are taken."""
    if not _STRAY_CONTROLS.search(text) or looks_binary(text):
        return text
    return _STRAY_CONTROLS.sub("", text)


def english_score(text: str, min_words: int = 20) -> float | None:
    """Share of function words that are English ones; None when the text is too short to judge.

    Counting only function words (not names or topic words) keeps English prose dense with
    foreign names English, and a text in another language with English names in it foreign.
    """
    words = _WORD.findall(text[:50_000])
    if len(words) < min_words:
        return None
    # Most words in another script (Cyrillic, Arabic, ...): not English, whatever it quotes.
    if sum(1 for w in words if not w.isascii() and not _latin(w)) > len(words) / 2:
        return 0.0
    english = other = 0
    for word in words:
        w = word.lower()
        if w in ENGLISH_WORDS:
            english += 1
        elif w in OTHER_WORDS:
            other += 1
    # Almost no function words of any kind (a list of names, headlines): nothing against English.
    return english / (english + other) if english + other >= 3 else 1.0


def _latin(word: str) -> bool:
    return unicodedata.name(word[0], "").startswith("LATIN")


def check_text(text: str, settings: Settings) -> None:
    """Refuse text the pipeline cannot code, with the coded error that says why."""
    if not text or not text.strip():
        raise errors.error(errors.EMPTY_TEXT)
    if looks_binary(text):
        raise errors.error(errors.NOT_TEXT)
    if len(text) > settings.max_bytes or len(text.encode("utf-8", "surrogatepass")) > (
        settings.max_bytes
    ):
        raise errors.error(errors.TOO_LARGE, limit=settings.max_bytes)
    score = english_score(text)
    if score is not None and score < settings.min_english_ratio:
        raise errors.error(errors.NOT_ENGLISH)


# --- decoding ---------------------------------------------------------------------------------


def _plausible_text(text: str) -> bool:
    """Whether a legacy-encoding decoding reads like text: mostly ASCII, the rest letters."""
    if not text:
        return False
    non_ascii = [ch for ch in text if ord(ch) > 127]
    if len(non_ascii) > 0.2 * len(text):
        return False
    odd = sum(1 for ch in non_ascii if not (ch.isalpha() or unicodedata.category(ch)[0] in "PZS"))
    return odd <= 0.1 * max(len(non_ascii), 1) and _control_share(text) < 0.01


def stream_encoding(head: bytes) -> str | None:
    """"utf-16" (with a BOM), "utf-16-le"/"utf-16-be" (without one, told by where the NULs of
    ASCII characters fall in the first bytes), or None for a stream read as bytes (UTF-8 or a
    legacy encoding, decided per report). Decided once a stream, so JSONL lines read alike."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    sample = head[:512]
    if len(sample) < 4 or b"\x00" not in sample:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.6 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.6 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM, or UTF-16 with BOM), else Windows-1252 when it reads as text.

    Stray control characters are dropped (``clean_text``); many of them (NULs in a binary
    file) make the input binary data, refused with E002.
    """
    encoding = stream_encoding(data)
    if encoding is not None:
        try:
            return clean_text(data.decode(encoding))
        except UnicodeDecodeError:
            raise errors.error(errors.BAD_ENCODING) from None
    nuls = data[:20_000].count(b"\x00")
    if nuls > BINARY_SHARE * min(len(data), 20_000):
        raise errors.error(errors.NOT_TEXT)
    try:
        text = _decode_bytes(data)
    except errors.SitrepError:
        if nuls:  # NULs and no text encoding that reads: binary data
            raise errors.error(errors.NOT_TEXT) from None
        raise
    if looks_binary(text):
        raise errors.error(errors.NOT_TEXT)
    return clean_text(text)


def _decode_bytes(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise errors.error(errors.BAD_ENCODING) from None
    if not _plausible_text(text):
        raise errors.error(errors.BAD_ENCODING)
    log.info("input is not UTF-8; read it as Windows-1252")
    return text



def text_report(data: bytes, name: str, published: date | None) -> Report:
    """A plain-text document as one report, its id taken from its content."""
    text = decode(data)
    return Report(id=content_id(text), text=text, published=published, source=name)
