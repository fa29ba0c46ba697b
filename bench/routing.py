"""Routing benchmark on real SP4N-LAPOR! complaints (read from ../shared/data/complaints, never copied).

    python bench/routing.py            # prints one JSON document

1. `lapor_7_agencies.csv`: train on the authors' `train` rows (title + text -> agency), evaluate on the
   `test` rows, exactly as `lapor router evaluate` does. Targets: macro-F1 >= 0.96, top-3 >= 0.995,
   <= 2 ms per report, training <= 60 s. Per-report time is measured as a fresh process meets the test
   reports (caches empty, each report once, one at a time): wall-clock mean and p95, and CPU time.
2. `dinsos_jatim_2022_2023_unlabeled.csv`: with the model trained in step 1, the share of complaints to
   the East Java social-affairs office sent to Kementerian Sosial. Target >= 0.97.

Skips cleanly (a JSON note, exit 0) when the data folder is absent, as it is in a fresh clone. Nothing is
written to disk: the model lives only in this process.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

# One core, as the target says: BLAS threads off before numpy loads.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from lapor.routing.evaluation import evaluate, holdout, read_csv  # noqa: E402
from lapor.routing.model import fit  # noqa: E402

DATA = Path(os.environ.get("LAPOR_COMPLAINTS_DIR", ROOT.parent / "shared" / "data" / "complaints"))
LABELLED = DATA / "lapor_7_agencies.csv"
DINSOS = DATA / "dinsos_jatim_2022_2023_unlabeled.csv"
SOCIAL = "Kementerian Sosial"


def reference_ms() -> float:
    """A fixed pure-Python workload, timed in the same run: these machines are shared, so compare the
    ms figures of two runs only together with this number (and the load average)."""
    started = time.perf_counter()
    total = 0
    for i in range(3_000_000):
        total += i % 7
    return round((time.perf_counter() - started) * 1000, 1)


def main() -> int:
    if not LABELLED.exists() or not DINSOS.exists():
        print(json.dumps({"skipped": f"complaint data not found in {DATA}"}))
        return 0
    baseline = {"reference_ms": reference_ms(), "loadavg_1m": round(os.getloadavg()[0], 2)}
    examples = read_csv(LABELLED, text_cols=["title", "text"], label_col="agency", split_col="split")
    train, test = holdout(examples)
    started = time.perf_counter()
    model = fit("agency", [e.text for e in train], [e.label for e in train])
    train_seconds = time.perf_counter() - started
    split = {
        **evaluate(model, test),
        "n_train": len(train),
        "train_seconds": round(train_seconds, 2),
        "train_cpu_seconds": round(model.meta["train_cpu_seconds"], 2),
    }

    unlabelled = read_csv(DINSOS, text_cols=["text"])
    predicted = Counter(model.top(e.text, k=1)[0][0] for e in unlabelled)
    share = predicted[SOCIAL] / max(len(unlabelled), 1)
    print(
        json.dumps(
            {
                "split": split,
                "dinsos_social_share": round(share, 4),
                "dinsos_predicted": dict(predicted.most_common()),
                "dinsos_n": len(unlabelled),
                "baseline": {**baseline, "reference_ms_after": reference_ms()},
            },
            indent=2,
            ensure_ascii=False,
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
