"""Who is calling the API: an integration's `X-API-Key`, else a bearer token, else the web session
(with CSRF on writes), else the public. Every handler receives a `Viewer`; an invalid key or token is
a 401, never a silent downgrade. A key's viewer is its service user's (see the ADR on API keys), and
the key itself is kept on the request for the permission checks of the endpoints that need one."""

from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import AuthenticationError
from ninja.security.http import HttpAuthBase
from ninja.utils import check_csrf

from lapor.agencies.access import Viewer, viewer_for
from lapor.channels.apikeys import apikey_authenticate, viewer_for_key
from lapor.channels.models import ApiKey
from lapor.core.callers import bearer_token
from lapor.core.errors import Forbidden, Unauthenticated
from lapor.core.models import record_use

__all__ = ["ViewerAuth", "api_key_of", "require_permission", "require_user"]

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class ViewerAuth(HttpAuthBase):
    openapi_scheme = "bearer"

    def __call__(self, request: HttpRequest) -> Viewer:
        if raw_key := request.headers.get("X-API-Key", ""):
            key = apikey_authenticate(raw_key)
            if key is None:
                raise AuthenticationError()
            request.lapor_api_key = key  # type: ignore[attr-defined]
            return viewer_for_key(key)
        header = request.headers.get("Authorization", "")
        if header:
            scheme, _, token = header.partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                raise AuthenticationError()
            found = bearer_token(request)
            if found is None or not found.user.is_active:
                raise AuthenticationError()
            record_use(found, timezone.now())
            return viewer_for(found.user)
        if request.user.is_authenticated:
            if request.method not in SAFE_METHODS and check_csrf(request) is not None:
                raise AuthenticationError()
            return viewer_for(request.user)
        return Viewer.public()


def require_user(viewer: Viewer) -> Viewer:
    if viewer.user is None:
        raise Unauthenticated("Masuk terlebih dahulu.")
    return viewer


def api_key_of(request: HttpRequest) -> ApiKey | None:
    return getattr(request, "lapor_api_key", None)


def require_permission(request: HttpRequest, permission: str) -> None:
    """An integration may only do what its key allows; people are judged by their memberships."""
    key = api_key_of(request)
    if key is not None and not key.allows(permission):
        raise Forbidden(f"Kunci API ini tidak memiliki izin '{permission}'.", code="key_permission")
