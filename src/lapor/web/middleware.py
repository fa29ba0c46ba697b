"""Middleware of the site's pages.

Indonesian first: the site speaks Indonesian unless the person chose English with the language
switcher (the language cookie). A phone set to English is not a choice of the site's language, so the
browser's Accept-Language is ignored for pages (ADR 0008).

Pages only: flash messages and htmx belong to pages. A request to a machine-facing surface (the API,
Open311, the channel gateways: `security.lockout.wants_json`) has neither, so it goes past those two
middlewares; running them cost 3% of a filing's CPU (docs/performance.md)."""

from collections.abc import Callable
from typing import Any

from django.contrib.messages import middleware as messages
from django.http import HttpRequest, HttpResponse
from django_htmx import middleware as htmx

from lapor.security.lockout import wants_json

__all__ = ["HtmxMiddleware", "IndonesianFirstMiddleware", "MessageMiddleware"]


class IndonesianFirstMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class _PagesOnly:
    """Runs the middleware it is mixed into for pages; a machine-facing request goes straight on."""

    get_response: Callable[[HttpRequest], Any]

    def __call__(self, request: HttpRequest) -> Any:
        if wants_json(request):
            return self.get_response(request)
        return super().__call__(request)  # type: ignore[misc]


class MessageMiddleware(_PagesOnly, messages.MessageMiddleware):
    """Django's, for pages (a subclass, so the admin's check still finds it)."""


class HtmxMiddleware(_PagesOnly, htmx.HtmxMiddleware):
    """django-htmx's, for pages: `request.htmx` is read by views and templates only."""
