"""Injection and XSS: hostile text in every text field of the web forms and of the API. Nothing answers
5xx, everything is stored literally, every page that shows it renders it escaped, and search with SQL
metacharacters is just search."""

import html
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from lapor.agencies.models import Membership
from lapor.reports import services
from lapor.reports.models import Report, TimelineEvent
from lapor.reports.workflow import Status
from lapor.web.models import ResponseTemplate
from tests.adversarial.conftest import bearer
from tests.factories import BODY, World

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
PAYLOADS = [
    SCRIPT,
    IMG,
    "javascript:alert(document.cookie)",
    "{{7*7}}{% debug %}",
    "'; DROP TABLE reports_report;--",
    "%00%27%22",
    "\u202egnp.exe\u202c Teks kanan-ke-kiri",
    "Ünïcödé ☃ 日本語 𝔘𝔫𝔦 لابور",
]
# What must never reach a page as markup.
DANGEROUS = [SCRIPT, "<img src=x onerror"]


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def _assert_escaped(page: str, payload: str, where: str) -> None:
    for raw in DANGEROUS:
        assert raw not in page, (where, raw)
    assert 'href="javascript:' not in page.lower(), where
    if payload.startswith("{{7*7}}"):  # shown as typed, never evaluated by a template engine
        assert payload in page and "49{%" not in page, where
    if payload in (SCRIPT, IMG):  # shown, but as text
        assert html.escape(payload, quote=False) in page or html.escape(payload) in page, (where, payload)


def _signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("payload", PAYLOADS)
def test_filing_reply_and_notes_store_literally_and_render_escaped(world: World, payload: str) -> None:
    citizen, verifier, admin = (
        _signed_in(world.citizen),
        _signed_in(world.verifier),
        _signed_in(world.admin_pemda),
    )
    filed = citizen.post(
        reverse("web:home"),
        {
            "kind": "complaint",
            "title": payload,
            "body": f"{BODY} {payload}",
            "address": payload,
            "region_q": payload,
            "target_agency_q": payload,
        },
    )
    assert filed.status_code == 302, filed.context["form"].errors if filed.context else filed.status_code
    report = Report.objects.filter(reporter=world.citizen).latest("created_at")
    assert (
        report.title == payload.strip()
        and report.body.endswith(payload)
        and report.address == payload.strip()
    )

    # The verifier routes with a hostile message and note, the agency answers with hostile text.
    tid = report.tracking_id
    routed = verifier.post(
        reverse("web:workspace_action", args=[tid, "route"]),
        {
            "route-agency": world.pemda.code,
            "route-message": f"Pesan {payload}",
            "route-note": f"Catatan {payload}",
        },
    )
    assert routed.status_code == 302, routed.status_code
    responded = admin.post(
        reverse("web:workspace_action", args=[tid, "respond"]),
        {"respond-message": f"Tindak lanjut {payload}", "respond-note": payload},
    )
    assert responded.status_code == 302, responded.status_code
    replied = citizen.post(reverse("web:report_action", args=[tid, "reply"]), {"message": f"Balas {payload}"})
    assert replied.status_code == 302, replied.status_code
    assert set(
        TimelineEvent.objects.filter(report=report, action="reply").values_list("message", flat=True)
    ) == {f"Balas {payload}".strip()}

    pages = {
        "reporter page": _page(citizen, reverse("web:report", args=[tid])),
        "public page": _page(Client(), reverse("web:report", args=[tid])),
        "workspace": _page(admin, reverse("web:workspace", args=[tid])),
        "verifier workspace": _page(verifier, reverse("web:workspace", args=[tid])),
        "public list": _page(Client(), reverse("web:reports")),
        "my reports": _page(citizen, reverse("web:my_reports")),
    }
    for where, page in pages.items():
        _assert_escaped(page, payload, where)
    api = json.loads(Client(headers=bearer(world.citizen)).get(f"/api/v1/reports/{tid}").content)
    assert api["title"] == payload.strip() and api["address"] == payload.strip()


