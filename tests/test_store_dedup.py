"""Deduplication before extraction: the same text, near-duplicate wire copies, stored URLs."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).parent / "data" / "store"))
from fixtures import BACKENDS, db_url, load  # noqa: E402

from sitrep.records import Report  # noqa: E402
from sitrep.store import ingest, open_store  # noqa: E402
from sitrep.store.db import head_revision  # noqa: E402
from sitrep.store.dedup import Dedup, copies_of, minhash, similarity, text_hash  # noqa: E402
from sitrep.store.models import copies, reports  # noqa: E402

stubs = load("stubs")
DAY = date(2024, 5, 10)
STORY = ("Kharkiv; 3 killed; missile\n"
         "Russian missiles struck an apartment block in the centre of Kharkiv early on Friday, "
         "killing three people and wounding at least a dozen, the regional governor said. "
         "Rescue teams were searching the rubble for survivors as fires burned on the upper "
         "floors. The strike came hours after air raid sirens sounded across the east of the "
         "country. Officials said the building housed about two hundred residents. The city "
         "has been shelled repeatedly since the start of the full-scale invasion, and local "
         "authorities urged people to stay in shelters until the alert ended.")
OTHER = ("Odesa; 2 killed; drone\n"
         "Drones attacked port infrastructure in Odesa overnight, killing two dock workers, "
         "the military administration reported. Grain silos and a warehouse caught fire and "
         "emergency crews worked until dawn to contain the blaze. Air defences shot down most "
         "of the drones launched from the south, according to the air force command, which "
         "said the attack lasted almost three hours and targeted the harbour's loading cranes.")


def copy_of(text: str) -> str:
    """Another outlet's version: its own headline and boilerplate, a sentence dropped."""
    sentences = text.split(". ")
    del sentences[3]
    return ("EXCLUSIVE | Follow our live coverage\n" + ". ".join(sentences)
            + "\nSubscribe to our newsletter for more.")


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    s = open_store(db_url(request.param, tmp_path))
    yield s
    s.dispose()


def _count(store, table) -> int:
    with store.read() as connection:
        return connection.execute(select(func.count()).select_from(table)).scalar_one()


def test_dedup_migration_is_head(store) -> None:
    assert store.revision() == head_revision() == "0005"


def test_dedup_minhash_estimates_similarity() -> None:
    a, b, c = minhash(STORY), minhash(copy_of(STORY)), minhash(OTHER)
    assert similarity(a, a) == 1.0
    assert similarity(a, b) >= 0.5 > similarity(a, c)
    assert text_hash("Three  killed, in Kharkiv.") == text_hash("three killed in KHARKIV")


def test_dedup_wire_copy_is_stored_as_a_source_not_coded(store) -> None:
    calls: list[str] = []

    def counting(items):
        for r in items:
            calls.append(r.id)
            yield from stubs.stub_extractor([r])

    first = Report("wire", STORY, DAY, "Wire", "https://wire.example/1")
    ingest(store, [first], extractor=counting, dedup=Dedup())
    copy = Report("paper", copy_of(STORY), DAY, "Paper", "https://paper.example/9")
    other = Report("other", OTHER, DAY, "Wire", "https://wire.example/2")
    stats = ingest(store, [copy, other], extractor=counting, dedup=Dedup())
    assert calls == ["wire", "other"]
    assert (stats.stored, stats.duplicates) == (1, 1)
    with store.read() as connection:
        pk = connection.execute(select(reports.c.id).where(reports.c.document_id == "wire")
                                ).scalar_one()
    [stored_copy] = copies_of(store, pk)
    assert stored_copy["url"] == "https://paper.example/9" and stored_copy["source"] == "Paper"
    again = ingest(store, [copy], extractor=counting, dedup=Dedup())
    assert (again.unchanged, again.duplicates, _count(store, copies)) == (1, 0, 1)


def test_dedup_copies_within_one_run(store) -> None:
    items = [Report("a", STORY, DAY, "Wire", "https://a.example/1"),
             Report("b", copy_of(STORY), DAY, "Paper", "https://b.example/1"),
             Report("c", STORY.replace("\n", "\n\n  "), DAY, "Blog", "https://c.example/1")]
    stats = ingest(store, items, extractor=stubs.stub_extractor, dedup=Dedup())
    assert (stats.stored, stats.duplicates) == (1, 2)
    assert _count(store, copies) == 2


def test_dedup_new_version_of_the_same_url_still_replaces(store) -> None:
    url = "https://wire.example/story"
    ingest(store, [Report("v1", STORY, DAY, "Wire", url)], extractor=stubs.stub_extractor,
           dedup=Dedup())
    revised = STORY.replace("3 killed", "5 killed").replace("three people", "five people")
    stats = ingest(store, [Report("v2", revised, DAY, "Wire", url)],
                   extractor=stubs.stub_extractor, dedup=Dedup())
    assert (stats.replaced, stats.duplicates) == (1, 0)


def test_dedup_by_url_skips_stored_pages_unread(store) -> None:
    url = "https://wire.example/story"
    ingest(store, [Report("v1", STORY, DAY, "Wire", url)], extractor=stubs.stub_extractor)
    stats = ingest(store, [Report("v2", OTHER, DAY, "Wire", url)],
                   extractor=stubs.stub_extractor, dedup=Dedup(by_url=True))
    assert (stats.stored, stats.unchanged) == (0, 1)


def test_dedup_short_texts_match_only_exactly(store) -> None:
    items = [Report("a", "Two killed in Gao.", DAY, "A", "https://a/1"),
             Report("b", "Two killed in Gao!", DAY, "B", "https://b/1"),
             Report("c", "Three killed in Gao.", DAY, "C", "https://c/1")]
    stats = ingest(store, items, extractor=stubs.stub_extractor, dedup=Dedup())
    assert (stats.stored, stats.duplicates) == (2, 1)


def test_dedup_copy_of_a_failed_report_is_coded(store) -> None:
    from sitrep.records import DocumentResult, ErrorInfo

    def failing_first(items):
        for r in items:
            if r.id == "wire":
                yield DocumentResult(r.id, r.published, error=ErrorInfo("E010", "stage failed"))
            else:
                yield from stubs.stub_extractor([r])

    ingest(store, [Report("wire", STORY, DAY, "Wire", "https://wire.example/1")],
           extractor=failing_first, dedup=Dedup())
    stats = ingest(store, [Report("paper", copy_of(STORY), DAY, "Paper", "https://p/9")],
                   extractor=failing_first, dedup=Dedup())
    assert (stats.stored, stats.duplicates) == (1, 0)
