"""The history of figures: one row per report's casualty figure for an event.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

FIGURE_FIELDS = ("best", "low", "high", "qualifier", "civilians", "text")


def upgrade() -> None:
    figures = op.create_table(
        "figures",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("event_pk", sa.Integer, sa.ForeignKey("events.id"), nullable=False,
                  index=True),
        sa.Column("mention_id", sa.Integer, sa.ForeignKey("mentions.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("best", sa.Integer),
        sa.Column("low", sa.Integer),
        sa.Column("high", sa.Integer),
        sa.Column("qualifier", sa.String(16)),
        sa.Column("civilians", sa.Integer),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("published", sa.Date),
        sa.Column("is_update", sa.Boolean, nullable=False),
    )
    # Backfill from the mentions stored by schema 0001 (update flags are set on the next merge).
    bind = op.get_bind()
    rows = bind.execute(sa.text(
        "SELECT m.id, m.event_pk, m.record, r.published FROM mentions m "
        "JOIN reports r ON r.id = m.report_id")).all()
    backfill = []
    for mention_id, event_pk, record, published in rows:
        record = json.loads(record) if isinstance(record, str) else record
        if isinstance(published, str):
            published = sa.Date().result_processor(bind.dialect, None)(published) \
                if bind.dialect.name == "sqlite" else published
        for kind in ("fatalities", "injuries"):
            count = record.get(kind) or {}
            backfill.append({"event_pk": event_pk, "mention_id": mention_id, "kind": kind,
                             **{k: count.get(k) for k in FIGURE_FIELDS},
                             "text": count.get("text") or "", "published": published,
                             "is_update": False})
    if backfill:
        op.bulk_insert(figures, backfill)


def downgrade() -> None:
    op.drop_table("figures")
