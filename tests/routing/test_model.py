"""The category classifier trained on the project's seed examples (no trained model file)."""

import pickle

import numpy as np
import pytest

from lapor.routing.data.seed_examples import SEED_EXAMPLES
from lapor.routing.model import document, fit
from lapor.routing.text import stem
from lapor.routing.training import seed_model
from tests.reference import DESIGN_CATEGORIES

CATEGORY_CODES = set(DESIGN_CATEGORIES)


def test_seed_examples_cover_every_category_several_times() -> None:
    assert set(SEED_EXAMPLES) == CATEGORY_CODES
    assert all(len(texts) >= 5 for texts in SEED_EXAMPLES.values())


@pytest.mark.parametrize(
    ("title", "body", "expected"),
    [
        (
            "Listrik padam terus",
            "Sudah 3 hari listrik di rumah kami padam tiap malam, PLN tdk ada pemberitahuan",
            "electricity_energy",
        ),
        (
            "Bansos blm cair",
            "Bantuan PKH ibu saya sdh 4 bulan belum cair padahal terdaftar di DTKS",
            "social_aid",
        ),
        (
            "Jalan rusak",
            "Jalan desa berlubang besar dan rusak parah, banyak motor jatuh kalo hujan",
            "roads_infrastructure",
        ),
        (
            "E-KTP",
            "KTP elektronik saya belum jadi sudah 3 bulan, kata dukcapil blanko habis",
            "civil_registry",
        ),
        ("Air mati", "Air PDAM tidak mengalir seminggu tapi tagihan tetap datang", "water"),
        ("Sampah", "Sampah menumpuk di pinggir jalan tidak diangkut petugas kebersihan", "environment"),
        (
            "Pupuk langka",
            "Pupuk subsidi langka di kios, petani tidak bisa menebus pakai kartu tani",
            "agriculture",
        ),
    ],
)
def test_clear_texts_get_the_obvious_category(title: str, body: str, expected: str) -> None:
    label, probability = seed_model().top(document(title, body), k=1)[0]
    assert label == expected
    assert 0 < probability <= 1


def test_probabilities_are_calibrated_and_sum_to_one() -> None:
    proba = seed_model().proba([document("Listrik padam", "listrik mati terus"), "sinyal internet lemah"])
    assert proba.shape == (2, len(CATEGORY_CODES))
    assert np.allclose(proba.sum(axis=1), 1.0)


def test_fast_path_matches_scikit_learn_exactly() -> None:
    model = seed_model()
    texts = [document("Jalan berlubang", "Jalan kabupaten rusak"), "gaji PPPK belum dibayar", "", "zzz qqq"]
    assert np.allclose(model.proba(texts), model.slow_proba(texts), atol=1e-9)


def test_small_classes_fall_back_to_softmax_and_one_class_is_constant() -> None:
    two = fit("agency", ["listrik padam", "bansos belum cair"], ["pln", "kemensos"])
    assert two.top("listrik padam lagi", k=1)[0][0] == "pln"
    assert np.allclose(two.proba(["apa saja"]).sum(), 1.0)
    one = fit("agency", ["listrik padam"], ["pln"])
    assert one.top("apa saja", k=3) == [("pln", 1.0)]


def test_model_carries_the_stems_of_its_vocabulary_and_predicts_the_same_after_pickling() -> None:
    model = seed_model()
    assert model.stems["penerima"] == "terima" and model.stems["pencurian"] == "curi"
    assert all(model.stems[w] == stem(w) for w in list(model.stems)[:200])
    text = document("Bansos blm cair", "penyaluran bantuan PKH terlambat")
    before = model.proba([text])
    copy = pickle.loads(pickle.dumps(model))
    assert copy._fast is None and copy.stems == model.stems
    stem.cache_clear()
    assert np.allclose(copy.proba([text]), before, atol=1e-12)


def test_models_saved_before_the_stem_table_still_predict() -> None:
    copy = pickle.loads(pickle.dumps(seed_model()))
    del copy.__dict__["stems"]  # what unpickling an older model file gives
    text = "listrik padam terus"
    assert np.allclose(copy.proba([text]), seed_model().proba([text]), atol=1e-12)


def test_forget_caches_rebuilds_the_same_fast_path() -> None:
    model = seed_model()
    text = "air pdam tidak mengalir"
    before = model.proba([text])
    model.forget_caches()
    assert model._fast is None
    model.prepare()
    assert model._fast is not None
    assert np.allclose(model.proba([text]), before, atol=1e-12)
