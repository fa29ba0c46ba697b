"""The classifier: a linear model over word n-grams of the analysed text and character n-grams of the
normalised text, with calibrated probabilities. Pure scikit-learn: no Django, no database, so the
benchmark and the evaluation command can use it on any CSV.

Why this shape (measured, see docs/routing.md and ADR 0015): word 1-2-grams of stemmed text carry the
topic; character 2-5-grams inside word boundaries survive the misspellings, run-together words and
affixes the stemmer misses. The classifier is a LinearSVC plus an NB-SVM summed into one linear model
(`linear.NBSVMEnsemble`); it trains in seconds and predicts in about a millisecond. Temperature scaling
fitted over three folds (ADR 0026) turns its margins into probabilities the router can add up and
threshold. One temperature for all classes keeps the ranking of the margins, so the calibration cannot
move a report to another agency; the per-class sigmoids used before did, and cost macro-F1 in
cross-validation. Model files calibrated with sigmoids still load and predict as before.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline, make_pipeline
from sklearn.preprocessing import FunctionTransformer

from lapor.routing.linear import NBSVMEnsemble
from lapor.routing.text import VocabularyStems, analyze, normalize, stem_table

__all__ = ["FEATURES_VERSION", "TextModel", "document", "fit"]

FEATURES_VERSION = 1  # bump when the text pipeline changes in a way that invalidates saved models
TITLE_WEIGHT = 2  # the title is short and dense: count it twice
CALIBRATION_FOLDS = 3
CALIBRATION = "temperature"  # softmax(margins / T): one T for all classes, the ranking is kept
WORD_CACHE_SIZE = 300_000
SVC_C = 0.5


def document(title: str, body: str) -> str:
    """One string per report, the title repeated so it weighs more than one sentence of the body."""
    title = (title or "").strip()
    return "\n".join([title] * TITLE_WEIGHT + [body or ""]) if title else (body or "")


def analyze_all(texts: Sequence[str]) -> list[str]:
    return [analyze(t) for t in texts]


def normalize_all(texts: Sequence[str]) -> list[str]:
    return [normalize(t) for t in texts]


def _pipeline(n_examples: int, calibrate: bool) -> Pipeline:
    min_df = 2 if n_examples >= 1000 else 1  # tiny seed sets need every word they have
    words = make_pipeline(
        FunctionTransformer(analyze_all),
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=min_df, token_pattern=r"\S+"),  # nosec B106  # a regex
    )
    chars = make_pipeline(
        FunctionTransformer(normalize_all),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=min_df),
    )
    classifier: Any = NBSVMEnsemble(C=SVC_C, class_weight="balanced")
    if calibrate:
        classifier = CalibratedClassifierCV(
            classifier, cv=CALIBRATION_FOLDS, method=CALIBRATION, ensemble=False
        )
    return Pipeline([("features", FeatureUnion([("words", words), ("chars", chars)])), ("clf", classifier)])


@dataclass
class TextModel:
    """A fitted classifier with what it was trained on. `head` is "category" or "agency"."""

    head: str
    pipeline: Pipeline | None  # None: a single class, nothing to learn
    classes: list[str]
    meta: dict[str, Any] = field(default_factory=dict)
    # word -> stem for the training vocabulary, saved with the model: a new process then stems only
    # words it has never seen (models saved before this field load without it).
    stems: dict[str, str] = field(default_factory=dict, repr=False)
    _fast: Any = field(default=None, repr=False, compare=False)

    def __getstate__(self) -> dict[str, Any]:
        return {**self.__dict__, "_fast": None}  # rebuilt on first use after loading

    @property
    def version(self) -> str:
        return str(self.meta.get("version", "unsaved"))

    def proba(self, texts: Sequence[str]) -> np.ndarray:
        """Class probabilities, one row per text, columns in `classes` order."""
        if self.pipeline is None:
            return np.ones((len(texts), 1))
        self.prepare()
        if self._fast is not None:
            return np.vstack([self._fast.proba(text) for text in texts])
        return self.slow_proba(texts)

    def prepare(self) -> None:
        """Build the fast prediction path now (done on first use otherwise), e.g. right after loading."""
        if self._fast is None and self.pipeline is not None:
            self._fast = _Compiled.of(self.pipeline, getattr(self, "stems", None) or {})

    def forget_caches(self) -> None:
        """Drop the per-word caches, as in a freshly started process (for honest timing)."""
        self._fast = None

    def slow_proba(self, texts: Sequence[str]) -> np.ndarray:
        """The same through scikit-learn's own (much slower per call) path; kept to check the fast one."""
        assert self.pipeline is not None  # nosec B101  # type narrowing; a trained model has a pipeline
        clf = self.pipeline.named_steps["clf"]
        if hasattr(clf, "predict_proba"):
            return np.asarray(self.pipeline.predict_proba(list(texts)))
        # Too few examples per class to calibrate: a softmax over the margins stands in.
        scores = np.asarray(self.pipeline.decision_function(list(texts)), dtype=float)
        if scores.ndim == 1:  # two classes
            scores = np.column_stack([-scores, scores])
        exp = np.exp(3.0 * (scores - scores.max(axis=1, keepdims=True)))
        return exp / exp.sum(axis=1, keepdims=True)

    def top(self, text: str, k: int = 3) -> list[tuple[str, float]]:
        row = self.proba([text])[0]
        order = np.argsort(-row)[:k]
        return [(self.classes[i], float(row[i])) for i in order]


