from typing import Any

import pytest
from django.db.models import CharField, Count, F, Q, Value
from django.db.models.functions import Concat

from lapor.agencies.data.regional import REQUIRED_SLUGS
from lapor.agencies.models import Agency, Category, RoutingRule, Unit
from lapor.agencies.seed import seed_reference
from lapor.geo.seed import load_regions
from tests.reference import DESIGN_CATEGORIES

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference")]

REGIONAL_KINDS = [Agency.Kind.PROVINCE, Agency.Kind.REGENCY, Agency.Kind.CITY]


def _snapshot() -> dict[str, list[tuple[Any, ...]]]:
    return {
        "agencies": list(
            Agency.objects.order_by("code").values_list(
                "code", "name", "short_name", "kind", "region", "parent", "timezone", "aliases", "active"
            )
        ),
        "units": list(Unit.objects.order_by("code").values_list("code", "agency", "slug", "name")),
        "categories": list(
            Category.objects.order_by("code").values_list(
                "code", "name", "name_en", "resolution_days", "supervisory", "position"
            )
        ),
        "rules": list(
            RoutingRule.objects.order_by("pk").values_list(
                "pk", "category", "region_level", "agency", "agency_kind", "unit_slug", "priority"
            )
        ),
    }


def test_one_government_per_region() -> None:
    assert Agency.objects.filter(kind=Agency.Kind.PROVINCE).count() == 38
    assert Agency.objects.filter(kind__in=[Agency.Kind.REGENCY, Agency.Kind.CITY]).count() == 514
    assert Agency.objects.filter(kind__in=REGIONAL_KINDS).count() == 552
    pemda_code = Concat(Value("pemda-"), F("region"))
    named_after_region = Agency.objects.filter(kind__in=REGIONAL_KINDS, code=pemda_code)
    assert named_after_region.count() == 552


def test_regional_government_examples() -> None:
    diy = Agency.objects.get(code="pemda-34")
    assert (diy.name, diy.kind, diy.region_id, diy.parent_id) == (
        "Pemerintah Provinsi Daerah Istimewa Yogyakarta",
        "province_gov",
        "34",
        None,
    )
    sleman = Agency.objects.get(code="pemda-34.04")
    assert (sleman.name, sleman.kind, sleman.parent_id) == (
        "Pemerintah Kabupaten Sleman",
        "regency_gov",
        diy.pk,
    )
    yogya = Agency.objects.get(code="pemda-34.71")
    assert (yogya.name, yogya.kind, yogya.parent_id) == ("Pemerintah Kota Yogyakarta", "city_gov", diy.pk)
    # Every regency/city government hangs under its own province's government.
    regencies = Agency.objects.filter(kind__in=[Agency.Kind.REGENCY, Agency.Kind.CITY])
    assert not regencies.exclude(parent__region=F("region__parent")).exists()


@pytest.mark.parametrize(
    ("code", "tz"),
    [
        ("pemda-51", "Asia/Makassar"),
        ("pemda-51.03", "Asia/Makassar"),  # Bali, Badung: WITA
        ("pemda-91", "Asia/Jayapura"),
        ("pemda-94.04", "Asia/Jayapura"),  # Papua, Mimika: WIT
        ("pemda-34.04", "Asia/Jakarta"),
        ("kemensos", "Asia/Jakarta"),  # Sleman, a ministry: WIB
    ],
)
def test_agency_timezone_follows_region(code: str, tz: str) -> None:
    assert Agency.objects.get(code=code).timezone == tz
    assert not Agency.objects.filter(region__isnull=False).exclude(timezone=F("region__timezone")).exists()


def test_every_regional_government_has_the_required_units() -> None:
    short = (
        Agency.objects.filter(kind__in=REGIONAL_KINDS)
        .annotate(n=Count("units", filter=Q(units__slug__in=REQUIRED_SLUGS)))
        .exclude(n=len(REQUIRED_SLUGS))
    )
    assert list(short.values_list("code", flat=True)) == []
    assert Unit.objects.get(code="pemda-34.04/dinas-pu").agency.code == "pemda-34.04"
    assert Unit.objects.filter(code="pemda-34.04/pdam").exists()
    assert Unit.objects.count() > 10_000
    assert not Unit.objects.exclude(
        code=Concat(F("agency__code"), Value("/"), F("slug"), output_field=CharField())
    ).exists()


