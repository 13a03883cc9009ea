"""The geocoder's quicker paths answer as the plain ones do: name rows read with their places in
step match ``spellings`` and one read per place, and the string keys' shortcuts (one plain
word, words and spaces, byte tables for ASCII, a bare name with no type word) give what the
general path gives, over many names written here."""

from __future__ import annotations

import random
import re
import unicodedata
from pathlib import Path

import pytest
from conftest import small_index

from sitrep.places import gazetteer, names
from sitrep.places.gazetteer import Gazetteer, strip_type_words
from sitrep.places.names import name_key, translit_form, translit_key

# Made-up settlements: shared spellings within and across countries, romanisation variants,
# short names (looked up by exact key) and names with type words.
ROWS = [
    ("Novoselivka", "UA", 900), ("Novoselivka", "UA", 1200), ("Novoselovka", "RU", 700),
    ("Novosilka", "UA", 400), ("Novoselitsa", "BG", 300), ("Kamianka", "UA", 2500),
    ("Kamenka", "RU", 8000), ("Kamyanka", "UA", 650), ("Khotyn", "UA", 9000),
    ("Chotyn", "UA", 50), ("Zhytomyrka", "UA", 30), ("Ai", "UA", 10), ("Bar", "UA", 9000),
    ("Bar", "ME", 13000), ("Ivanivka Village", "UA", 100), ("Saint Anna", "BG", 20),
    ("Yasnohirka", "UA", 5000), ("Jasnogirka", "PL", 80), ("Oksana", "UA", 60),
]
NAMES = ["Novoselivka", "Novoselovka", "Novosilka", "Kamianka", "Kamjanka", "Khotyn",
         "Chotyn", "Zhytomyrka", "Ai", "Bar", "Ivanivka Village", "St. Anna", "Yasnohirka",
         "Jasnogirka", "Oksana", "Nowhere", "Kyiv", "Khotin", "Bаr"]
COUNTRIES = [None, "UA", "RU", "BG", "FR"]


