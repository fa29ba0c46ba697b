import pytest

from lapor.agencies.data import CATEGORIES
from lapor.agencies.models import Agency
from lapor.agencies.selectors import agencies_search, rules_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference")]


# The labels of the public LAPOR! sample (../shared/data/complaints/SOURCE.md), i.e. 2019-2024 names.
@pytest.mark.parametrize(
    ("old_name", "code"),
    [
        ("Kementerian Sosial", "kemensos"),
        ("Divisi Pemasaran dan Pelayanan Pelanggan", "pln"),
        ("Kementerian Pendidikan, Kebudayaan, Riset, dan Teknologi", "kemendikdasmen"),
        ("Kepolisian Negara Republik Indonesia", "polri"),
        ("Direktorat Jenderal Perhubungan Darat", "kemenhub"),
        ("Kementerian Komunikasi dan Informatika", "komdigi"),
        ("Direktorat Jenderal Tenaga Kesehatan", "kemenkes"),
    ],
)
def test_source_agencies_resolve_by_their_old_names(old_name: str, code: str) -> None:
    found = list(agencies_search(q=old_name))
    assert found and found[0].code == code


@pytest.mark.parametrize(
    ("q", "code"),
    [
        ("kominfo", "komdigi"),
        ("KEMENKOMINFO", "komdigi"),
        ("Polri", "polri"),
        ("kemensos", "kemensos"),
        ("bpjs kesehatan", "bpjs-kesehatan"),
        ("ombudsman", "ombudsman"),
        ("sleman", "pemda-34.04"),
    ],
)
def test_search_is_case_insensitive_and_exact_hits_first(q: str, code: str) -> None:
    assert agencies_search(q=q)[0].code == code


def test_search_filters() -> None:
    assert agencies_search(kind="province_gov").count() == 38
    in_diy = agencies_search(region="34")
    assert set(in_diy.values_list("code", flat=True)) == {
        "pemda-34",
        "pemda-34.01",
        "pemda-34.02",
        "pemda-34.03",
        "pemda-34.04",
        "pemda-34.71",
    }
    assert [a.code for a in agencies_search(kind="city_gov", region="34")] == ["pemda-34.71"]
    assert [a.code for a in agencies_search(region="34.04")] == ["pemda-34.04"]
    assert agencies_search(kind="ministry", q="tidak ada instansi begini").count() == 0
    assert agencies_search().count() == Agency.objects.count()


def _first(category: str, region: str | None) -> tuple[str, str | None]:
    agency, unit, _rule = rules_for(category_code=category, region_code=region)[0]
    return agency.code, unit.code if unit else None


def test_routing_examples() -> None:
    assert _first("electricity_energy", "34.04") == ("pln", None)
    assert _first("electricity_energy", None) == ("pln", None)
    assert _first("social_aid", "34.04") == ("pemda-34.04", "pemda-34.04/dinas-sosial")
    assert _first("social_aid", None) == ("kemensos", None)
    assert _first("social_aid", "34") == ("pemda-34", "pemda-34/dinas-sosial")
    assert _first("health", "34.04") == ("pemda-34.04", "pemda-34.04/dinas-kesehatan")
    assert _first("health", None) == ("kemenkes", None)
    assert _first("police_services", "91.03") == ("polri", None)
    assert _first("civil_registry", "34.04") == ("pemda-34.04", "pemda-34.04/disdukcapil")
    assert _first("civil_registry", None) == ("kemendagri", "kemendagri/ditjen-dukcapil")
    assert _first("roads_infrastructure", "34.04") == ("pemda-34.04", "pemda-34.04/dinas-pu")
    assert _first("roads_infrastructure", None)[0] == "kemenpu"
    assert _first("integrity", "34.04") == ("pemda-34.04", "pemda-34.04/inspektorat")
    assert _first("integrity", None) == ("ombudsman", None)
    assert _first("communication", None) == ("komdigi", None)
    assert _first("transport", None) == ("kemenhub", "kemenhub/ditjen-hubdat")
    assert _first("disaster", "34.04") == ("pemda-34.04", "pemda-34.04/bpbd")


def test_candidates_are_ordered_local_province_national() -> None:
    candidates = rules_for(category_code="social_aid", region_code="34.04")
    assert [(a.code, u.code if u else None) for a, u, _ in candidates] == [
        ("pemda-34.04", "pemda-34.04/dinas-sosial"),
        ("pemda-34", "pemda-34/dinas-sosial"),
        ("kemensos", None),
    ]
    # A district code routes like its regency.
    assert rules_for(category_code="social_aid", region_code="34.04.01")[0][0].code == "pemda-34.04"


def test_inactive_agencies_are_not_proposed() -> None:
    Agency.objects.filter(code="pemda-34.04").update(active=False)
    assert _first("social_aid", "34.04") == ("pemda-34", "pemda-34/dinas-sosial")


@pytest.mark.parametrize("category", [c.code for c in CATEGORIES])
@pytest.mark.parametrize("region", ["34.04", "34.71", "91.03", "34", None])
def test_every_category_routes_somewhere(category: str, region: str | None) -> None:
    candidates = rules_for(category_code=category, region_code=region)
    assert candidates
    for agency, unit, rule in candidates:
        assert agency.pk and agency.active
        assert unit is None or unit.agency_id == agency.pk
        assert rule.category.code == category


def test_unknown_category_has_no_candidates() -> None:
    assert rules_for(category_code="nope", region_code="34.04") == []
