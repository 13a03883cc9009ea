"""Sections of docs/BENCHMARKS.md that benchmarks outside ``make bench`` write and keep.

``bench/workers.py --record`` and ``bench/spark.py --record`` each replace their own section
(between ``<!-- section:NAME -->`` and ``<!-- /section:NAME -->``); ``bench/suite.py`` rewrites
the page but carries these sections over, so neither run erases the other's figures.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "BENCHMARKS.md"
_SECTION = re.compile(r"<!-- section:(?P<name>[\w-]+) -->\n.*?<!-- /section:(?P=name) -->\n",
                      re.DOTALL)


def kept_sections(page: str) -> str:
    """The recorded sections of a page, in order, to append to a rewritten page."""
    found = [m.group(0) for m in _SECTION.finditer(page)]
    return "".join("\n" + s for s in found)


def record(name: str, markdown: str, page: Path = PAGE) -> None:
    """Put ``markdown`` in the page as section ``name``, replacing an older one."""
    block = f"<!-- section:{name} -->\n{markdown.rstrip()}\n<!-- /section:{name} -->\n"
    text = page.read_text(encoding="utf-8") if page.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"<!-- section:{re.escape(name)} -->\n.*?<!-- /section:"
                         rf"{re.escape(name)} -->\n", re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _m: block, text)
    else:
        text = text.rstrip("\n") + "\n\n" + block
    page.write_text(text, encoding="utf-8")
