"""Progress on stderr: plain lines in logs, a rich bar at a terminal, nothing on short runs."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from sitrep.cli import progress


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_counts_reports_in_inputs(tmp_path: Path) -> None:
    jsonl = tmp_path / "a.jsonl"
    jsonl.write_text('{"text": "a"}\n\n{"text": "b"}\n{"text": "c"}\n', encoding="utf-8")
    text = tmp_path / "b.txt"
    text.write_text("One report.\n\nStill one.\n", encoding="utf-8")
    assert progress.count_reports([str(jsonl), str(text)]) == 4
    assert progress.count_reports([str(jsonl), "-"]) is None
    assert progress.count_reports(None) is None


def test_progress_plain_lines_give_rate_failures_and_eta(monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    monkeypatch.setenv("SITREP_PROGRESS_SECONDS", "0")
    out = io.StringIO()
    with progress.Progress(lambda: 4, stream=out) as shown:
        items = list(shown.track(range(3), failed=lambda n: n == 1))
    assert items == [0, 1, 2]
    lines = out.getvalue().splitlines()
    assert len(lines) == 3
    assert lines[-1].startswith("sitrep: progress: 3/4 reports, ")
    assert ", 1 failed, ETA 0:00:0" in lines[-1]


def test_progress_is_silent_on_short_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SITREP_PROGRESS_SECONDS", raising=False)
    counted = []
    for stream in (io.StringIO(), _Terminal()):
        with progress.Progress(lambda: counted.append(1) or 10, stream=stream) as shown:
            list(shown.track(range(10)))
        assert stream.getvalue() == ""
    assert not counted  # the inputs are not even counted


def test_progress_bar_at_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress, "DELAY", 0.0)
    terminal = _Terminal()
    with progress.Progress(5, stream=terminal) as shown:
        list(shown.track(range(5), failed=lambda n: n > 2))
        assert shown._bar is not None
    assert shown._bar is None
    screen = terminal.getvalue()
    assert "5/5" in screen and "2 failed" in screen and "reports/s" in screen
