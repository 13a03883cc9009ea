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


STAGES: dict[str, StageInfo] = {}


def stage(
    name: str, *, requires: tuple[str, ...] = (), assigns: tuple[str, ...] = ()
) -> Callable[[StageFn], StageFn]:
    """Register ``func`` as the pipeline stage ``name`` (a ``Document -> None`` callable)."""

    def register(func: StageFn) -> StageFn:
        STAGES[name] = StageInfo(name, func, tuple(requires), tuple(assigns))
        return func

    return register
