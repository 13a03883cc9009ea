"""Reports, merged events and the mentions that link them.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sitrep_meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.String(255), nullable=False),
    )
    op.bulk_insert(sa.table("sitrep_meta", sa.column("key"), sa.column("value")),
                   [{"key": "application", "value": "sitrep"}])
    op.create_table(
        "reports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("document_id", sa.String(512), nullable=False, index=True),
        sa.Column("url", sa.String(2048), index=True),
        sa.Column("content_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("source", sa.String(512)),
        sa.Column("title", sa.Text),
        sa.Column("published", sa.Date),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("result", sa.JSON, nullable=False),
        sa.Column("error_code", sa.String(16)),
        sa.Column("ingested_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("event_id", sa.String(128), nullable=False, unique=True),
        sa.Column("event_date", sa.Date),
        sa.Column("disorder_type", sa.String(64)),
        sa.Column("event_type", sa.String(64)),
        sa.Column("sub_event_type", sa.String(64)),
        sa.Column("plover_event", sa.String(32)),
        sa.Column("country_code", sa.String(2)),
        sa.Column("actors", sa.Text, nullable=False),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("geo_precision", sa.Integer),
        sa.Column("cell", sa.Integer),
        sa.Column("fatalities", sa.Integer),
        sa.Column("n_sources", sa.Integer, nullable=False),
        sa.Column("words", sa.JSON, nullable=False),
        sa.Column("record", sa.JSON, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_events_date_lon_lat", "events", ["event_date", "lon", "lat"])
    op.create_index("ix_events_date_cell", "events", ["event_date", "cell"])
    op.create_index("ix_events_country_date", "events", ["country_code", "event_date"])
    op.create_table(
        "mentions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("event_pk", sa.Integer, sa.ForeignKey("events.id"), nullable=False,
                  index=True),
        sa.Column("event_id", sa.String(128), nullable=False),
        sa.Column("record", sa.JSON, nullable=False),
        sa.Column("sentence", sa.Text, nullable=False),
        sa.Column("figure_context", sa.JSON, nullable=False),
        sa.Column("reason", sa.JSON, nullable=False),
    )


def downgrade() -> None:
    for table in ("mentions", "events", "reports", "sitrep_meta"):
        op.drop_table(table)
