"""``make bench``: sitrep's speed and memory, measured and written to docs/BENCHMARKS.md.

Each measurement runs in its own process, so its peak RSS is its own (read from ``wait4``).
Extraction is timed against bare spaCy (the same model, the same texts, the same run) and given
as a ratio, which travels between machines; absolute figures carry the machine they ran on.
Every timing is repeated and the median reported.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

PROCESS_START = time.perf_counter()
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# Used when the shared news corpus is absent: short reports written for the benchmark.
FALLBACK_TEXTS = (
    "Two people were killed and five wounded when artillery shells hit a market in the eastern "
    "town on Tuesday morning, the regional governor said in a statement.",
    "Police fired tear gas at several hundred students who marched to the parliament building "
    "on Friday to protest against higher tuition fees. Twelve were arrested.",
    "Gunmen on motorbikes attacked a village in the north-west of the country overnight, "
    "killing at least 14 villagers and abducting 30 others, local officials said on Sunday.",
    "The two governments signed an agreement in the capital on Monday to reopen border "
    "crossings closed since the fighting began, the foreign ministry said.",
    "A roadside bomb struck a military convoy near the provincial capital, killing three "
    "soldiers. No group has claimed responsibility for the attack.",
)
FALLBACK_QUERIES = (
    "Kharkiv, Ukraine", "Aleppo, Syria", "Mogadishu, Somalia", "Kabul, Afghanistan",
    "Goma, North Kivu, Democratic Republic of the Congo", "Maiduguri, Borno, Nigeria",
    "Mosul, Nineveh, Iraq", "Sanaa, Yemen", "Bamako, Mali", "Khartoum, Sudan",
)
# Fresh processes timed for geocoding, at least: one pass over the queries takes a fraction of
# a second, which other work on a shared machine stretches unevenly (the medians of three runs
# of the same code differed by over a thousand queries a second).
GEOCODE_RUNS = 7
COLD_REPORT = (
    "Three civilians were killed and eight injured on Wednesday when a missile hit an "
    "apartment block in the city centre, the mayor said. Rescue teams were still searching "
    "the rubble in the evening.\n"
)


# -- workers: run in a child process, print one JSON object ---------------------------------

def _timed(run: Callable[[], Any], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return times


def worker(kind: str, input_path: Path, repeat: int) -> dict[str, Any]:
    items = json.loads(input_path.read_text(encoding="utf-8"))
    if kind == "spacy":
        from sitrep.nlp import load_model

        nlp = load_model()
        list(nlp.pipe(items[:5]))  # warm-up: first-call allocations are not throughput
        return {"times": _timed(lambda: list(nlp.pipe(items, batch_size=32)), repeat)}
    if kind == "extract":
        from sitrep.api import extract_batch

        reports = [{"id": str(i), "text": t} for i, t in enumerate(items)]
        list(extract_batch(reports[:5]))
        failed: list[int] = []

        def run() -> None:
            failed.append(sum(r.error is not None for r in extract_batch(reports)))

        return {"times": _timed(run, repeat), "failed": failed[-1]}
    if kind == "geoparse":
        return _geoparse_share(items, repeat)
    if kind == "gazetteer-build":
        from sitrep.places.index import get_gazetteer

        started = time.perf_counter()
        gaz = get_gazetteer()
        return {"times": [time.perf_counter() - started], "places": gaz.count()}
    if kind == "gazetteer-open":
        # From interpreter start (not module import) to the first answer: what a user waits.
        from sitrep.places.geocode import geocode

        geocode(items[0])
        return {"times": [time.perf_counter() - PROCESS_START]}
    if kind == "geocode":
        from sitrep.places.geocode import geocode

        geocode(items[0])

        def run_queries() -> None:
            for query in items:
                geocode(query)

        return {"times": _timed(run_queries, repeat)}
    raise ValueError(kind)


def _geoparse_share(items: Sequence[str], repeat: int) -> dict[str, Any]:
    """Time of the places stage over already-parsed texts, against the parse it reuses."""
    from sitrep.document import Document
    from sitrep.nlp import load_model
    from sitrep.places.mentions import find_places
    from sitrep.records import Report

    nlp = load_model()
    for i, doc in enumerate(nlp.pipe(items[:5])):  # warm-up, and the index opened (or built)
        find_places(Document(report=Report(id=f"warm{i}", text=doc.text), doc=doc))
    parse_times, place_times = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        docs = list(nlp.pipe(items, batch_size=32))
        parse_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        for i, (text, doc) in enumerate(zip(items, docs, strict=True)):
            find_places(Document(report=Report(id=str(i), text=text), doc=doc))
        place_times.append(time.perf_counter() - started)
    return {"times": place_times, "parse_times": parse_times}


# -- the parent: spawn, time, collect peak RSS ---------------------------------------------

def _run_child(cmd: Sequence[str], stdin: str | None = None, env: dict[str, str] | None = None
               ) -> tuple[int, str, str, float, float]:
    """(exit code, stdout, stderr tail, wall seconds, peak RSS MiB) of one child process."""
    with tempfile.TemporaryFile() as err, tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
                                stdout=out, stderr=err, cwd=ROOT,
                                env={**os.environ, **env} if env else None)
        if stdin and proc.stdin:
            proc.stdin.write(stdin.encode())
            proc.stdin.close()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        tail = err.read().decode(errors="replace")[-600:]
        # ru_maxrss is in KiB on Linux, bytes on macOS.
        scale = 1024 * 1024 if sys.platform == "darwin" else 1024
        return proc.returncode, out.read().decode(errors="replace"), tail, wall, \
            usage.ru_maxrss / scale


def measure(kind: str, items: Sequence[str], repeat: int,
            env: dict[str, str] | None = None) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(list(items), handle)
    try:
        code, out, err, _, rss = _run_child(
            [sys.executable, str(Path(__file__).resolve()), "--worker", kind,
             "--input", handle.name, "--repeat", str(repeat)], env=env)
    finally:
        os.unlink(handle.name)
    if code != 0:
        return {"error": err.strip().splitlines()[-1] if err.strip() else f"exit {code}"}
    result = json.loads(out.strip().splitlines()[-1])
    result["median_s"] = statistics.median(result["times"])
    result["peak_rss_mib"] = rss
    return result


def measure_fresh(kind: str, items: Sequence[str], repeat: int) -> dict[str, Any]:
    """One process per run: the geocoder caches answers, so a second pass in the same process
    would time the cache, not the geocoder."""
    runs = [measure(kind, items, 1) for _ in range(repeat)]
    failed = [r for r in runs if "error" in r]
    if failed:
        return failed[0]
    times = [r["times"][0] for r in runs]
    return {"times": times, "median_s": statistics.median(times),
            "peak_rss_mib": max(r["peak_rss_mib"] for r in runs)}


def gazetteer_runs(queries: Sequence[str], repeat: int) -> dict[str, dict[str, Any]]:
    """Build the embedded index in an empty home (once: it is minutes, not seconds), then open
    it from fresh processes: the build's peak memory and the open's latency are the targets."""
    with tempfile.TemporaryDirectory() as home:
        env = {"SITREP_HOME": home}
        build = measure("gazetteer-build", queries[:1], 1, env=env)
        if "error" in build:
            return {"build": build, "open": build}
        runs = [measure("gazetteer-open", queries[:1], 1, env=env) for _ in range(repeat)]
    failed = [r for r in runs if "error" in r]
    if failed:
        return {"build": build, "open": failed[0]}
    times = [r["times"][0] for r in runs]
    return {"build": build, "open": {"times": times, "median_s": statistics.median(times),
                                     "peak_rss_mib": max(r["peak_rss_mib"] for r in runs)}}


def sitrep_command() -> list[str]:
    script = Path(sys.executable).parent / "sitrep"
    if script.exists():
        return [str(script)]
    found = shutil.which("sitrep")
    return [found] if found else [sys.executable, "-m", "sitrep"]


def cold_start(repeat: int) -> dict[str, Any]:
    """``sitrep extract`` on one short report, from process start to exit."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        handle.write(COLD_REPORT)
    runs = []
    try:
        cmd = [*sitrep_command(), "extract", handle.name, "--published", "2024-05-15",
               "--format", "jsonl"]
        for _ in range(repeat):
            code, out, err, wall, rss = _run_child(cmd)
            if code not in (0, 1) or not out.strip():
                return {"error": (err.strip().splitlines() or [f"exit {code}"])[-1],
                        "command": " ".join(cmd)}
            runs.append((wall, rss))
    finally:
        os.unlink(handle.name)
    return {"times": [w for w, _ in runs], "median_s": statistics.median(w for w, _ in runs),
            "peak_rss_mib": max(r for _, r in runs), "command": "sitrep extract report.txt "
            "--published 2024-05-15 --format jsonl"}


