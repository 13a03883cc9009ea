"""Deduplication before extraction: a report already stored is never coded again.

Three checks, cheapest first, each before the pipeline runs:

1. *Same URL* (``by_url``, what ``sitrep watch`` uses): a page already stored, or stored as a
   copy, is skipped unread. Off for ``sitrep ingest``, where a changed report with a stored URL
   replaces the old extraction (a corrected toll).
2. *Same text*: the SHA-256 of the normalised words (lower case, no punctuation or spacing), so
   one article under other markup, boilerplate removed by trafilatura, matches exactly.
3. *Near-duplicate*: MinHash over word shingles (``SHINGLE`` words; ``PERMUTATIONS`` hash
   functions, multiply-shift over 64-bit shingle hashes from hashlib, in numpy), indexed by LSH
   (``BANDS`` bands of ``ROWS`` values; two texts with Jaccard similarity *s* share a band with
   probability 1 - (1 - s^ROWS)^BANDS: 0.2 -> 5 %, 0.5 -> 87 %, 0.7 -> 100 %). A candidate
   whose estimated similarity reaches ``THRESHOLD`` is the same wire story: the newcomer is
   stored as a *copy* (``report_copies``: its URL, outlet, title, date) of the stored report.

A report is never a copy of a stored report with its own URL (or, without URLs, its own id):
that is a new version of it, which replaces it as before. Copies of a report met earlier in
the same run are found too (an in-memory index of the run's reports) and written once their
original has committed.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np
from sqlalchemy import Connection, insert, select

from sitrep.records import DocumentResult, Report
from sitrep.store import bulk
from sitrep.store.db import Store
from sitrep.store.models import bands, copies, reports, signatures

SHINGLE = 3
PERMUTATIONS = 128
BANDS = 32
ROWS = PERMUTATIONS // BANDS
THRESHOLD = 0.5
# Only the start of a long text is shingled: enough to tell stories apart, bounded memory.
MAX_WORDS = 5000
_WORD = re.compile(r"\w+")
_rng = np.random.default_rng(0x5173)
# Multiply-shift hashing: h(x) = (a * x + b) mod 2^64, top 32 bits; a odd (fixed seed, so
# signatures stay comparable across runs and machines).
_A = _rng.integers(1, 2**63, PERMUTATIONS, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
_B = _rng.integers(0, 2**63, PERMUTATIONS, dtype=np.uint64)


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def text_hash(text: str) -> str:
    """The same for the same words, whatever the spacing, case and punctuation around them."""
    return hashlib.sha256(" ".join(words(text)).encode("utf-8", "surrogatepass")).hexdigest()


def minhash(text: str) -> np.ndarray | None:
    """``PERMUTATIONS`` uint32 minima over the text's shingles; None for too short a text."""
    tokens = words(text)[:MAX_WORDS]
    if len(tokens) < SHINGLE * 2:
        return None
    shingles = {" ".join(tokens[i:i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1)}
    hashed = np.fromiter(
        (int.from_bytes(hashlib.blake2b(s.encode("utf-8", "surrogatepass"),
                                        digest_size=8).digest(), "little") for s in shingles),
        dtype=np.uint64, count=len(shingles))
    with np.errstate(over="ignore"):
        mixed = (hashed[:, None] * _A[None, :] + _B[None, :]) >> np.uint64(32)
    return mixed.min(axis=0).astype(np.uint32)


def band_keys(signature: np.ndarray) -> list[int]:
    """One 62-bit key a band, its number mixed in (so equal rows in two bands differ)."""
    return [int.from_bytes(hashlib.blake2b(signature[b * ROWS:(b + 1) * ROWS].tobytes(),
                                           digest_size=8, person=b"band%04d" % b).digest(),
                           "little") >> 2 for b in range(BANDS)]


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two texts' shingle sets."""
    return float(np.count_nonzero(a == b)) / PERMUTATIONS


@dataclass
class Fingerprint:
    text_hash: str
    signature: np.ndarray | None
    keys: list[int]

    @classmethod
    def of(cls, report: Report) -> Fingerprint:
        signature = minhash(report.text)
        return cls(text_hash(report.text), signature,
                   band_keys(signature) if signature is not None else [])


@dataclass
class Match:
    """What a report duplicates: a stored report (``report_pk``) or one met earlier in this run
    (``pending``, its content hash), and how (``url``, ``text``, ``near``)."""

    how: str
    similarity: float
    report_pk: int | None = None
    pending: str | None = None


@dataclass
class Dedup:
    """The checks of one ingest, with the index of the reports it has let through so far."""

    by_url: bool = False
    threshold: float = THRESHOLD
    _run_hashes: dict[str, str] = field(default_factory=dict)
    _run_bands: defaultdict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    _run_sigs: dict[str, np.ndarray] = field(default_factory=dict)
    _run_keys: dict[str, tuple[str, str]] = field(default_factory=dict)
    _prints: dict[str, Fingerprint] = field(default_factory=dict)
    deferred: list[tuple[Report, str, Match]] = field(default_factory=list)

    def check(self, store: Store, items: list[tuple[Report, str]]) -> list[Match | None]:
        """For each (report, content hash), what it duplicates, or None when it is new."""
        prints = [Fingerprint.of(report) for report, _ in items]
        with store.read() as connection:
            known = bulk.column_in(connection, "SELECT content_hash FROM report_copies "
                                   "WHERE content_hash", [d for _, d in items])
            urls = self._stored_urls(connection, [r.url for r, _ in items if r.url])
            by_hash = _lookup(connection, "SELECT text_hash, report_pk FROM report_signatures "
                                          "WHERE text_hash", [p.text_hash for p in prints])
            by_band = _lookup(connection, "SELECT band_key, report_pk FROM report_bands "
                                          "WHERE band_key", [k for p in prints for k in p.keys],
                              many=True)
            pks = {pk for pks in by_band.values() for pk in pks} | set(by_hash.values())
            stored = _stored(connection, pks)
        out: list[Match | None] = []
        for (report, digest), fp in zip(items, prints, strict=True):
            match = self._match(report, digest, fp, known, urls, by_hash, by_band, stored)
            if match is None:
                self._remember(report, digest, fp)
            out.append(match)
        return out

    def _stored_urls(self, connection: Connection, urls: list[str]) -> set[str]:
        if not self.by_url or not urls:
            return set()
        return (bulk.column_in(connection, "SELECT url FROM reports WHERE url", urls)
                | bulk.column_in(connection, "SELECT url FROM report_copies WHERE url", urls))

    def _match(self, report: Report, digest: str, fp: Fingerprint, known: set[str],
               urls: set[str], by_hash: dict[Any, Any], by_band: dict[Any, Any],
               stored: dict[int, tuple[tuple[str, str], np.ndarray | None]]) -> Match | None:
        if digest in known or (report.url and report.url in urls):
            return Match("seen", 1.0)  # stored already, as a report or as a copy
        own = bulk.version_key(report)
        pk = by_hash.get(fp.text_hash)
        if pk is not None and stored.get(pk, (None,))[0] != own:
            return Match("text", 1.0, report_pk=pk)
        pending = self._run_hashes.get(fp.text_hash)
        if pending is not None and self._run_keys[pending] != own:
            return Match("text", 1.0, pending=pending)
        if fp.signature is None:
            return None
        best: Match | None = None
        for pk in {pk for k in fp.keys for pk in by_band.get(k, ())}:
            key, signature = stored.get(pk, (None, None))
            if signature is None or key == own:
                continue
            score = similarity(fp.signature, signature)
            if score >= self.threshold and (best is None or score > best.similarity):
                best = Match("near", score, report_pk=pk)
        for other in {d for k in fp.keys for d in self._run_bands.get(k, ())}:
            if self._run_keys[other] == own:
                continue
            score = similarity(fp.signature, self._run_sigs[other])
            if score >= self.threshold and (best is None or score > best.similarity):
                best = Match("near", score, pending=other)
        return best

    def _remember(self, report: Report, digest: str, fp: Fingerprint) -> None:
        self._prints[digest] = fp
        self._run_hashes[fp.text_hash] = digest
        self._run_keys[digest] = bulk.version_key(report)
        if fp.signature is not None:
            self._run_sigs[digest] = fp.signature
            for key in fp.keys:
                self._run_bands[key].append(digest)

    def _forget(self, digest: str, fp: Fingerprint) -> None:
        """Drop a report from the run's index once it is stored, so the index holds only the
        reports in flight, not the whole run."""
        if self._run_hashes.get(fp.text_hash) == digest:
            del self._run_hashes[fp.text_hash]
        self._run_sigs.pop(digest, None)
        self._run_keys.pop(digest, None)
        for key in fp.keys:
            others = self._run_bands.get(key)
            if others is not None:
                if digest in others:
                    others.remove(digest)
                if not others:
                    del self._run_bands[key]

    # --- writing ------------------------------------------------------------------------------

    def record(self, connection: Connection,
               batch: Iterable[tuple[Report, DocumentResult, str]]) -> None:
        """Store the fingerprints of a batch just written, in its transaction."""
        digests = [digest for _, _, digest in batch]
        pks = dict(connection.execute(select(reports.c.content_hash, reports.c.id)
                                      .where(reports.c.content_hash.in_(digests))).all())
        have = bulk.column_in(connection, "SELECT report_pk FROM report_signatures "
                                          "WHERE report_pk", list(pks.values())) if pks else set()
        rows, band_rows = [], []
        for report, result, digest in batch:
            fp = self._prints.pop(digest, None)
            if fp is not None:
                self._forget(digest, fp)  # findable in the store from now on
            pk = pks.get(digest)
            # a report whose extraction failed is no original: its copies are coded instead
            if pk is None or pk in have or result.error is not None:
                continue
            fp = fp or Fingerprint.of(report)
            rows.append({"report_pk": pk, "text_hash": fp.text_hash,
                         "minhash": fp.signature.tobytes() if fp.signature is not None
                         else None})
            band_rows.extend({"report_pk": pk, "band_key": key} for key in fp.keys)
            have.add(pk)
        if rows:
            connection.execute(insert(signatures), rows)
        if band_rows:
            connection.execute(insert(bands), band_rows)

    def store_copies(self, store: Store, found: list[tuple[Report, str, Match]]) -> int:
        """Store copies as extra sources of their reports; those of reports not stored yet
        (met earlier in this run) wait in ``deferred``. Returns how many were written."""
        ready = [f for f in found if f[2].report_pk is not None]
        self.deferred.extend(f for f in found if f[2].pending is not None)
        return self._write(store, ready) if ready else 0

    def flush(self, store: Store) -> int:
        """Write the copies whose originals this run has stored since."""
        waiting, self.deferred = self.deferred, []
        if not waiting:
            return 0
        with store.read() as connection:
            pks = dict(connection.execute(
                select(reports.c.content_hash, reports.c.id).where(
                    reports.c.content_hash.in_({m.pending for _, _, m in waiting}))).all())
        ready = []
        for report, digest, match in waiting:
            if match.pending in pks:
                match.report_pk = pks[match.pending]
                ready.append((report, digest, match))
        return self._write(store, ready)

    def _write(self, store: Store, ready: list[tuple[Report, str, Match]]) -> int:
        now = datetime.now(UTC).replace(tzinfo=None)
        with store.write() as connection:
            have = bulk.column_in(connection, "SELECT content_hash FROM report_copies "
                                              "WHERE content_hash", [d for _, d, _ in ready])
            rows = []
            for report, digest, match in ready:
                if digest in have:
                    continue
                have.add(digest)
                rows.append({"report_pk": match.report_pk, "document_id": report.id,
                             "url": report.url, "content_hash": digest,
                             "source": report.source, "title": report.title,
                             "published": report.published, "similarity": match.similarity,
                             "ingested_at": now})
            if rows:
                connection.execute(insert(copies), rows)
        return len(rows)


def _lookup(connection: Connection, query: str, values: list[Any],
            many: bool = False) -> dict[Any, Any]:
    """``query IN values`` as key -> value (or key -> list of values)."""
    p = "?" if connection.dialect.name == "sqlite" else "%s"
    out: dict[Any, Any] = defaultdict(list) if many else {}
    values = list(dict.fromkeys(values))
    for at in range(0, len(values), bulk.VALUES_AT_ONCE):
        chunk = tuple(values[at:at + bulk.VALUES_AT_ONCE])
        for key, value in connection.exec_driver_sql(
                f"{query} IN ({', '.join([p] * len(chunk))})", chunk):
            if many:
                out[key].append(value)
            else:
                out.setdefault(key, value)
    return out


def _stored(connection: Connection, pks: set[int]
            ) -> dict[int, tuple[tuple[str, str], np.ndarray | None]]:
    """Each candidate report's version key (URL or id) and MinHash."""
    if not pks:
        return {}
    rows = connection.execute(
        select(reports.c.id, reports.c.url, reports.c.document_id, signatures.c.minhash)
        .join(signatures, signatures.c.report_pk == reports.c.id)
        .where(reports.c.id.in_(pks))).all()
    return {pk: (("url", url) if url else ("id", doc),
                 np.frombuffer(blob, dtype=np.uint32) if blob else None)
            for pk, url, doc, blob in rows}


def copies_of(store: Store, report_pk: int) -> list[dict[str, Any]]:
    """The copies stored as extra sources of one report."""
    with store.read() as connection:
        return [dict(row._mapping) for row in connection.execute(
            select(copies).where(copies.c.report_pk == report_pk).order_by(copies.c.id))]
