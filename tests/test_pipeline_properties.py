"""Property-based tests of the pipeline on random sentences of casualty, place and date words:
it returns within the time budget, figures are non-negative and bounded by the numbers the text
gives, and every span indexes the text."""

from __future__ import annotations

import re
import time

from hypothesis import given
from hypothesis import strategies as st

from sitrep.config import Settings
from sitrep.records import Report

NUMBER_WORDS = {"two": 2, "three": 3, "five": 5, "ten": 10, "twelve": 12}
PLACES = ["Kharkiv", "Kyiv", "Odesa", "Aleppo", "Gao", "Mogadishu", "Springfield", "Paris",
          "Kharkiv Oblast", "northern Syria"]
DATES = ["on Monday", "on 3 March 2023", "yesterday", "last week", "on March 4", "in 2022",
         "on 31 February", "on Friday night", ""]
VERBS = ["were killed", "were injured", "died", "were wounded", "were abducted",
         "were arrested", "killed", "killed killed killed"]
SUBJECTS = ["people", "soldiers", "civilians", "police officers", "children", ""]
EXTRA = ["in a missile strike", "when shelling hit a market", "in clashes with rebels",
         "after a car bomb exploded", "", "police said", "according to officials"]

numbers = st.one_of(st.integers(0, 500).map(str), st.sampled_from(sorted(NUMBER_WORDS)))
sentence = st.builds(
    lambda n, s, v, p, d, x: " ".join(w for w in (n, s, v, "in", p, d, x) if w) + ".",
    numbers, st.sampled_from(SUBJECTS), st.sampled_from(VERBS), st.sampled_from(PLACES),
    st.sampled_from(DATES), st.sampled_from(EXTRA))
reports = st.lists(sentence, min_size=1, max_size=8).map(" ".join)


def _numbers_in(text: str) -> int:
    digits = sum(int(n) for n in re.findall(r"\d+", text))
    words = sum(NUMBER_WORDS[w] for w in re.findall(r"[a-z]+", text.lower())
                if w in NUMBER_WORDS)
    return digits + words


def _spans(value: object) -> list[tuple[int, int]]:
    """Every [start, end] pair of ints under ``evidence`` keys in a result dict."""
    found: list[tuple[int, int]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "evidence" and isinstance(item, dict):
                found += [tuple(span) for spans in item.values() for span in spans]
            else:
                found += _spans(item)
    elif isinstance(value, list):
        for item in value:
            found += _spans(item)
    return found


@given(reports)
def test_pipeline_random_reports_are_sane(pipeline, text: str) -> None:
    budget = Settings().time_budget
    started = time.monotonic()
    result = pipeline(Report(id="p", text=text))
    assert time.monotonic() - started < budget
    assert result.error is None or result.error.code != "E013"
    bound = _numbers_in(text)
    for event in result.events:
        for count in (event.fatalities, event.injuries):
            if count is None:
                continue
            for value in (count.best, count.low, count.high):
                assert value is None or 0 <= value <= max(bound, 0), (text, count)
    document = result.to_dict()
    for start, end in _spans(document):
        assert 0 <= start <= end <= len(text)
    for place in result.places:
        assert 0 <= place.start <= place.end <= len(text)
        assert text[place.start:place.end] == place.text
