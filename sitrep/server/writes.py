"""Writing over HTTP: ingesting reports and analysts' corrections (bearer token required).

Posted reports go through the CLI's reader (``sitrep.sources``) and ``sitrep.store.ingest``,
so a line fails with the same coded error as in ``sitrep ingest``; each line's outcome comes
back. Corrections go through ``sitrep.store.corrections`` (409 on a concurrent change).
"""

from __future__ import annotations

import io
import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import select

from sitrep.errors import SitrepError
from sitrep.server import models
from sitrep.server.shared import state, writer
from sitrep.store.models import events, mentions, reports

router = APIRouter()
AUTH = {401: {"model": models.Problem, "description": "No bearer token."},
        403: {"model": models.Problem, "description": "A wrong token."}}
JSONL_TYPES = ("application/x-ndjson", "application/jsonl", "application/x-jsonlines",
               "text/plain")
REPORT_SCHEMA = {
    "type": "object", "required": ["text"],
    "properties": {"id": {"type": "string"}, "text": {"type": "string"},
                   "published": {"type": "string", "format": "date"},
                   "source": {"type": "string"}, "url": {"type": "string"},
                   "title": {"type": "string"}}}


def _items(body: bytes, content_type: str) -> list[Any]:
    """Reports (or coded errors) from a JSON object, a JSON array or JSONL."""
    from sitrep.sources import read_jsonl, report_from_dict

    if content_type.split(";")[0].strip().lower() in JSONL_TYPES:
        return list(read_jsonl(io.BytesIO(body)))
    try:
        data = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise HTTPException(400, f"body: not valid JSON ({exc}); send one report object, an "
                                 "array of them, or JSONL as application/x-ndjson") from None
    out: list[Any] = []
    for n, item in enumerate(data if isinstance(data, list) else [data], 1):
        try:
            out.append(report_from_dict(item, line=n))
        except SitrepError as exc:
            out.append(exc)
    return out


def _ingest(request: Request, items: list[Any]) -> dict[str, Any]:
    from sitrep.store.ingest import ingest

    app = state(request)
    results: list[dict[str, Any] | None] = []
    pending: list[int] = []
    for n, item in enumerate(items, 1):
        if isinstance(item, SitrepError):
            results.append({"line": n, "id": item.report_id, "status": "failed", "events": 0,
                            "error": {"code": item.code, "message": item.message}})
        else:
            results.append(None)
            pending.append(n)
    done = iter(pending)

    def outcome(result: Any, status: str) -> None:
        n = next(done)
        results[n - 1] = {"line": n, "id": result.id, "status": status,
                          "events": len(result.events),
                          "error": result.error.to_dict() if result.error else None}

    ingest(app.store, [i for i in items if not isinstance(i, SitrepError)],
           extractor=app.extractor, on_result=outcome)
    final = [r for r in results if r is not None]
    return {"results": final, "stored": sum(r["status"] in ("stored", "replaced") for r in final),
            "failed": sum(r["status"] == "failed" for r in final)}


@router.post("/api/reports", response_model=models.IngestResult, tags=["reports"],
             responses={**AUTH, 400: {"model": models.Problem, "description": "Not JSON."},
                        413: {"model": models.Problem, "description": "Body too large."}},
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/json": {"schema": REPORT_SCHEMA},
                 "application/x-ndjson": {"schema": {"type": "string"}}}}})
async def post_reports(request: Request,
                       analyst: Annotated[str, Depends(writer)]) -> dict[str, Any]:
    """Ingest one report (a JSON object), several (an array) or a JSONL body; every report
    is coded, stored and merged, and each line's outcome comes back."""
    body = await request.body()
    items = _items(body, request.headers.get("content-type", "application/json"))
    return await run_in_threadpool(_ingest, request, items)


@router.get("/api/reports/{document_id}", response_model=models.ReportOut, tags=["reports"],
            responses={404: {"model": models.Problem, "description": "No such report."}})
def get_report(request: Request, document_id: str) -> dict[str, Any]:
    """A stored report (its latest version): text, extraction and the events it supports."""
    with state(request).store.read() as connection:
        row = connection.execute(select(reports).where(reports.c.document_id == document_id)
                                 .order_by(reports.c.id.desc()).limit(1)).mappings().first()
        if row is None:
            raise HTTPException(404, f"no report with id '{document_id}'")
        supported = connection.execute(
            select(events.c.event_id).join(mentions, mentions.c.event_pk == events.c.id)
            .where(mentions.c.report_id == row["id"]).distinct()).scalars().all()
    published = row["published"]
    return {"document_id": row["document_id"], "source": row["source"], "url": row["url"],
            "title": row["title"], "published": published.isoformat() if published else None,
            "text": row["text"], "error_code": row["error_code"], "events": sorted(supported),
            "result": row["result"] or {}}


@router.post("/api/events/{event_id}/corrections", response_model=models.Correction,
             status_code=201, tags=["corrections"],
             responses={**AUTH, 404: {"model": models.Problem, "description": "No such event."},
                        409: {"model": models.Problem,
                              "description": "The field changed meanwhile."},
                        422: {"model": models.Problem,
                              "description": "Unknown field or bad value."}})
def post_correction(request: Request, event_id: str, correction: models.CorrectionIn,
                    analyst: Annotated[str, Depends(writer)]) -> dict[str, Any]:
    """Correct a field, mark the event as not an event, split a report out, or merge the
    event into another; the machine coding is kept beside the correction."""
    from sitrep.store.corrections import correct

    return correct(state(request).store, event_id, correction.field, correction.value,
                   author=correction.author or analyst, note=correction.note,
                   expected_version=correction.expected_version,
                   expected_value=correction.expected_value,
                   check_value=correction.check_value)


@router.get("/api/events/{event_id}/corrections", response_model=list[models.Correction],
            tags=["corrections"])
def get_corrections(request: Request, event_id: str) -> list[dict[str, Any]]:
    """Every correction of the event, superseded ones included, oldest first."""
    from sitrep.store.corrections import history

    return history(state(request).store, event_id)
