"""Flash messages and htmx are for pages: an API, Open311 or channel request goes past both
middlewares (they cost 3% of a filing's CPU), a page still has both."""

from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from lapor.web.middleware import HtmxMiddleware, MessageMiddleware


def _what_the_view_sees(path: str) -> dict[str, bool]:
    seen: dict[str, bool] = {}

    def view(request: HttpRequest) -> HttpResponse:
        seen.update(messages=hasattr(request, "_messages"), htmx=hasattr(request, "htmx"))
        return HttpResponse()

    request = RequestFactory().get(path)
    request.session = SessionStore()
    MessageMiddleware(HtmxMiddleware(view))(request)
    return seen


def test_an_api_request_goes_past_the_messages_and_htmx_middlewares() -> None:
    for path in ("/api/v1/reports", "/open311/v2/requests.json", "/channels/sms/"):
        assert _what_the_view_sees(path) == {"messages": False, "htmx": False}, path


def test_a_page_has_both() -> None:
    assert _what_the_view_sees("/laporan/") == {"messages": True, "htmx": True}
    assert _what_the_view_sees("/apis-are-pages-too/") == {"messages": True, "htmx": True}
