"""Alembic environment: always handed an open connection by ``sitrep.store.db.migrate``."""

from __future__ import annotations

from alembic import context

from sitrep.store.models import VERSION_TABLE, Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - sitrep always passes its connection
    raise RuntimeError("sitrep migrations run through sitrep.store.db.migrate(), not the CLI")

context.configure(connection=connection, target_metadata=Base.metadata,
                  version_table=VERSION_TABLE, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
