"""A death a protest or vigil is about is its cause, not a casualty of the report's event;
deaths at the protest still count. Sentences written for these tests."""

from __future__ import annotations

import pytest

from sitrep.api import extract


def _killed(text: str) -> int:
    result = extract(text)
    assert result.error is None
    return sum((e.fatalities.best or 0) for e in result.events if e.fatalities is not None)


@pytest.mark.parametrize("text", [
    "On 2 May 2021, residents gathered in Dayton (Ohio) against police brutality and the deaths "
    "of Ann Smith and John Doe.",
    "On 9 May 2021, dozens of parents rallied in Tulsa (Oklahoma) to remember a boy who was "
    "killed by a truck and to demand a crossing.",
    # a riot, a motorcade; a list of names long enough to climb through
    "On 3 May 2021, hundreds of people rioted in Akron (Ohio) against police brutality and the "
    "death of John Doe.",
    "On 4 May 2021, people gathered in a park in Dayton (Ohio) for the tenth day in support of "
    "the movement and against police brutality and the deaths of Ann Smith, John Doe, and Mary "
    "Roe.",
    "On 5 May 2021, more than 100 people took part in a motorcade in Dayton (Ohio) against "
    "police brutality and the death of John Doe.",
    # "in support of", "calling for justice for", a person described as killed
    "On 6 May 2021, women's groups held a protest in Akron (Ohio) in support of justice for the "
    "11 women killed by a serial killer.",
    "On 7 May 2021, over 100 demonstrators marched in Akron (Ohio) calling for justice for John "
    "Doe, a man killed by police, as part of the movement.",
    # a national tally the protest names
    "On 8 May 2021, people gathered outside the golf club in Dayton (Ohio) to protest the "
    "response to the pandemic as the country hit the milestone of 200,000 deaths.",
])
def test_the_deaths_a_protest_is_about_are_not_its_casualties(text: str) -> None:
    assert _killed(text) == 0


def test_deaths_at_the_protest_count() -> None:
    text = ("On 3 June 2021, police opened fire on protesters in Nairobi, killing two "
            "demonstrators.")
    assert _killed(text) == 2


@pytest.mark.parametrize(("text", "killed"), [
    ("Three traders killed by gunmen in Kano", 3),  # a headline's participle after a number
    ("Ca. 200 raiders from the hills - killed 4 herders and stole cattle.", 4),
])
def test_a_headline_participle_after_a_number(text: str, killed: int) -> None:
    assert _killed(text) == killed


@pytest.mark.parametrize("text", [
    "On 3 March 2021, neighbours staged a march in Dayton (Ohio) in support of the local union "
    "and against police violence and the death of Tom Baker.",
    "Residents held a vigil in Gulu against the killing of a taxi driver.",
])
def test_a_verb_whose_object_is_the_gathering_names_its_cause(text: str) -> None:
    # the parse hangs "against ..." on the verb ("staged", "held"), not on the protest itself
    assert _killed(text) == 0


def test_a_participle_with_its_own_figure_is_what_the_group_did() -> None:
    text = "Ca. 1000 Turkana raiders from Kenya - killed 6, abducted 2 women & stole 300 goats."
    assert _killed(text) == 6


@pytest.mark.parametrize("text", [
    "On 8 April 2021, some 60 people marched through Flint (Michigan), mobilized by the death "
    "of Tom Baker at the hands of a guard.",
    "Teachers assembled outside the ministry in Kandy, demanding an inquiry into the murder of "
    "a colleague.",
])
def test_a_death_named_as_a_noun_beside_a_gathering_is_its_cause(text: str) -> None:
    assert _killed(text) == 0


def test_a_killing_told_with_a_verb_at_a_protest_still_counts() -> None:
    text = "Protesters gathered in Lagos on Tuesday, and police shot dead a protester."
    assert _killed(text) == 1


def test_the_place_a_gathering_is_about_is_not_its_place() -> None:
    result = extract("On 26 July 2021, people held a demonstration in Tyler (Texas) to show "
                     "solidarity for the demonstrators in Portland who had been attacked by "
                     "federal agents.")
    assert result.events
    assert {e.location.name for e in result.events if e.location is not None} == {"Tyler"}
    assert _killed("Hundreds marched in Lagos on 3 June 2021 to seek justice for two traders "
                   "killed by soldiers in Abuja.") == 0
    protested = extract("On 3 June 2021, a group of people gathered in Salt Lake City, Utah, to "
                        "protest the killing of John Doe in Minneapolis.")
    assert {e.location.name for e in protested.events if e.location} == {"Salt Lake City"}


def test_the_force_a_protest_is_about_is_not_used_at_it(pipeline) -> None:
    """The rules type the protest by its own sentence's words, without the killing it is
    about; police who open fire at it still make it excessive force."""
    from sitrep.document import Document
    from sitrep.pipeline import typing as typing_stage
    from sitrep.records import Report

    def rule(text: str) -> str | None:
        document = Document(report=Report(id="t", text=text), doc=pipeline.nlp(text))
        for info in pipeline.stages:
            info.func(document)
            if info.name == "typing":
                break
        event = document.events[0]
        return typing_stage.rule_type(event.kind,
                                      typing_stage._window(document, event)).sub_event_type

    assert rule("On 2 June 2021, people staged a protest in Akron (Ohio) over the killing of "
                "John Doe, a man killed by police in Dayton.") == "Peaceful protest"
    shot = extract("On 3 June 2021, police opened fire on protesters in Nairobi, killing two "
                   "demonstrators.")
    assert [e.sub_event_type for e in shot.events] == ["Excessive force against protesters"]
