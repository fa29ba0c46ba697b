"""`Idempotency-Key` on every POST of the API surfaces (/api/, /open311/, /channels/).

The first request with a key runs and its answer is stored for 24 hours under (caller, endpoint,
key); a retry with the same body gets the stored answer again (header `Idempotent-Replayed: true`)
without running twice; the same key with a different body is refused with 422, and a retry while the
first is still running with 409. Server errors (5xx) are not stored, so they can be retried."""

import hashlib
from collections.abc import Callable
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse

from lapor.api.open311.formats import errors as open311_errors
from lapor.channels.models import IdempotencyRecord
from lapor.core import clock
from lapor.core.models import hash_secret

__all__ = ["HEADER", "TTL", "IdempotencyMiddleware", "caller_of"]

HEADER = "Idempotency-Key"
TTL = timedelta(hours=24)
PREFIXES = ("/api/", "/open311/", "/channels/")
MAX_KEY = 200


def caller_of(request: HttpRequest) -> str:
    """Who is retrying: the credential they present (by digest, so a rotated key is a new caller),
    else the signed-in user, else the client address."""
    credential = (
        request.headers.get("X-API-Key")
        or request.headers.get("Authorization")
        or (request.POST.get("api_key") if _is_form(request) else None)
    )
    if credential:
        return "c:" + hash_secret(credential.strip())[:40]
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"u:{user.pk}"
    return "ip:" + str(request.META.get("REMOTE_ADDR", ""))


def _is_form(request: HttpRequest) -> bool:
    return (request.content_type or "").startswith(("application/x-www-form-urlencoded", "multipart/"))


def _error(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    """In the error shape of the surface that was called."""
    if request.path.startswith("/open311/"):
        return open311_errors("json" if request.path.endswith(".json") else "xml", status, message)
    return JsonResponse({"code": code, "message": message, "field": HEADER}, status=status)


def _replay(record: IdempotencyRecord) -> HttpResponse:
    assert record.status_code is not None
    response = HttpResponse(bytes(record.body), status=record.status_code, content_type=record.content_type)
    response["Idempotent-Replayed"] = "true"
    return response


class IdempotencyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get(HEADER, "").strip()
        if request.method != "POST" or not key or not request.path.startswith(PREFIXES):
            return self.get_response(request)
        if len(key) > MAX_KEY:
            return _error(request, 400, "invalid", f"{HEADER} maksimal {MAX_KEY} karakter.")
        fingerprint = hashlib.sha256(request.body).hexdigest()
        caller, endpoint, now = caller_of(request), request.path[:200], clock.now()
        IdempotencyRecord.objects.filter(
            caller=caller, endpoint=endpoint, key=key, expires_at__lte=now
        ).delete()
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    caller=caller,
                    endpoint=endpoint,
                    key=key,
                    fingerprint=fingerprint,
                    created_at=now,
                    expires_at=now + TTL,
                )
        except IntegrityError:
            stored = IdempotencyRecord.objects.filter(caller=caller, endpoint=endpoint, key=key).first()
            if stored is None:  # expired and removed in between: let the client try again
                return _error(request, 409, "idempotency_in_progress", "Coba lagi sebentar lagi.")
            if stored.fingerprint != fingerprint:
                return _error(
                    request,
                    422,
                    "idempotency_key_reused",
                    f"{HEADER} ini sudah dipakai untuk permintaan dengan isi lain.",
                )
            if stored.status_code is None:
                return _error(
                    request, 409, "idempotency_in_progress", "Permintaan dengan kunci ini masih diproses."
                )
            return _replay(stored)
        try:
            response = self.get_response(request)
        except BaseException:
            record.delete()
            raise
        if response.status_code >= 500 or getattr(response, "streaming", False):
            record.delete()
            return response
        record.status_code = response.status_code
        record.content_type = response.get("Content-Type", "application/json")
        record.body = response.content
        record.save(update_fields=["status_code", "content_type", "body"])
        return response