@pytest.fixture(scope="module")
def gaz(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    folder = tmp_path_factory.mktemp("speed-paths")
    path = small_index(folder, [
        {"name": name, "lat": 40 + i / 10, "lon": 30 + i / 10, "id": i, "country_code": cc,
         "feature_code": "PPL", "population": pop}
        for i, (name, cc, pop) in enumerate(ROWS)])
    gazetteer = Gazetteer(path)
    yield gazetteer
    gazetteer.close()


def _one_by_one(gaz: Gazetteer, name: str, country: str | None) -> list[tuple]:
    """The spelling reads done plainly: every name row of the transliteration key, then each
    place read on its own."""
    key = name_key(name)
    tkey = translit_key(key)
    if len(key) < 4:
        return [(key, q, e.id, e) for e, q in gaz.lookup_scored(name)]
    sql = "SELECT key, q, pid FROM names WHERE tkey = ?" + (" AND cc = ?" if country else "")
    with gaz._lock:
        rows = gaz.conn.execute(sql + " ORDER BY tkey, cc, key, q, pid",
                                (tkey, country) if country else (tkey,)).fetchall()
    if len(tkey) < 3 or len(key) <= 5:
        rows = [r for r in rows if r[0] == key or translit_form(r[0]) == translit_form(key)]
    out = []
    for row_key, q, pid in rows:
        (entry,) = gaz._rows(f"SELECT {gazetteer._COLS} FROM places WHERE id = ?", (pid,))
        out.append((row_key, q, pid, entry))
    return out


@pytest.mark.parametrize("country", COUNTRIES)
@pytest.mark.parametrize("name", NAMES)
def test_geo_speed_paths_spelling_rows_match_plain_reads(
        gaz: Gazetteer, name: str, country: str | None) -> None:
    keys, qualities, pids, entries = gaz.spelling_rows(name, country)
    assert len(keys) == len(qualities) == len(pids) == len(entries)
    assert list(pids) == [e.id for e in entries]
    got = list(zip(keys, qualities, pids, entries, strict=True))
    assert got == _one_by_one(gaz, name, country)
    hits = [(h.key, h.quality, h.entry.id, h.entry) for h in gaz.spellings(name, country)]
    assert hits == got


@pytest.mark.parametrize("name", NAMES)
def test_geo_speed_paths_spelling_rows_read_once(gaz: Gazetteer, name: str) -> None:
    first = gaz.spelling_rows(name, "UA")
    again = gaz.spelling_rows(name, "UA")
    assert again == first
    if len(name_key(name)) >= 4:
        assert again is first  # kept, not read again
    translit = {e.id for e in gaz.lookup_translit(name)}
    if len(translit_key(name_key(name))) >= 3:
        assert translit == {e.id for e in gaz.spelling_rows(name)[3]}


# -- the string keys against their general path --------------------------------------------------
_WORDS = ["st", "st.", "ste", "mt.", "ft", "saint", "oblast", "raion", "district", "city", "the",
          "of", "region", "village", "Kharkiv", "Zaporizhzhia", "Mykolajiw", "Shchastia",
          "O'Neill", "al-Qa`im", "Tsarychanka", "Khhx", "yjwq", "Xaxa", "Koppa", "123",
          "Київ", "Харьков", "Їжаківка", "São", "Diyarbakır", "Łódź", "Αθήνα", "ﬁn", "-",
          "(", "Oblast'", "Raion,", "region.", "_", "Ste-Anne", "Mt", "sub-district"]


def _phrases(count: int, seed: int) -> list[str]:
    rnd = random.Random(seed)
    seps = [" ", "  ", "-", " - ", ". ", "'", ""]
    out = []
    for _ in range(count):
        words = [rnd.choice(_WORDS) for _ in range(rnd.randrange(1, 5))]
        text = words[0]
        for word in words[1:]:
            text += rnd.choice(seps) + word
        out.append(rnd.choice([text, text.upper(), text.title(), f" {text} "]))
    return out + ["", " ", "x", "st", "St. Petersburg", "Mt Pleasant", "abc def", "a_b"]


def _general_name_key(name: str) -> str:
    if name.isascii():
        text = name.lower().replace("'", "").replace("`", "")
    else:
        text = unicodedata.normalize("NFKD", names.romanise(name).translate(names._UNDECOMPOSED))
        text = "".join(c for c in text if not unicodedata.combining(c))
        text = re.sub(r"[\'’ʼ`´ʹ‘]", "", text.casefold())
    text = re.sub(r"\b(st|ste|mt|ft)\b\.?(?=[\s.-]*\w)",
                  lambda m: {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}[
                      m.group(1)], text)
    return re.sub(r"[\W_]+", "", text)


def _general_translit_form(key: str) -> str:
    out = key
    for src, dst in names._TRANSLIT:  # in order, one replacement after the other
        out = out.replace(src, dst)
    return re.sub(r"(.)\1+", r"\1", out, flags=re.DOTALL)


def _general_strip(name: str) -> tuple[str, str | None]:
    words = name.strip().split()
    kind = None
    while words and words[0].casefold() in ("the", "of"):
        words = words[1:]
    if (len(words) > 2 and words[1].casefold() == "of"
            and words[0].casefold() in gazetteer.TYPE_WORDS):
        kind = gazetteer.TYPE_WORDS[words[0].casefold()]
        words = words[2:]
    while len(words) > 1 and words[-1].casefold().strip(".,") in gazetteer.TYPE_WORDS:
        kind = kind or gazetteer.TYPE_WORDS[words[-1].casefold().strip(".,")]
        words = words[:-1]
    if kind is None and len(words) == 2 and words[0].casefold() in gazetteer.TYPE_WORDS \
            and gazetteer.TYPE_WORDS[words[0].casefold()] != gazetteer.TOWN:
        kind = gazetteer.TYPE_WORDS[words[0].casefold()]
        words = words[1:]
    return " ".join(words), kind


@pytest.mark.parametrize("seed", range(4))
def test_geo_speed_paths_name_key_shortcuts_match_general_path(seed: int) -> None:
    for text in _phrases(500, seed):
        assert name_key(text) == _general_name_key(text), text


@pytest.mark.parametrize("seed", range(4))
def test_geo_speed_paths_translit_byte_tables_match_general_path(seed: int) -> None:
    for text in _phrases(500, seed):
        for key in (name_key(text), text.lower(), text):
            form = _general_translit_form(key)
            assert translit_form(key) == form, key
            expected = form[:1] + re.sub("[aeiou]+", "", form[1:]) if key else key
            assert translit_key(key) == expected, key


@pytest.mark.parametrize("seed", range(4))
def test_geo_speed_paths_strip_type_words_shortcut_matches_general_path(seed: int) -> None:
    for text in _phrases(500, seed) + ["the city of Mariupol", "Oblast Donetsk", "Rayon Bakhmut",
                                        "Kharkiv Oblast", "Walker County", "Oblast", "the"]:
        assert strip_type_words(text) == _general_strip(text), text


@pytest.mark.parametrize("name", ["Kharkivska oblast", "Donetskaya", "Odeska", "Lviv", "Kyiv",
                                  "Zaporizka Oblast", "Ska", "Ivanovskaya", "Krasnodarskiy kray",
                                  "Chernihivska", "Volynia", "", "Oblast"])
def test_geo_speed_paths_admin_stems_keep_every_ending(name: str) -> None:
    key = name_key(_general_strip(name)[0])
    expected = {key} if key else set()
    for suffix in ("skaya", "skyi", "skyy", "skiy", "ska", "ka", "ia", "a"):
        if key.endswith(suffix) and len(key) - len(suffix) >= 4:
            expected.add(key[: -len(suffix)])
    assert gazetteer._admin_stems(name) == expected


def test_geo_speed_paths_spelling_rows_empty_and_single(tmp_path: Path) -> None:
    # An index of one place: a name it lacks reads nothing, its own name reads one row.
    path = small_index(tmp_path, [{"name": "Novoselivka", "lat": 48.0, "lon": 37.0, "id": 1,
                                   "country_code": "UA", "feature_code": "PPL",
                                   "population": 5}])
    small = Gazetteer(path)
    try:
        assert small.spelling_rows("Kamianka", "UA") == ((), (), (), ())
        keys, qualities, pids, entries = small.spelling_rows("Novoselivka", "UA")
        assert (keys, qualities) == (("novoselivka",), (gazetteer.PRIMARY,))
        assert [e.name for e in entries] == ["Novoselivka"] and pids == (entries[0].id,)
    finally:
        small.close()