def test_templates_members_and_search_echo_escaped(world: World) -> None:
    admin = _signed_in(world.admin_pemda)
    for payload in PAYLOADS:
        saved = admin.post(
            reverse("web:templates"),
            {"agency": world.pemda.code, "title": payload[:120], "body": f"Isi templat {payload}"},
        )
        assert saved.status_code in {200, 302}, saved.status_code
        member = admin.post(
            reverse("web:members"),
            {"agency": str(world.pemda.pk), "username": payload, "role": "unit_officer"},
        )
        assert member.status_code < 500
        _assert_escaped(member.content.decode(), "", "members answer")
        for url in (reverse("web:reports"), reverse("web:my_reports"), reverse("web:track")):
            response = admin.get(url, {"q": payload, "code": payload, "tracking_id": payload})
            assert response.status_code in {200, 302}, (url, response.status_code)
            _assert_escaped(response.content.decode(), "", url)
    stored = set(ResponseTemplate.objects.values_list("title", flat=True))
    assert SCRIPT in stored and IMG in stored  # kept as typed; escaping happens when rendering
    _assert_escaped(_page(admin, reverse("web:templates")), SCRIPT, "templates list")
    assert not Membership.objects.filter(user__username__contains="<").exists()


def test_api_bodies_and_queries_take_hostile_text(world: World) -> None:
    client = Client(headers=bearer(world.citizen))
    for payload in PAYLOADS:
        body = {"title": payload, "body": f"{BODY} {payload}", "address": payload, "tags": [payload[:40]]}
        created = client.post("/api/v1/reports", body, content_type="application/json")
        assert created.status_code == 201, created.content
        tid = created.json()["tracking_id"]
        shown = client.get(f"/api/v1/reports/{tid}").json()
        assert shown["title"] == payload and shown["address"] == payload and shown["body"].endswith(payload)
        for path in ("/api/v1/reports", "/api/v1/agencies", "/api/v1/regions"):
            found = client.get(path, {"q": payload})
            assert found.status_code == 200, (path, payload, found.content)
        feed = Client().get("/open311/v2/requests.json", {"service_code": payload, "status": "open"})
        assert feed.status_code == 200
    assert Report.objects.count() == len(PAYLOADS)  # the DROP TABLE was only text


def test_search_with_sql_metacharacters_finds_by_words(world: World) -> None:
    services.report_submit(
        draft=services.ReportDraft(body=f"{BODY} Lampu jalan padam.", title="Lampu padam"),
        actor=world.viewer("citizen"),
    )
    client = Client(headers=bearer(world.citizen))
    for query in ["lampu' OR '1'='1", 'lampu"; --', "lampu%", "lampu_", "lampu\\", "(lampu) & !padam |"]:
        response = client.get("/api/v1/reports", {"q": query, "mine": "true"})
        assert response.status_code == 200, (query, response.content)
        assert response.json()["count"] <= 1
    assert client.get("/api/v1/reports", {"q": "lampu", "mine": "true"}).json()["count"] == 1


@pytest.mark.parametrize(
    "text",
    ["nul\x00byte in the body of a report", "x" * 20_000, "\ud800 lone surrogate"],
    ids=["nul", "very-long", "surrogate"],
)
def test_unstorable_text_is_refused_not_a_500(world: World, text: str) -> None:
    client = Client(headers=bearer(world.citizen))
    raw = json.dumps({"body": f"{BODY} {text}", "title": text[:200]})
    created = client.post("/api/v1/reports", raw, content_type="application/json")
    assert created.status_code in {400, 422}, created.content[:500]
    assert set(created.json()) == {"code", "message", "field"}
    if "\ud800" not in text:  # a browser cannot even send a lone surrogate
        web = _signed_in(world.citizen).post(
            reverse("web:home"), {"kind": "complaint", "body": f"{BODY} {text}"}
        )
        assert web.status_code == 200  # the form again, with an error
    assert not Report.objects.exists()


def test_action_text_with_nul_is_refused(world: World) -> None:
    report = services.report_submit(
        draft=services.ReportDraft(body=BODY, title="Jalan"), actor=world.viewer("citizen")
    ).report
    client = Client(headers=bearer(world.verifier))
    response = client.post(
        f"/api/v1/reports/{report.tracking_id}/actions/hold",
        json.dumps({"message": "Mohon \x00 foto"}),
        content_type="application/json",
    )
    assert response.status_code in {400, 422}, response.content[:500]
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED


def test_nul_in_query_parameters_is_a_400_not_a_500(world: World) -> None:
    client = Client(headers=bearer(world.admin_pemda))
    for path, params in [
        ("/api/v1/reports", {"category": "a\x00b"}),
        ("/api/v1/reports", {"agency": "\x00", "kind": "\x00"}),
        ("/api/v1/webhooks/deliveries", {"state": "\x00"}),
        ("/open311/v2/requests.json", {"service_code": "roads\x00"}),
        ("/open311/v2/requests.json", {"service_request_id": "LPR-\x00"}),
    ]:
        response = client.get(path, params)
        assert response.status_code in {200, 400, 422}, (path, params, response.content[:300])
