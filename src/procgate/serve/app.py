"""The FastAPI app: the page for people, the JSON API beside it.

GET  /                     the form: upload or paste, buyer, date; vendor look-up
POST /check                the verdict page
GET  /explain?q=NAME       what procgate knows about a vendor (page)
GET  /inventory            with --store: open items, overdue ones, the burn-down (page);
                           /inventory/items/N, one item and (--allow-edits) its edit form
                           (serve/inventory_routes.py)
POST /v1/check             multipart `files` fields, or JSON {"documents": [...]};
                           ?audience=&date=; answers `check --format json`'s JSON
GET  /v1/explain?q=NAME    the same look-up as JSON
GET  /v1/schemas/NAME      the published JSON Schemas (editors can point at them)
GET  /new/purchase-request.yaml   a commented template to start from
GET  /healthz
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from procgate import __version__
from procgate.explain import explain, explanation_json
from procgate.report.json_report import render_json
from procgate.resources import schema_path
from procgate.serve.checking import Checked, CheckerThread, check_uploads
from procgate.serve.pages import render_page
from procgate.serve.present import present
from procgate.serve.settings import ServeSettings
from procgate.serve.uploads import (
    TEXT_FIELD,
    Upload,
    UploadError,
    clean_name,
    drain,
    read_json_documents,
    read_multipart,
    unique,
)
from procgate.templates import TEMPLATES, render

_log = logging.getLogger("uvicorn.error")

# Pages carry no script; styles are inline. Nothing may be loaded from elsewhere.
_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",  # results describe someone's purchase
}


class SecurityHeaders:
    """Adds _HEADERS to every response, errors included. Plain ASGI: Starlette's
    BaseHTTPMiddleware costs about half the throughput of a small endpoint here and wraps the
    upload stream. An unexpected error (a bug, a policy that fails) is answered here, as the
    JSON error shape with the headers, and logged: left to Starlette's outermost handler, its
    500 went out without them, and the server then dropped the connection."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        started = False

        async def sending(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                for key, value in _HEADERS.items():
                    headers.setdefault(key, value)
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except Exception:
            if started:  # half a response is out: nothing better than closing it
                raise
            _log.exception("internal error answering %s %s", scope.get("method"), scope.get("path"))
            answer = _error(
                500, "internal error: the check could not be completed (the server's log says why)"
            )
            await answer(scope, receive, sending)


def create_app(settings: ServeSettings) -> FastAPI:
    options = settings.options()
    checker = CheckerThread(options)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # A bad policy or ban list stops the server at start-up.
        app.state.ban_data = checker.start()
        yield
        checker.stop()

    # No /docs: Swagger UI loads its scripts from a CDN. /openapi.json describes the API.
    app = FastAPI(
        title="procgate", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None
    )
    app.add_middleware(SecurityHeaders)
    limits = settings.limits
    fixed_date = settings.flags.today

    def when(raw: str | None) -> date:
        if raw:
            try:
                return date.fromisoformat(raw)
            except ValueError as exc:
                raise UploadError(400, f"date {raw!r} is not a date like 2026-11-28") from exc
        return fixed_date or date.today()

    def audience_of(raw: str | None, request: Request) -> str:
        audience = raw or options.audience
        known = request.app.state.ban_data.audiences
        if audience not in known:
            raise UploadError(
                400, f"unknown audience {audience!r}; known: {', '.join(sorted(known))}"
            )
        return audience

    def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        ban_data = request.app.state.ban_data
        html = render_page(
            name,
            limits=limits,
            options=options,
            ban_data=ban_data,
            version=__version__,
            inventory=settings.store is not None,
            today=when(None),
            **context,
        )
        return HTMLResponse(html, status_code=status)

    @app.get("/healthz")
    async def healthz(request: Request) -> dict[str, Any]:
        return {
            "status": "ok",
            "version": __version__,
            "ban_data": request.app.state.ban_data.digest,
        }

    @app.get("/", response_class=HTMLResponse)
    async def index(request: Request) -> HTMLResponse:
        return page(request, "index.html")

    @app.post("/check", response_class=HTMLResponse)
    async def check_page(request: Request) -> HTMLResponse:
        try:
            if not request.headers.get("content-type", "").startswith("multipart/form-data"):
                raise UploadError(415, "send the form (multipart/form-data)")
            received = await read_multipart(request, limits)
            fields = received.fields
            uploads = list(received.uploads)
            pasted = fields.get(TEXT_FIELD, "")
            if pasted.strip():
                if len(uploads) >= limits.max_files:
                    raise UploadError(413, limits.count_message(), fields)
                name = fields.get("text_name", "").strip() or "pasted.yaml"
                uploads.append(Upload(clean_name(name, len(uploads) + 1), pasted.encode("utf-8")))
            if not uploads:
                raise UploadError(400, "Choose a file to upload, or paste a document.", fields)
            audience = audience_of(fields.get("audience"), request)
            today = when(fields.get("date"))
        except UploadError as exc:
            await drain(request, 4 * limits.max_body_bytes)
            return page(
                request, "index.html", status=exc.status, error=exc.message, form=exc.fields
            )
        checked = await checker.run(check_uploads, unique(uploads), audience, today)
        view = present(checked, request.app.state.ban_data, audience, today, options.fail_on)
        return page(request, "result.html", result=view, audience=audience, date=today, form=fields)

    @app.post("/v1/check")
    async def check_api(
        request: Request, audience: str | None = None, date: str | None = None
    ) -> Response:
        try:
            chosen = audience_of(audience, request)
            today = when(date)
            kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if kind == "multipart/form-data":
                uploads = (await read_multipart(request, limits)).uploads
            elif kind == "application/json":
                uploads = await read_json_documents(request, limits)
            else:
                raise UploadError(
                    415,
                    "send multipart/form-data with one or more `files` "
                    'fields, or application/json {"documents": '
                    '[{"name": ..., "content": ...}]}',
                )
            if not uploads:
                raise UploadError(400, "no files: send one or more `files` fields")
        except UploadError as exc:
            await drain(request, 4 * limits.max_body_bytes)
            return _error(exc.status, exc.message)
        # ?audience= is the caller's --audience: it wins over a request's own `audience:`.
        named = "the audience parameter" if audience else None
        checked: Checked = await checker.run(check_uploads, unique(uploads), chosen, today, named)
        return Response(
            render_json(checked.verdict, options.fail_on), media_type="application/json"
        )

    @app.get("/explain", response_class=HTMLResponse)
    async def explain_page(
        request: Request, q: str = "", audience: str | None = None, date: str | None = None
    ) -> HTMLResponse:
        try:
            chosen, today = audience_of(audience, request), when(date)
        except UploadError as exc:
            return page(request, "explain.html", status=exc.status, error=exc.message, q=q)
        found = await checker.run(_explain, q, chosen) if q.strip() else None
        return page(request, "explain.html", q=q, explanation=found, audience=chosen, date=today)

    if settings.store is not None:
        from procgate.serve.inventory_routes import add_inventory_routes

        add_inventory_routes(app, settings, page, when)

    @app.get("/v1/explain")
    async def explain_api(
        request: Request, q: str = "", audience: str | None = None, date: str | None = None
    ) -> Response:
        try:
            chosen, today = audience_of(audience, request), when(date)
        except UploadError as exc:
            return _error(exc.status, exc.message)
        if not q.strip():
            return _error(400, "give a vendor name or entity id: /v1/explain?q=NAME")
        found = await checker.run(_explain, q, chosen)
        return JSONResponse(explanation_json(found, chosen, today))

    @app.get("/v1/schemas/{name}")
    async def schema(name: str) -> Response:
        stem = name.removesuffix(".json").removesuffix(".schema")
        path = schema_path(stem)
        if "/" in stem or not path.is_file():
            return _error(404, f"no schema named {name!r}")
        return Response(path.read_bytes(), media_type="application/schema+json")

    @app.get("/new/{name}")
    async def template(name: str, request: Request) -> Response:
        kind = name.removesuffix(".yaml")
        if kind not in TEMPLATES:
            return _error(404, f"no template named {name!r}")
        ref = str(request.url_for("schema", name=f"{kind}.schema.json"))
        text = render(kind, when(None), ref)
        return PlainTextResponse(
            text,
            media_type="application/yaml",
            headers={"Content-Disposition": f'attachment; filename="{kind}.yaml"'},
        )

    return app


def _explain(checker: Any, query: str, audience: str) -> Any:
    return explain(query, checker.ban_data, checker.matcher, audience)


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": {"status": status, "message": message}}, status_code=status)


def app_from_environment() -> FastAPI:
    """uvicorn's factory in each worker process: settings from PROCGATE_SERVE_SETTINGS."""
    return create_app(ServeSettings.from_env())
