"""Who is calling, for counting and remembering: the idempotency records (api) and the rate limiter
(security) must agree on it, so a retry is recognised by both."""

from django.http import HttpRequest
from django.utils import timezone

from lapor.core.models import AuthToken, hash_secret

__all__ = ["IDEMPOTENCY_HEADER", "bearer_token", "request_caller"]

_NO_TOKEN = object()

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


def bearer_token(request: HttpRequest) -> AuthToken | None:
    """The unexpired token of an `Authorization: Bearer` header, with its user, or None. Looked up once
    per request: the rate limiter (per account) and authentication both ask."""
    cached = getattr(request, "_lapor_bearer_token", _NO_TOKEN)
    if cached is not _NO_TOKEN:
        return cached  # type: ignore[return-value]
    scheme, _sep, raw = request.headers.get("Authorization", "").partition(" ")
    token = None
    if scheme.lower() == "bearer" and raw.strip():
        tokens = AuthToken.objects.select_related("user")
        token = tokens.filter(digest=hash_secret(raw.strip()), expires_at__gt=timezone.now()).first()
    request._lapor_bearer_token = token  # type: ignore[attr-defined]
    return token
