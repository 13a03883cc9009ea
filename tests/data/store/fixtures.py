"""Store fixtures shared by test_store_*, test_merge_* and test_export_* (imported by path)."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

HERE = Path(__file__).resolve().parent
PG_URL = os.environ.get("SITREP_TEST_POSTGRES_URL")
PG_SKIP = "SITREP_TEST_POSTGRES_URL is not set (scripts/start_postgres.sh starts a server)"
TABLES = ("corrections", "report_copies", "report_bands", "report_signatures", "figures",
          "mentions", "events", "reports", "sitrep_meta", "sitrep_alembic_version")


def load(name: str):
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, HERE / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def reset_postgres(url: str) -> None:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS " + ", ".join(TABLES) + " CASCADE"))
        connection.execute(text("DROP TABLE IF EXISTS other_app CASCADE"))
    engine.dispose()


BACKENDS = [pytest.param("sqlite", id="sqlite"),
            pytest.param("postgresql", id="postgresql",
                         marks=pytest.mark.skipif(not PG_URL, reason=PG_SKIP))]


def db_url(backend: str, tmp_path: Path) -> str:
    if backend == "sqlite":
        return str(tmp_path / "sitrep.db")
    reset_postgres(PG_URL)
    return PG_URL


# One clash told by two outlets, one at town and one at region level: the merge tests and the
# batching tests both start from it.
GAO_CLASH = [
        ("a", "2024-05-10", "Sahel Wire", "Clashes near Gao between the army and militants.",
         [dict(place="Gao", kind="clash", killed=12, actor="Military Forces of Mali",
               actor_country="ML", precision=2)]),
        ("b", "2024-05-10", "Bamako Post", "Army and militants clash in Gao region.",
         [dict(place="Gao", kind="clash", killed=15, actor="Military Forces of Mali",
               actor_country="ML", precision=3, offset=(0.5, 0.4))]),
]
