"""Diplomacy is found whatever its wording: talks, hosts, signatures, aid given or pledged."""

from __future__ import annotations

import pytest


def _kinds(mentions, text: str) -> set[tuple[str, str]]:
    return {(m.text, m.kind) for m in mentions(text) if m.excluded is None}


@pytest.mark.parametrize(("text", "trigger", "kind"), [
    ("The two foreign ministers discussed border security in Lusaka on Monday.", "discussed",
     "meeting"),
    ("The president hosted his Ghanaian counterpart at the state house.", "hosted", "meeting"),
    ("Both governments signed a memorandum on water sharing.", "signed", "agreement"),
    ("Japan pledged $40 million in aid to the flood-hit provinces.", "pledged", "aid"),
    ("The ministry donated medical supplies to the northern clinics.", "donated", "aid"),
    ("The European Union sent humanitarian aid to the region on Friday.", "aid", "aid"),
])
def test_detection_diplomacy_found(mentions, text: str, trigger: str, kind: str) -> None:
    assert (trigger, kind) in _kinds(mentions, text)


@pytest.mark.parametrize(("text", "word"), [
    ("Gunmen ambushed an aid convoy near the border, killing two drivers.", "aid"),
    ("Residents signed a petition against the new road.", "signed"),
    ("The club hosted a charity match on Saturday.", "hosted"),
])
def test_detection_diplomacy_not_found(mentions, text: str, word: str) -> None:
    assert not any(t == word and k in {"aid", "agreement", "meeting"}
                   for t, k in _kinds(mentions, text))
