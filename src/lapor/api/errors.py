"""One error shape for the whole API: {"code", "message", "field"}."""

import logging
from typing import Any

from django.core.exceptions import BadRequest, RequestDataTooBig, SuspiciousOperation
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from lapor.core.errors import ApplicationError

__all__ = ["ErrorOut", "install_error_handlers", "json_not_found"]

logger = logging.getLogger(__name__)

# A ninja error location is (where, parameter name, field...): ("body", "payload", "title").
_WHERE = {"body", "query", "path", "form", "file", "header", "cookie"}
_PARAMETERS = {"payload", "params", "data"}


class ErrorOut(Schema):
    code: str
    message: str
    field: str | None = None


def _field_of(loc: list[Any]) -> str | None:
    parts = [str(part) for part in loc]
    if parts and parts[0] in _WHERE:
        parts = parts[1:]
    if parts and parts[0] in _PARAMETERS:
        parts = parts[1:]
    names = [part for part in parts if not part.isdigit()]
    return ".".join(names) or None


def install_error_handlers(api: NinjaAPI) -> None:
    def reply(
        request: HttpRequest, status: int, code: str, message: str, field: str | None = None
    ) -> HttpResponse:
        return api.create_response(request, {"code": code, "message": message, "field": field}, status=status)

    @api.exception_handler(ApplicationError)
    def application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
        return reply(request, exc.status, exc.code, exc.message, exc.field)

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        first = exc.errors[0] if exc.errors else {}
        if first.get("type") == "json_invalid":
            return reply(request, 400, "malformed", "Badan permintaan bukan JSON yang valid.")
        message = str(first.get("msg", "Data tidak valid."))
        return reply(request, 422, "invalid", message, _field_of(list(first.get("loc", []))))

    @api.exception_handler(AuthenticationError)
    def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return reply(request, 401, "unauthenticated", "Token tidak valid atau sudah kedaluwarsa.")

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return reply(request, 404, "not_found", "Tidak ditemukan.")

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return reply(request, exc.status_code, "error", str(exc))

    @api.exception_handler(RequestDataTooBig)
    def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return reply(request, 413, "too_large", "Permintaan terlalu besar.")

    # A body Django cannot parse (a multipart without a boundary, ...) is the client's fault, not a 500.
    def malformed(request: HttpRequest, exc: Any) -> HttpResponse:
        return reply(request, 400, "malformed", "Badan permintaan tidak dapat dibaca.")

    for unreadable in (MultiPartParserError, BadRequest, SuspiciousOperation):
        api.add_exception_handler(unreadable, malformed)

    # A value the database cannot hold (a NUL in a query parameter, an integer out of range) is bad
    # input that reached a filter; services refuse such text before writing (storable_text).
    @api.exception_handler(DataError)
    def unstorable(request: HttpRequest, exc: DataError) -> HttpResponse:
        return reply(request, 400, "malformed", "Permintaan berisi nilai yang tidak valid.")

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("unhandled API error", exc_info=exc)
        return reply(request, 500, "server_error", "Terjadi kesalahan pada server; silakan coba lagi.")


def json_not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    """Unknown /api/ paths answer in the API's error shape, not with an HTML page."""
    return JsonResponse({"code": "not_found", "message": "Tidak ditemukan.", "field": None}, status=404)
