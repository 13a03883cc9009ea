"""Run an ingest with the stub extractor in its own process (for kill and concurrency tests).

Usage: python ingest_worker.py DB_URL REPORTS.jsonl [DELAY_SECONDS]
"""

from __future__ import annotations

import sys
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from fixtures import load  # noqa: E402

from sitrep.sources import read_paths  # noqa: E402
from sitrep.store import ingest, open_store  # noqa: E402

if __name__ == "__main__":
    url, path = sys.argv[1], sys.argv[2]
    delay = float(sys.argv[3]) if len(sys.argv) > 3 else 0.0
    stubs = load("stubs")
    stats = ingest(open_store(url), read_paths([path]),
                   extractor=partial(stubs.stub_extractor, delay=delay))
    print(stats.to_dict(), flush=True)
