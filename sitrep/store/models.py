"""The store's tables (SQLAlchemy 2 ORM). Alembic migrations in ``sitrep/migrations`` build them.

A *report* is one input document with its extraction; a *mention* is one event record as one
report gives it; an *event* is the merged record of one real event, with the columns queries
filter on pulled out of its codebook JSON; a *figure* is one report's casualty figure for one
event, kept as the history of the toll.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    false,
    text,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Marks a database as sitrep's, so a stranger's database is never migrated or written.
APPLICATION = "sitrep"
VERSION_TABLE = "sitrep_alembic_version"
# Events located only to a region, or not at all (see the ix_events_imprecise index).
IMPRECISE = "geo_precision >= 3 OR cell IS NULL"


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class Meta(Base):
    __tablename__ = "sitrep_meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(255))


class ReportRow(Base):
    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[str] = mapped_column(String(512), index=True)
    url: Mapped[str | None] = mapped_column(String(2048), index=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    source: Mapped[str | None] = mapped_column(String(512))
    title: Mapped[str | None] = mapped_column(Text)
    published: Mapped[date | None] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    error_code: Mapped[str | None] = mapped_column(String(16))
    ingested_at: Mapped[datetime] = mapped_column(DateTime)


class EventRow(Base):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[str] = mapped_column(String(128), unique=True)
    event_date: Mapped[date | None] = mapped_column(Date)
    disorder_type: Mapped[str | None] = mapped_column(String(64))
    event_type: Mapped[str | None] = mapped_column(String(64))
    sub_event_type: Mapped[str | None] = mapped_column(String(64))
    plover_event: Mapped[str | None] = mapped_column(String(32))
    country_code: Mapped[str | None] = mapped_column(String(2))
    # Every actor name (actor1, actor2, associated), '|'-joined, for --actor.
    actors: Mapped[str] = mapped_column(Text, default="")
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    geo_precision: Mapped[int | None] = mapped_column(Integer)
    cell: Mapped[int | None] = mapped_column(Integer)
    fatalities: Mapped[int | None] = mapped_column(Integer)
    n_sources: Mapped[int] = mapped_column(Integer, default=1)
    # Content words of the event sentences of its reports, for comparing new reports.
    words: Mapped[list[Any]] = mapped_column(JSON)
    record: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    # Analyst corrections (schema 0004, sitrep.store.corrections): the record holds them.
    corrected: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    not_event: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    corrected_at: Mapped[datetime | None] = mapped_column(DateTime)

    __table_args__ = (
        # Date range + bbox queries read the index alone until a row matches.
        Index("ix_events_date_lon_lat", "event_date", "lon", "lat"),
        # Merge blocking: date window and grid cell.
        Index("ix_events_date_cell", "event_date", "cell"),
        Index("ix_events_country_date", "country_code", "event_date"),
        # Merge blocking of precise reports against their country's imprecise events.
        Index("ix_events_imprecise", "country_code", "event_date",
              sqlite_where=text(IMPRECISE), postgresql_where=text(IMPRECISE)),
        # Pages of events in date order (sitrep serve, schema 0004).
        Index("ix_events_date", "event_date"),
        # The few events analysts marked as not events (schema 0004).
        Index("ix_events_not_event", "id", sqlite_where=text("not_event = 1"),
              postgresql_where=text("not_event")),
    )


class MentionRow(Base):
    __tablename__ = "mentions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"),
                                           index=True)
    event_pk: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    event_id: Mapped[str] = mapped_column(String(128))
    record: Mapped[dict[str, Any]] = mapped_column(JSON)
    sentence: Mapped[str] = mapped_column(Text, default="")
    figure_context: Mapped[dict[str, Any]] = mapped_column(JSON)
    # How it joined its event: {"seed": true} or the compared event and the reasons.
    reason: Mapped[dict[str, Any]] = mapped_column(JSON)


class FigureRow(Base):
    __tablename__ = "figures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_pk: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    mention_id: Mapped[int] = mapped_column(ForeignKey("mentions.id", ondelete="CASCADE"),
                                            index=True)
    kind: Mapped[str] = mapped_column(String(16))
    best: Mapped[int | None] = mapped_column(Integer)
    low: Mapped[int | None] = mapped_column(Integer)
    high: Mapped[int | None] = mapped_column(Integer)
    qualifier: Mapped[str | None] = mapped_column(String(16))
    civilians: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text, default="")
    published: Mapped[date | None] = mapped_column(Date)
    is_update: Mapped[bool] = mapped_column(Boolean, default=False)


class CorrectionRow(Base):
    """One analyst correction of one field of a merged event; never deleted, only superseded
    (``active`` false) by the next correction of the same field."""

    __tablename__ = "corrections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[str] = mapped_column(String(128), index=True)
    field: Mapped[str] = mapped_column(String(32))
    value: Mapped[Any] = mapped_column(JSON, nullable=True)
    before: Mapped[Any] = mapped_column(JSON, nullable=True)
    version: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    author: Mapped[str] = mapped_column(String(128))
    note: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)


class SignatureRow(Base):
    """A stored report's text fingerprint for deduplication (``sitrep.store.dedup``)."""

    __tablename__ = "report_signatures"

    report_pk: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"),
                                           primary_key=True)
    # SHA-256 of the normalised words: the same article under other markup or spacing.
    text_hash: Mapped[str] = mapped_column(String(64), index=True)
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary)


class BandRow(Base):
    """One LSH band of a report's MinHash: reports sharing a band are compared."""

    __tablename__ = "report_bands"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_pk: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"),
                                           index=True)
    band_key: Mapped[int] = mapped_column(BigInteger, index=True)


class CopyRow(Base):
    """Another outlet's copy of a stored report: an extra source, never coded again."""

    __tablename__ = "report_copies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_pk: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"),
                                           index=True)
    document_id: Mapped[str] = mapped_column(String(512))
    url: Mapped[str | None] = mapped_column(String(2048), index=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    source: Mapped[str | None] = mapped_column(String(512))
    title: Mapped[str | None] = mapped_column(Text)
    published: Mapped[date | None] = mapped_column(Date)
    similarity: Mapped[float] = mapped_column(Float)
    ingested_at: Mapped[datetime] = mapped_column(DateTime)


reports = ReportRow.__table__
events = EventRow.__table__
mentions = MentionRow.__table__
figures = FigureRow.__table__
meta = Meta.__table__
corrections = CorrectionRow.__table__


signatures = SignatureRow.__table__
bands = BandRow.__table__
copies = CopyRow.__table__
