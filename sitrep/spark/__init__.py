"""Coding reports on Spark: the same pipeline, per partition, one model per Python worker.

``sitrep spark-extract`` runs it on this machine (``local[N]``); ``spark-submit`` runs
``sitrep/spark/submit.py`` on a cluster (docs/SCALING.md). Both read JSONL, Parquet or WARC and
write three Parquet datasets: ``events`` (the columns of ``sitrep export --format parquet``),
``claims`` and ``errors`` (one row a report that failed, in place of its events).

Modules: ``inputs`` (reports from each input kind, numbered as the CLI numbers them), ``job``
(the per-partition extraction and the writers), ``session`` (a local session), ``submit``
(the cluster entry point). PySpark is an optional extra (``pip install 'sitrep[spark]'``): it is
imported only inside functions, so importing this package never needs it.
May use: everything below the entry points (the API, the exporters' columns).
"""
