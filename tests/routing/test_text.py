"""The text pipeline: informal Indonesian in, stable tokens out, negations kept."""

from lapor.routing.text import (
    NEGATIONS,
    STOPWORDS,
    VocabularyStems,
    analyze,
    normalize,
    stem,
    stem_table,
    tokens,
)


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


def test_stem_table_gives_the_same_analysis_without_calling_the_stemmer() -> None:
    texts = ["Penyaluran bantuan belum dicairkan", "Pelayanan kantor lambat, petugasnya tdk ramah"]
    table = stem_table(texts)
    assert table["penyaluran"] == "salur" and table["belum"] == "belum"
    assert "dan" not in table  # function words are never analysed, so never stored
    for text in texts:
        assert analyze(text, stems=table) == analyze(text)
    # The table wins over Sastrawi: a loaded model analyses exactly as it was trained.
    assert analyze("penyaluran", stems={"penyaluran": "salurx"}) == "salurx"


def test_vocabulary_stems_ask_sastrawi_only_when_the_stem_could_be_a_known_word() -> None:
    lookup = VocabularyStems({"bantuan": "bantu"}, ["bantu", "sapu", "cair", "listrik"])
    assert lookup.get("bantuan") == "bantu"  # the model's own table first
    assert lookup.get("menyapu") == "sapu"  # recoded first letter: "apu" is in the word
    assert lookup.get("pencairannya") == "cair"  # prefix, root, suffix and possessive
    stem.cache_clear()
    assert lookup.get("wonokromo") == "wonokromo"  # a place name: no piece of a known word in it
    assert stem.cache_info().misses == 0  # ...so Sastrawi was not asked
    # Whatever the lookup skips, the features are those of the full analysis: unknown stays unknown.
    known = {"bantu", "sapu", "cair", "listrik"}
    for word in ["menyapu", "pencairannya", "wonokromo", "kelistrikan", "dibantukan", "rumahnya"]:
        assert (lookup.get(word) in known) == (stem(word) in known), word
