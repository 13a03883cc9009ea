"""Analyst corrections: one row per correction, and flags on the events they change.

A correction never overwrites the machine coding: the row keeps the value before, who, when and
why; ``events.record`` holds the corrected record (its ``corrected_fields`` keep the machine
values) so queries and exports read one column. ``corrected_at`` equals ``updated_at`` while
the corrections are applied: a merge that rewrites the event changes ``updated_at``, which is
how the corrections are found and applied again.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

NOT_EVENT = "not_event = 1"


def upgrade() -> None:
    op.create_table(
        "corrections",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("event_id", sa.String(128), nullable=False, index=True),
        sa.Column("field", sa.String(32), nullable=False),
        sa.Column("value", sa.JSON),
        sa.Column("before", sa.JSON),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("author", sa.String(128), nullable=False),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    # Plain ALTER TABLE ADD COLUMN (SQLite allows it with a constant default): a batch
    # operation would copy the whole events table into a new one.
    op.add_column("events", sa.Column("corrected", sa.Boolean, nullable=False,
                                      server_default=sa.false()))
    op.add_column("events", sa.Column("not_event", sa.Boolean, nullable=False,
                                      server_default=sa.false()))
    op.add_column("events", sa.Column("corrected_at", sa.DateTime))
    # Queries leave out the few events marked as not events by their ids from this small
    # partial index: testing the flag on every row read each row to its end (the flag is
    # stored after the record, so through the record's overflow pages).
    # A page of events in date order reads this index in order and stops after the page,
    # instead of sorting every event of the date range.
    op.create_index("ix_events_date", "events", ["event_date"])
    op.create_index("ix_events_not_event", "events", ["id"], sqlite_where=sa.text(NOT_EVENT),
                    postgresql_where=sa.text("not_event"))


def downgrade() -> None:
    op.drop_index("ix_events_not_event", table_name="events")
    op.drop_index("ix_events_date", table_name="events")
    with op.batch_alter_table("events") as batch:
        batch.drop_column("corrected_at")
        batch.drop_column("not_event")
        batch.drop_column("corrected")
    op.drop_table("corrections")
