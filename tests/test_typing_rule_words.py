"""Words that settle a type the report-level classifier can miss: who took the ground decides
between a government regaining territory and a non-state actor overtaking it; force used on
the protesters themselves is no peaceful protest; gunmen storming a market met no armed side;
a protest said to turn violent is a violent demonstration. Sentences written for these tests."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(("text", "sub"), [
    ("Rebels recaptured the village of Tal Hamid from government troops on Friday, a monitor "
     "said.", "Non-state actor overtakes territory"),
    ("Government troops recaptured the town of Kidal from the rebels on Sunday.",
     "Government regains territory"),
    ("Riot police used excessive force against peaceful marchers in Harare on Monday, "
     "killing two demonstrators.", "Excessive force against protesters"),
    ("Gunmen stormed a crowded market in Kaduna on Saturday and shot dead six traders.",
     "Attack"),
    ("A march by farmers in Nairobi turned violent on Tuesday when protesters hurled stones "
     "at shops.", "Violent demonstration"),
])
def test_the_words_settle_the_type(main_type, text: str, sub: str) -> None:
    assert main_type(text) == sub