def load_inputs(data: Path, docs: int | None) -> tuple[list[str], list[str], str, str]:
    corpus = data / "bench" / "news_corpus.jsonl"
    if corpus.is_file():
        texts = [json.loads(line)["text"] for line in corpus.open(encoding="utf-8")
                 if line.strip()]
        text_source = f"`bench/news_corpus.jsonl` from the evaluation data ({len(texts)} news "
        text_source += "articles)"
    else:
        texts = list(FALLBACK_TEXTS) * 40
        text_source = "the built-in short reports of bench/suite.py, repeated (no corpus found)"
    texts = texts[:docs] if docs else texts
    queries = [json.loads(line)["query"] for f in sorted((data / "geocode").glob("*.jsonl"))
               for line in f.open(encoding="utf-8") if line.strip()] if data.is_dir() else []
    query_source = "the place strings of the geocoding dev files"
    if not queries:
        queries = list(FALLBACK_QUERIES) * 20
        query_source = "the built-in place strings of bench/suite.py, repeated"
    return texts, queries, text_source, query_source


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        import spacy

        spacy_version = spacy.__version__
    except ImportError:
        spacy_version = "absent"
    return (f"{cpu}, {os.cpu_count()} logical CPUs, {platform.system()} "
            f"{platform.release()}, Python {platform.python_version()}, spaCy {spacy_version}")