class _Compiled:
    """The fitted pipeline flattened into dictionaries and arrays, for one text at a time.

    scikit-learn validates and converts its inputs on every call, which costs ~20 ms per single
    report through a FeatureUnion and a calibrated classifier; the arithmetic itself is tiny. This
    computes exactly the same numbers (sublinear tf x idf, l2 per block, linear margins, then temperature
    scaling, or per-class sigmoids and normalisation for older model files), checked against the
    pipeline in the tests."""

    def __init__(
        self,
        blocks: list[tuple[Any, Any, dict[str, int], np.ndarray, np.ndarray, bool]],
        clf: Any,
        stems: dict[str, str],
    ) -> None:
        # (prepare, ngrams, vocabulary, idf, weights[n_features, n_classes], char n-grams per word?)
        self.blocks = blocks
        words = next((b[2] for b in blocks if b[0] is analyze_all), {})
        self.stems = VocabularyStems(stems, (term for term in words if " " not in term))
        self.word_cache: list[dict[str, np.ndarray]] = [{} for _ in blocks]
        self.intercept = np.asarray(clf["intercept"], dtype=float)
        self.calibrators: list[tuple[float, float]] | None = clf["calibrators"]
        self.inverse_temperature: float | None = clf.get("inverse_temperature")
        self.binary = bool(clf["binary"])

    @classmethod
    def of(cls, pipeline: Pipeline, stems: dict[str, str]) -> _Compiled | None:
        try:
            union = pipeline.named_steps["features"]
            step = pipeline.named_steps["clf"]
            if isinstance(step, CalibratedClassifierCV):
                calibrated = step.calibrated_classifiers_[0]
                svc = calibrated.estimator
                if calibrated.method == "temperature":
                    calibrators, beta = None, float(calibrated.calibrators[0].beta_)
                else:
                    calibrators = [(float(c.a_), float(c.b_)) for c in calibrated.calibrators]
                    beta = None
            else:
                svc, calibrators, beta = step, None, None
            coef = np.asarray(svc.coef_, dtype=float)
            blocks = []
            offset = 0
            for _name, sub in union.transformer_list:
                prepare = sub.steps[0][1].func
                vectorizer = sub.steps[1][1]
                width = len(vectorizer.vocabulary_)
                weights = np.ascontiguousarray(coef[:, offset : offset + width].T)
                per_word = vectorizer.analyzer == "char_wb"
                analyzer = vectorizer.build_analyzer()
                blocks.append((prepare, analyzer, vectorizer.vocabulary_, vectorizer.idf_, weights, per_word))
                offset += width
            binary = coef.shape[0] == 1
            clf = {
                "intercept": svc.intercept_,
                "calibrators": calibrators,
                "inverse_temperature": beta,
                "binary": binary,
            }
            return cls(blocks, clf, stems)
        except (AttributeError, KeyError, IndexError):  # an unexpected pipeline shape: use sklearn
            return None

    def _columns(self, block: int, text: str, normalized: str) -> np.ndarray:
        prepare, ngrams, vocabulary, _idf, _weights, per_word = self.blocks[block]
        if prepare is normalize_all:
            prepared = normalized
        elif prepare is analyze_all:
            prepared = analyze(text, normalized=normalized, stems=self.stems)
        else:
            prepared = prepare([text])[0]
        if not per_word:
            found = [vocabulary.get(gram) for gram in ngrams(prepared)]
            return np.array([j for j in found if j is not None], dtype=np.intp)
        # Character n-grams never cross a word boundary ("char_wb"), so each word's columns are cached.
        cache = self.word_cache[block]
        parts = []
        for word in prepared.split():
            cols = cache.get(word)
            if cols is None:
                found = [vocabulary.get(gram) for gram in ngrams(word)]
                cols = np.array([j for j in found if j is not None], dtype=np.intp)
                if len(cache) >= WORD_CACHE_SIZE:
                    cache.clear()
                cache[word] = cols
            parts.append(cols)
        return np.concatenate(parts) if parts else np.empty(0, dtype=np.intp)

    def proba(self, text: str) -> np.ndarray:
        scores = self.intercept.copy()
        normalized = normalize(text)  # shared by both blocks
        for block, (_prepare, _ngrams, _vocabulary, idf, weights, _per_word) in enumerate(self.blocks):
            columns = self._columns(block, text, normalized)
            if not len(columns):
                continue
            idx, counts = np.unique(columns, return_counts=True)
            values = (1.0 + np.log(counts)) * idf[idx]
            values /= np.sqrt(values @ values)
            scores += values @ weights[idx]
        if self.calibrators is None:
            if self.binary:
                scores = np.array([-scores[0], scores[0]])
            # Temperature scaling; with too few examples to calibrate, a fixed factor stands in.
            factor = 3.0 if self.inverse_temperature is None else self.inverse_temperature
            exp = np.exp(factor * (scores - scores.max()))
            return exp / exp.sum()
        calibrated = np.array(
            [1.0 / (1.0 + np.exp(a * s + b)) for (a, b), s in zip(self.calibrators, scores, strict=True)]
        )
        if self.binary:
            return np.array([1.0 - calibrated[0], calibrated[0]])
        total = calibrated.sum()
        return calibrated / total if total > 0 else np.full_like(calibrated, 1.0 / len(calibrated))


