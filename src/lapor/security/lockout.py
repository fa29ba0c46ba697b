"""What a locked-out caller sees (django-axes calls `lockout_response`): the API's one error shape with
429 and Retry-After for machine doors, a page in Indonesian for people."""

import math
from typing import Any

from axes.helpers import get_cool_off
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

__all__ = ["lockout_response", "too_many_requests", "wants_json"]

JSON_PREFIXES = ("/api/", "/open311/", "/channels/")


def wants_json(request: HttpRequest) -> bool:
    return request.path.startswith(JSON_PREFIXES)


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    cool_off = get_cool_off(request)
    seconds = max(1, math.ceil(cool_off.total_seconds())) if cool_off else 3600
    minutes = max(1, math.ceil(seconds / 60))
    message = _(
        "Terlalu banyak percobaan masuk yang gagal. Akun ini dikunci sementara dari alamat Anda; "
        "coba lagi dalam %(minutes)s menit atau atur ulang kata sandi."
    ) % {"minutes": minutes}
    return too_many_requests(request, code="locked_out", message=message, retry_after=seconds)


def too_many_requests(request: HttpRequest, *, code: str, message: str, retry_after: int) -> HttpResponse:
    """429 with Retry-After: the API's one error shape for machine doors, a page for people
    (`security/<code>.html`)."""
    response: HttpResponse
    if wants_json(request):
        response = JsonResponse({"code": code, "message": message, "field": None}, status=429)
    else:
        response = render(request, f"security/{code}.html", {"message": message}, status=429)
    response["Retry-After"] = str(retry_after)
    return response
