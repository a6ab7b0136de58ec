"""The inventory's edit form, read the careful way: a small urlencoded body, bounded fields,
a token that only this server's own page can send, and who made the change.

Cross-site requests are refused three ways, each enough alone for a current browser:
- the form carries a token, an HMAC of (the browser's form cookie, the finding) keyed by the
  server's secret (settings.secret), which another site cannot read or make;
- the form cookie is SameSite=Strict and HttpOnly: a POST from another site arrives without it;
- a request whose Origin is not this host (or "null", what a browser sends from a sandboxed
  frame or a page with no referrer: the item pages set Referrer-Policy: same-origin so that
  their own forms carry the real one), or that the browser marks as cross-site or same-site
  (Sec-Fetch-Site), is refused before anything is read.

Who: with `serve --user-header NAME`, the name in that header, which only a reverse proxy
that authenticates people (and strips the header from what clients send) may set; a request
without it is refused. Without --user-header the form asks for a name, recorded as typed:
nobody checks it, and the page says so.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import date
from urllib.parse import parse_qsl, urlsplit

from starlette.requests import Request

from procgate.serve.settings import Limits
from procgate.serve.uploads import UploadError, read_body
from procgate.store.workflow import STATUSES, Edit

COOKIE = "procgate_form"
MAX_BODY = 16 * 1024
# The most characters each field may hold; any other field is refused.
FIELDS = {
    "token": 64,
    "seen": 12,
    "status": 20,
    "owner": 200,
    "due": 10,
    "note": 4000,
    "why": 1000,
    "by": 200,
}
MULTILINE = frozenset({"note"})
_SESSION = re.compile(r"[A-Za-z0-9_-]{43}")
# C0 and C1 controls, DEL, and the line and paragraph separators: a value that holds one
# could forge lines in `inventory show` or the history (a note may hold newlines).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_LINE_BREAK = re.compile(r"[\r\n]")


class FormError(UploadError):
    """The edit is refused: said to the person on the item page, with an HTTP status."""


@dataclass(frozen=True)
class Submitted:
    edit: Edit
    why: str
    who: str
    seen: int  # the latest change the page showed (workflow.last_change)


def new_session() -> str:
    return secrets.token_urlsafe(32)


def session_of(request: Request) -> str | None:
    """The browser's form cookie, when it holds one this server could have made."""
    value = request.cookies.get(COOKIE, "")
    return value if _SESSION.fullmatch(value) else None


def token(secret: str, session: str, finding_id: int) -> str:
    message = f"inventory-edit|{session}|{finding_id}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def same_origin(request: Request) -> None:
    """Refuse what the browser says comes from another site (before reading the body)."""
    site = request.headers.get("sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        raise FormError(403, "Refused: this change was sent from another site.")
    origin = request.headers.get("origin")
    if origin is not None:
        host = request.headers.get("host", "").lower()
        if origin == "null" or urlsplit(origin).netloc.lower() != host:
            raise FormError(403, "Refused: this change was sent from another site.")


async def read_form(request: Request) -> dict[str, str]:
    """The urlencoded body: at most MAX_BODY bytes, the fields in FIELDS once each, each
    within its length, UTF-8, no control characters (newlines only in a note)."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/x-www-form-urlencoded":
        raise FormError(415, "send the item page's form (application/x-www-form-urlencoded)")
    limits = Limits(max_body_bytes=MAX_BODY)
    try:
        body = b"".join([chunk async for chunk in read_body(request, limits)])
    except UploadError as exc:
        raise FormError(exc.status, "The form is larger than 16 KB: shorten the note.") from exc
    try:
        pairs = parse_qsl(
            body.decode("utf-8"),
            keep_blank_values=True,
            max_num_fields=len(FIELDS),
            errors="strict",
        )
    except (UnicodeDecodeError, ValueError) as exc:
        raise FormError(400, "The form could not be read (not UTF-8, or too many fields).") from exc
    fields: dict[str, str] = {}
    for name, value in pairs:
        if name not in FIELDS:
            raise FormError(400, f"The form has a field this page does not send: {name[:40]!r}.")
        if name in fields:
            raise FormError(400, f"The form sends {name!r} twice.")
        fields[name] = value
    for name, value in fields.items():
        if len(value) > FIELDS[name]:
            raise FormError(400, f"{name} is longer than {FIELDS[name]} characters.", fields)
        if name in MULTILINE:
            value = value.replace("\r\n", "\n")
            fields[name] = value
        elif _LINE_BREAK.search(value):
            raise FormError(400, f"{name} must be one line.", fields)
        if _CONTROL.search(value):
            raise FormError(400, f"{name} holds control characters.", fields)
    return fields


def check_token(request: Request, fields: dict[str, str], secret: str, finding_id: int) -> None:
    session = session_of(request)
    if session is None:
        raise FormError(
            403,
            "Refused: your browser did not send this page's cookie. Open the item page again "
            "(cookies must be allowed for this site) and resend the change.",
            fields,
        )
    sent = fields.get("token", "")
    if not hmac.compare_digest(sent.encode(), token(secret, session, finding_id).encode()):
        raise FormError(
            403,
            "Refused: the form's token is not this page's (an old page, or sent from "
            "elsewhere). Open the item page again and resend the change.",
            fields,
        )


def who_sent(request: Request, fields: dict[str, str], user_header: str | None) -> str:
    if user_header is not None:
        name = request.headers.get(user_header, "").strip()
        if not name:
            raise FormError(
                403, f"Refused: the request did not say who you are ({user_header}).", fields
            )
        if len(name) > FIELDS["by"] or _CONTROL.search(name):
            raise FormError(400, f"The {user_header} header is not a user name.", fields)
        return name
    name = fields.get("by", "").strip()
    if not name:
        raise FormError(400, "Say who you are: the history records who made each change.", fields)
    return name


def submitted(request: Request, fields: dict[str, str], user_header: str | None) -> Submitted:
    """The change the form asks for. Fields left as the page showed them change nothing
    (workflow.apply_edit compares); an empty due date leaves it as it is."""
    status = fields.get("status") or None
    if status is not None and status not in STATUSES:
        raise FormError(400, f"Unknown status {status[:40]!r}.", fields)
    due = None
    if fields.get("due"):
        try:
            due = date.fromisoformat(fields["due"])
        except ValueError as exc:
            raise FormError(400, "The due date is not a date like 2026-12-31.", fields) from exc
    why = fields.get("why", "").strip()
    if not why:
        raise FormError(400, "Say why: the history records the reason for each change.", fields)
    seen = fields.get("seen", "")
    if not seen.isdigit():
        raise FormError(400, "The form is not this page's (no 'seen').", fields)
    owner = fields["owner"].strip() if "owner" in fields else None
    edit = Edit(status, owner, due, fields.get("note", "").strip() or None)
    return Submitted(edit, why, who_sent(request, fields, user_header), int(seen))
