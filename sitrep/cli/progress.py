"""Progress of long runs on stderr: a rich bar at a terminal, a plain line now and then
otherwise (a log file or CI gets a line every ``SITREP_PROGRESS_SECONDS``, default 30).

Short runs show nothing: the bar appears only after ``DELAY`` seconds, and the count of
reports to come (for the ETA) is read from the inputs only then, so a one-report call never
pays for either. stdout is never touched, so ``--format jsonl`` stays one object a line.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any, TypeVar

T = TypeVar("T")

DELAY = 1.0
PLAIN_SECONDS = 30.0


def count_reports(paths: list[str] | None) -> int | None:
    """How many reports the inputs hold (JSONL: non-blank lines; other files: one each), or
    None when one is stdin."""
    from sitrep.sources import sniff_kind

    total = 0
    for path in paths or ["-"]:
        if path == "-":
            return None
        try:
            with open(path, "rb") as stream:
                head = stream.read(4096)
                if sniff_kind(head, Path(path).suffix) != "jsonl":
                    total += 1
                    continue
                stream.seek(0)
                total += sum(1 for line in stream if line.strip())
        except OSError:
            return None
    return total


class Progress:
    """Counts results as they stream past and shows the rate, the ETA and the failures."""

    def __init__(self, total: Callable[[], int | None] | int | None = None, *,
                 stream: IO[str] | None = None, label: str = "reports") -> None:
        self._total = total
        self.stream = stream or sys.stderr
        self.label = label
        self.done = self.failed = 0
        self.started = time.monotonic()
        self.terminal = self.stream.isatty()
        self.every = float(os.environ.get("SITREP_PROGRESS_SECONDS", PLAIN_SECONDS))
        self._last_line = self.started
        self._bar: Any = None
        self._task: Any = None
        self._known: int | None = None
        self._counted = False

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @property
    def total(self) -> int | None:
        if not self._counted:
            self._counted = True
            self._known = self._total() if callable(self._total) else self._total
        return self._known

    def track(self, items: Iterable[T], failed: Callable[[T], bool] = lambda _item: False
              ) -> Iterator[T]:
        for item in items:
            self.update(failed(item))
            yield item

    def update(self, failed: bool = False) -> None:
        self.done += 1
        self.failed += failed
        now = time.monotonic()
        if self.terminal:
            if self._bar is None and now - self.started >= DELAY:
                self._start_bar()
            if self._bar is not None:
                # rich's own speed column says "it/s"; reports a second is what users ask.
                rate = self.done / max(now - self.started, 1e-9)
                self._bar.update(self._task, completed=self.done, failed=self.failed,
                                 rate=f"{rate:.1f} {self.label}/s")
        elif now - self._last_line >= self.every:
            self._last_line = now
            self.stream.write(self.line(now) + "\n")
            self.stream.flush()

    def line(self, now: float | None = None) -> str:
        """The plain progress line: count, rate, failures and, when the total is known, ETA."""
        elapsed = max((now or time.monotonic()) - self.started, 1e-9)
        rate = self.done / elapsed
        total = self.total
        done = f"{self.done}/{total}" if total is not None else str(self.done)
        text = f"sitrep: progress: {done} {self.label}, {rate:.1f}/s, {self.failed} failed"
        if total is not None and rate > 0 and total >= self.done:
            text += f", ETA {_clock((total - self.done) / rate)}"
        return text

    def _start_bar(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )
        from rich.progress import Progress as Bar

        self._bar = Bar(
            TextColumn("[bold]sitrep[/]"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"), TextColumn("{task.fields[failed]} failed"),
            TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
            console=Console(file=self.stream), transient=True, redirect_stdout=False)
        self._task = self._bar.add_task(self.label, total=self.total, completed=self.done,
                                        failed=self.failed, rate="")
        self._bar.start()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


def _clock(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"