def test_national_agencies() -> None:
    national = Agency.objects.filter(kind__in=[Agency.Kind.MINISTRY, Agency.Kind.NATIONAL_AGENCY])
    assert national.count() >= 30
    required = {
        "kemensos",
        "polri",
        "kemenkes",
        "kemenhub",
        "komdigi",
        "kemendikdasmen",
        "kemendiktisaintek",
        "kemenbud",
        "kemnaker",
        "kemendagri",
        "atr-bpn",
        "kemenpu",
        "kemenpanrb",
        "kemenag",
        "kemenkeu",
        "kementan",
        "kemenlh",
        "bkn",
        "bpom",
        "bnpb",
        "kejaksaan",
    }
    assert required <= set(national.values_list("code", flat=True))
    node = Agency.objects.get(code="lapor-nasional")
    assert node.kind == Agency.Kind.NATIONAL_NODE and "KemenPAN-RB" in node.name
    assert set(Agency.objects.filter(kind=Agency.Kind.OVERSIGHT).values_list("code", flat=True)) >= {
        "ombudsman",
        "ksp",
    }
    assert set(Agency.objects.filter(kind=Agency.Kind.STATE_ENTERPRISE).values_list("code", flat=True)) >= {
        "pln",
        "bpjs-kesehatan",
        "bpjs-ketenagakerjaan",
        "pertamina",
        "kai",
        "telkom",
        "pos-indonesia",
        "taspen",
    }
    assert Agency.objects.get(code="komdigi").name == "Kementerian Komunikasi dan Digital"
    assert Unit.objects.get(code="kemenhub/ditjen-hubdat").name == "Direktorat Jenderal Perhubungan Darat"
    assert Unit.objects.get(code="kemenkes/ditjen-nakes").name == "Direktorat Jenderal Tenaga Kesehatan"
    assert Unit.objects.filter(agency__code="pln", name="Divisi Pemasaran dan Pelayanan Pelanggan").exists()


def test_categories_match_design() -> None:
    assert list(Category.objects.order_by("position").values_list("code", flat=True)) == DESIGN_CATEGORIES
    assert list(Category.objects.filter(supervisory=True).values_list("code", flat=True)) == ["integrity"]
    assert set(Category.objects.values_list("resolution_days", flat=True)) <= {5, 14, 60}
    cat = Category.objects.get(code="social_aid")
    assert (cat.name, cat.name_en) == ("Perlindungan Sosial & Bansos", "Social protection and aid")
    assert Category.objects.get(code="civil_registry").resolution_days == 5
    assert Category.objects.get(code="land").resolution_days == 60


def test_every_category_has_rules() -> None:
    assert set(RoutingRule.objects.values_list("category__code", flat=True)) == set(DESIGN_CATEGORIES)


def test_rerun_creates_and_changes_nothing() -> None:
    before = _snapshot()
    load_regions()
    counts = seed_reference()
    assert (counts["created"], counts["updated"]) == (0, 0)
    assert _snapshot() == before


def test_rerun_repairs_drift_without_duplicates() -> None:
    before = _snapshot()
    Agency.objects.filter(code="komdigi").update(name="Kementerian Komunikasi dan Informatika", aliases=[])
    Unit.objects.filter(code="pemda-34.04/dinas-sosial").delete()
    rule = RoutingRule.objects.filter(category__code="electricity_energy", agency__code="pln").get()
    RoutingRule.objects.filter(pk=rule.pk).update(priority=99)
    counts = seed_reference()
    assert (counts["created"], counts["updated"]) == (1, 2)
    after = _snapshot()
    # The deleted unit came back under a new id; everything else is identical.
    assert [u for u in after["units"] if u[0] != "pemda-34.04/dinas-sosial"] == [
        u for u in before["units"] if u[0] != "pemda-34.04/dinas-sosial"
    ]
    assert len(after["units"]) == len(before["units"])
    del after["units"], before["units"]
    assert after == before


def test_operator_fields_survive_a_rerun() -> None:
    Agency.objects.filter(code="pln").update(active=False, direct_intake=True)
    seed_reference()
    pln = Agency.objects.get(code="pln")
    assert (pln.active, pln.direct_intake) == (False, True)
