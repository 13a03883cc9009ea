"""The API against its own OpenAPI schema (Schemathesis): generated requests to every
endpoint, a bounded number each, get no 5xx and no response the schema does not describe."""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

sys.path.insert(0, str(Path(__file__).parent / "data" / "store"))
from fixtures import load  # noqa: E402

from sitrep.server import create_app  # noqa: E402

stubs = load("stubs")
TOKEN = "schema-token"
# The schema is loaded when the module is collected, so the store is made then too.
STORE = Path(tempfile.mkdtemp(prefix="sitrep-schema-")) / "schema.db"


def _app():
    app = create_app(str(STORE), token=TOKEN, extractor=stubs.stub_extractor)
    from fastapi.testclient import TestClient

    TestClient(app).post("/api/reports", headers={"authorization": f"Bearer {TOKEN}"},
                         json=[{"id": f"r{i}", "text": f"{place}; {i} killed; {kind}",
                                "published": f"2024-05-0{i + 1}"}
                               for i, (place, kind) in enumerate(
                                   [("Kharkiv", "missile"), ("Gao", "clash"),
                                    ("Odesa", "drone")])])
    return app


schema = schemathesis.openapi.from_asgi("/openapi.json", _app())


@pytest.mark.filterwarnings("ignore:Skipped test cases with unsupported payload")
@schema.parametrize()
@settings(max_examples=12, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_server_schema_no_5xx_and_conforming_responses(case):
    case.call_and_validate(headers={"authorization": f"Bearer {TOKEN}"},
                           checks=[not_a_server_error, response_schema_conformance])


@pytest.fixture(autouse=True, scope="module")
def _cleanup():
    yield
    shutil.rmtree(STORE.parent, ignore_errors=True)
