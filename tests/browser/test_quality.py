"""Quality bars in a real browser: privacy on every officer and public page, accessibility (axe-core,
labels, keyboard), a 360 px phone, the weight of the report form, and nothing leaving 127.0.0.1."""

from typing import Any

import pytest

from lapor.reports.workflow import Status
from tests.browser.conftest import ARTIFACTS, UNLABELLED_JS, Session, run_axe
from tests.factories import REPORTER_NAME, build_world, report_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC_PAGES = ["/", "/laporan/", "/laporan/lacak/", "/akun/masuk/", "/akun/daftar/", "/akun/sandi/lupa/"]


def _world_with_reports() -> tuple[Any, Any, Any]:
    world = build_world()
    world.citizen.first_name, world.citizen.last_name = REPORTER_NAME.rsplit(" ", 1)
    world.citizen.save()
    anonymous = report_in(world, Status.IN_PROGRESS, anonymous=True)
    confidential = report_in(world, Status.RESPONDED, confidential=True)
    return world, anonymous, confidential


def test_anonymous_name_never_on_officer_pages(open_session: Any) -> None:
    world, anonymous, _ = _world_with_reports()
    t = anonymous.tracking_id
    pages = [
        "/staf/",
        "/staf/antrean/masuk/",
        "/staf/antrean/diproses/",
        "/staf/antrean/unit/",
        "/staf/antrean/terlambat/",
        "/staf/antrean/eskalasi/",
        f"/staf/laporan/{t}/",
        f"/laporan/{t}/",
    ]
    for user in ["admin_pemda", "officer_pu", "supervisor"]:
        session: Session = open_session(f"privacy-{user}")
        session.login(user)
        for path in pages:
            response = session.go(path)
            if response.status == 404:
                continue
            html = session.text()
            assert REPORTER_NAME not in html, (user, path)
            assert "081234567890" not in html, (user, path)
        session.go(f"/staf/laporan/{t}/")
        assert "Pelapor anonim" in session.text()
        session.shot("workspace-anonymous")


def test_confidential_never_on_public_pages(open_session: Any) -> None:
    _, _, confidential = _world_with_reports()
    t = confidential.tracking_id
    session: Session = open_session("public-confidential", width=360)
    for path in [*PUBLIC_PAGES, "/laporan/?q=Godean", f"/laporan/?q={t}", "/laporan/?status=responded"]:
        session.go(path)
        assert session.page.locator(f"a[href='/laporan/{t}/']").count() == 0, path
    assert session.go(f"/laporan/{t}/").status == 404
    session.shot("confidential-404")


def test_axe_labels_and_phone_width(open_session: Any) -> None:
    world, anonymous, _ = _world_with_reports()
    public_report = report_in(world, Status.RESPONDED)
    checks = [
        (None, PUBLIC_PAGES + [f"/laporan/{public_report.tracking_id}/"]),
        ("citizen", ["/akun/laporan/", f"/laporan/{anonymous.tracking_id}/"]),
        ("verifier", ["/staf/", "/staf/antrean/baru/"]),
        (
            "admin_pemda",
            ["/staf/antrean/masuk/", f"/staf/laporan/{anonymous.tracking_id}/", "/staf/templat/"],
        ),
    ]
    report: list[str] = []
    for width in (360, 1280):
        for user, paths in checks:
            session: Session = open_session(f"a11y-{user or 'public'}-{width}", width=width, bypass_csp=True)
            if user:
                session.login(user)
            for path in paths:
                session.go(path)
                violations = run_axe(session)
                assert violations == [], (path, width, [(v["id"], v["help"]) for v in violations])
                assert session.page.evaluate(UNLABELLED_JS) == [], (path, width)
                overflow = session.page.evaluate("() => document.documentElement.scrollWidth")
                assert overflow <= width, (path, width, overflow, session.page.evaluate(WIDER_JS, width))
                report.append(f"{width} {path}")
                if width == 360:
                    session.shot(path.strip("/").replace("/", "-") or "home")
    assert len(report) == 2 * sum(len(p) for _, p in checks)


# On failure, name the elements that stick out, so the fix is obvious.
WIDER_JS = """(width) => Array.from(document.querySelectorAll('body *'))
  .filter(el => el.getBoundingClientRect().right > width)
  .slice(0, 8)
  .map(el => el.tagName + '.' + el.className + ' ' + Math.round(el.getBoundingClientRect().right))"""


def test_report_form_weight_and_no_outside_requests(open_session: Any) -> None:
    build_world()
    session: Session = open_session("weight", width=360)
    session.go("/")
    session.page.wait_for_load_state("networkidle")
    total = sum(session.traffic.sizes.values())
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "report-form-weight.txt").write_text(
        f"{total} bytes over {len(session.traffic.sizes)} requests\n"
        + "".join(f"{size:>8} {url}\n" for url, size in session.traffic.sizes.items())
    )
    assert total < 300_000, session.traffic.sizes
    # The optional map loads Leaflet on demand, from this server, and works without tiles.
    session.page.click("[data-map-open]")
    session.page.wait_for_selector(".leaflet-container")
    session.page.click("#map", position={"x": 120, "y": 80})
    assert session.page.input_value("#id_lat") and session.page.input_value("#id_lon")
    session.shot("map-pin")
    assert session.traffic.off_site() == []
    assert session.traffic.csp == []


def test_filing_by_keyboard_only(open_session: Any) -> None:
    build_world()
    session: Session = open_session("keyboard", width=360)
    session.go("/")
    page = session.page

    def tab_to(selector: str, limit: int = 120) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
                return
        raise AssertionError(f"{selector} is not reachable by keyboard")

    tab_to("#id_title")
    page.keyboard.type("Sampah menumpuk di pasar")
    tab_to("#id_body")
    page.keyboard.type("Sampah di pasar Sleman tidak diangkut selama dua minggu dan mulai berbau.")
    tab_to("#id_region_q")
    page.keyboard.type("Sleman")
    page.wait_for_selector("input[name=region][value='34.04']")
    tab_to("input[name=region][value='34.04']")
    page.keyboard.press("Space")
    tab_to("#id_anonymous")
    page.keyboard.press("Space")
    tab_to("#id_reporter_name")
    page.keyboard.type("Warga Pasar")
    tab_to("#id_reporter_email")
    page.keyboard.type("warga@contoh.id")
    tab_to("#report-form button[type=submit]")
    with page.expect_navigation(url="**/terkirim/"):
        page.keyboard.press("Enter")
    assert "LPR-" in page.inner_text("#tracking-id")
    session.shot("keyboard-confirmation")
