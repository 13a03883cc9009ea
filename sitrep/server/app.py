"""The app factory: the store, the routers, the page, and what guards them.

Guards: write endpoints need ``Authorization: Bearer TOKEN`` (401 without, 403 wrong); a body
over ``max_body`` bytes is refused with 413 before it is read whole; invalid parameters get 422
naming the parameter; store errors map to 404/409/422/503 with their coded message; anything
else is a 500 with no traceback. CORS stays off unless origins are given.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sitrep import __version__
from sitrep.server import events, models, writes
from sitrep.server.shared import CACHE_SIZE, State, state
from sitrep.store import errors as store_errors
from sitrep.store.db import Store, head_revision, open_store

log = logging.getLogger("sitrep.server")
STATIC = Path(__file__).resolve().parent / "static"
MAX_BODY = 20 * 1024 * 1024
# Store error codes and the HTTP status each one means.
STATUS = {store_errors.NO_EVENT: 404, store_errors.NO_FIELD: 422, store_errors.BAD_VALUE: 422,
          store_errors.CONFLICT: 409, store_errors.DB_LOCKED: 503, store_errors.DB_FAILED: 503,
          store_errors.DB_FULL: 507,
          store_errors.BAD_FORMAT: 422, store_errors.BAD_QUERY: 422}


class BodyLimit:
    """Refuse bodies over ``limit`` bytes (413): by Content-Length up front, else while read."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or ()).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await _too_large(self.limit, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise _TooLarge()
            return message

        try:
            await self.app(scope, counted, send)
        except _TooLarge:
            await _too_large(self.limit, send)


class _TooLarge(Exception):
    pass


async def _too_large(limit: int, send: Send) -> None:
    body = JSONResponse({"detail": f"request body larger than {limit} bytes"}, 413).body
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def create_app(store_url: str | None, *, token: str | None = None, max_body: int = MAX_BODY,
               cors_origins: list[str] | None = None, extractor: Any = None,
               tile_url: str | None = None, store: Store | None = None,
               cache_size: int = CACHE_SIZE) -> FastAPI:
    """The API and the page over the store at ``store_url`` (created and migrated as needed).

    ``token``: the bearer token of the write endpoints (none: writes are refused);
    ``extractor``: how posted reports are coded (default: the sitrep pipeline);
    ``tile_url``: an online tile layer for the map (default: the packaged borders only).
    """
    app = FastAPI(title="sitrep", version=__version__,
                  description="Conflict events coded from news reports, their sources and "
                              "evidence, and analysts' corrections.")
    app.state.sitrep = State(store or open_store(store_url), token or "", extractor, tile_url,
                             cache_size)
    if cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=cors_origins,
                           allow_methods=["GET", "POST"], allow_headers=["Authorization",
                                                                         "Content-Type"])
    app.add_middleware(BodyLimit, limit=max_body)
    _handlers(app)
    app.include_router(events.router)
    app.include_router(writes.router)

    @app.get("/healthz", response_model=models.Health, tags=["meta"])
    def healthz(request: Request) -> dict[str, Any]:
        """The store answers, and its schema version."""
        return {"status": "ok", "schema_version": state(request).store.revision()}

    @app.get("/api/version", response_model=models.Version, tags=["meta"])
    def version() -> dict[str, Any]:
        return {"sitrep": __version__, "schema_version": head_revision()}

    @app.get("/api/config", include_in_schema=False)
    def config(request: Request) -> dict[str, Any]:
        return {"tile_url": state(request).tile_url}

    def page() -> FileResponse:
        return FileResponse(STATIC / "index.html", headers={"cache-control": "no-cache"})

    app.add_api_route("/", page, include_in_schema=False)
    app.add_api_route("/events/{event_id}", page, include_in_schema=False)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


def _handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = []
        for error in exc.errors():
            where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("query", "path"))
            problems.append(f"{where or 'request'}: {error.get('msg', 'invalid')}")
        return JSONResponse({"detail": "; ".join(problems) or "invalid request"}, 422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status_code == 401 else None
        return JSONResponse({"detail": str(exc.detail)}, exc.status_code, headers=headers)

    @app.exception_handler(store_errors.SitrepError)
    async def store_error(_request: Request, exc: store_errors.SitrepError) -> JSONResponse:
        return JSONResponse({"detail": f"{exc.code}: {exc.message}"}, STATUS.get(exc.code, 500))

    @app.exception_handler(Exception)
    async def crashed(_request: Request, exc: Exception) -> JSONResponse:
        log.error("internal error: %s: %s", type(exc).__name__, exc, exc_info=exc)
        return JSONResponse({"detail": "internal error (see the server log)"}, 500)
