"""Events a report mentions but that are not its news: a past attack named by its year, an
attempt that failed ("an assault to seize the base was repelled"), a town entered without a
fight, protests only expected. And words that settle a crowd's or an attack's type over the
classifier: protesters killed by gunfire, gunmen storming a building. Sentences written for
these tests."""

from __future__ import annotations

import pytest

from sitrep.api import extract
from sitrep.document import Document
from sitrep.nlp import load_model
from sitrep.pipeline.detection import find_mentions
from sitrep.records import Report


@pytest.fixture(scope="module")
def nlp():
    return load_model()


def _excluded(nlp, text: str, word: str) -> str | None:
    document = Document(Report("t", text), nlp(text))
    found = [m for m in find_mentions(document) if m.text == word]
    assert found, f"{word!r} is no trigger in {text!r}"
    return found[0].excluded


@pytest.mark.parametrize(("text", "word", "why"), [
    ("Troops seized three hamlets near Kasese, the site of a notorious 2016 massacre.",
     "massacre", "background"),
    ("The rebels' assault to capture the town was repelled by the army.", "capture",
     "hypothetical"),
    ("The militia crossed the river and took the ferry port without fighting.", "fighting",
     "negated"),
    ("Police detained a dozen student leaders in anticipation of protests at the university.",
     "protests", "hypothetical"),
])
def test_not_the_reports_news(nlp, text: str, word: str, why: str) -> None:
    assert _excluded(nlp, text, word) == why


@pytest.mark.parametrize(("text", "word"), [
    ("Troops seized three hamlets near Kasese after a massacre on Monday.", "massacre"),
    ("Militants launched an assault on the garrison on Friday.", "assault"),
])
def test_the_reports_news_is_kept(nlp, text: str, word: str) -> None:
    assert _excluded(nlp, text, word) is None


def _main_type(text: str) -> str | None:
    result = extract(text)
    assert result.error is None and result.events
    return max(result.events, key=lambda e: e.confidence).sub_event_type


@pytest.mark.parametrize(("text", "sub"), [
    ("Government forces captured two villages in the north on Wednesday, edging towards a "
     "town that was the scene of a deadly 2019 gas attack.", "Government regains territory"),
    ("Gunmen attacked the central bank building in Kismayo on Monday, and three of the "
     "attackers were killed, police said.", "Attack"),
])
def test_type_of_the_news_not_of_its_background(text: str, sub: str) -> None:
    assert _main_type(text) == sub


def test_weapons_seized_by_the_quantity(nlp) -> None:
    text = "The army said it had seized a total of 340 assault rifles in three operations."
    document = Document(Report("t", text), nlp(text))
    assert [m.kind for m in find_mentions(document) if m.text == "seized"] == ["disrupted_weapons"]
