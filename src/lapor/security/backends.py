"""django-axes in front of the model backend. Axes needs the request (the caller's address); code that
authenticates in-process without one (Django's test client, management commands) has no address to
lock out, so it skips axes and the next backend, Django's ModelBackend, answers alone."""

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest

__all__ = ["LockoutBackend"]


class LockoutBackend(AxesStandaloneBackend):
    def authenticate(self, request: HttpRequest | None, *args: Any, **kwargs: Any) -> Any:
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)
