"""CSRF on every form. The URL resolver is walked, every URL that handles POST is found by trying it
(with a valid token), and the set is compared with the list below: a new POST view fails this test
until someone looks at it. Each of them refuses a signed-in POST without a token with 403."""

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from lapor.reports.models import Report
from lapor.reports.workflow import Status
from tests.factories import World, report_in

# Every POST-handling page of the web app, by URL name. Add a new form here once it is CSRF-safe.
POST_VIEWS = {
    "web:home",
    "web:track",
    "web:support",
    "web:report_action",
    "web:login",
    "web:login_code",
    "web:two_factor",
    "web:logout",
    "web:signup",
    "web:personal_data_delete",
    "web:notifications_read",
    "web:notification_settings",
    "web:password_reset",
    "web:password_reset_confirm",
    "web:queue_bulk",
    "web:workspace_action",
    "web:reveal_identity",
    "web:intake",
    "web:webhook_replay",
    "web:templates",
    "web:members",
    "web:template_edit",
    "web:template_delete",
    "set_language",
}
# Machine-to-machine surfaces authenticate each request by key or token, never by cookie.
NOT_FORMS = ("api/", "open311/", "channels/", "admin/")
ADMIN = "admin/"  # Django's own admin is CSRF-protected by Django; checked once below.


def _patterns(resolver: URLResolver, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str, Any]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _patterns(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + str(entry.pattern), namespace + entry.name, entry


def _kwargs(pattern: Any, tracking_id: str) -> dict[str, Any]:
    values: dict[str, Any] = {
        "tracking_id": tracking_id,
        "action": "reply",
        "pk": 1,
        "key": "baru",
        "code": "pemda-34.04",
        "dataset": "agencies",
        "fmt": "csv",
        "uidb64": "MQ",
        "token": "set-password",
    }
    names = pattern.pattern.converters.keys() if hasattr(pattern.pattern, "converters") else []
    out = {name: values[name] for name in names}
    if "pk" in out and "uuid" in str(pattern.pattern):
        out["pk"] = uuid.uuid4()
    return out


def _web_urls(tracking_id: str) -> dict[str, str]:
    urls = {}
    for route, name, pattern in _patterns(get_resolver()):
        if route.startswith(NOT_FORMS):
            continue
        urls[name] = reverse(name, kwargs=_kwargs(pattern, tracking_id))
    return urls


@pytest.fixture
def report(world: World) -> Report:
    return report_in(world, Status.RESPONDED)


def _browser(user: Any) -> tuple[Client, str]:
    """A signed-in client holding a valid CSRF cookie, and the token a form of the site would carry."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    request = RequestFactory().get("/")
    token = get_token(request)
    client.cookies["csrftoken"] = request.META["CSRF_COOKIE"]
    return client, token


def test_every_post_view_is_listed_and_refuses_a_post_without_token(world: World, report: Report) -> None:
    urls = _web_urls(report.tracking_id)
    assert "web:home" in urls and "set_language" in urls  # the walk reached the web app
    handles_post = set()
    for user in (world.citizen, world.admin_pemda):  # some forms exist only for officers
        browser, token = _browser(user)
        for name, url in urls.items():
            if "_auth_user_id" not in browser.session:  # the logout form did its job
                browser.force_login(user)
            response = browser.post(url, {"csrfmiddlewaretoken": token})
            assert response.status_code < 500, (name, response.status_code)
            if response.status_code not in {403, 405}:
                handles_post.add(name)
    unlisted = handles_post - POST_VIEWS
    assert not unlisted, f"new POST views, check their CSRF protection and list them: {sorted(unlisted)}"

    for user in (world.citizen, world.admin_pemda):
        attacker = Client(enforce_csrf_checks=True)
        attacker.force_login(user)
        for name in sorted(POST_VIEWS):
            response = attacker.post(urls[name], {"message": "dari situs lain"})
            assert response.status_code == 403, (name, response.status_code)
            assert b"CSRF" in response.content, name  # refused by the CSRF check, not by the view


def test_forged_post_changes_nothing(world: World, report: Report) -> None:
    attacker = Client(enforce_csrf_checks=True)
    attacker.force_login(world.citizen)
    url = reverse("web:report_action", kwargs={"tracking_id": report.tracking_id, "action": "confirm"})
    response = attacker.post(url, {"rating": "1", "comment": "dipaksa"})
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.status == Status.RESPONDED and report.rating is None


def test_api_refuses_session_writes_without_csrf(world: World, report: Report) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world.citizen)
    url = f"/api/v1/reports/{report.tracking_id}/actions/confirm"
    forged = browser.post(url, {"rating": 1}, content_type="application/json")
    assert forged.status_code == 401, forged.content
    assert set(forged.json()) == {"code", "message", "field"}
    report.refresh_from_db()
    assert report.status == Status.RESPONDED
    # Reads need no token, and the same write with the token goes through: the refusal was the CSRF check.
    assert browser.get(f"/api/v1/reports/{report.tracking_id}").status_code == 200
    browser, token = _browser(world.citizen)
    done = browser.post(url, {"rating": 4}, content_type="application/json", headers={"X-CSRFToken": token})
    assert done.status_code == 200, done.content
    report.refresh_from_db()
    assert report.status == Status.CLOSED and report.rating == 4


def test_admin_login_is_csrf_protected(db: None) -> None:
    response = Client(enforce_csrf_checks=True).post(
        reverse("admin:login"), {"username": "x", "password": "y"}
    )
    assert response.status_code == 403