def fit(head: str, texts: Sequence[str], labels: Sequence[str], **meta: Any) -> TextModel:
    """Train on `texts` -> `labels`. Calibrated when every class has enough examples for the folds."""
    if not texts:
        raise ValueError("no training examples")
    counts: dict[str, int] = {}
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
    started = time.perf_counter()
    cpu_started = time.process_time()
    classes = sorted(counts)
    pipeline: Pipeline | None = None
    stems: dict[str, str] = {}
    calibrate = False
    if len(classes) > 1:
        calibrate = min(counts.values()) >= CALIBRATION_FOLDS
        pipeline = _pipeline(len(texts), calibrate)
        pipeline.fit(list(texts), list(labels))
        classes = [str(c) for c in pipeline.classes_]
        stems = stem_table(texts)  # every word was stemmed while fitting: this only reads the cache
    info = {
        "head": head,
        "features_version": FEATURES_VERSION,
        "n_train": len(texts),
        "classes": classes,
        "class_counts": counts,
        "classifier": "linearsvc+nbsvm",
        "calibration": CALIBRATION if pipeline is not None and calibrate else None,
        "train_seconds": round(time.perf_counter() - started, 3),
        "train_cpu_seconds": round(time.process_time() - cpu_started, 3),
        **meta,
    }
    return TextModel(head=head, pipeline=pipeline, classes=classes, meta=info, stems=stems)
