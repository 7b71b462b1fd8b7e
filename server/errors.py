"""One error shape for the whole API: ``{"error": {"code", "message"}}``.

Handlers raise ``ApiError`` (or let Litestar's validation fail); everything
becomes a 4xx a person can act on. A 500 is always a bug: it is logged with
its traceback and answered without internals.
"""

from __future__ import annotations

import logging
from typing import Any

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

__all__ = ["ApiError", "NotFound", "exception_handlers"]

log = logging.getLogger("jobdeck")

_CODES = {400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found",
          405: "method_not_allowed", 409: "conflict", 413: "body_too_large",
          415: "unsupported_media_type", 429: "too_many_requests"}


class ApiError(HTTPException):
    """A refusal with a machine-readable code and a message for people."""

    def __init__(self, status_code: int, code: str, message: str, details: Any = None) -> None:
        super().__init__(status_code=status_code, detail=message)
        self.code = code
        self.details = details


class NotFound(ApiError):
    def __init__(self, message: str) -> None:
        super().__init__(404, "not_found", message)


def _body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message}
    if details:
        error["details"] = details
    return {"error": error}


def _validation_message(exc: ValidationException) -> tuple[str, Any]:
    details = exc.extra if isinstance(exc.extra, list) else None
    if details:
        first = details[0] if isinstance(details[0], dict) else {}
        where = first.get("key") or first.get("source") or ""
        text = first.get("message") or exc.detail
        return (f"{where}: {text}" if where else str(text)), details
    return exc.detail or "The request is not valid.", None


def _http_error(request: Request, exc: HTTPException) -> Response:
    status = exc.status_code
    if isinstance(exc, ApiError):
        code, message, details = exc.code, exc.detail, exc.details
    elif isinstance(exc, ValidationException):
        code = "invalid"
        message, details = _validation_message(exc)
    else:
        code, message, details = _CODES.get(status, "error"), exc.detail, None
        if status == 404:
            message = f"Nothing at {request.url.path}."
    return Response(_body(code, message, details), status_code=status,
                    media_type=MediaType.JSON, headers=getattr(exc, "headers", None))


def _too_large(request: Request, exc: OverflowError) -> Response:
    """A number past SQLite's 64-bit range (an id of 2**63, say) is bad input, not a crash."""
    if "SQLite INTEGER" not in str(exc):  # any other overflow is a bug
        return _unexpected(request, exc)
    return Response(_body("out_of_range", f"A number in the request is too large; the largest is {2**63 - 1}."),
                    status_code=400, media_type=MediaType.JSON)


def _unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return Response(_body("internal", "Something went wrong inside JobDeck. It has been logged."),
                    status_code=HTTP_500_INTERNAL_SERVER_ERROR, media_type=MediaType.JSON)


exception_handlers = {HTTPException: _http_error, OverflowError: _too_large, Exception: _unexpected}
