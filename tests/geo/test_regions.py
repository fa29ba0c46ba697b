import pytest

from lapor.geo.models import Region
from lapor.geo.seed import load_regions
from lapor.geo.selectors import region_codes, regions_search

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("regions")]


def _snapshot() -> list[tuple[object, ...]]:
    fields = ("code", "name", "level", "kind", "parent", "timezone")
    return list(Region.objects.order_by("code").values_list(*fields))


def test_counts() -> None:
    assert Region.objects.filter(level=Region.Level.PROVINCE).count() == 38
    assert Region.objects.filter(level=Region.Level.REGENCY).count() == 514
    assert (
        Region.objects.filter(kind=Region.Kind.CITY).count()
        + Region.objects.filter(kind=Region.Kind.REGENCY).count()
        == 514
    )
    assert not Region.objects.filter(level=Region.Level.REGENCY, parent__isnull=True).exists()


def test_examples() -> None:
    sleman = Region.objects.get(code="34.04")
    assert (sleman.name, sleman.kind, sleman.parent_id) == ("Kabupaten Sleman", "kabupaten", "34")
    assert Region.objects.get(code="34.71").kind == Region.Kind.CITY
    assert Region.objects.get(code="31.74").name == "Kota Administrasi Jakarta Selatan"


@pytest.mark.parametrize(
    ("code", "tz"),
    [
        ("34.04", "Asia/Jakarta"),  # Sleman: WIB
        ("51", "Asia/Makassar"),  # Bali: WITA
        ("51.71", "Asia/Makassar"),  # Denpasar
        ("73.71", "Asia/Makassar"),  # Makassar
        ("91", "Asia/Jayapura"),  # Papua: WIT
        ("94.04", "Asia/Jayapura"),  # Mimika
        ("81.71", "Asia/Jayapura"),  # Ambon
        ("61.71", "Asia/Jakarta"),  # Pontianak: West Kalimantan is WIB
    ],
)
def test_timezones(code: str, tz: str) -> None:
    assert Region.objects.get(code=code).timezone == tz


def test_rerun_changes_nothing() -> None:
    before = _snapshot()
    assert load_regions() == 552
    assert _snapshot() == before


def test_rerun_repairs_renamed_and_missing_rows() -> None:
    before = _snapshot()
    Region.objects.filter(code="34.04").update(name="Kab. Sleman (lama)", timezone="Asia/Makassar")
    Region.objects.filter(code="34.71").delete()
    load_regions()
    assert _snapshot() == before


def test_regions_search() -> None:
    assert list(regions_search(level=1, q=None).values_list("code", flat=True))[:2] == ["11", "12"]
    assert [r.code for r in regions_search(level=2, q="sleman")] == ["34.04"]
    in_diy = ["34", "34.01", "34.02", "34.03", "34.04", "34.71"]
    assert [r.code for r in regions_search(level=None, q="34")] == in_diy
    assert {r.code for r in regions_search(level=2, q="bandung")} == {"32.04", "32.17", "32.73"}
    assert regions_search(level=1, q="34.04").count() == 0


def test_region_codes_are_the_region_and_the_regions_inside_it() -> None:
    province = region_codes("34")
    assert province[0] == "34" and "34.04" in province and "34.71" in province
    assert all(code == "34" or code.startswith("34.") for code in province)
    assert "35.78" not in province
    assert region_codes("34.04") == ("34.04",)
    assert region_codes("99.99") == ("99.99",)  # unknown: matches nothing, and is not remembered
