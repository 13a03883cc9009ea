"""Alembic migrations of the event store, run by ``sitrep.store.db`` (never by hand)."""
