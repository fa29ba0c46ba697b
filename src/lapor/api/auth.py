"""Who is calling the API: a bearer token, else the web session (with CSRF on writes), else the
public. Every handler receives a `Viewer`; an invalid token is a 401, never a silent downgrade."""

from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import AuthenticationError
from ninja.security.http import HttpAuthBase
from ninja.utils import check_csrf

from lapor.agencies.access import Viewer, viewer_for
from lapor.core.errors import Unauthenticated
from lapor.core.models import AuthToken, hash_secret

__all__ = ["ViewerAuth", "require_user"]

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class ViewerAuth(HttpAuthBase):
    openapi_scheme = "bearer"

    def __call__(self, request: HttpRequest) -> Viewer:
        header = request.headers.get("Authorization", "")
        if header:
            scheme, _, token = header.partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                raise AuthenticationError()
            found = (
                AuthToken.objects.select_related("user")
                .filter(digest=hash_secret(token.strip()), expires_at__gt=timezone.now())
                .first()
            )
            if found is None or not found.user.is_active:
                raise AuthenticationError()
            AuthToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
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
