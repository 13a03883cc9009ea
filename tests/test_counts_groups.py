"""event_counts: attackers and victims as groups, a perpetrator's own death, people shot or
stabbed, parts of groups, toll updates, and figures that cannot be trusted."""

from __future__ import annotations

import pytest

from sitrep.document import Document, EventDraft, EventMention
from sitrep.nlp import load_model
from sitrep.pipeline.counts import find_counts, find_harmed
from sitrep.pipeline.tolls import event_counts
from sitrep.records import Report


@pytest.fixture(scope="module")
def nlp():
    return load_model()


def _coded(nlp, text: str) -> tuple[Document, EventDraft]:
    """One event spanning the whole report, with the figures the counts stage would find."""
    document = Document(report=Report(id="t", text=text), doc=nlp(text))
    document.counts = find_counts(document)
    document.extras["harmed_counts"] = find_harmed(document)
    tok = document.sentences[0][0]
    mention = EventMention(tok.idx, tok.idx + len(tok.text), tok.text, tok.lemma_, 0, "attack",
                           tok.i)
    event = EventDraft(mentions=[mention], kind="attack",
                       sents=list(range(len(document.sentences))))
    document.events = [event]
    event_counts(document)
    return document, event


@pytest.mark.parametrize(
    ("text", "killed"),
    [
        # a perpetrator's own death never stands as the lead figure that later ones restate
        ("A suicide bomber blew himself up at a school gate. 14 people were killed and 40 "
         "were injured in the attack.", 15),
        ("A bomber blew himself up outside a police station. Six officers died in the blast.", 7),
        # ...and is counted once, however many ways it is told
        ("A man opened fire at a bar, killing two, then committed suicide by shooting himself "
         "in the head.", 3),
        # an attempt, a survival or a wound in the leg is no death
        ("The shooter killed four customers and then tried to commit suicide, but he survived.",
         4),
        ("A gunman killed a guard at the bank and accidentally shot himself in the leg.", 1),
        ("He shot three colleagues, killing two, and had planned to commit suicide afterwards.",
         2),
        # attackers and victims are two groups, even without "also"
        ("Gunmen stormed a hotel in the capital. Four gunmen were killed by troops. Eighteen "
         "guests are confirmed dead.", 22),
        ("Militants attacked an army post on Sunday. Nine soldiers were killed. One of the "
         "militants was shot dead.", 10),
        # one attacker told twice is one death
        ("A man stabbed a pedestrian to death in the square. The attacker was later shot "
         "dead by police after he committed suicide attempt failed.", 2),
    ],
)
def test_counts_groups_perpetrators(nlp, text, killed):
    _, event = _coded(nlp, text)
    assert event.fatalities.best == killed


@pytest.mark.parametrize(
    ("text", "killed", "injured"),
    [
        ("Seven shoppers were stabbed at a supermarket on Friday.", 0, 7),
        ("A student shot four people on a footbridge, three fatally.", 3, 1),
        ("A gunman shot two officers outside the courthouse, wounding one of them.", 0, 1),
        ("He shot all three tenants in the head, killing them.", 3, 0),
        ("A farmer and his son were shot and killed near the village well.", 2, 0),
        ("The man gunned down four relatives at a wedding.", 4, 0),
        # those shot are never counted beside an explicit figure of injured
        ("Gunmen shot six people at a taxi rank; two died and four were hospitalised.", 2, 4),
    ],
)
def test_counts_groups_shot_or_stabbed(nlp, text, killed, injured):
    _, event = _coded(nlp, text)
    assert (event.fatalities.best, event.injuries.best) == (killed, injured)


