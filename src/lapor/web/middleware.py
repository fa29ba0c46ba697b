"""Indonesian first: the site speaks Indonesian unless the person chose English with the language
switcher (the language cookie). A phone set to English is not a choice of the site's language, so the
browser's Accept-Language is ignored for pages (ADR 0008)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

__all__ = ["IndonesianFirstMiddleware"]


class IndonesianFirstMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
