"""The inventory's pages (`procgate serve --store URL`):

GET  /inventory              open items by vendor and authority, overdue ones, the burn-down
GET  /inventory/items/N      one item: where it is, its clock, its history; with
                             --allow-edits, the form that changes it
POST /inventory/items/N      the form's change (serve/forms.py says what is checked), recorded
                             as `inventory set` records it; then back to the item page
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from procgate.serve.forms import (
    COOKIE,
    MAX_BODY,
    FormError,
    check_token,
    new_session,
    read_form,
    same_origin,
    session_of,
    submitted,
    token,
)
from procgate.serve.inventory import Stale, inventory_view, item_view, save_edit
from procgate.serve.settings import ServeSettings
from procgate.serve.uploads import UploadError, drain
from procgate.store.db import StoreError
from procgate.store.workflow import STATUSES

Page = Callable[..., HTMLResponse]


def add_inventory_routes(
    app: FastAPI, settings: ServeSettings, page: Page, when: Callable[[str | None], date]
) -> None:
    store = settings.store
    assert store is not None

    @app.get("/inventory", response_class=HTMLResponse)
    async def inventory_page(request: Request, date: str | None = None) -> HTMLResponse:
        try:
            today = when(date)
        except UploadError as exc:
            return page(request, "inventory.html", status=exc.status, error=exc.message)
        view = await run_in_threadpool(inventory_view, store, today)
        return page(request, "inventory.html", view=view, edits=settings.edits)

    def item_page(
        request: Request, finding_id: int, status: int = 200, **context: Any
    ) -> HTMLResponse:
        session = session_of(request) or new_session()
        answer = page(
            request,
            "inventory_item.html",
            status=status,
            edits=settings.edits,
            user_header=settings.user_header,
            user=request.headers.get(settings.user_header) if settings.user_header else None,
            statuses=STATUSES,
            token=token(settings.secret, session, finding_id),
            **context,
        )
        # Every other page sends no referrer; here a browser must send the form's Origin (with
        # no-referrer it sends "null", which is refused: forms.same_origin). Nothing leaves
        # the site: same-origin sends a referrer only to this server.
        answer.headers["Referrer-Policy"] = "same-origin"
        if session != session_of(request):
            answer.set_cookie(
                key=COOKIE,
                value=session,
                path="/inventory",
                httponly=True,
                samesite="strict",
                secure=request.url.scheme == "https",
            )
        return answer

    async def show(
        request: Request, finding_id: int, status: int = 200, **context: Any
    ) -> HTMLResponse:
        """The item page as the item is now (after a refusal: with why, and what was sent)."""
        view = await run_in_threadpool(item_view, store, finding_id, when(None))
        if view is None:
            return page(request, "inventory_item.html", status=404, missing=finding_id)
        return item_page(request, finding_id, status, view=view, **context)

    @app.get("/inventory/items/{finding_id}", response_class=HTMLResponse)
    async def item_get(request: Request, finding_id: int, saved: int = 0) -> HTMLResponse:
        return await show(request, finding_id, saved=saved)

    @app.post("/inventory/items/{finding_id}", response_class=HTMLResponse)
    async def item_post(request: Request, finding_id: int) -> Response:
        fields: dict[str, str] = {}
        try:
            if not settings.edits:
                raise FormError(
                    403,
                    "This page is read-only: the server was started without --allow-edits. "
                    "Use `procgate inventory set`.",
                )
            same_origin(request)
            fields = await read_form(request)
            check_token(request, fields, settings.secret, finding_id)
            change = submitted(request, fields, settings.user_header)
            done = await run_in_threadpool(
                save_edit, store, finding_id, change.edit, change.who, change.why, change.seen
            )
        except FormError as exc:
            await drain(request, 4 * MAX_BODY)
            return await show(request, finding_id, exc.status, error=exc.message, form=fields)
        except Stale:
            message = (
                "Not saved: someone changed this item after you opened the page. Here it is "
                "as it is now; make your change again if it still applies."
            )
            return await show(request, finding_id, 409, error=message)
        except StoreError as exc:  # accepted-risk where no waiver is allowed; no such item
            return await show(request, finding_id, 400, error=exc.message, form=fields)
        # Post/redirect/get: reloading the page does not send the change again.
        return RedirectResponse(f"/inventory/items/{finding_id}?saved={len(done)}", 303)