@pytest.mark.parametrize(
    ("text", "killed", "injured"),
    [
        ("A truck bomb killed at least 40 people and wounded over 250 in the city centre.",
         40, 250),
        ("A gunman killed 12 worshippers and another 9 were injured at the mosque.", 12, 9),
        ("Two of the wounded officers suffered gunshot wounds to the legs.", 0, 2),
        ("The attack led to the death of 3 people and the wounding of 11 others.", 3, 11),
        ("An explosion wounded 5 pupils at the school. Police said 2 of 5 pupils injured "
         "have died in hospital.", 2, 5),
        ("One policeman was killed, 3 others and a woman injured in the raid.", 1, 4),
        ("A grenade blast wounded 6 people in the market. Two of the wounded escaped before "
         "police arrived.", 0, 6),
        ("Gunmen killed 22 villagers and local militiamen in a night raid.", 22, 0),
        ("The gunman went into the clinic, shot and killed them both.", 2, 0),
        ("A teenager arrived at school a day after killing both his parents at home.", 2, 0),
        ("Three guards, both armed, were killed at the gate.", 3, 0),
        ("He drove to a mall, killing a total of five shoppers and two guards.", 7, 0),
        ("Nine passengers were injured, 3 of them seriously, when a man attacked them with an "
         "axe.", 0, 9),
        ("Seven people were shot at the pub, one of them was killed.", 1, 6),
        ("A bomb went off outside the station. No one was injured in the attack.", 0, 0),
    ],
)
def test_counts_groups_phrasing(nlp, text, killed, injured):
    _, event = _coded(nlp, text)
    assert (event.fatalities.best, event.injuries.best) == (killed, injured)


@pytest.mark.parametrize(
    ("text", "killed"),
    [
        ("Gunmen killed five people at a wedding. Officials later raised the number of "
         "fatalities to seven.", 7),
        ("At least 20 people were reported killed in the first hours. Hospital sources later "
         "said the death toll was over 60.", 60),
        ("A bomber struck a rally, killing several supporters. Eleven people died, police "
         "said.", 11),
        ("A man shot six co-workers, killing five and wounding another. The wounded man later "
         "died in hospital.", 6),
        # a spree told step by step adds up; a restatement of the same people does not
        ("A man killed his grandmother at her farm. He then drove to the school and killed "
         "four students and a teacher.", 6),
        ("Gunmen killed 7 soldiers at a checkpoint. The soldiers were buried on Sunday; 7 "
         "soldiers died in the attack, the army said.", 7),
        ("A bomb killed 15 people at the market. 15 victims were identified by Monday.", 15),
    ],
)
def test_counts_groups_later_figures(nlp, text, killed):
    _, event = _coded(nlp, text)
    assert event.fatalities.best == killed


def test_counts_groups_contradiction_widens_range(nlp):
    document, event = _coded(
        nlp, "A car bomb killed 9 people at a checkpoint, police said. A hospital official "
        "said 17 people were killed in the bombing.")
    count = event.fatalities
    assert (count.best, count.low, count.high, count.qualifier) == (9, 9, 17, "range")
    assert "9" in count.text and "17" in count.text
    assert document.extras["count_doubts"][0]


@pytest.mark.parametrize(
    "text",
    [
        "A missile strike on the port killed 10^12 people, the governor said.",
        "A car bomb at the market killed a million billion people.",
        "Shelling killed 99,000,000,000 residents of the town overnight.",
    ],
)
def test_counts_groups_implausible_kept_as_text(nlp, text):
    document, event = _coded(nlp, text)
    count = event.fatalities
    assert count.best is None and count.qualifier == "unknown"
    assert count.text and count.text in text
    assert any("implausible" in d for d in document.extras["count_doubts"][0])


def test_counts_groups_casualties_go_to_the_violence(nlp):
    """A meeting told in the same sentence as a shooting does not take its dead."""
    text = ("He left the staff meeting and came back with a rifle, killing six colleagues and "
            "wounding eight more.")
    document = Document(report=Report(id="t", text=text), doc=nlp(text))
    document.counts = find_counts(document)
    mentions = []
    for word, kind in (("meeting", "meeting"), ("killing", "attack")):
        tok = next(t for t in document.doc if t.lower_ == word)
        mentions.append(EventMention(tok.idx, tok.idx + len(tok.text), tok.text, tok.lemma_, 0,
                                     kind, tok.i))
    document.events = [EventDraft(mentions=[m], kind=m.kind, sents=[0]) for m in mentions]
    event_counts(document)
    meeting, attack = document.events
    assert (attack.fatalities.best, attack.injuries.best) == (6, 8)
    assert (meeting.fatalities.best, meeting.injuries.best) == (0, 0)
