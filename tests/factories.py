"""Test data built the way the system builds it: reference rows directly (they are configuration),
reports only through services, so every fixture carries its timeline and deadlines."""

from dataclasses import dataclass

from django.utils import timezone

from lapor.agencies.access import Viewer, viewer_for
from lapor.agencies.models import Agency, Category, Membership, Role, RoutingRule, Unit
from lapor.core.models import User
from lapor.geo.models import Region
from lapor.reports import services
from lapor.reports.models import Report
from lapor.reports.workflow import Status

BODY = "Jalan di depan pasar Godean berlubang besar sejak dua bulan dan sudah membuat tiga pengendara jatuh."


@dataclass
class World:
    sleman: Region
    diy: Region
    national: Agency
    pln: Agency
    kemensos: Agency
    pemda: Agency
    pemda_province: Agency
    ombudsman: Agency
    unit_pu: Unit
    unit_dinsos: Unit
    roads: Category
    verifier: User
    admin_pln: User
    admin_pemda: User
    admin_kemensos: User
    officer_pu: User
    supervisor: User
    province_supervisor: User
    citizen: User
    other_citizen: User

    def viewer(self, name: str) -> Viewer:
        return Viewer.public() if name == "public" else viewer_for(getattr(self, name))


def _user(username: str, **extra: str) -> User:
    return User.objects.create_user(
        username=username, password="lapor-demo", email=f"{username}@contoh.id", **extra
    )


def guest_report(**overrides: object) -> dict[str, object]:
    """The fields a guest sends when filing, on the web form and the API alike."""
    return {
        "kind": "complaint",
        "title": "Jalan berlubang",
        "body": BODY,
        "region": "34.04",
        "category": "roads_infrastructure",
        "reporter_name": "Budi",
        "reporter_email": "budi@contoh.id",
        **overrides,
    }


REPORTER_NAME = "Siti Aminah Rahasia"  # distinctive, so a leak anywhere in a response is easy to find


def build_world() -> World:
    diy = Region.objects.create(
        code="34", name="Daerah Istimewa Yogyakarta", level=1, kind="provinsi", timezone="Asia/Jakarta"
    )
    sleman = Region.objects.create(
        code="34.04", name="Kabupaten Sleman", level=2, kind="kabupaten", parent=diy, timezone="Asia/Jakarta"
    )
    national = Agency.objects.create(code="lapor-nasional", name="Pengelola Nasional", kind="national_node")
    pln = Agency.objects.create(code="pln", name="PT PLN (Persero)", kind="state_enterprise")
    kemensos = Agency.objects.create(
        code="kemensos", name="Kementerian Sosial", kind="ministry", direct_intake=True
    )
    ombudsman = Agency.objects.create(code="ombudsman", name="Ombudsman RI", kind="oversight")
    pemda_province = Agency.objects.create(
        code="pemda-34", name="Pemerintah Daerah DIY", kind="province_gov", region=diy
    )
    pemda = Agency.objects.create(
        code="pemda-34.04",
        name="Pemerintah Kabupaten Sleman",
        kind="regency_gov",
        region=sleman,
        parent=pemda_province,
    )
    unit_pu = Unit.objects.create(agency=pemda, slug="dinas-pu", code="pemda-34.04/dinas-pu", name="Dinas PU")
    unit_dinsos = Unit.objects.create(
        agency=pemda, slug="dinas-sosial", code="pemda-34.04/dinas-sosial", name="Dinas Sosial"
    )
    roads = Category.objects.create(
        code="roads_infrastructure", name="Jalan & Infrastruktur", name_en="Roads", resolution_days=60
    )
    Category.objects.create(
        code="social_aid", name="Perlindungan Sosial & Bansos", name_en="Social aid", resolution_days=14
    )
    users = {
        name: _user(name)
        for name in [
            "verifier",
            "admin_pln",
            "admin_pemda",
            "admin_kemensos",
            "officer_pu",
            "supervisor",
            "province_supervisor",
            "citizen",
            "other_citizen",
        ]
    }
    users["citizen"].first_name, users["citizen"].last_name = "Siti Aminah", "Rahasia"
    users["citizen"].phone = "081234567890"
    users["citizen"].save()
    Membership.objects.create(user=users["verifier"], agency=national, role=Role.VERIFIER)
    Membership.objects.create(user=users["admin_pln"], agency=pln, role=Role.AGENCY_ADMIN)
    Membership.objects.create(user=users["admin_pemda"], agency=pemda, role=Role.AGENCY_ADMIN)
    Membership.objects.create(user=users["admin_kemensos"], agency=kemensos, role=Role.AGENCY_ADMIN)
    Membership.objects.create(user=users["officer_pu"], agency=pemda, unit=unit_pu, role=Role.UNIT_OFFICER)
    Membership.objects.create(user=users["supervisor"], agency=ombudsman, role=Role.SUPERVISOR)
    Membership.objects.create(user=users["province_supervisor"], agency=pemda_province, role=Role.SUPERVISOR)
    return World(
        sleman=sleman,
        diy=diy,
        national=national,
        pln=pln,
        kemensos=kemensos,
        pemda=pemda,
        pemda_province=pemda_province,
        ombudsman=ombudsman,
        unit_pu=unit_pu,
        unit_dinsos=unit_dinsos,
        roads=roads,
        **users,
    )


def submit(
    world: World,
    *,
    anonymous: bool = False,
    confidential: bool = False,
    guest: bool = False,
    body: str = BODY,
    target_agency: str | None = None,
) -> services.Submitted:
    draft = services.ReportDraft(
        body=body,
        title="Jalan berlubang di Godean",
        region="34.04",
        category="roads_infrastructure",
        anonymous=anonymous,
        confidential=confidential,
        target_agency=target_agency,
        reporter_name="Siti Rahayu" if guest else "",
        reporter_email="siti@contoh.id" if guest else "",
    )
    actor = Viewer.public() if guest else viewer_for(world.citizen)
    return services.report_submit(draft=draft, actor=actor)


def road_rules(world: World) -> None:
    """The default-style routing rules for roads: the regency's public works office, then the
    province's."""
    for level, priority in (("regency", 10), ("province", 20)):
        RoutingRule.objects.create(
            category=world.roads,
            region_level=level,
            agency_kind="regional",
            unit_slug="dinas-pu",
            priority=priority,
        )


def report_in(world: World, status: Status, *, anonymous: bool = False, confidential: bool = False) -> Report:
    """A report of the citizen's, driven through the real services until it reaches `status`."""
    report = submit(world, anonymous=anonymous, confidential=confidential).report
    verifier, admin, citizen = world.viewer("verifier"), world.viewer("admin_pemda"), world.viewer("citizen")
    if status == Status.SUBMITTED:
        return report
    if status == Status.ON_HOLD:
        services.report_hold(report=report, actor=verifier, message="Mohon lampirkan foto lokasi.")
        return report
    if status == Status.ARCHIVED:
        services.report_archive(report=report, actor=verifier, reason="too_general")
        return report
    services.report_route(report=report, agency=world.pemda, actor=verifier)
    if status == Status.ROUTED:
        return report
    services.report_accept(report=report, actor=admin)
    services.report_forward(report=report, unit=world.unit_pu, actor=admin)
    if status == Status.IN_PROGRESS:
        return report
    services.report_respond(
        report=report, actor=admin, message="Perbaikan dijadwalkan minggu depan oleh Dinas PU."
    )
    if status == Status.RESPONDED:
        return report
    services.report_confirm(report=report, actor=citizen, rating=5, comment="Terima kasih")
    assert report.status == Status.CLOSED
    return report


def now() -> timezone.datetime:
    return timezone.now()
