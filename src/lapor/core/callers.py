"""Who is calling, for counting and remembering: the idempotency records (api) and the rate limiter
(security) must agree on it, so a retry is recognised by both."""

from django.http import HttpRequest

from lapor.core.models import hash_secret

__all__ = ["IDEMPOTENCY_HEADER", "request_caller"]

IDEMPOTENCY_HEADER = "Idempotency-Key"


def _is_form(request: HttpRequest) -> bool:
    return (request.content_type or "").startswith(("application/x-www-form-urlencoded", "multipart/"))


def request_caller(request: HttpRequest) -> str:
    """The credential they present (by digest, so a rotated key is a new caller), else the signed-in
    user, else the client address."""
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
