"""The category classifier trained on the project's seed examples (no trained model file)."""

import pickle

import numpy as np
import pytest

from lapor.routing.data.seed_examples import SEED_EXAMPLES
from lapor.routing.model import TextModel, document, fit
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


# Three short texts per class: enough for the three calibration folds (the project's own examples).
_CALIBRATED = {
    "pln": ["listrik padam tiap malam", "token listrik gagal masuk", "tagihan listrik naik tiba tiba"],
    "kemensos": ["bansos pkh belum cair", "bantuan sosial tidak tepat sasaran", "kartu kks belum diterima"],
    "polri": ["motor dicuri di parkiran", "penipuan online minta transfer", "pungli oknum di jalan raya"],
}
_NEW_TEXTS = ["listrik mati lagi", "bantuan pkh saya belum cair", "hp saya dicuri", "", "zzz qqq"]


def _fit(classes: list[str]) -> TextModel:
    texts = [t for c in classes for t in _CALIBRATED[c]]
    return fit("agency", texts, [c for c in classes for _ in _CALIBRATED[c]])


@pytest.mark.parametrize("classes", [["pln", "kemensos", "polri"], ["pln", "kemensos"]])
def test_temperature_scaling_keeps_the_ranking_of_the_margins(classes: list[str]) -> None:
    model = _fit(classes)
    assert model.meta["calibration"] == "temperature"
    proba = model.proba(_NEW_TEXTS)
    assert np.allclose(proba, model.slow_proba(_NEW_TEXTS), atol=1e-9)
    features = model.pipeline.named_steps["features"].transform(_NEW_TEXTS)
    svc = model.pipeline.named_steps["clf"].calibrated_classifiers_[0].estimator
    margins = np.asarray(svc.decision_function(features))
    if margins.ndim == 1:
        margins = np.column_stack([-margins, margins])
    # One temperature for all classes: the calibration never changes which agency comes first.
    assert np.allclose(
        np.log(proba) - np.log(proba).mean(axis=1, keepdims=True),
        model._fast.inverse_temperature * (margins - margins.mean(axis=1, keepdims=True)),
    )
    assert (proba.argmax(axis=1) == margins.argmax(axis=1)).all()


def test_models_calibrated_with_sigmoids_still_predict_through_the_fast_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from lapor.routing import model as model_module

    monkeypatch.setattr(model_module, "CALIBRATION", "sigmoid")  # how model files before ADR 0026 were made
    for classes in (["pln", "kemensos", "polri"], ["pln", "kemensos"]):
        old = pickle.loads(pickle.dumps(_fit(classes)))
        assert old.meta["calibration"] == "sigmoid"
        assert np.allclose(old.proba(_NEW_TEXTS), old.slow_proba(_NEW_TEXTS), atol=1e-9)
        assert old._fast.calibrators is not None and old._fast.inverse_temperature is None
