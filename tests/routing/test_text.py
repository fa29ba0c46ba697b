"""The text pipeline: informal Indonesian in, stable tokens out, negations kept."""

from lapor.routing.text import NEGATIONS, STOPWORDS, analyze, normalize, stem, tokens


def test_slang_and_abbreviations_become_standard_words() -> None:
    assert normalize("yg sdh blm tdk gak kalo mksh krn utk") == (
        "yang sudah belum tidak tidak kalau terima kasih karena untuk"
    )


def test_stretched_letters_reduplication_and_case() -> None:
    assert normalize("TOLONGGGG pakkk, anak2 saya") == "tolong pak anak anak saya"
    assert normalize("maaaaf") == "maaf"


def test_numbers_urls_and_masked_ids_say_nothing_about_the_agency() -> None:
    text = normalize("NIK [NOMOR-ID] hub [TELEPON] lihat https://contoh.id/x tgl 12 2024")
    assert "nomorid" in text and "telepon" in text and "tautan" in text
    assert not any(ch.isdigit() for ch in text)


def test_negations_survive_stopword_removal() -> None:
    words = tokens("Bantuan PKH saya belum cair dan tidak ada kabar, bukan salah saya, jangan dipotong")
    assert {"belum", "tidak", "bukan", "jangan"} <= set(words)
    assert "saya" not in words and "dan" not in words
    assert not STOPWORDS & NEGATIONS


def test_stemming_finds_roots_and_is_cached() -> None:
    assert analyze("Penyaluran bantuan belum dicairkan") == "salur bantu belum cair"
    before = stem.cache_info().hits
    stem("penyaluran")
    assert stem.cache_info().hits == before + 1


def test_negation_changes_the_analysis() -> None:
    assert analyze("bantuan sudah cair") != analyze("bantuan belum cair")
