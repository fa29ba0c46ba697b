"""A public report page, kept whole for visitors who are not signed in (ADR 0025).

Everyone who is not signed in and holds no access code for the report sees the same page, so it is
rendered once and served from the cache until the report changes (its `updated_at` and supporters
count are in the key), until its deadline badge would change (the due date begins, or the deadline
passes), or for `TTL` at most. The only per-visitor part of that page is the CSRF token: the page is
rendered with a placeholder, and each response gets the visitor's own token in its place.

Privacy does not depend on the cache: every request, hit or miss, first asks `reports_visible_to`
(the selector every surface uses) whether this visitor may see the report, so a report made
confidential by any means stops being served at once, whatever the cache holds."""

import secrets
from collections.abc import Callable
from datetime import datetime

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation

from lapor.reports.selectors import reports_visible_to
from lapor.web.context import access_code_for, viewer
from lapor.web.deadlines import state_changes_at, zone_of

__all__ = ["PLACEHOLDER", "TTL", "public_page"]

TTL = 600  # at most; a page whose deadline badge changes sooner is kept until then
# Per process and never sent: a page is stored with this where the CSRF token goes.
PLACEHOLDER = f"csrf-{secrets.token_hex(16)}"


def _shared(request: HttpRequest, tracking_id: str) -> bool:
    """True when this request would see exactly what every other anonymous visitor sees."""
    return (
        request.method == "GET"
        and not request.GET
        and not request.user.is_authenticated
        and access_code_for(request, tracking_id) is None
        and len(get_messages(request)) == 0  # a flash message is for this visitor only
    )


def public_page(
    request: HttpRequest, tracking_id: str, render: Callable[[dict[str, str]], HttpResponse]
) -> HttpResponse | None:
    """The shared page of `tracking_id`, or None when this request needs its own (or a 404/redirect:
    the caller's normal path decides those). `render(extra_context)` renders the page as usual."""
    if not _shared(request, tracking_id):
        return None
    head = (
        reports_visible_to(viewer=viewer(request))
        .filter(tracking_id=tracking_id)
        .values_list("pk", "updated_at", "supporters_count", "due_at", "agency__timezone")
        .first()
    )
    if head is None:
        return None
    pk, updated_at, supporters, due_at, agency_zone = head
    key = f"page:report:{pk}:{updated_at.timestamp()}:{supporters}:{translation.get_language()}"
    html = cache.get(key)
    if html is None:
        response = render({"csrf_token": PLACEHOLDER})
        if response.status_code != 200:
            return response
        html = response.content.decode()
        cache.set(key, html, _lifetime(due_at, zone_of(agency_zone)))
    return HttpResponse(html.replace(PLACEHOLDER, get_token(request)))


def _lifetime(due_at: datetime | None, zone: str) -> int:
    """Seconds the page stays true: until its deadline badge changes, at most `TTL`."""
    now = timezone.now()
    change = state_changes_at(due_at, tz=zone, now=now)
    if change is None:
        return TTL
    return max(1, min(TTL, int((change - now).total_seconds())))
