"""Measuring a model: macro-F1, accuracy, top-3 accuracy, per-class scores and the time per report.
Pure (no Django), shared by `lapor router evaluate`, the "not worse" check of `train` and the benchmark.
"""

from __future__ import annotations

import csv
import hashlib
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import accuracy_score, f1_score, precision_recall_fscore_support

from lapor.routing.model import TextModel, document
from lapor.routing.text import stem

__all__ = ["Example", "evaluate", "holdout", "read_csv"]

HOLDOUT_SHARE = 5  # one example in five is held out


@dataclass(frozen=True)
class Example:
    text: str  # already composed with `document(title, body)`
    label: str
    split: str = ""  # "train" / "test" when the source says so


def holdout(examples: Sequence[Example]) -> tuple[list[Example], list[Example]]:
    """Split into train and held-out rows. An explicit `split` wins; otherwise a hash of the text decides,
    so the same example is held out in every run and an active model never trained on today's
    held-out rows (which is what makes "replace only if not worse" a fair comparison)."""
    train: list[Example] = []
    test: list[Example] = []
    for ex in examples:
        if ex.split:
            (test if ex.split == "test" else train).append(ex)
        elif int(hashlib.sha256(ex.text.encode()).hexdigest()[:8], 16) % HOLDOUT_SHARE == 0:
            test.append(ex)
        else:
            train.append(ex)
    return train, test


def evaluate(model: TextModel, examples: Sequence[Example]) -> dict[str, Any]:
    """Scores of `model` on `examples`; labels the model never saw simply count as misses."""
    if not examples:
        return {"n_test": 0, "macro_f1": None, "accuracy": None, "top3_accuracy": None, "per_class": {}}
    texts = [ex.text for ex in examples]
    gold = [ex.label for ex in examples]
    # Timed as a freshly started service meets them: per-word caches empty (only the stem table
    # saved with the model is known), one report at a time, every report seen once. Building the
    # fast path is a load-time cost, paid before the clock starts.
    stem.cache_clear()
    model.forget_caches()
    model.prepare()
    rows = []
    times = []
    cpu_started = time.process_time()
    for text in texts:
        started = time.perf_counter()
        rows.append(model.proba([text])[0])
        times.append(time.perf_counter() - started)
    # CPU time of this (single-threaded) process: the "one core" figure, which other jobs on a shared
    # machine do not inflate the way they inflate wall-clock time.
    cpu_ms = (time.process_time() - cpu_started) * 1000 / len(texts)
    proba = np.vstack(rows)
    order = np.argsort(-proba, axis=1)
    classes = model.classes
    predicted = [classes[row[0]] for row in order]
    top3 = [label in {classes[i] for i in row[:3]} for label, row in zip(gold, order, strict=True)]
    labels = sorted(set(gold))
    precision, recall, f1, support = precision_recall_fscore_support(
        gold, predicted, labels=labels, zero_division=0
    )
    return {
        "macro_f1": round(
            float(f1_score(gold, predicted, labels=labels, average="macro", zero_division=0)), 4
        ),
        "accuracy": round(float(accuracy_score(gold, predicted)), 4),
        "top3_accuracy": round(float(np.mean(top3)), 4),
        "per_class": {
            label: {
                "precision": round(float(p), 4),
                "recall": round(float(r), 4),
                "f1": round(float(f), 4),
                "support": int(s),
            }
            for label, p, r, f, s in zip(labels, precision, recall, f1, support, strict=True)
        },
        "ms_per_report": round(1000 * float(np.mean(times)), 3),
        "ms_per_report_p95": round(1000 * float(np.percentile(times, 95)), 3),
        "cpu_ms_per_report": round(cpu_ms, 3),
        "n_test": len(examples),
    }


def read_csv(
    path: str | Path, *, text_cols: Sequence[str], label_col: str | None = None, split_col: str | None = None
) -> list[Example]:
    """Rows of a CSV as examples. With several text columns the first is the title, the rest the body
    ("title,text"). Rows without text (or without a label, when a label column is named) are skipped."""
    out: list[Example] = []
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in [*text_cols, label_col, split_col] if c and c not in (reader.fieldnames or [])]
        if missing:
            raise KeyError(f"column(s) not in {path}: {', '.join(missing)}")
        for row in reader:
            parts = [(row.get(c) or "").strip() for c in text_cols]
            if len(parts) > 1:
                text = document(parts[0], "\n".join(parts[1:]))
            else:
                text = parts[0]
            label = (row.get(label_col) or "").strip() if label_col else ""
            if not text.strip() or (label_col and not label):
                continue
            split = (row.get(split_col) or "").strip().lower() if split_col else ""
            out.append(Example(text=text, label=label, split=split))
    return out
