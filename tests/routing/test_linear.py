"""The LinearSVC + NB-SVM ensemble: one linear model, on the project's own small texts."""

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.svm import LinearSVC

from lapor.routing.linear import NBSVMEnsemble, log_count_ratio

TEXTS = {
    "pln": [
        "listrik padam tiap malam",
        "token listrik gagal masuk",
        "tagihan listrik naik tiba tiba",
        "tiang listrik miring di depan rumah",
    ],
    "kemensos": [
        "bansos pkh belum cair",
        "bantuan sosial tidak tepat sasaran",
        "kartu kks belum diterima",
        "bpnt sembako dipotong pendamping",
    ],
    "polri": [
        "motor dicuri di parkiran",
        "penipuan online minta transfer",
        "laporan polisi tidak ditindaklanjuti",
        "pungli oknum di jalan raya",
    ],
}


def _data(classes: list[str]) -> tuple[TfidfVectorizer, sp.csr_matrix, np.ndarray]:
    texts = [t for c in classes for t in TEXTS[c]]
    labels = np.array([c for c in classes for _ in TEXTS[c]])
    vectorizer = TfidfVectorizer(sublinear_tf=True)
    return vectorizer, vectorizer.fit_transform(texts), labels


def test_log_count_ratio_is_positive_for_words_of_the_class_and_negative_for_others() -> None:
    vectorizer, X, labels = _data(["pln", "kemensos"])
    ratio = log_count_ratio((X > 0).astype(float), labels == "pln")
    vocabulary = vectorizer.vocabulary_
    assert ratio[vocabulary["listrik"]] > 0
    assert ratio[vocabulary["belum"]] < 0


def test_ensemble_is_one_linear_model_and_predicts_the_topic() -> None:
    vectorizer, X, labels = _data(["pln", "kemensos", "polri"])
    model = NBSVMEnsemble(C=0.5).fit(X, labels)
    assert model.coef_.shape == (3, X.shape[1]) and model.intercept_.shape == (3,)
    assert list(model.classes_) == ["kemensos", "pln", "polri"]
    new = vectorizer.transform(["listrik mati lagi", "bantuan pkh saya belum cair", "hp saya dicuri"])
    assert np.allclose(model.decision_function(new), new @ model.coef_.T + model.intercept_)
    assert list(model.predict(new)) == ["pln", "kemensos", "polri"]


def test_ensemble_differs_from_the_plain_svc_it_contains() -> None:
    _vectorizer, X, labels = _data(["pln", "kemensos", "polri"])
    plain = LinearSVC(C=0.5, class_weight="balanced").fit(X, labels)
    model = NBSVMEnsemble(C=0.5).fit(X, labels)
    ratio_of_weights = model.coef_[plain.coef_ != 0] / plain.coef_[plain.coef_ != 0]
    assert not np.allclose(ratio_of_weights, ratio_of_weights[0])  # not just a rescaled SVC


def test_two_classes_have_one_weight_row_like_scikit_learn() -> None:
    vectorizer, X, labels = _data(["pln", "polri"])
    model = NBSVMEnsemble().fit(X, labels)
    assert model.coef_.shape == (1, X.shape[1])
    scores = model.decision_function(vectorizer.transform(["listrik padam", "motor dicuri"]))
    assert scores.shape == (2,) and scores[0] < 0 < scores[1]  # positive means classes_[1], "polri"
    assert list(model.predict(vectorizer.transform(["motor dicuri"]))) == ["polri"]


def test_one_class_is_refused() -> None:
    _vectorizer, X, labels = _data(["pln"])
    with pytest.raises(ValueError, match="two classes"):
        NBSVMEnsemble().fit(X, labels)
