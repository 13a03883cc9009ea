"""Directories, read recursively: every file of a kind sitrep reads, in sorted path order.

Taken: text (``.txt .text .md``), HTML (``.html .htm .xhtml``), JSONL (``.jsonl .ndjson``),
feeds (``.xml .rss .atom``), WARC (``.warc``), Telegram exports (``result.json``), and ``.gz``
of each. Hidden files and folders and every other file are passed over (logged at debug level),
so a folder of downloads with images and indexes in it reads as its reports.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

log = logging.getLogger("sitrep.sources")

SUFFIXES = frozenset({".txt", ".text", ".md", ".html", ".htm", ".xhtml", ".jsonl", ".ndjson",
                      ".xml", ".rss", ".atom", ".warc"})
NAMES = frozenset({"result.json"})


def wanted(path: Path) -> bool:
    name = path.name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    return name in NAMES or os.path.splitext(name)[1] in SUFFIXES


def files(root: Path) -> Iterator[Path]:
    """The readable files under ``root``, sorted, hidden ones and symlinked folders left out."""
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            path = Path(folder) / name
            if name.startswith("."):
                continue
            if wanted(path):
                yield path
            else:
                log.debug("%s: not a kind of file sitrep reads; passed over", path)
