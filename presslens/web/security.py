"""Security edges of the web server: response headers (a strict CSP) and a request body limit, as ASGI middleware."""

from __future__ import annotations

import json
import logging

from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from presslens.errors import PresslensError, UsageError, unexpected

LOG = logging.getLogger("presslens.web")

# No inline script or style, nothing from another origin; the API docs page (Swagger UI) needs inline styles and data: images.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
DOCS_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'").replace("img-src 'self'", "img-src 'self' data:")
HEADERS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
}


class SecurityMiddleware:
    """Add the security headers to every response and refuse request bodies over ``max_body_bytes`` (PL223, 413)."""

    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Wrap ``send`` to add headers and ``receive`` to count the body."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = DOCS_CSP if scope["path"] == "/docs" else CSP
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body_bytes:
            await _too_large(send, self.max_body_bytes, csp)
            return
        received = 0
        started = refused = False

        async def counted() -> Message:
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    refused = True
                    if not started:
                        await _too_large(send, self.max_body_bytes, csp)
                    return {"type": "http.disconnect"}  # the app stops reading; whatever it answers is dropped
            return message

        async def with_headers(message: Message) -> None:
            nonlocal started
            if refused:
                return
            if message["type"] == "http.response.start":
                started = True
                headers = [(k, v) for k, v in message.get("headers", []) if k.decode().lower() not in HEADERS]
                headers += [(k.encode(), v.encode()) for k, v in HEADERS.items()]
                headers.append((b"content-security-policy", csp.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, counted, with_headers)
        except ClientDisconnect:
            if not refused:  # the client went away by itself
                raise
        except Exception as error:  # noqa: BLE001  (answered here, inside the headers, not by Starlette's bare 500)
            LOG.exception("unexpected error on %s", scope["path"])
            if not started:
                await _answer(send, 500, unexpected(error), csp)


async def _too_large(send: Send, limit: int, csp: str) -> None:
    """Answer 413 with the coded JSON error."""
    await _answer(send, 413, UsageError("PL223", limit=limit), csp)


async def _answer(send: Send, status: int, error: PresslensError, csp: str) -> None:
    """Answer with the coded JSON error and the security headers."""
    body = json.dumps({"error": {"code": error.code, "message": error.message}}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    headers += [(k.encode(), v.encode()) for k, v in HEADERS.items()] + [(b"content-security-policy", csp.encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
