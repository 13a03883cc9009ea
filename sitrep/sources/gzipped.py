"""Gzip read transparently (any file, stdin, a download), with a cap on what it expands to.

A gzip bomb (a few kilobytes that expand to gigabytes) must cost neither memory nor time: the
stream is decompressed as it is read, and reading stops with GZIP_BOMB once the output passes
``max_bytes`` or grows more than ``max_ratio`` times the input read so far (ordinary text and
WARC files compress 3-10 times; zeros a thousand times). The caller yields that error in place
of the rest of the input and goes on with the next.
"""

from __future__ import annotations

import io
import os
import zlib
from typing import IO

from sitrep import errors

GZIP_MAGIC = b"\x1f\x8b"
# A WARC.gz of Common Crawl News is about 1 GB compressed, 5 GB expanded.
MAX_BYTES = int(os.environ.get("SITREP_MAX_GUNZIP", 8_000_000_000))
MAX_RATIO = 100
# The ratio is judged only past this much output: tiny inputs may compress oddly well.
RATIO_AFTER = 1 << 20
_CHUNK = 1 << 16


def is_gzip(head: bytes) -> bool:
    return head.startswith(GZIP_MAGIC)


class CappedGunzip(io.RawIOBase):
    """A read-only stream of the decompressed bytes of a (multi-member) gzip stream."""

    def __init__(self, raw: IO[bytes], head: bytes, name: str, max_bytes: int = MAX_BYTES,
                 max_ratio: int = MAX_RATIO) -> None:
        self._raw = raw
        self._pending = head
        self._name = name
        self._max_bytes = max_bytes
        self._max_ratio = max_ratio
        self._decoder = zlib.decompressobj(31)
        self._buffer = bytearray()
        self._read_in = 0
        self._out = 0
        self._eof = False

    def readable(self) -> bool:
        return True

    def readinto(self, target: memoryview) -> int:  # type: ignore[override]
        while not self._buffer and not self._eof:
            self._fill()
        n = min(len(target), len(self._buffer))
        target[:n] = self._buffer[:n]
        del self._buffer[:n]
        return n

    def _fill(self) -> None:
        data = self._decoder.unconsumed_tail or self._pending or self._raw.read(_CHUNK)
        fresh = not self._decoder.unconsumed_tail
        self._pending = b""
        if not data:
            self._eof = True
            return
        if fresh:
            self._read_in += len(data)
        try:
            out = self._decoder.decompress(data, _CHUNK * 4)
        except zlib.error as exc:
            raise errors.error(errors.BAD_ENCODING, report_id=self._name) from exc
        if self._decoder.eof:  # another gzip member may follow (WARC.gz: one per record)
            rest = self._decoder.unused_data
            self._decoder = zlib.decompressobj(31)
            self._pending = rest
        self._out += len(out)
        if self._out > self._max_bytes or (
                self._out > RATIO_AFTER and self._out > self._max_ratio * self._read_in):
            self._eof = True
            raise errors.error(errors.GZIP_BOMB, report_id=self._name, limit=self._max_bytes,
                               ratio=self._max_ratio, name=self._name)
        self._buffer += out


def gunzip(raw: IO[bytes], head: bytes, name: str) -> tuple[IO[bytes], bytes]:
    """The decompressed stream and its first bytes, for sniffing what is inside."""
    stream = io.BufferedReader(CappedGunzip(raw, head, name), _CHUNK)
    return stream, stream.read(4096)


class _Prefixed(io.RawIOBase):
    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, target: memoryview) -> int:  # type: ignore[override]
        if self._head:
            n = min(len(target), len(self._head))
            target[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(target))
        target[: len(data)] = data
        return len(data)


def prefixed(head: bytes, rest: IO[bytes]) -> IO[bytes]:
    """The stream whose first bytes were read for sniffing, whole again."""
    return io.BufferedReader(_Prefixed(head, rest), _CHUNK)
