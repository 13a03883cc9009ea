"""Loading the spaCy model once per process."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from sitrep import errors
from sitrep.config import MODEL_NAMES

if TYPE_CHECKING:
    from spacy.language import Language


@lru_cache(maxsize=4)
def load_model(name: str | None = None) -> Language:
    import spacy

    for candidate in (name,) if name else MODEL_NAMES:
        try:
            return spacy.load(candidate)
        except OSError:
            continue
    raise errors.error(errors.NO_MODEL)