def _fmt(value: float | None, digits: int = 1) -> str:
    return "n/a" if value is None else f"{value:,.{digits}f}"


def render(results: dict[str, dict[str, Any]], texts: Sequence[str], queries: Sequence[str],
           sources: tuple[str, str], repeat: int, command: str) -> str:
    words = sum(len(t.split()) for t in texts)
    rows: list[tuple[str, str, str]] = []
    ratio = None
    for kind, label in (("spacy", "bare spaCy parse"), ("extract", "sitrep extract")):
        r = results[kind]
        if "error" in r:
            rows.append((f"{label} throughput", f"failed: {r['error']}", "n/a"))
            continue
        rows.append((f"{label} throughput",
                     f"{_fmt(len(texts) / r['median_s'])} docs/s, "
                     f"{_fmt(words / r['median_s'], 0)} words/s", _fmt(r["peak_rss_mib"], 0)))
    if "error" not in results["spacy"] and "error" not in results["extract"]:
        ratio = results["extract"]["median_s"] / results["spacy"]["median_s"]
    cold, geo = results["cold"], results["geocode"]
    rows.append(("cold start, one short report",
                 f"failed: {cold['error']}" if "error" in cold else f"{cold['median_s']:.2f} s",
                 "n/a" if "error" in cold else _fmt(cold["peak_rss_mib"], 0)))
    rows.append(("geocode throughput",
                 f"failed: {geo['error']}" if "error" in geo
                 else f"{_fmt(len(queries) / geo['median_s'])} queries/s",
                 "n/a" if "error" in geo else _fmt(geo["peak_rss_mib"], 0)))
    parse = results["geoparse"]
    if "error" in parse:
        rows.append(("places stage time / spaCy parse time", f"failed: {parse['error']}", "n/a"))
    else:
        share = parse["median_s"] / statistics.median(parse["parse_times"])
        rows.append(("places stage time / spaCy parse time (geoparse overhead)",
                     f"{share:.1%}", _fmt(parse["peak_rss_mib"], 0)))
    build, opened = results["gazetteer"]["build"], results["gazetteer"]["open"]
    rows.append(("gazetteer index build (embedded tier, once per home)",
                 f"failed: {build['error']}" if "error" in build
                 else f"{build['median_s']:.1f} s, {build['places']:,} places",
                 "n/a" if "error" in build else _fmt(build["peak_rss_mib"], 0)))
    rows.append(("gazetteer cold start (process start to first geocode)",
                 f"failed: {opened['error']}" if "error" in opened
                 else f"{opened['median_s']:.2f} s",
                 "n/a" if "error" in opened else _fmt(opened["peak_rss_mib"], 0)))
    failed = results["extract"].get("failed")
    lines = [
        "# Benchmarks",
        "",
        "<!-- Generated by `make bench` (bench/suite.py); do not edit by hand. -->",
        "",
        f"Measured {date.today().isoformat()} with `{command}` on: {machine()}.",
        "",
        "| measure | median | peak RSS (MiB) |",
        "|---|---|---:|",
        f"| **sitrep extract time / bare spaCy time** (same texts, same run) | "
        f"**{'n/a' if ratio is None else f'{ratio:.2f}x'}** | |",
        *[f"| {m} | {v} | {rss} |" for m, v, rss in rows],
        "",
        f"- Texts: {sources[0]}; {len(texts)} documents, {words:,} words (whitespace-split). "
        "Both sides load the same spaCy model before timing and warm up on 5 texts; the ratio "
        "is the one figure that holds across machines (the target is at most 2x).",
        f"- Geocoding: {len(queries)} queries from {sources[1]}, one at a time, each run in a "
        f"fresh process (the geocoder caches answers); the median of {geo.get('runs', repeat)} "
        "such processes.",
        f"- Cold start: `{cold.get('command', 'sitrep extract')}`, process start to exit, "
        "model loading included.",
        "- Geoparse overhead: the places stage (recognition and resolution) over texts already "
        "parsed, against the time of that parse, same process (the target is at most 30%).",
        "- Gazetteer: the embedded index built in an empty `SITREP_HOME` (targets: peak memory "
        "under 500 MiB; cold start under 1 s from a fresh interpreter to its first answer).",
        f"- Each timing is the median of {repeat} runs; peak RSS is the largest resident set "
        "of the process that ran it (model included).",
    ]
    if failed:
        lines.append(f"- {failed} of the texts came back with an error from `sitrep extract`.")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--docs", type=int, default=None, help="only the first N texts")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "BENCHMARKS.md")
    parser.add_argument("--worker", help=argparse.SUPPRESS,
                        choices=("spacy", "extract", "geocode", "geoparse", "gazetteer-build",
                                 "gazetteer-open"))
    parser.add_argument("--input", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args.worker, args.input, args.repeat)))
        return 0
    data = Path(os.environ.get("SITREP_EVAL_DATA") or ROOT.parent / "shared" / "eval")
    texts, queries, text_source, query_source = load_inputs(data, args.docs)
    results: dict[str, dict[str, Any]] = {}
    for kind, items in (("spacy", texts), ("extract", texts)):
        print(f"bench: {kind} ({len(items)} items x {args.repeat})", file=sys.stderr, flush=True)
        results[kind] = measure(kind, items, args.repeat)
    geocode_runs = max(args.repeat, GEOCODE_RUNS)
    print(f"bench: geocode ({len(queries)} queries x {geocode_runs} processes)", file=sys.stderr,
          flush=True)
    results["geocode"] = measure_fresh("geocode", queries, geocode_runs)
    results["geocode"]["runs"] = geocode_runs
    print(f"bench: geoparse ({len(texts)} texts x {args.repeat})", file=sys.stderr, flush=True)
    results["geoparse"] = measure("geoparse", texts, args.repeat)
    print("bench: gazetteer build and open", file=sys.stderr, flush=True)
    results["gazetteer"] = gazetteer_runs(queries, args.repeat)
    print("bench: cold start", file=sys.stderr, flush=True)
    results["cold"] = cold_start(args.repeat)
    command = " ".join(["make bench  # python bench/suite.py", *(argv or sys.argv[1:])])
    page = render(results, texts, queries, (text_source, query_source), args.repeat, command)
    if args.output.exists():  # bench/workers.py's and bench/spark.py's sections stay
        from sections import kept_sections

        page += kept_sections(args.output.read_text(encoding="utf-8"))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    # The sections after this page's own ("## ...": serve_load.py's, the sources' figures)
    # are measured by other scripts or by hand: kept as they are.
    if args.output.exists():
        old = args.output.read_text(encoding="utf-8")
        start = old.find("\n## ")
        if start >= 0:
            page = page.rstrip("\n") + "\n\n" + old[start + 1:]
    args.output.write_text(page, encoding="utf-8")
    print(page)
    return 0


if __name__ == "__main__":
    sys.exit(main())
