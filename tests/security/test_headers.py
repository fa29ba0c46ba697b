"""Headers and content: every page of the portal and the console is rendered and checked for inline
script, event-handler attributes and inline style (the CSP would block them, so they must not exist),
and every answer carries the security headers. HSTS only under TLS."""

import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import get_resolver

from lapor.core.models import User
from lapor.reports.workflow import Status
from lapor.web.models import ResponseTemplate
from tests.factories import World, report_in

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]

# Only POST targets and file downloads: everything else in the web namespace must be in `_pages`.
NOT_PAGES = {
    "logout", "support", "report_action", "attachment", "notifications_read", "queue_bulk",
    "workspace_action", "reveal_identity", "webhook_replay", "template_delete", "stats_download",
    "personal_data_download", "personal_data_delete",
    "password_reset_confirm",  # needs a live token; its page is the same form as the reset pages
}  # fmt: skip


class _Audit(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name.lower(): value or "" for name, value in attrs}
        if tag == "script":
            kind = names.get("type", "")
            if "src" not in names and kind not in {"application/json", "application/ld+json"}:
                self.problems.append(f"inline <script {names}>")
        if tag == "style":
            self.problems.append("<style> element")
        for name, value in names.items():
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...>")
            if name == "style":
                self.problems.append(f"<{tag} style=...>")
            if name in {"href", "src", "action", "formaction"} and value.strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"<{tag} {name}=javascript:>")


def audit(html: str) -> list[str]:
    parser = _Audit()
    parser.feed(html)
    return parser.problems


def _pages(world: World) -> dict[str, list[tuple[str | None, str]]]:
    """url name -> [(who, path)] for every page of the web namespace."""
    report = report_in(world, Status.IN_PROGRESS)
    template = ResponseTemplate.objects.create(agency=world.pemda, title="Salam", body="Terima kasih.")
    t, code = report.tracking_id, world.pemda.code
    return {
        "home": [(None, "/"), ("citizen", "/")],
        "reports": [(None, "/laporan/")],
        "track": [(None, "/laporan/lacak/")],
        "similar": [(None, "/laporan/serupa/?title=jalan")],
        "report": [(None, f"/laporan/{t}/"), ("citizen", f"/laporan/{t}/")],
        "confirmation": [("citizen", f"/laporan/{t}/terkirim/")],
        "region_picker": [(None, "/cari/wilayah/?q=sleman")],
        "agency_picker": [(None, "/cari/instansi/?q=pemda")],
        "stats": [(None, "/statistik/")],
        "agency_stats": [(None, f"/instansi/{code}/")],
        "agency_monthly": [(None, f"/instansi/{code}/laporan-bulanan/")],
        "login": [(None, "/akun/masuk/")],
        "login_code": [("citizen", "/akun/masuk/kode/")],
        "two_factor": [("citizen", "/akun/keamanan/")],
        "signup": [(None, "/akun/daftar/")],
        "my_reports": [("citizen", "/akun/laporan/")],
        "personal_data": [("citizen", "/akun/data/")],
        "notifications": [("citizen", "/akun/notifikasi/")],
        "notification_settings": [("citizen", "/akun/notifikasi/pengaturan/")],
        "password_reset": [(None, "/akun/sandi/lupa/")],
        "password_reset_done": [(None, "/akun/sandi/lupa/terkirim/")],
        "password_reset_complete": [(None, "/akun/sandi/atur/selesai/")],
        "console": [("verifier", "/staf/"), ("admin_pemda", "/staf/"), ("officer_pu", "/staf/")],
        "queue": [("verifier", "/staf/antrean/baru/"), ("admin_pemda", "/staf/antrean/diproses/")],
        "workspace": [("admin_pemda", f"/staf/laporan/{t}/"), ("verifier", f"/staf/laporan/{t}/")],
        "suggestions": [("verifier", f"/staf/laporan/{t}/saran/")],
        "merge_candidates": [("verifier", f"/staf/laporan/{t}/serupa/")],
        "alerts": [("supervisor", "/staf/peringatan/")],
        "intake": [("admin_pemda", "/staf/laporan-langsung/")],
        "webhook_deliveries": [("admin_pemda", "/staf/webhook/")],
        "templates": [("admin_pemda", "/staf/templat/")],
        "members": [("admin_pemda", "/staf/anggota/")],
        "template_edit": [("admin_pemda", f"/staf/templat/{template.pk}/")],
    }


def _client(who: str | None) -> Client:
    client = Client()
    if who is not None:
        client.force_login(User.objects.get(username=who))
    return client


def _web_names() -> set[str]:
    web = get_resolver().namespace_dict["web"][1]
    return {pattern.name for pattern in web.url_patterns if pattern.name}


def assert_security_headers(response: Any) -> None:
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"] and "microphone=()" in response["Permissions-Policy"]


def test_every_page_has_no_inline_script_handler_or_style_and_sends_the_headers(world: World) -> None:
    pages = _pages(world)
    assert _web_names() - NOT_PAGES == set(pages), "a new page: add it to _pages (or NOT_PAGES)"
    problems: dict[str, list[str]] = {}
    rendered = 0
    for name, visits in pages.items():
        for who, path in visits:
            response = _client(who).get(path)
            assert response.status_code == 200, (name, who, path, response.status_code)
            assert_security_headers(response)
            if found := audit(response.content.decode()):
                problems[f"{name} as {who}: {path}"] = found
            rendered += 1
    assert not problems
    assert rendered >= len(pages)


