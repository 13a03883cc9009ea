"""``sitrep serve``: the HTTP API and the analyst's web map over one event store.

The server owns HTTP only: reading and writing go through ``sitrep.store`` (queries, ingest,
corrections) and ``sitrep.exporters``, so the API, the CLI and the Python API give the same
records. ``create_app(store_url, token=...)`` builds the FastAPI app; the page at ``/`` and
its vendored JavaScript are static files in ``sitrep/server/static`` (no build step, nothing
loaded from the internet).
"""

from __future__ import annotations

from sitrep.server.app import create_app

__all__ = ["create_app"]
