"""What the routes share: the app's state (the store, the token, the read cache), the write
guard, and the cached read. Apart from the app factory, so the routers and the factory do not
import each other."""

from __future__ import annotations

import hmac
import os
from collections import OrderedDict
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select
from starlette.exceptions import HTTPException as StarletteHTTPException

from sitrep.store.db import Store
from sitrep.store.models import meta

# Read responses kept per process (SITREP_SERVE_CACHE; 0 turns the cache off).
CACHE_SIZE = int(os.environ.get("SITREP_SERVE_CACHE", "512"))


class State:
    """What the routes share: the store, the settings the app was made with, and the cache of
    read responses."""

    def __init__(self, store: Store, token: str, extractor: Any, tile_url: str | None,
                 cache_size: int) -> None:
        self.store = store
        self.token = token
        self.extractor = extractor
        self.tile_url = tile_url
        self.cache: OrderedDict[tuple[str | None, str], bytes] = OrderedDict()
        self.cache_size = cache_size

    def generation(self) -> str | None:
        """The store's write generation: every ingest batch and correction changes it."""
        from sitrep.store.bulk import GENERATION

        with self.store.read() as connection:
            return connection.execute(select(meta.c.value).where(meta.c.key == GENERATION)
                                      ).scalar()


async def cached(request: Request, compute: Callable[[], bytes], media_type: str) -> Response:
    """A read response from the cache while the store is unchanged (by its generation), else
    computed in the thread pool. Analysts page through the same views again and again; the
    store's generation changes with every write, so a cached answer is never stale."""
    app = state(request)
    if app.cache_size <= 0:
        return Response(await run_in_threadpool(compute), media_type=media_type)
    key = (app.generation(), f"{request.url.path}?{request.url.query}")
    body = app.cache.get(key)
    if body is None:
        body = await run_in_threadpool(compute)
        app.cache[key] = body
        while len(app.cache) > app.cache_size:
            app.cache.popitem(last=False)
    else:
        app.cache.move_to_end(key)
    return Response(body, media_type=media_type)


def state(request: Request) -> State:
    return request.app.state.sitrep


_bearer = HTTPBearer(auto_error=False)


def writer(request: Request,
           credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
           ) -> str:
    """The analyst behind a write: needs the bearer token (401 without it, 403 wrong)."""
    expected = state(request).token
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise StarletteHTTPException(401, "write endpoints need 'Authorization: Bearer TOKEN'")
    if not expected or not hmac.compare_digest(credentials.credentials.encode(),
                                               expected.encode()):
        raise StarletteHTTPException(403, "the token is not this server's")
    return request.headers.get("x-sitrep-analyst", "analyst")[:128] or "analyst"
