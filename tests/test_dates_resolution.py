"""The dates stage: explicit, relative and range expressions resolved against publication."""

from __future__ import annotations

from datetime import date

import pytest

from sitrep.document import Document
from sitrep.nlp import load_model
from sitrep.pipeline.dates import find_dates
from sitrep.records import Report

PUBLISHED = date(2023, 3, 22)  # a Wednesday


@pytest.fixture(scope="module")
def nlp():
    return load_model()


def _dates(nlp, text: str, published: date | None = PUBLISHED):
    report = Report(id="t", text=text, published=published)
    return find_dates(Document(report=report, doc=nlp(text)))


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("On 1 September 2024, soldiers raided the village.", date(2024, 9, 1), None, 1),
        ("03/21/2023: Assailants attacked a checkpoint.", date(2023, 3, 21), None, 1),
        ("Protesters marched on March 21 in the capital.", date(2023, 3, 21), None, 1),
        ("Protesters marched on 21 March in the capital.", date(2023, 3, 21), None, 1),
        ("The report dated 2023-03-21 lists the raids.", date(2023, 3, 21), None, 1),
        ("Troops shelled the town on Wednesday.", date(2023, 3, 22), None, 1),
        ("Troops shelled the town on Monday night.", date(2023, 3, 20), None, 1),
        ("Police arrested six activists last Tuesday.", date(2023, 3, 21), None, 1),
        ("A bomb exploded yesterday near the market.", date(2023, 3, 21), None, 1),
        ("Clashes broke out earlier this week in the north.", date(2023, 3, 20), date(2023, 3, 22),
         2),
        ("Rebels seized the town last month.", date(2023, 2, 1), date(2023, 2, 28), 3),
        ("Fighting raged between 3 and 5 March around the airport.", date(2023, 3, 3),
         date(2023, 3, 5), 1),
        ("Strikes continued from Monday to Wednesday.", date(2023, 3, 20), date(2023, 3, 22), 1),
        ("On December 30, 1974, a gunman opened fire at a school.", date(1974, 12, 30), None, 1),
    ],
)
def test_dates_resolved(nlp, text, start, end, precision):
    found = _dates(nlp, text)
    assert found, text
    d = found[0]
    assert (d.date_start, d.date_end, d.time_precision) == (start, end or start, precision)


@pytest.mark.parametrize(
    "text",
    [
        "Officials said the raid took place on Wednesday.",
        "A bomb exploded yesterday near the market.",
        "Clashes broke out earlier this week in the north.",
    ],
)
def test_dates_relative_unresolved_without_anchor(nlp, text):
    assert _dates(nlp, text, published=None) == []


def test_dates_relative_uses_text_anchor_without_publication(nlp):
    text = "On 14 June 2021 gunmen attacked a convoy. Two days ago, police had warned drivers."
    found = _dates(nlp, text, published=None)
    assert [d.date_start for d in found] == [date(2021, 6, 14), date(2021, 6, 12)]


@pytest.mark.parametrize(
    "text",
    [
        "The ceasefire was signed on 31 February 2023.",
        "Rebels attacked on 45/13/2020: nobody was hurt.",
        "12 may be killed, 1 Mar 3000 and 99-99-9999.",
        "",
        "—",
    ],
)
def test_dates_impossible_dates_skipped(nlp, text):
    for d in _dates(nlp, text):
        assert d.date_start <= d.date_end


def test_dates_year_reference_is_month_precision(nlp):
    found = _dates(nlp, "The group was founded in 2019.")
    assert found and found[0].time_precision == 3 and found[0].date_start == date(2019, 1, 1)
