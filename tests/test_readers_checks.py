"""check_text refuses what the pipeline cannot code, and lets every kind of English report pass."""

from __future__ import annotations

import pytest

from sitrep import errors
from sitrep.config import Settings
from sitrep.sources import check_text, content_id, english_score

ENGLISH = [
    # wire report
    "Gunmen opened fire on a crowded market in the north of the country on Tuesday, killing at "
    "least 12 people and wounding dozens more, a local official told reporters. No group has "
    "claimed responsibility for the attack, which came a day after clashes in a nearby town.",
    # local news
    "Police said two men were arrested late on Friday after a fight outside a bar on Main "
    "Street turned violent. One of the men was taken to the county hospital with minor "
    "injuries, according to a spokesman for the sheriff's office.",
    # NGO statement
    "We are deeply alarmed by reports that an aid convoy was shelled as it approached the "
    "besieged district. Humanitarian workers must be protected at all times, and we call on "
    "all parties to the conflict to respect international humanitarian law.",
    # dense with foreign names, few function words
    "Presidents Emmanuel Macron, Olaf Scholz, Giorgia Meloni and Pedro Sanchez met Recep Tayyip "
    "Erdogan, Narendra Modi, Luiz Inacio Lula da Silva and Cyril Ramaphosa in Nusa Dua on the "
    "sidelines of the summit.",
    # a headline list with almost no function words
    "Drone strikes hit Odesa port; Kherson shelled overnight; Dnipro apartment block struck; "
    "Sumy border villages evacuated; Kharkiv power station damaged; Lviv air alert lifted; "
    "Mykolaiv curfew extended",
]
SHORT = ["Explosions heard in Kherson.", "Troops of the FARDC clashed with M23 near Goma."]
FOREIGN = [
    # French
    "Le gouvernement a annoncé mardi que les frappes de missiles sur la ville ont fait au moins "
    "huit morts et une vingtaine de blessés, selon les autorités régionales qui ont dénoncé une "
    "attaque contre des civils dans un quartier résidentiel.",
    # Spanish
    "El gobierno anunció el martes que los ataques con misiles contra la ciudad dejaron al "
    "menos ocho muertos y una veintena de heridos, según las autoridades regionales, que "
    "denunciaron un ataque contra civiles en un barrio residencial.",
    # German
    "Die Regierung teilte am Dienstag mit, dass bei den Raketenangriffen auf die Stadt "
    "mindestens acht Menschen getötet und etwa zwanzig verletzt wurden, nach Angaben der "
    "regionalen Behörden, die den Angriff auf Zivilisten verurteilten.",
    # Russian (Cyrillic script, no function words from any list)
    "Власти сообщили во вторник что ракетный удар по городу унес жизни по меньшей мере восьми "
    "человек и еще двадцать получили ранения по словам региональных властей которые осудили "
    "нападение на мирных жителей",
    # Ukrainian quoting English names and words
    "The Kyiv Independent та Associated Press повідомили що у вівторок ракетний удар по місту "
    "забрав життя щонайменше восьми людей and injured many, за словами представників "
    "регіональної влади, які засудили напад на цивільних",
]


def _code(text: str, settings: Settings | None = None) -> str | None:
    try:
        check_text(text, settings or Settings())
    except errors.SitrepError as exc:
        return exc.code
    return None


@pytest.mark.parametrize("text", ENGLISH + SHORT)
def test_readers_check_accepts_english(text: str) -> None:
    assert _code(text) is None


@pytest.mark.parametrize("text", FOREIGN)
def test_readers_check_refuses_other_languages(text: str) -> None:
    assert _code(text) == errors.NOT_ENGLISH


def test_readers_check_short_foreign_is_not_judged() -> None:
    assert english_score("Explosions à Kherson cette nuit") is None


@pytest.mark.parametrize("text", ["", " ", "\n\n\t  \n", "\u00a0\u2003"])
def test_readers_check_empty(text: str) -> None:
    assert _code(text) == errors.EMPTY_TEXT


@pytest.mark.parametrize(
    "text",
    ["Soldiers\x00 clashed", "\x01\x02\x03\x04\x05\x06 abc \x07\x08\x0e\x0f\x10\x11" * 20,
     "".join(chr(i % 32) for i in range(1, 400))],
)
def test_readers_check_binary(text: str) -> None:
    assert _code(text) == errors.NOT_TEXT


def test_readers_check_too_large() -> None:
    small = Settings(max_bytes=200)
    assert _code("Shelling was reported in the city. " * 10, small) == errors.TOO_LARGE
    # the limit is on UTF-8 bytes, not characters
    assert _code("é" * 150, small) == errors.TOO_LARGE
    assert _code("Shelling was reported.", small) is None


def test_readers_content_id_is_stable_and_short() -> None:
    a = content_id("Rebels seized the town on Sunday.")
    assert a == content_id("Rebels seized the town on Sunday.")
    assert a != content_id("Rebels seized the town on Monday.")
    assert a.startswith("sha1:") and len(a) == len("sha1:") + 16