def test_the_audit_catches_what_it_looks_for() -> None:
    bad = (
        '<script>alert(1)</script><a href="javascript:x()">x</a><img src=x onerror="y()">'
        '<p style="color:red"></p><style>p{}</style>'
    )
    assert len(audit(bad)) == 5
    assert (
        audit('<script src="/static/web/site.js" defer></script><script type="application/json">{}</script>')
        == []
    )


def test_error_answers_carry_the_headers_too(world: World) -> None:
    assert_security_headers(Client().get("/tidak-ada/"))
    assert_security_headers(Client().get("/api/v1/reports/LPR-TIDAKADA"))


def test_signed_in_pages_are_not_cached(world: World) -> None:
    assert _client("citizen").get("/akun/laporan/")["Cache-Control"] == "private, no-store"
    assert "no-store" not in Client().get("/").get("Cache-Control", "")


def test_hsts_only_over_tls(world: World, settings: Any) -> None:
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    assert "Strict-Transport-Security" not in Client().get("/")
    hsts = Client().get("/", secure=True)["Strict-Transport-Security"]
    assert hsts == "max-age=31536000; includeSubDomains"


def _settings_with(**env: str) -> dict[str, Any]:
    code = (
        "import json, lapor.settings as s; print(json.dumps({k: getattr(s, k, None) for k in ("
        "'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SESSION_COOKIE_SECURE', "
        "'CSRF_COOKIE_SECURE', 'CSRF_COOKIE_HTTPONLY', 'SESSION_COOKIE_HTTPONLY', 'SECURE_PROXY_SSL_HEADER', "
        "'LAPOR_TRUSTED_PROXY_COUNT', 'PASSWORD_HASHERS')}))"
    )
    base = {k: v for k, v in os.environ.items() if not k.startswith(("LAPOR_", "SECURE"))}
    full = base | {"PYTHONPATH": str(ROOT / "src"), "LAPOR_VAR_DIR": os.environ["LAPOR_VAR_DIR"]} | env
    done = subprocess.run([sys.executable, "-c", code], env=full, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    import json

    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def test_tls_settings_follow_the_switches() -> None:
    plain = _settings_with()
    assert plain["SECURE_HSTS_SECONDS"] is None and plain["SESSION_COOKIE_SECURE"] is False
    assert plain["SECURE_PROXY_SSL_HEADER"] is None and plain["LAPOR_TRUSTED_PROXY_COUNT"] == 0
    assert plain["CSRF_COOKIE_HTTPONLY"] is True and plain["SESSION_COOKIE_HTTPONLY"] is True
    assert plain["PASSWORD_HASHERS"][0].endswith("Argon2PasswordHasher")
    tls = _settings_with(LAPOR_SECURE_COOKIES="1", LAPOR_PROXY_SSL_HEADER="1", LAPOR_TRUSTED_PROXY_COUNT="1")
    assert tls["SECURE_HSTS_SECONDS"] == 31_536_000 and tls["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert tls["SESSION_COOKIE_SECURE"] is True and tls["CSRF_COOKIE_SECURE"] is True
    assert tls["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert tls["LAPOR_TRUSTED_PROXY_COUNT"] == 1


def test_api_docs_load_swagger_from_our_own_static_files(world: World) -> None:
    """The footer links the API docs: a CDN script would be blocked by the CSP and leave the page blank."""
    response = Client().get("/api/v1/docs")
    html = response.content.decode()
    assert response.status_code == 200
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    assert audit(html) == []
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_the_policy_built_once_follows_the_settings_and_gives_way_to_a_views_own(settings: Any) -> None:
    """The site-wide policy is built once per process (lapor.security.middleware.CSPMiddleware); a
    change of settings builds it anew, and a response with its own policy or a nonce gets django-csp's."""
    from csp.constants import NONCE
    from csp.utils import build_policy
    from django.http import HttpResponse
    from django.test import RequestFactory

    from lapor.security.middleware import CSPMiddleware

    middleware = CSPMiddleware(lambda request: HttpResponse("ok"))
    assert "object-src 'none'" in middleware(RequestFactory().get("/"))["Content-Security-Policy"]

    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    assert middleware(RequestFactory().get("/"))["Content-Security-Policy"] == "default-src 'none'"

    none = {"default-src": ["'none'"]}
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": none, "EXCLUDE_URL_PREFIXES": ["/x/"]}
    assert "Content-Security-Policy" not in middleware(RequestFactory().get("/x/y"))  # django-csp decides
    assert middleware(RequestFactory().get("/"))["Content-Security-Policy"] == "default-src 'none'"
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": none}

    own = HttpResponse("ok")
    own._csp_update = {"img-src": ["https://peta.example"]}  # what django-csp's @csp_update sets
    response = CSPMiddleware(lambda request: own)(RequestFactory().get("/"))
    assert response["Content-Security-Policy"] == "default-src 'none'; img-src https://peta.example"

    def with_nonce(request: Any) -> HttpResponse:
        return HttpResponse(str(request.csp_nonce))

    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"], "script-src": [NONCE]}}
    assert middleware(RequestFactory().get("/"))["Content-Security-Policy"] == build_policy()
    response = CSPMiddleware(with_nonce)(RequestFactory().get("/"))
    nonce = response.content.decode()
    assert response["Content-Security-Policy"] == build_policy(nonce=nonce)
    assert f"script-src 'nonce-{nonce}'" in build_policy(nonce=nonce)
