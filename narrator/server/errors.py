"""Errors in OpenAI's shape, ``{"error": {"message", "type", "param", "code"}}``, for every
failure the server answers: its own checks, FastAPI's validation and routing errors, and
narrator's engine errors.

For tests of clients, the server can answer in the shapes other servers use instead
(:data:`ErrorStyle`): FastAPI's ``{"detail": ...}``, plain text, or an HTML page as a
proxy in front of a server sends."""

from __future__ import annotations

import html
import logging
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any, Literal

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.exceptions import HTTPException

from narrator.errors import NarratorError, PermanentError

log = logging.getLogger("narrator.server")

ErrorStyle = Literal["openai", "fastapi", "text", "html"]
"""How error bodies look: OpenAI's ``{"error": {...}}``; FastAPI's ``{"detail": {...}}``
(as FastAPI-based speech servers answer their own HTTPExceptions); ``text/plain``; or an
HTML error page whose title carries the status and the message."""

DROPPED = "narrator.dropped"
"""Key of ``scope["state"]`` that tells the gate to close the connection instead of answering;
its value says why (it is logged in place of a status)."""


class ApiError(Exception):
    """An error answered in OpenAI's shape."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        param: str | None = None,
        code: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.param = param
        self.code = code
        self.headers = dict(headers or {})

    def response(self, style: ErrorStyle = "openai") -> Response:
        """The response carrying this error, its body in ``style``."""
        if self.status == HTTPStatus.TOO_MANY_REQUESTS:
            kind = "rate_limit_exceeded"
        elif self.status >= 500:
            kind = "server_error"
        else:
            kind = "invalid_request_error"
        error = {"message": self.message, "type": kind, "param": self.param, "code": self.code}
        if style == "fastapi":
            return JSONResponse({"detail": {"error": error}}, self.status, self.headers)
        if style == "text":
            return PlainTextResponse(self.message + "\n", self.status, self.headers)
        if style == "html":
            title = html.escape(
                f"{self.status} {HTTPStatus(self.status).phrase}: {self.message}", quote=False
            )
            page = f"<html><head><title>{title}</title></head><body><h1>{title}</h1></body></html>"
            return HTMLResponse(page, self.status, self.headers)
        return JSONResponse({"error": error}, self.status, self.headers)


class ConnectionDropped(Exception):
    """Close the connection without any answer: a 'drop' fault, a client that stalls
    mid-body, or the server stopping. Its message is logged in place of a status."""


def too_large(message: str) -> ApiError:
    """The 413 for a body over the size limit."""
    return ApiError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, message, code="request_too_large")


def validation_error(errors: Sequence[Any]) -> ApiError:
    """The 400 answering pydantic's first error, naming the parameter it is about."""
    first = errors[0]
    loc = tuple(first.get("loc", ()))
    # FastAPI prefixes the location with where the value came from ("body", "query").
    param = str(loc[1]) if len(loc) > 1 and loc[0] == "body" else None
    kind = first.get("type")
    if kind == "json_invalid":
        detail = first.get("ctx", {}).get("error", first["msg"])
        return ApiError(HTTPStatus.BAD_REQUEST, f"The body is not valid JSON ({detail}).")
    if param is None:
        return ApiError(HTTPStatus.BAD_REQUEST, f"The request body is invalid: {first['msg']}.")
    if kind == "missing":
        return ApiError(
            HTTPStatus.BAD_REQUEST,
            f"Missing required parameter: {param!r}.",
            param=param,
            code="missing_required_parameter",
        )
    message = str(first["msg"]).removeprefix("Value error, ")
    return ApiError(HTTPStatus.BAD_REQUEST, f"Invalid {param!r}: {message}.", param=param)


def _http_error(request: Request, exc: HTTPException) -> ApiError:
    """Starlette's routing errors (404, 405) and body-parsing errors (400)."""
    where = f"{request.method} {request.url.path}"
    if exc.status_code == HTTPStatus.NOT_FOUND:
        return ApiError(HTTPStatus.NOT_FOUND, f"Invalid URL ({where}).", code="unknown_url")
    if exc.status_code == HTTPStatus.METHOD_NOT_ALLOWED:
        allowed = (exc.headers or {}).get("Allow", "")
        return ApiError(
            HTTPStatus.METHOD_NOT_ALLOWED,
            f"{request.method} is not allowed on {request.url.path}; use {allowed}.",
            code="method_not_allowed",
            headers={"Allow": allowed},
        )
    return ApiError(exc.status_code, str(exc.detail), headers=exc.headers)


def install_handlers(app: FastAPI, style: ErrorStyle = "openai") -> None:
    """Answer every exception reaching ``app`` with an error body in ``style``."""

    async def api_error(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        return exc.response(style)

    async def invalid(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        return validation_error(exc.errors()).response(style)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return _http_error(request, exc).response(style)

    async def dropped(request: Request, exc: Exception) -> Response:
        request.scope.setdefault("state", {})[DROPPED] = str(exc)
        return Response(status_code=HTTPStatus.INTERNAL_SERVER_ERROR)  # never sent

    async def narrator_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, NarratorError)
        if isinstance(exc, PermanentError):
            # Retrying cannot help (nothing speakable in the input): 422, not 500, so
            # clients fail fast instead of retrying.
            log.warning("%s %s rejected: %s", request.method, request.url.path, exc)
            return ApiError(HTTPStatus.UNPROCESSABLE_ENTITY, exc.message).response(style)
        log.warning("%s %s failed: %s", request.method, request.url.path, exc)
        return ApiError(HTTPStatus.INTERNAL_SERVER_ERROR, str(exc)).response(style)

    async def unexpected(_request: Request, exc: Exception) -> Response:
        # The client gets a message, never a traceback (the gate logs the traceback).
        message = f"Internal error: {type(exc).__name__}: {exc}"
        return ApiError(HTTPStatus.INTERNAL_SERVER_ERROR, message).response(style)

    app.add_exception_handler(ApiError, api_error)
    app.add_exception_handler(RequestValidationError, invalid)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(ConnectionDropped, dropped)
    app.add_exception_handler(NarratorError, narrator_error)
    app.add_exception_handler(Exception, unexpected)
