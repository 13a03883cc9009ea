"""A Spark session for runs on this machine, set up so its Python workers code like the CLI."""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any


class SparkUnavailable(Exception):
    """PySpark or Java is missing: a usage problem, with what to install."""


def check_available() -> None:
    """Fail with what to install when PySpark or a Java runtime is missing."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise SparkUnavailable("Spark needs PySpark: pip install 'sitrep[spark]'") from None
    java_home = os.environ.get("JAVA_HOME")
    if not (java_home and Path(java_home, "bin", "java").exists()) and not shutil.which("java"):
        raise SparkUnavailable("Spark needs a Java runtime (17 or 21): java is not on PATH and "
                               "JAVA_HOME is not set (apt-get install openjdk-17-jre-headless)")


def local_session(master: str = "local[*]", app_name: str = "sitrep",
                  conf: dict[str, str] | None = None) -> tuple[Any, float]:
    """A session on this machine and the seconds its JVM took to start.

    The Python workers get this interpreter and this ``sitrep`` (its folder first on
    ``PYTHONPATH``), so a checkout that is not installed codes with its own code.
    """
    check_available()
    from pyspark.sql import SparkSession

    root = str(Path(__file__).resolve().parents[2])
    paths = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    if root not in paths:
        os.environ["PYTHONPATH"] = os.pathsep.join([root, *paths])
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    # Local runs listen on loopback only, never on the machine's network address.
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    builder = (SparkSession.builder.master(master).appName(app_name)
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.pyspark.python", sys.executable)
               .config("spark.pyspark.driver.python", sys.executable)
               .config("spark.driver.bindAddress", "127.0.0.1")
               .config("spark.driver.host", "127.0.0.1")
               .config("spark.sql.session.timeZone", "UTC"))
    for key, value in (conf or {}).items():
        builder = builder.config(key, value)
    started = time.perf_counter()
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark, time.perf_counter() - started
