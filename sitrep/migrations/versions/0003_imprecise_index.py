"""An index of the events located only to a region (or not at all), by country and day.

Merging compares a precisely located report with the events of its grid cells and with the
imprecise events of its country; without this index the second look read every event of the
country in the date window (thousands of rows a report on a big store).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

IMPRECISE = "geo_precision >= 3 OR cell IS NULL"


def upgrade() -> None:
    op.create_index("ix_events_imprecise", "events", ["country_code", "event_date"],
                    sqlite_where=sa.text(IMPRECISE), postgresql_where=sa.text(IMPRECISE))


def downgrade() -> None:
    op.drop_index("ix_events_imprecise", table_name="events")
