"""What keeps the service safe to leave running: response headers (a Content-Security-Policy
that forbids every script), a cap on request bodies, the bearer token of the endpoints that
change the store, and errors that are one line of JSON, never a traceback.

The token is compared in constant time and never logged: no request header is logged
anywhere in the service, and the token is only accepted in the ``Authorization`` header
(a query string would land in access logs)."""

from __future__ import annotations

import hmac
import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fastapi import HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

#: no script, no frame, no request anywhere but this server; the stylesheet is a file
CSP_META = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
            "base-uri 'none'")
#: the header's policy also forbids framing (which a <meta> policy cannot say)
CSP = CSP_META + "; frame-ancestors 'none'"
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Resource-Policy": "same-origin",
}
#: request bodies above this many bytes get 413 (a pasted article or an upload is far less)
MAX_BODY = 10 * 1024 * 1024

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

log = logging.getLogger("copydesk.service")


class SecurityHeaders:
    """ASGI middleware: :data:`HEADERS` on every HTTP response, errors included."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k.lower().encode(), v.encode()) for k, v in HEADERS.items()
                         if k.lower().encode() not in names]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _too_large(limit: int) -> str:
    mb = 1024 * 1024
    return f"request body over {limit // mb} MB" if limit >= mb else \
        f"request body over {limit:,} bytes"


def wants_html(request: Request) -> bool:
    """A page (not the API) asked for by a browser."""
    path = request.url.path
    return not path.startswith("/api/") and path != "/openapi.json" \
        and "text/html" in request.headers.get("accept", "")


ErrorPage = Callable[[Request, int, str], HTMLResponse]


class CatchAll:
    """ASGI middleware: an exception nothing else handled becomes a generic 500
    ``{"error": ...}`` (or the HTML error page) with no internals; the traceback goes to the
    server's log only.  It sits inside :class:`SecurityHeaders`, so the 500 has them too."""

    def __init__(self, app: ASGIApp, error_page: ErrorPage) -> None:
        self.app = app
        self.error_page = error_page

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception as exc:
            log.error("internal error on %s %s", scope.get("method"), scope.get("path"),
                      exc_info=(type(exc), exc, exc.__traceback__))
            if started:  # too late for a clean answer: the connection is cut
                raise
            message = "internal error: the server's log has the details"
            request = Request(scope)
            response = self.error_page(request, 500, message) if wants_html(request) \
                else JSONResponse({"error": message}, status_code=500)
            await response(scope, receive, send)


class BodyLimit:
    """ASGI middleware: 413 for a body over ``limit`` bytes, told by its Content-Length at
    once, else counted as it arrives (a chunked upload cannot get past it)."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = -1
                if declared < 0 or declared > self.limit:
                    error = _too_large(self.limit) if declared > 0 else "bad Content-Length"
                    await JSONResponse({"error": error}, status_code=413 if declared > 0 else 400
                                       )(scope, receive, send)
                    return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise HTTPException(413, _too_large(self.limit))
            return message

        await self.app(scope, counted, send)


def check_token(expected: str | None, request: Request) -> None:
    """Allow a change to the store only with ``Authorization: Bearer <expected>``: 403 when
    the service runs without a token (adding disabled), 401 when it is missing or wrong."""
    if not expected:
        raise HTTPException(403, "adding articles is disabled: start copydesk serve with --token")
    given = request.headers.get("authorization", "")
    scheme, _, value = given.partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(value.strip().encode(),
                                                             expected.encode()):
        raise HTTPException(401, "this needs the service's token: Authorization: Bearer TOKEN",
                            headers={"WWW-Authenticate": "Bearer"})


def _validation_message(exc: RequestValidationError) -> tuple[int, str]:
    errors = exc.errors()
    if any(e.get("type") == "json_invalid" for e in errors):
        return 400, "the request body is not valid JSON"
    if not errors:
        return 422, "invalid request"
    first = errors[0]
    where = ".".join(str(x) for x in first.get("loc", ()) if x not in ("body", "query", "path"))
    msg = str(first.get("msg", "invalid"))
    return 422, f"{where}: {msg}" if where else msg


def install_error_handlers(app: Any, error_page: ErrorPage) -> None:
    """Every error as ``{"error": "..."}`` (an HTML page for a browser asking for a page):
    HTTP errors keep their status, invalid requests get 400/422 (anything unexpected:
    :class:`CatchAll`)."""

    def respond(request: Request, status: int, message: str,
                headers: dict[str, str] | None = None) -> Response:
        if wants_html(request):
            page = error_page(request, status, message)
            if headers:
                page.headers.update(headers)
            return page
        return JSONResponse({"error": message}, status_code=status, headers=headers)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        detail = exc.detail if isinstance(exc.detail, str) else "request failed"
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"no such page: {request.url.path}"
        return respond(request, exc.status_code, detail, getattr(exc, "headers", None))

    async def invalid(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        status, message = _validation_message(exc)
        return respond(request, status, message)

    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, invalid)
