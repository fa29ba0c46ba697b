"""`lapor router train|evaluate|predict`: build, measure and use the routing models.

    lapor router train [--from-history] [--data CSV --text-col C --label-col L [--split-col S]]
                       [--head H] [--force]
    lapor router evaluate --data CSV --text-col title,text --label-col agency [--split-col split]
    lapor router predict --data CSV --text-col text [--head agency] [--output predictions.csv]

Each prints one JSON document. `--text-col` takes one column or several (comma-separated or repeated);
with several, the first is the title and the rest the body. Labels that are all category codes train the
category head, anything else the agency head (override with --head).
"""

from __future__ import annotations

import csv
import json
import time
from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lapor.agencies.models import Category
from lapor.routing import store
from lapor.routing.evaluation import Example, evaluate, holdout, read_csv
from lapor.routing.model import fit
from lapor.routing.training import history_examples, seed_examples, seed_model, train_head


def _columns(values: list[str] | None) -> list[str]:
    return [c.strip() for value in values or [] for c in value.split(",") if c.strip()]


class Command(BaseCommand):
    help = "Train, evaluate and apply the routing models (category and agency)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        train = sub.add_parser("train", help="train and activate a model if it is not worse")
        train.add_argument(
            "--from-history", action="store_true", help="use every route and decline on record"
        )
        train.add_argument("--head", choices=store.HEADS, help="which model --data trains (default: guess)")
        train.add_argument("--force", action="store_true", help="activate even if worse on held-out data")
        for p in (train, sub.add_parser("evaluate", help="train on the train rows, score the test rows")):
            p.add_argument("--data", help="CSV file of labelled texts")
            p.add_argument("--text-col", action="append", help="text column(s); first = title")
            p.add_argument("--label-col", help="label column")
            p.add_argument("--split-col", help="column with train/test (default: a stable hash split)")
        predict = sub.add_parser("predict", help="label an unlabelled CSV with the active model")
        predict.add_argument("--data", required=True)
        predict.add_argument("--text-col", action="append", required=True)
        predict.add_argument("--head", choices=store.HEADS, help="default: agency if trained, else category")
        predict.add_argument("--id-col", help="column copied to --output next to the prediction")
        predict.add_argument("--output", help="write one row per input: id, label, confidence")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        result = getattr(self, f"_{action}")(options)
        self.stdout.write(json.dumps(result, indent=2, ensure_ascii=False))

    def _csv(self, options: dict[str, Any]) -> list[Example]:
        if not options.get("data"):
            raise CommandError("--data is required")
        columns = _columns(options.get("text_col"))
        if not columns or not options.get("label_col"):
            raise CommandError("--text-col and --label-col are required with --data")
        try:
            return read_csv(
                options["data"],
                text_cols=columns,
                label_col=options["label_col"],
                split_col=options.get("split_col"),
            )
        except (OSError, KeyError) as exc:
            raise CommandError(str(exc)) from exc

    def _train(self, options: dict[str, Any]) -> dict[str, Any]:
        data: dict[str, list[Example]] = {"category": seed_examples(), "agency": []}
        sources: dict[str, set[str]] = {"category": {"seed"}, "agency": set()}
        heads = {"category"}
        if options.get("data"):
            rows = self._csv(options)
            codes = set(Category.objects.values_list("code", flat=True))
            head = options.get("head") or ("category" if {r.label for r in rows} <= codes else "agency")
            data[head] += rows
            sources[head].add("csv")
            heads = {head}
        if options.get("from_history"):
            categories, agencies, counts = history_examples()
            data["category"] += categories
            data["agency"] += agencies
            sources["category"].add("history")
            sources["agency"].add("history")
            heads |= {"category", "agency"}
        results = {}
        for head in sorted(heads):
            if len({e.label for e in data[head]}) < 2:
                results[head] = {"head": head, "skipped": "fewer than two labels to learn from"}
                continue
            results[head] = train_head(head, data[head], sources=sources[head], force=options["force"])
        out: dict[str, Any] = {"models": results}
        if options.get("from_history"):
            out["history"] = counts
        return out

    def _evaluate(self, options: dict[str, Any]) -> dict[str, Any]:
        rows = self._csv(options)
        train, test = holdout(rows)
        if not train or not test:
            raise CommandError("need both train and test rows")
        started = time.perf_counter()
        model = fit("evaluation", [e.text for e in train], [e.label for e in train])
        seconds = time.perf_counter() - started
        return {
            **evaluate(model, test),
            "n_train": len(train),
            "train_seconds": round(seconds, 2),
            "train_cpu_seconds": model.meta["train_cpu_seconds"],
        }

    def _predict(self, options: dict[str, Any]) -> dict[str, Any]:
        head = options.get("head") or ("agency" if store.load_active("agency") else "category")
        model = store.load_active(head) or (seed_model() if head == "category" else None)
        if model is None:
            raise CommandError(f"no active {head} model: run `lapor router train` first")
        columns = _columns(options["text_col"])
        try:
            rows = read_csv(options["data"], text_cols=columns)
        except (OSError, KeyError) as exc:
            raise CommandError(str(exc)) from exc
        ids = self._ids(options) if options.get("output") else []
        predictions = [model.top(r.text, k=1)[0] for r in rows]
        counts = Counter(label for label, _ in predictions)
        if options.get("output"):
            with open(options["output"], "w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle)
                writer.writerow(["id", "label", "confidence"])
                for i, (label, p) in enumerate(predictions):
                    writer.writerow([ids[i] if i < len(ids) else i, label, f"{p:.4f}"])
        n = len(predictions)
        return {
            "head": head,
            "model": model.version,
            "n": n,
            "counts": dict(counts.most_common()),
            "shares": {label: round(c / n, 4) for label, c in counts.most_common()} if n else {},
        }

    def _ids(self, options: dict[str, Any]) -> list[str]:
        column = options.get("id_col")
        if not column:
            return []
        columns = _columns(options["text_col"])
        with open(options["data"], newline="", encoding="utf-8") as handle:
            return [
                row.get(column, "")
                for row in csv.DictReader(handle)
                if any((row.get(c) or "").strip() for c in columns)
            ]
