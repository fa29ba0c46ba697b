"""The security middleware, in the order settings.MIDDLEWARE lists them:

- `RateLimitMiddleware`: the abuse limits of ADR 0017 on filing, sign-in, support and the read API;
- `AccountGuardMiddleware`: ends expired officer sessions, asks for the second step when a session has
  not passed it, and keeps officers who must use two-step sign-in out of the console until enrolled;
- `CSPMiddleware`: django-csp's, with the policy built once instead of on every response;
- `SecurityHeadersMiddleware`: the headers Django and django-csp do not set."""

import re
from collections.abc import Callable
from functools import cache
from urllib.parse import urlencode

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from csp.utils import build_policy
from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from lapor.core.callers import IDEMPOTENCY_HEADER, bearer_token, request_caller
from lapor.core.models import hash_secret
from lapor.security import twofactor
from lapor.security.lockout import too_many_requests, wants_json
from lapor.security.network import client_ip
from lapor.security.ratelimit import hit, limit_for
from lapor.security.sessions import staff_session_expired

__all__ = [
    "AccountGuardMiddleware",
    "CSPMiddleware",
    "RateLimitMiddleware",
    "SecurityHeadersMiddleware",
    "rate_limited_response",
]

Handler = Callable[[HttpRequest], HttpResponse]
WRITE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
READ = frozenset({"GET", "HEAD"})

# (rule, methods, path). Sign-in covers every door that checks a password or a second-step code.
ROUTES: tuple[tuple[str, frozenset[str], re.Pattern[str]], ...] = (
    ("signin", WRITE, re.compile(r"^/(akun/(masuk|daftar|sandi/lupa)/|admin/login/|api/v1/auth/token$)")),
    ("filing", WRITE, re.compile(r"^/(|api/v1/reports/?|open311/v2/requests\.\w+)$")),
    ("channel", WRITE, re.compile(r"^/channels/")),
    ("support", WRITE, re.compile(r"^/(laporan/[^/]+/dukung/|api/v1/reports/[^/]+/support/?)$")),
    ("read", READ, re.compile(r"^/(api/v1|open311/v2)/")),
    # Reads sent as POST (a text to classify or compare): they cost more than most GETs.
    ("read", WRITE, re.compile(r"^/api/v1/(routing/suggest|reports/similar)$")),
)


def _rule_of(request: HttpRequest) -> str | None:
    for rule, methods, pattern in ROUTES:
        if request.method in methods and pattern.match(request.path):
            return rule
    return None


def _credential_user(request: HttpRequest) -> int | None:
    """The account behind a bearer token or an integration's API key (one indexed lookup by digest,
    as authentication does). An invalid credential has no account: it is counted per address."""
    if raw := request.headers.get("X-API-Key", "").strip():
        # Looked up by name: channels sit above this app, and a key is its service user (ADR 0011).
        model = apps.get_model("channels", "ApiKey")
        keys = model.objects.filter(digest=hash_secret(raw), revoked_at__isnull=True)
        return keys.values_list("user_id", flat=True).first()
    token = bearer_token(request)
    return token.user_id if token is not None else None


def _caller(request: HttpRequest, rule: str) -> tuple[str, str]:
    """(scope, identity). Signed-in people and integrations are counted per account, so an office or a
    campus behind one address does not share a budget; everyone else per address. Sign-in is always per
    address: before it succeeds there is no account, and axes already counts per username."""
    if rule != "signin":
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return "account", f"user:{user.pk}"
        if (user_id := _credential_user(request)) is not None:
            return "account", f"user:{user_id}"
    return "ip", "ip:" + client_ip(request)


def _is_retry(request: HttpRequest) -> bool:
    """A POST whose Idempotency-Key is already on record was counted when it was first sent; it is
    answered from the record (or run once more if that attempt died), so counting it again would refuse
    a client that retries correctly."""
    key = request.headers.get(IDEMPOTENCY_HEADER, "").strip()
    if request.method != "POST" or not key:
        return False
    request.body  # noqa: B018  # read it now: parsing a multipart form first would make it unreadable later
    records = apps.get_model("channels", "IdempotencyRecord").objects  # by name: channels sit above
    return records.filter(caller=request_caller(request), endpoint=request.path[:200], key=key).exists()


