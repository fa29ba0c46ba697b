"""The router on the real reference seed: every region, agency, alias and default routing rule."""

import pytest

from lapor.routing import store
from lapor.routing.model import fit
from lapor.routing.suggest import suggest

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("reference")]

# The seven labels of the public LAPOR! sample are 2019-2024 names; aliases carry them to today's codes.
OLD_NAMES = {
    "Kementerian Sosial": ("kemensos", "bantuan sosial pkh belum cair"),
    "Divisi Pemasaran dan Pelayanan Pelanggan": ("pln", "tagihan listrik naik token gagal"),
    "Kementerian Pendidikan, Kebudayaan, Riset, dan Teknologi": (
        "kemendikdasmen",
        "tunjangan guru sertifikasi",
    ),
    "Kepolisian Negara Republik Indonesia": ("polri", "laporan polisi pencurian motor"),
    "Direktorat Jenderal Perhubungan Darat": ("kemenhub", "uji kir angkutan bus terminal"),
    "Kementerian Komunikasi dan Informatika": ("komdigi", "blokir situs judi online sinyal"),
    "Direktorat Jenderal Tenaga Kesehatan": ("kemenkes", "str perawat bidan verifikasi"),
}


def test_social_aid_in_surabaya_goes_to_the_city_then_province_then_ministry() -> None:
    found = suggest(
        title="Bansos tidak cair", body="Saya warga Kota Surabaya, bantuan PKH saya blm cair 3 bulan"
    )
    assert [(s.agency_code, s.unit_code) for s in found] == [
        ("pemda-35.78", "pemda-35.78/dinas-sosial"),
        ("pemda-35", "pemda-35/dinas-sosial"),
        ("kemensos", None),
    ]
    assert found[0].reason.startswith("kategori social_aid → pemda-35.78; wilayah 35.78")


def test_electricity_anywhere_goes_to_pln() -> None:
    found = suggest(
        title="Listrik padam", body="Listrik di Kabupaten Sleman padam tiap malam tanpa pemberitahuan"
    )
    assert found[0].agency_code == "pln"


def test_old_agency_names_of_a_trained_model_resolve_through_aliases() -> None:
    texts, labels = [], []
    for name, (_code, words) in OLD_NAMES.items():
        for i in range(4):
            texts.append(f"{words} keluhan nomor {i}")
            labels.append(name)
    store.activate("agency", store.save(fit("agency", texts, labels)))
    for _name, (code, words) in OLD_NAMES.items():
        found = suggest(title="", body=f"{words} mohon dibantu", limit=5)
        assert code in {s.agency_code for s in found}, (code, found)
