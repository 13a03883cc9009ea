"""Measuring sitrep: scorers for typing, geoparsing, geocoding and casualties (``sitrep eval``).

The scoring follows ``shared/eval/README.md``; ``docs/EVALUATION.md`` is rewritten by
``make eval`` from these same functions.
"""