def rate_limited_response(request: HttpRequest, retry_after: int) -> HttpResponse:
    message = _("Terlalu banyak permintaan. Silakan coba lagi dalam %(seconds)s detik.") % {
        "seconds": retry_after
    }
    return too_many_requests(request, code="rate_limited", message=message, retry_after=retry_after)


class RateLimitMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rule = _rule_of(request) if settings.LAPOR_RATELIMIT_ENABLED else None
        if rule is not None and not _is_retry(request):
            scope, who = _caller(request, rule)
            limit = limit_for(rule, scope)
            if limit is not None:
                decision = hit(rule=rule, who=who, limit=limit)
                if not decision.allowed:
                    return rate_limited_response(request, decision.retry_after)
        return self.get_response(request)


# Pages an unverified or not-yet-enrolled person must still reach.
_GUARD_EXEMPT = (
    "/akun/masuk/",
    "/akun/keluar/",
    "/akun/keamanan/",
    "/static/",
    "/i18n/",
    "/healthz",
    "/readyz",
)
_CONSOLE = ("/staf/", "/admin/")


class AccountGuardMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not request.path.startswith(_GUARD_EXEMPT):
            if staff_session_expired(request):
                logout(request)
                message = _("Sesi petugas Anda sudah berakhir. Silakan masuk kembali.")
                messages.info(request, message, fail_silently=True)  # an API request has no messages
                return redirect(f"{reverse('web:login')}?{urlencode({'next': request.get_full_path()})}")
            verified = bool(getattr(user, "is_verified", lambda: False)())  # set by django-otp's middleware
            if not verified and twofactor.is_enrolled(user):
                # Signed in without the second step (e.g. through the admin login page).
                return self._refuse(request, "web:login_code", "otp_required")
            if not verified and request.path.startswith(_CONSOLE) and twofactor.two_factor_required_for(user):
                messages.warning(
                    request,
                    _("Peran Anda wajib memakai verifikasi dua langkah. Pasangkan aplikasi autentikator."),
                )
                return self._refuse(request, "web:two_factor", "two_factor_required")
        return self.get_response(request)

    @staticmethod
    def _refuse(request: HttpRequest, url_name: str, code: str) -> HttpResponse:
        if wants_json(request):
            message = _("Selesaikan verifikasi dua langkah terlebih dahulu.")
            return JsonResponse({"code": code, "message": message, "field": None}, status=403)
        return redirect(f"{reverse(url_name)}?{urlencode({'next': request.get_full_path()})}")


# What a view or template may set on its response to change its policy (django-csp's decorators, a nonce).
_OWN_POLICY = ("_csp_config", "_csp_update", "_csp_replace", "_csp_exempt")
_POLICIES = ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY")


@cache
def _site_policies() -> tuple[tuple[str, str], ...] | None:
    """(header, value) of the site-wide policies, built from settings once per process; None when a
    policy exempts some paths (django-csp decides those per request)."""
    if any((getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES") for name in _POLICIES):
        return None
    pairs = ((HEADER, build_policy()), (HEADER_REPORT_ONLY, build_policy(report_only=True)))
    return tuple((header, value) for header, value in pairs if value)


@receiver(setting_changed)
def _forget_policies(setting: str, **_: object) -> None:
    if setting in _POLICIES:
        _site_policies.cache_clear()


class CSPMiddleware(BaseCSPMiddleware):
    """django-csp builds the policy string from settings on every response (a tenth of a filing's
    time in the API). Without a nonce or a view's own policy it is the same string each time, so it
    is built once; any response that has either goes through django-csp unchanged."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:  # type: ignore[override]
        own = any(hasattr(response, name) or hasattr(response, name + "_ro") for name in _OWN_POLICY)
        site = None if own or getattr(request, "_csp_nonce", None) is not None else _site_policies()
        if site is None:
            return super().process_response(request, response)  # type: ignore[return-value]
        if response.status_code in (404, 500) and settings.DEBUG:
            return response  # django-csp leaves Django's debug pages alone
        for header, value in site:
            response.setdefault(header, value)
        # As django-csp does: a nonce asked for after the header is written would not be in it.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response


class SecurityHeadersMiddleware:
    """Permissions-Policy (no camera, microphone, payment...; geolocation only for this site's map pin)
    and no caching of pages shown to a signed-in person (shared computers)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.LAPOR_PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            response["Cache-Control"] = "private, no-store"
        return response
