"""Time per KB of adversarial text ("killed " repeated) against ordinary news, in one process.

A stage that compares every mention with every other is quadratic: it goes unnoticed on news
(a few mentions a report) and takes minutes on a text made only of trigger words. This measures
the whole pipeline (parse and every stage) on both and prints their time per KB and the ratio;
the target is a ratio of at most 3. ``--stages`` adds each stage's share on the adversarial text.
It also prints the casualty stages' time (``counts`` and ``event_counts``) as a share of the
spaCy parse on the news texts (target: at most 10%).

Usage: python bench/adversarial.py [EVAL_DIR or news_corpus.jsonl] [--repeat 10000]
    [--limit 200] [--stages] [--without actors]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGET_RATIO = 3.0
WORD = "killed "


def corpus_path(arg: str | None) -> Path:
    base = Path(arg or os.environ.get("SITREP_EVAL_DATA") or ROOT.parent / "shared" / "eval")
    return base if base.suffix == ".jsonl" else base / "bench" / "news_corpus.jsonl"


def stage_times(pipeline: object, text: str) -> dict[str, float]:
    """Seconds of the parse and of each stage on one text."""
    from sitrep.document import Document
    from sitrep.pipeline.assemble import assemble
    from sitrep.records import Report

    times: dict[str, float] = {}
    started = time.perf_counter()
    doc = pipeline.nlp(text)  # type: ignore[attr-defined]
    times["parse"] = time.perf_counter() - started
    document = Document(report=Report(id="adversarial", text=text), doc=doc)
    for info in pipeline.stages:  # type: ignore[attr-defined]
        started = time.perf_counter()
        info.func(document)
        times[info.name] = time.perf_counter() - started
    started = time.perf_counter()
    assemble(document)
    times["assemble"] = time.perf_counter() - started
    return times


COUNT_STAGES = ("counts", "event_counts")
COUNTS_TARGET = 0.10


def counts_share(pipeline: object, texts: list[str]) -> tuple[float, float]:
    """Seconds of the spaCy parse and of the casualty stages over the texts, in this process."""
    from sitrep.document import Document
    from sitrep.records import Report

    started = time.perf_counter()
    docs = list(pipeline.nlp.pipe(texts))  # type: ignore[attr-defined]
    parse = time.perf_counter() - started
    counting = 0.0
    for i, doc in enumerate(docs):
        document = Document(report=Report(id=str(i), text=doc.text), doc=doc)
        for info in pipeline.stages:  # type: ignore[attr-defined]
            started = time.perf_counter()
            info.func(document)
            if info.name in COUNT_STAGES:
                counting += time.perf_counter() - started
    return parse, counting


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", help="eval folder or the corpus JSONL file")
    parser.add_argument("--repeat", type=int, default=10_000, help="times the word is repeated")
    parser.add_argument("--limit", type=int, default=200, help="news texts timed")
    parser.add_argument("--stages", action="store_true", help="per-stage seconds, adversarial")
    parser.add_argument("--without", default="", help="comma-separated stages left out, to "
                        "see the ratio without a stage known to be slow")
    args = parser.parse_args(argv)

    from sitrep.pipeline import Pipeline
    from sitrep.records import Report

    path = corpus_path(args.data)
    if not path.exists():
        print(f"bench: no corpus at {path}; set SITREP_EVAL_DATA or pass a path. Skipped.")
        return 0
    texts = [json.loads(line)["text"] for line in path.open(encoding="utf-8") if line.strip()]
    texts = texts[: args.limit] if args.limit else texts
    adversarial = WORD * args.repeat
    pipeline = Pipeline()
    left_out = {name for name in args.without.split(",") if name}
    pipeline.stages = [info for info in pipeline.stages if info.name not in left_out]
    if left_out:
        print(f"stages left out: {', '.join(sorted(left_out))}")
    list(pipeline.pipe([Report(id="warm", text=texts[0])]))  # model load, caches

    def per_kb(batch: list[str]) -> float:
        reports = [Report(id=str(i), text=t) for i, t in enumerate(batch)]
        started = time.perf_counter()
        results = list(pipeline.pipe(reports))
        seconds = time.perf_counter() - started
        failed = [r.error for r in results if r.error]
        if failed:
            print(f"bench: {len(failed)} report(s) failed: {failed[0]}")
        return seconds / (sum(len(t.encode("utf-8")) for t in batch) / 1024)

    news = per_kb(texts)
    attack = per_kb([adversarial])
    ratio = attack / news
    kb = len(adversarial) / 1024
    print(f"news ({len(texts)} texts): {news * 1000:.1f} ms/KB")
    print(f"{WORD.strip()!r} x{args.repeat} ({kb:.0f} KB): {attack * 1000:.1f} ms/KB")
    verdict = "ok" if ratio <= TARGET_RATIO else "over"
    print(f"ratio: {ratio:.2f} (target <= {TARGET_RATIO:.0f}: {verdict})")
    parse, counting = counts_share(pipeline, texts)
    verdict = "ok" if counting <= COUNTS_TARGET * parse else "over"
    print(f"casualty stages / parse on news: {counting:.2f} s / {parse:.2f} s = "
          f"{counting / parse:.1%} (target <= {COUNTS_TARGET:.0%}: {verdict})")
    if args.stages:
        for name, seconds in sorted(stage_times(pipeline, adversarial).items(),
                                    key=lambda kv: -kv[1]):
            print(f"  {name:<14} {seconds:8.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
