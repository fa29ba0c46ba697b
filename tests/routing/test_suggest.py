"""Suggestions: category model x region (form or gazetteer) x routing rules, plus a trained agency model."""

import pytest

from lapor.routing import store
from lapor.routing.model import fit
from lapor.routing.suggest import infer_region, suggest
from tests.factories import World

pytestmark = pytest.mark.django_db

BANSOS = "Bantuan PKH ibu saya sudah 4 bulan belum cair padahal terdaftar di DTKS, tolong dicek"


def test_region_in_the_text_routes_to_that_regency_and_its_unit(routed_world: World) -> None:
    found = suggest(title="Bansos belum cair", body=BANSOS + " di Kabupaten Sleman")
    best = found[0]
    assert (best.agency_code, best.unit_code) == ("pemda-34.04", "pemda-34.04/dinas-sosial")
    assert best.agency_name == "Pemerintah Kabupaten Sleman"
    assert best.reason.startswith("kategori social_aid → pemda-34.04; wilayah 34.04")
    assert [s.agency_code for s in found][:3] == ["pemda-34.04", "pemda-34", "kemensos"]
    assert all(0 < s.confidence <= 1 for s in found) and sum(s.confidence for s in found) <= 1.0001
    assert found == sorted(found, key=lambda s: -s.confidence)


def test_region_from_the_form_wins_over_the_text(routed_world: World) -> None:
    found = suggest(title="Bansos belum cair", body=BANSOS + " di Kabupaten Sleman", region="34")
    assert found[0].agency_code == "pemda-34" and "wilayah 34" in found[0].reason


def test_without_a_region_the_national_rule_answers(routed_world: World) -> None:
    found = suggest(title="Bansos belum cair", body=BANSOS)
    assert found[0].agency_code == "kemensos" and found[0].unit_code is None
    assert "wilayah" not in found[0].reason


def test_electricity_goes_to_pln_anywhere(routed_world: World) -> None:
    found = suggest(
        title="Listrik padam",
        body="Listrik di rumah kami padam tiap malam tanpa pemberitahuan dari PLN",
        region="34.04",
    )
    assert found[0].agency_code == "pln"
    assert found[0].reason == "kategori electricity_energy → pln; wilayah 34.04"  # as in DESIGN §7


def test_given_category_weighs_most(routed_world: World) -> None:
    found = suggest(
        title="Laporan",
        body="Mohon ditindaklanjuti segera keluhan kami ini",
        region="34.04",
        category="roads_infrastructure",
    )
    assert (found[0].agency_code, found[0].unit_code) == ("pemda-34.04", "pemda-34.04/dinas-pu")
    assert found[0].confidence > 0.4 > found[1].confidence


def test_the_national_node_is_never_a_destination(routed_world: World) -> None:
    found = suggest(
        title="Pertanyaan",
        body="Saya ingin bertanya bagaimana cara menyampaikan aspirasi",
        category="other",
        limit=10,
    )
    assert "lapor-nasional" not in {s.agency_code for s in found}


def test_gazetteer_finds_regions_in_free_text() -> None:
    assert infer_region("Jalan rusak", "Jalan di Kabupaten Sleman rusak parah") == "34.04"
    assert infer_region("Jalan rusak", "jalan di depan rumah saya rusak") is None


def test_trained_agency_model_adds_its_names_through_aliases(routed_world: World) -> None:
    texts = ["tagihan listrik naik drastis", "token listrik gagal", "meteran listrik rusak"] * 2 + [
        "bantuan sosial belum cair",
        "pkh tidak cair",
        "bpnt salah sasaran",
    ] * 2
    labels = ["Divisi Pemasaran dan Pelayanan Pelanggan"] * 6 + ["Kementerian Sosial"] * 6
    model = fit("agency", texts, labels)
    store.activate("agency", store.save(model))
    found = suggest(title="", body="tagihan listrik bulan ini naik drastis, token juga gagal")
    assert found[0].agency_code == "pln"
    assert "riwayat disposisi" in found[0].reason


def test_regional_labels_resolve_with_the_region(routed_world: World) -> None:
    texts = ["jalan berlubang parah", "aspal jalan rusak", "jembatan putus"] * 2 + [
        "listrik padam",
        "token listrik",
        "tiang listrik miring",
    ] * 2
    labels = ["regional:regency/dinas-pu"] * 6 + ["pln"] * 6
    store.activate("agency", store.save(fit("agency", texts, labels)))
    found = suggest(title="", body="jalan berlubang parah di desa", region="34.04")
    assert (found[0].agency_code, found[0].unit_code) == ("pemda-34.04", "pemda-34.04/dinas-pu")
    # without a region a regional label cannot resolve, and is dropped rather than guessed
    assert all(
        not s.agency_code.startswith("pemda-") for s in suggest(title="", body="jalan berlubang parah")
    )
