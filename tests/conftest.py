"""Shared fixtures. Tests never need ../shared: every report they use is written here."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from sitrep.places import index

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sitrep.document import Document
    from sitrep.places.gazetteer import Gazetteer

ROOT = Path(__file__).resolve().parents[1]

# No model hub at test time, and one gazetteer index for every run (built on first use; the
# folder is git-ignored), so a test session does not rebuild it.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("SITREP_HOME", str(ROOT / ".sitrep-home"))

# Property-based tests (test_*_properties.py): a few examples each in `make test` (profile
# "ci", the default), many in `make fuzz` (HYPOTHESIS_PROFILE=fuzz).
try:
    from hypothesis import HealthCheck, settings

    settings.register_profile("ci", max_examples=25, deadline=None, derandomize=True,
                              suppress_health_check=[HealthCheck.too_slow])
    settings.register_profile("fuzz", max_examples=2_000, deadline=None,
                              suppress_health_check=[HealthCheck.too_slow])
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
except ImportError:  # pragma: no cover - hypothesis is a dev dependency
    pass


@pytest.fixture(scope="session")
def real_home() -> Path:
    """The test session's gazetteer home, with the embedded index built once."""

    home = Path(os.environ["SITREP_HOME"])
    index.get_gazetteer(home)
    return home


@pytest.fixture(scope="session")
def pipeline():
    from sitrep.api import default_pipeline

    return default_pipeline()


@pytest.fixture(scope="session")
def sample_text() -> str:
    return (ROOT / "samples" / "strikes-2023-03-22.txt").read_text(encoding="utf-8")


@pytest.fixture
def settings():
    from sitrep.config import Settings

    return Settings()


def small_index(folder: Path, rows: list[dict[str, object]]) -> Path:
    """A gazetteer index of made-up places (CSV columns as keys), built in ``folder``."""
    from sitrep.places.build import create_empty
    from sitrep.places.index import load

    columns = list(rows[0])
    csv = folder / "places.csv"
    lines = [",".join(columns)] + [",".join(str(r[c]) for c in columns) for r in rows]
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path = folder / "g.sqlite"
    gaz = create_empty(path)
    assert load(csv, "csv", gazetteer=gaz) == len(rows)
    gaz.close()
    return path


@pytest.fixture
def settlements(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Gazetteer]:
    """An open index of the test module's ``SETTLEMENTS`` rows (see ``settlement_list``)."""
    gaz = settlement_list(tmp_path, request.module.SETTLEMENTS)
    yield gaz
    gaz.close()


def settlement_list(folder: Path, rows: list[tuple[str, float, float, str, str, int]]
                    ) -> Gazetteer:
    """An open index of a national settlement list: (name, lat, lon, local names, country,
    population) a row, as agencies publish them."""
    from sitrep.places.gazetteer import Gazetteer

    return Gazetteer(small_index(folder, [
        {"name": name, "lat": lat, "lon": lon, "alt_names": alts, "id": i, "country_code": cc,
         "feature_code": "PPL", "population": pop}
        for i, (name, lat, lon, alts, cc, pop) in enumerate(rows)]))


def geoparsed(text: str) -> Document:
    """``text`` parsed and its places found and resolved, as the places stage leaves it."""
    from sitrep.document import Document
    from sitrep.nlp import load_model
    from sitrep.places.mentions import find_places
    from sitrep.records import Report

    document = Document(report=Report(id="t", text=text), doc=load_model()(text))
    find_places(document)
    return document


@pytest.fixture(scope="session")
def mentions():
    """The trigger mentions detection finds in a text, excluded ones too."""
    from sitrep.document import Document
    from sitrep.nlp import load_model
    from sitrep.pipeline.detection import find_mentions
    from sitrep.records import Report

    nlp = load_model()
    return lambda text: find_mentions(Document(Report("t", text), nlp(text)))


@pytest.fixture(scope="session")
def main_type():
    """The sub-event type of a text's most confident event."""
    from sitrep.api import extract

    def typed(text: str) -> str | None:
        result = extract(text)
        assert result.error is None and result.events
        return max(result.events, key=lambda e: e.confidence).sub_event_type

    return typed
