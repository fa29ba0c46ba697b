"""`Idempotency-Key` on every POST of the API surfaces (/api/, /open311/, /channels/).

The first request with a key runs and its answer is stored for 24 hours under (caller, endpoint,
key); a retry with the same body gets the stored answer again (header `Idempotent-Replayed: true`)
without running twice; the same key with a different body is refused with 422, and a retry while the
first is still running with 409. Server errors (5xx) are not stored, so they can be retried.

The request's work and its stored answer commit in one transaction, holding the record's row lock: a
request that dies half-way (a SIGKILLed worker, a database restart) leaves neither, so its record,
still unanswered after `ABANDONED`, is taken over by the next retry and run again: exactly once."""

import hashlib
import logging
from collections.abc import Callable
from datetime import timedelta

from django.db import DatabaseError, IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse

from lapor.api.open311.formats import errors as open311_errors
from lapor.channels.models import IdempotencyRecord
from lapor.core import clock
from lapor.core.callers import IDEMPOTENCY_HEADER as HEADER
from lapor.core.callers import request_caller as caller_of

__all__ = ["HEADER", "TTL", "IdempotencyMiddleware", "caller_of"]

logger = logging.getLogger(__name__)

TTL = timedelta(hours=24)
PREFIXES = ("/api/", "/open311/", "/channels/")
MAX_KEY = 200
# A retry sooner than this after the first attempt is told 409 at once; a later one takes the record
# over, waiting on its row lock if the first is in fact still running (then it gets the stored answer).
ABANDONED = timedelta(seconds=10)


def _error(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    """In the error shape of the surface that was called."""
    if request.path.startswith("/open311/"):
        return open311_errors("json" if request.path.endswith(".json") else "xml", status, message)
    return JsonResponse({"code": code, "message": message, "field": HEADER}, status=status)


def _replay(record: IdempotencyRecord) -> HttpResponse:
    assert record.status_code is not None  # nosec B101  # type narrowing; only finished records replay
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
            if stored.status_code is not None:
                return _replay(stored)
            if stored.created_at > now - ABANDONED:
                return _error(
                    request, 409, "idempotency_in_progress", "Permintaan dengan kunci ini masih diproses."
                )
            record = stored  # abandoned: run it again (the lock below waits for a run still alive)
        return self._run(request, record)

    def _run(self, request: HttpRequest, record: IdempotencyRecord) -> HttpResponse:
        response: HttpResponse | None = None
        try:
            with transaction.atomic():
                locked = IdempotencyRecord.objects.select_for_update().filter(pk=record.pk).first()
                if locked is None:
                    return _error(request, 409, "idempotency_in_progress", "Coba lagi sebentar lagi.")
                if locked.status_code is not None:  # a run we waited for answered meanwhile
                    return _replay(locked)
                response = self.get_response(request)
                if response.status_code >= 500:
                    transaction.set_rollback(True)  # nothing of a failed run is kept
                elif getattr(response, "streaming", False):  # kept, but a stream cannot be replayed
                    locked.delete()
                    return response
                else:
                    locked.status_code = response.status_code
                    locked.content_type = response.get("Content-Type", "application/json")
                    locked.body = response.content
                    locked.save(update_fields=["status_code", "content_type", "body"])
                    return response
        except BaseException:
            self._forget(record)
            raise
        self._forget(record)
        return response

    @staticmethod
    def _forget(record: IdempotencyRecord) -> None:
        """A failed run's record goes, so the retry runs at once; if the database is what failed, the
        record stays until it counts as abandoned."""
        try:
            IdempotencyRecord.objects.filter(pk=record.pk, status_code__isnull=True).delete()
        except DatabaseError:
            logger.warning("idempotency record %s left to expire as abandoned", record.pk)
