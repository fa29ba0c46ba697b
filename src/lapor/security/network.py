"""The caller's address. Behind a reverse proxy REMOTE_ADDR is the proxy, so the address comes from
X-Forwarded-For, but only as many hops as `LAPOR_TRUSTED_PROXY_COUNT` says are ours: the left part of
that header is written by the client and would let anyone pick a fresh address per request."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest

__all__ = ["client_ip"]


def _valid(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    remote = _valid(request.META.get("REMOTE_ADDR", "")) or "0.0.0.0"  # noqa: S104  # nosec B104  # a rate-limit key, not a bind
    hops = int(getattr(settings, "LAPOR_TRUSTED_PROXY_COUNT", 0))
    if hops <= 0:
        return remote
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < hops:
        # Fewer hops than configured: the request did not come through our proxies.
        return remote
    return _valid(forwarded[-hops]) or remote
