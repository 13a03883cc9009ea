"""Event typing against CASE 2021 labels, scored as CASE 2021 subtask 1 (weighted F1).

The predicted label of a report is the ``sub_event_type`` of its most confident event that has
one; else ``ATTRIB`` when a claim claims responsibility; else ``DIPLO`` when an event has a
cooperative PLOVER type; else none. A report that failed counts as none.

The headline weighted F1 is computed over the rows whose gold label is one of the 25 ACLED
types: per gold class F1 (precision over those rows, a class never predicted has precision 0),
weighted by gold support. Macro F1 is the plain mean over the same gold classes. The rows
labelled NATURAL_DISASTER, MAN_MADE_DISASTER or ORG_CRIME are right when the report gets no
event with an ACLED event or sub-event type; DIPLO and ATTRIB rows get their own recall.
Most of CASE's DIPLO rows are sanctions and expelled diplomats, which PLOVER codes SANCTION, a
type outside the cooperative list above; a second DIPLO figure also counts an event outside
ACLED's scope whose PLOVER type is SANCTION or whose context is diplomatic.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from sitrep.evaluation.common import Case, Score, prf, share, snippet
from sitrep.pipeline.typing import CASE_TO_SUB

TASK = "typing"

# The 25 CASE 2021 codes that map one-to-one to ACLED sub-event types: the same table the typing
# stage uses, so the scorer and the product cannot drift apart.
CASE_TO_ACLED: dict[str, str] = CASE_TO_SUB
ACLED_TO_CASE: dict[str, str] = {v: k for k, v in CASE_TO_ACLED.items()}

# CASE labels outside ACLED for which sitrep should code no political event at all.
NO_EVENT_LABELS = frozenset({"NATURAL_DISASTER", "MAN_MADE_DISASTER", "ORG_CRIME"})
DIPLO = "DIPLO"
ATTRIB = "ATTRIB"
DIPLO_PLOVER = frozenset({"CONSULT", "AGREE", "SUPPORT", "COOPERATE", "AID", "REQUEST", "CONCEDE"})

FIGURES = {
    "weighted_f1": "weighted F1 (25 ACLED types)",
    "macro_f1": "macro F1 (25 ACLED types)",
    "accuracy": "accuracy (25 ACLED types)",
    "acled_rows": "rows with an ACLED gold type",
    "no_event_share": "disaster/crime rows with no ACLED event",
    "no_event_rows": "disaster/crime rows",
    "diplo_recall": "DIPLO rows labelled DIPLO",
    "diplo_any_recall": "DIPLO rows with a diplomatic PLOVER event (SANCTION too)",
    "attrib_recall": "ATTRIB rows labelled ATTRIB",
    "failed": "reports that came back with an error",
}


def _confidence(event: dict[str, Any]) -> float:
    value = event.get("confidence")
    return float(value) if isinstance(value, (int, float)) else 0.0


def predicted_label(result: dict[str, Any] | None) -> tuple[str | None, float | None]:
    """The CASE label a document result amounts to, and the confidence behind it."""
    if not result:
        return None, None
    events = [e for e in result.get("events") or [] if isinstance(e, dict)]
    typed = [e for e in events if e.get("sub_event_type")]
    if typed:
        # max keeps the first of equally confident events: the order sitrep wrote them in.
        best = max(typed, key=_confidence)
        sub = best["sub_event_type"]
        return ACLED_TO_CASE.get(sub, f"?{sub}"), _confidence(best)
    if any(c.get("stance") == "claim_responsibility" for c in result.get("claims") or []):
        return ATTRIB, None
    diplo = [e for e in events if (e.get("plover") or {}).get("event") in DIPLO_PLOVER]
    if diplo:
        return DIPLO, max(_confidence(e) for e in diplo)
    return None, None


def has_acled_event(result: dict[str, Any] | None) -> bool:
    return any(
        e.get("event_type") or e.get("sub_event_type") for e in (result or {}).get("events") or []
    )


def class_f1(gold: Sequence[str], predicted: Sequence[str | None]) -> dict[str, dict[str, float]]:
    """Per gold class: precision, recall, F1 and support (a class never predicted has P = 0)."""
    support = Counter(gold)
    n_pred = Counter(p for p in predicted if p is not None)
    tp = Counter(g for g, p in zip(gold, predicted, strict=True) if g == p)
    out: dict[str, dict[str, float]] = {}
    for label in sorted(support):
        p, r, f = prf(tp[label], n_pred[label], support[label])
        out[label] = {"precision": p or 0.0, "recall": r or 0.0, "f1": f or 0.0,
                      "support": support[label]}
    return out


def score(rows: Sequence[dict[str, Any]], results: Sequence[dict[str, Any] | None],
          dataset: str = "") -> Score:
    """Score document results (codebook JSON, aligned with ``rows``) against CASE labels."""
    labels = [predicted_label(r) for r in results]
    acled = [(row["label"], lab[0]) for row, lab in zip(rows, labels, strict=True)
             if row.get("label") in CASE_TO_ACLED]
    gold = [g for g, _ in acled]
    pred = [p for _, p in acled]
    per_class = class_f1(gold, pred)
    total = len(gold)
    weighted = (sum(c["f1"] * c["support"] for c in per_class.values()) / total
                if total else None)
    macro = (sum(c["f1"] for c in per_class.values()) / len(per_class)) if per_class else None

    no_event = [r for r, row in zip(results, rows, strict=True)
                if row.get("label") in NO_EVENT_LABELS]
    figures: dict[str, Any] = {
        "weighted_f1": weighted,
        "macro_f1": macro,
        "accuracy": share(sum(g == p for g, p in acled), total),
        "acled_rows": total,
        "no_event_share": share(sum(not has_acled_event(r) for r in no_event), len(no_event)),
        "no_event_rows": len(no_event),
        "diplo_recall": _recall(rows, labels, DIPLO),
        "diplo_any_recall": share(
            sum(_diplomatic(r) for r, row in zip(results, rows, strict=True)
                if row.get("label") == DIPLO),
            sum(row.get("label") == DIPLO for row in rows)),
        "attrib_recall": _recall(rows, labels, ATTRIB),
        "failed": sum(bool(r and r.get("error")) or r is None for r in results),
    }
    return Score(TASK, dataset, len(rows), figures, cases=_cases(rows, results, labels),
                 details={"per_label": per_class})


def _diplomatic(result: dict[str, Any] | None) -> bool:
    """Whether a result has diplomacy of any kind: cooperation, sanctions, diplomatic context."""
    for event in (result or {}).get("events") or []:
        plover = event.get("plover") or {}
        if event.get("event_type"):
            continue
        if (plover.get("event") in DIPLO_PLOVER | {"SANCTION"}
                or "diplomatic" in (plover.get("context") or [])):
            return True
    return False


def _recall(rows: Sequence[dict[str, Any]], labels: Sequence[tuple[str | None, float | None]],
            target: str) -> float | None:
    hits = [lab[0] == target for row, lab in zip(rows, labels, strict=True)
            if row.get("label") == target]
    return share(sum(hits), len(hits))


def _cases(rows: Sequence[dict[str, Any]], results: Sequence[dict[str, Any] | None],
           labels: Sequence[tuple[str | None, float | None]]) -> list[Case]:
    """Wrong rows; a confidently wrong label ranks above a missing one."""
    cases = []
    for row, result, (label, conf) in zip(rows, results, labels, strict=True):
        gold = row.get("label")
        wrong = has_acled_event(result) if gold in NO_EVENT_LABELS else label != gold
        if not wrong:
            continue
        severity = 1.0 + (conf or 0.0) if label is not None else 0.5
        shown = "none" if label is None else label + (f" ({conf:.2f})" if conf is not None else "")
        if result and result.get("error"):
            shown = f"error {result['error'].get('code')}"
        cases.append(Case(str(row.get("id")), severity, str(gold), shown,
                          snippet(row.get("text", ""))))
    return cases
