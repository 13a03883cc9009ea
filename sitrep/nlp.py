"""Loading the spaCy model once per process."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from sitrep import errors
from sitrep.config import MODEL_NAMES

if TYPE_CHECKING:
    from spacy.language import Language


# Verbs the small English model's rule lemmatiser cuts wrongly: its suffix rules find "rap" in
# its word list before "rape" (106 of 108 ACLED notes with "raped" read "rap"). Every stage
# reads lemmas, so they are mended once, in the model. ("staged" reads "stag" too; mending it
# makes "staged a protest" a launching verb, which the actor rules are not yet ready for.)
LEMMA_FIXES = {"raped": "rape", "raping": "rape"}


@lru_cache(maxsize=4)
def load_model(name: str | None = None) -> Language:
    import spacy

    for candidate in (name,) if name else MODEL_NAMES:
        try:
            nlp = spacy.load(candidate)
        except OSError:
            continue
        _mend_lemmas(nlp)
        return nlp
    raise errors.error(errors.NO_MODEL)


def _mend_lemmas(nlp: Language) -> None:
    # the attribute ruler runs before the lemmatiser, which keeps a lemma already set
    if "attribute_ruler" not in nlp.pipe_names or "lemmatizer" not in nlp.pipe_names:
        return
    ruler = nlp.get_pipe("attribute_ruler")
    for form, lemma in LEMMA_FIXES.items():
        ruler.add([[{"LOWER": form, "TAG": {"IN": ["VBD", "VBN", "VBG"]}}]], {"LEMMA": lemma})
