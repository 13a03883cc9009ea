"""Deduplication before extraction: text fingerprints, LSH bands and outlets' copies.

``report_signatures`` holds each stored report's normalised-text hash and MinHash,
``report_bands`` its LSH band keys (reports sharing one are compared), ``report_copies`` the
near-duplicate copies stored as extra sources of a report instead of being coded again.
Reports stored before this revision have no signature: they are found by URL and content hash
only, until re-ingested.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "report_signatures",
        sa.Column("report_pk", sa.Integer, sa.ForeignKey("reports.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("text_hash", sa.String(64), nullable=False, index=True),
        sa.Column("minhash", sa.LargeBinary),
    )
    op.create_table(
        "report_bands",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("report_pk", sa.Integer, sa.ForeignKey("reports.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("band_key", sa.BigInteger, nullable=False, index=True),
    )
    op.create_table(
        "report_copies",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("report_pk", sa.Integer, sa.ForeignKey("reports.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("document_id", sa.String(512), nullable=False),
        sa.Column("url", sa.String(2048), index=True),
        sa.Column("content_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("source", sa.String(512)),
        sa.Column("title", sa.Text),
        sa.Column("published", sa.Date),
        sa.Column("similarity", sa.Float, nullable=False),
        sa.Column("ingested_at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("report_copies")
    op.drop_table("report_bands")
    op.drop_table("report_signatures")
