"""``make eval``: every evaluation over the data folder, rewriting docs/EVALUATION.md.

The data folder is ``$SITREP_EVAL_DATA``, default ``../shared/eval`` next to the project. When it
is absent this says so and exits 0, so the command is safe anywhere.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sitrep.evaluation.report import TASKS, render, run_all  # noqa: E402


def data_folder() -> Path:
    return Path(os.environ.get("SITREP_EVAL_DATA") or ROOT.parent / "shared" / "eval")


def with_loaded_gazetteer(data: Path, settlements: Path) -> Any:
    """Geocoding of the Ukrainian CIR rows with a p-coded settlement list loaded, as a user
    covering Ukraine would run it; in a throwaway home, so the embedded index stays as it is."""
    from sitrep.evaluation.runner import evaluate
    from sitrep.places import geocode as geo
    from sitrep.places import index as gazetteer

    rows = [json.loads(line) for line in
            (data / "geocode" / "cir_ukraine_dev.jsonl").open(encoding="utf-8") if line.strip()]
    old_home = os.environ.get("SITREP_HOME")
    with tempfile.TemporaryDirectory() as home:
        subset = Path(home) / "cir_ukraine_dev, Ukrainian rows, OCHA list loaded.jsonl"
        subset.write_text("".join(json.dumps(r) + "\n" for r in rows
                                  if r.get("country") == "Ukraine"), encoding="utf-8")
        os.environ["SITREP_HOME"] = home
        try:
            gazetteer.load(settlements, "csv", OCHA_COLUMNS, "UA")
            score = evaluate("geocode", [subset])[0]
        finally:
            if old_home is None:
                os.environ.pop("SITREP_HOME", None)
            else:
                os.environ["SITREP_HOME"] = old_home
            gazetteer.reset()
            geo._geocode_cached.cache_clear()
    return score


# How `sitrep gazetteer load --map` reads the OCHA list (shared/gazetteer/README.md).
OCHA_COLUMNS = {"name": "name_en", "alt_names": "name_ua", "admin1": "oblast_en",
                "admin2": "raion_en", "id": "pcode"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=None, help="data folder")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "EVALUATION.md")
    parser.add_argument("--limit", type=int, default=None, help="first N rows of each file")
    parser.add_argument("--tasks", default=",".join(TASKS), help="comma-separated tasks")
    args = parser.parse_args(argv)
    data = args.data or data_folder()
    tasks = [t for t in args.tasks.split(",") if t]
    unknown = [t for t in tasks if t not in TASKS]
    if unknown:
        parser.error(f"unknown task(s): {', '.join(unknown)}")
    if not data.is_dir():
        print(f"make eval: no evaluation data at {data} (set SITREP_EVAL_DATA); "
              f"{args.output} left as it is.")
        return 0

    def progress(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    results = run_all(data, tasks, limit=args.limit, progress=progress)
    case = data / "typing" / "case2021_dev.jsonl"
    if "typing" in tasks and case.exists() and not args.limit:
        # The shipped classifier was trained on these rows: add the honest, cross-validated row.
        sys.path.insert(0, str(ROOT / "scripts"))
        from cv_typing_pipeline import cross_validated

        progress("typing: 5-fold cross-validation of the whole pipeline")
        for result in results:
            if result.task == "typing":
                result.scores.append(cross_validated(case)[0])
    ocha = data.parent / "gazetteer" / "ukraine_settlements_ocha.csv"
    if "geocode" in tasks and ocha.exists() and not args.limit:
        progress("geocode: Ukrainian rows with the OCHA settlement list loaded (own index)")
        for result in results:
            if result.task == "geocode":
                result.scores.append(with_loaded_gazetteer(data, ocha))
    command = "make eval  # " + " ".join(
        shlex.quote(a) for a in ["python", "scripts/make_eval.py", *(argv or sys.argv[1:])])
    shown = "$SITREP_EVAL_DATA" if os.environ.get("SITREP_EVAL_DATA") else "../shared/eval"
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(render(results, command, str(args.data or shown), args.limit),
                           encoding="utf-8")
    print(f"make eval: wrote {args.output}")
    for result in results:
        if result.problem:
            print(f"make eval: {result.task}: {result.problem}", file=sys.stderr)
    return 1 if any(r.problem for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
