"""Stage registry: stages declare what they need and set, the config picks their order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sitrep.document import Document

StageFn = Callable[[Document], None]


@dataclass(frozen=True)
class StageInfo:
    name: str
    func: StageFn
    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    # Loads what the stage needs once (an index, a model) before any report's time budget
    # starts: building the gazetteer on a fresh machine takes a minute, no report's fault.
    setup: Callable[[], object] | None = None


STAGES: dict[str, StageInfo] = {}


def stage(
    name: str, *, requires: tuple[str, ...] = (), assigns: tuple[str, ...] = (),
    setup: Callable[[], object] | None = None,
) -> Callable[[StageFn], StageFn]:
    """Register ``func`` as the pipeline stage ``name`` (a ``Document -> None`` callable)."""

    def register(func: StageFn) -> StageFn:
        STAGES[name] = StageInfo(name, func, tuple(requires), tuple(assigns), setup)
        return func

    return register
