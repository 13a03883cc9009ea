"""Labelled rows for training the typing classifier, read and checked before any fitting.

Three formats: CASE 2021 typing JSONL (``{"text", "label"}`` with a CASE code), sitrep's
ACLED-notes JSONL (``{"text", "label", "country", ...}`` with ACLED's sub-event name) and ACLED
CSV exports as analysts download them (``notes`` and ``sub_event_type`` columns; ``country`` is
used for grouped cross-validation when present, every other column is ignored). Bad rows stop
training with a message that names them: a model silently trained on less is worse than none.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sitrep import errors
from sitrep.pipeline.typing import LABELS, SUB_TO_CASE

# A label with fewer rows than this cannot be learnt or cross-validated; the user must drop it
# explicitly (``--drop-rare``) or add rows.
MIN_ROWS = 5
_SHOWN = 5  # rows or labels quoted in one message

_BY_NAME: dict[str, str] = {**{lab.lower(): lab for lab in LABELS},
                            **{name.lower(): code for name, code in SUB_TO_CASE.items()}}


class TrainingDataError(errors.SitrepError):
    """Training data that would give a wrong or silently worse model (code E031)."""

    def __init__(self, path: str | Path, detail: str) -> None:
        err = errors.error(errors.BAD_TRAINING_DATA, path=path, detail=detail)
        super().__init__(err.code, err.message)


@dataclass(frozen=True)
class Example:
    """One training row: the text, its CASE code, its group (country) and file."""

    text: str
    label: str
    group: str
    source: str


def label_code(label: str) -> str | None:
    """The CASE code of a CASE code or an ACLED sub-event name (any case); None if unknown."""
    return _BY_NAME.get(" ".join(label.split()).lower())


def _rows_text(numbers: Sequence[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:_SHOWN])
    more = f" and {len(numbers) - _SHOWN} more" if len(numbers) > _SHOWN else ""
    return f"row{'s' if len(numbers) > 1 else ''} {shown}{more}"


def _raw_rows(path: Path) -> list[tuple[int, str, str, str]]:
    """(row number, text, label, group) of a file, by its format."""
    if path.suffix.lower() == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            columns = {c.strip().lower(): c for c in reader.fieldnames or []}
            missing = [c for c in ("notes", "sub_event_type") if c not in columns]
            if missing:
                raise TrainingDataError(path, "an ACLED CSV export needs the columns 'notes' and "
                                              f"'sub_event_type'; missing: {', '.join(missing)}")
            text_col, label_col = columns["notes"], columns["sub_event_type"]
            group_col = columns.get("country")
            # row numbers as a spreadsheet shows them: the header is row 1
            return [(n, row.get(text_col) or "", row.get(label_col) or "",
                     (row.get(group_col) or "") if group_col else "")
                    for n, row in enumerate(reader, 2)]
    out: list[tuple[int, str, str, str]] = []
    with path.open(encoding="utf-8") as handle:
        for n, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise TrainingDataError(path, f"line {n} is not JSON ({exc.msg})") from None
            if not isinstance(row, dict) or "label" not in row or "text" not in row:
                raise TrainingDataError(path, f"line {n} is not an object with 'text' and "
                                              "'label' (CASE or ACLED-notes JSONL)")
            out.append((n, str(row.get("text") or ""), str(row.get("label") or ""),
                        str(row.get("country") or "")))
    return out


def read_examples(path: str | Path) -> list[Example]:
    """All rows of one file, or a TrainingDataError naming the rows that are unusable."""
    path = Path(path)
    try:
        raw = _raw_rows(path)
    except OSError as exc:
        raise TrainingDataError(path, f"cannot read it ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise TrainingDataError(path, "it is not UTF-8 text") from None
    if not raw:
        raise TrainingDataError(path, "it has no rows")
    empty = [n for n, text, _, _ in raw if not text.strip()]
    if empty:
        raise TrainingDataError(path, f"empty notes/text in {_rows_text(empty)}")
    unknown: dict[str, list[int]] = {}
    for n, _, label, _ in raw:
        if label_code(label) is None:
            unknown.setdefault(label, []).append(n)
    if unknown:
        detail = "; ".join(f"'{lab}' ({_rows_text(rows)})" for lab, rows in
                           list(unknown.items())[:_SHOWN])
        raise TrainingDataError(path, f"unknown labels: {detail}. Labels must be ACLED "
                                      "sub-event types or CASE 2021 codes")
    source = path.name
    return [Example(" ".join(text.split()), label_code(label) or "", group or source, source)
            for _, text, label, group in raw]


def check_counts(examples: Sequence[Example], *, min_rows: int = MIN_ROWS,
                 drop_rare: bool = False, where: str = "training data") -> list[Example]:
    """The examples, refusing labels with fewer than ``min_rows`` rows unless told to drop them."""
    counts = Counter(e.label for e in examples)
    rare = {lab: n for lab, n in counts.items() if n < min_rows}
    if rare and not drop_rare:
        shown = ", ".join(f"{lab} ({n} row{'s' if n > 1 else ''})" for lab, n in
                          sorted(rare.items(), key=lambda kv: kv[1]))
        raise TrainingDataError(where, f"too few rows to learn {shown}: each label needs at "
                                       f"least {min_rows}. Add rows, or pass --drop-rare to "
                                       "train without these labels")
    kept = [e for e in examples if e.label not in rare]
    if len({e.label for e in kept}) < 2:
        raise TrainingDataError(where, "a classifier needs at least two labels with "
                                       f"{min_rows} rows or more each")
    return kept
