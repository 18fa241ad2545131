"""One JSON error shape for every error the web app returns.

    {"error": {"status": 404, "code": "not_found", "message": "no event 'abc'"}}

:func:`install` registers handlers for :class:`cityevents.errors.CityEventsError` (its ``status``
and ``code``), Starlette's HTTP errors (unknown route, wrong method), FastAPI's request
validation errors (rendered as 400 ``bad_input``) and anything unexpected (500, logged, with no
internals in the message).
"""

from __future__ import annotations

import logging
import re
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from cityevents.errors import CityEventsError, InputError

LOGGER = logging.getLogger(__name__)

NOT_CAMEL = re.compile(r"[^a-z0-9]+")
# Validation messages list at most this many problems; the rest are counted.
MAX_PROBLEMS = 5


def error_response(status: int, code: str, message: str,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    """The one error shape: ``{"error": {"status", "code", "message"}}``, never cached."""
    body = {"error": {"status": status, "code": code, "message": message}}
    return JSONResponse(body, status_code=status, headers={**(headers or {}), "Cache-Control": "no-store"})


def status_code(status: int) -> str:
    """A snake_case code for an HTTP status: 405 -> ``"method_not_allowed"``."""
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        return "error"
    return NOT_CAMEL.sub("_", phrase.lower()).strip("_")


async def _library_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, CityEventsError)
    if error.status >= 500:
        # Server-side failures (a database error, say) may name internals: log them, say less.
        LOGGER.error("%s %s failed: %s", request.method, request.url.path, error)
        return error_response(error.status, error.code, "the server could not complete the request")
    return error_response(error.status, error.code, str(error))


async def _http_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, HTTPException)
    message = error.detail if isinstance(error.detail, str) else HTTPStatus(error.status_code).phrase
    code = "not_found" if error.status_code == 404 else status_code(error.status_code)
    return error_response(error.status_code, code, message, dict(error.headers or {}))


async def _validation_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, RequestValidationError)
    problems = [_problem(item) for item in error.errors()]
    message = "; ".join(problems[:MAX_PROBLEMS])
    if len(problems) > MAX_PROBLEMS:
        message += f"; and {len(problems) - MAX_PROBLEMS} more"
    return error_response(400, InputError.code, message or "invalid request")


async def _unexpected_error(request: Request, error: Exception) -> JSONResponse:
    LOGGER.exception("%s %s failed", request.method, request.url.path, exc_info=error)
    return error_response(500, "internal_error", "the server could not complete the request")


def _problem(item: dict[str, object]) -> str:
    """ "query.limit: Input should be a valid integer" from one pydantic error."""
    location = ".".join(str(part) for part in item.get("loc", ()))  # type: ignore[attr-defined]
    message = str(item.get("msg", "invalid"))
    return f"{location}: {message}" if location else message


def install(app: FastAPI) -> None:
    """Render every error the app can raise in the one JSON shape."""
    app.add_exception_handler(CityEventsError, _library_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _unexpected_error)
