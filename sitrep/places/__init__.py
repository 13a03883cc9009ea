"""Places: the gazetteer and reading places in text (toponyms found, readings chosen).

Modules, lowest first: ``names`` (lookup keys), ``gazetteer`` (the index and its look-ups),
``tables`` and ``build`` (the embedded tier from shipped data), ``loaders`` and ``download``
(user tiers: GeoNames dumps, p-coded CSVs), ``index`` (the index under SITREP_HOME, opened once),
``geocode`` (place strings), ``recognise`` (toponyms in a parsed document), ``resolve``
(choosing each one's reading), ``mentions`` (the report's place mentions: ``find_places``).

May use: records, config, document, lexicon. Never the pipeline or anything above it: the
pipeline's ``places`` and ``event_location`` stages call in here.
"""
