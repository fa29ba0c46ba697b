"""Where the router's examples come from and how a new model earns its place.

Examples: the project's seed texts (category head); the history of verifier decisions (both heads);
CSV files given on the command line. A new model is trained on the non-held-out rows, scored on the
held-out rows together with the active model, saved, and activated only if it is not worse.

History as labels (ADR 0009): every `route` event is a verifier's claim "this text belongs to agency A".
A later `decline` by A refutes that claim: the pair is not used as a positive, and the report's category
(chosen by the reporter) is not trusted either until a later route stands. A route that stands is a
positive for the agency head, and the report's category a positive for the category head.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from lapor.agencies.models import Agency
from lapor.reports.models import Report, TimelineEvent
from lapor.reports.workflow import Action
from lapor.routing import store
from lapor.routing.data.seed_examples import SEED_EXAMPLES
from lapor.routing.evaluation import Example, evaluate, holdout
from lapor.routing.model import TextModel, document, fit

__all__ = [
    "REGIONAL_PREFIX",
    "agency_label",
    "category_model",
    "history_examples",
    "seed_examples",
    "seed_model",
    "train_head",
]

REGIONAL_PREFIX = "regional:"
_REGIONAL_KINDS = {
    Agency.Kind.PROVINCE: "province",
    Agency.Kind.REGENCY: "regency",
    Agency.Kind.CITY: "regency",
}


def seed_examples() -> list[Example]:
    return [Example(text=text, label=code) for code, texts in SEED_EXAMPLES.items() for text in texts]


@lru_cache(maxsize=1)
def seed_model() -> TextModel:
    """The category model of a fresh installation: trained on the seed texts once per process."""
    examples = seed_examples()
    return fit("category", [e.text for e in examples], [e.label for e in examples], source=["seed"])


def category_model() -> TextModel:
    return store.load_active("category") or seed_model()


def agency_label(code: str, kind: str, unit_slug: str | None) -> str:
    """The agency head's label for a routing decision. Regional governments are learned by level
    ("regional:regency/dinas-pu"), not by name: what the text says is "the regency's public-works
    office"; which regency comes from the report's region."""
    level = _REGIONAL_KINDS.get(kind)  # type: ignore[call-overload]
    base = f"{REGIONAL_PREFIX}{level}" if level else code
    return f"{base}/{unit_slug}" if unit_slug else base


def history_examples() -> tuple[list[Example], list[Example], dict[str, int]]:
    """(category examples, agency examples, counts) from every route and decline on record."""
    decisions: dict[int, list[tuple[str, str, str, str | None]]] = {}  # action, agency, kind, unit
    events = (
        TimelineEvent.objects.filter(action__in=[Action.ROUTE, Action.DECLINE], agency__isnull=False)
        .order_by("report_id", "created_at", "id")
        .values_list("report_id", "action", "agency__code", "agency__kind", "unit__slug")
    )
    for report_id, action, code, kind, unit_slug in events.iterator(chunk_size=2000):
        decisions.setdefault(report_id, []).append((action, code, kind, unit_slug))

    standing: dict[int, list[str]] = {}
    final_ok: set[int] = set()
    declined = 0
    for report_id, steps in decisions.items():
        routes: list[tuple[str, str, str | None]] = []
        for step_action, step_code, step_kind, step_unit in steps:
            if step_action == Action.ROUTE:
                routes.append((step_code, step_kind, step_unit))
            elif routes and routes[-1][0] == step_code:
                routes.pop()  # refuted by the agency it was sent to
                declined += 1
        if routes:
            standing[report_id] = [agency_label(*route) for route in routes]
        if steps[-1][0] == Action.ROUTE:
            final_ok.add(report_id)

    category_examples: list[Example] = []
    agency_examples: list[Example] = []
    texts = Report.objects.filter(pk__in=list(standing) + list(final_ok)).values_list(
        "pk", "title", "body", "category__code"
    )
    for pk, title, body, category in texts.iterator(chunk_size=2000):
        text = document(title, body)
        for label in standing.get(pk, ()):
            agency_examples.append(Example(text=text, label=label))
        if category and pk in final_ok:
            category_examples.append(Example(text=text, label=category))
    counts = {
        "reports": len(decisions),
        "agency_examples": len(agency_examples),
        "category_examples": len(category_examples),
        "declined_routes": declined,
    }
    return category_examples, agency_examples, counts


def _scores(result: dict[str, Any] | None) -> dict[str, Any] | None:
    if result is None:
        return None
    return {k: v for k, v in result.items() if k != "per_class"}


def train_head(
    head: str, examples: Sequence[Example], *, sources: Iterable[str], force: bool = False
) -> dict[str, Any]:
    """Train `head` on `examples`, save it as a new version and make it active unless it scores worse
    (macro-F1 on the held-out rows) than the active model. Returns what happened, for the command."""
    train, test = holdout(examples)
    if not train:
        raise ValueError("no training examples left after holding out the test rows")
    candidate = fit(head, [e.text for e in train], [e.label for e in train], source=sorted(set(sources)))
    candidate_scores = evaluate(candidate, test)
    active = store.load_active(head)
    active_scores = evaluate(active, test) if active is not None and test else None
    not_worse = (
        force
        or active_scores is None
        or (candidate_scores["macro_f1"] or 0.0) >= (active_scores["macro_f1"] or 0.0)
    )
    candidate.meta["heldout"] = candidate_scores
    version = store.save(candidate)
    if not_worse:
        store.activate(head, version)
    return {
        "head": head,
        "version": version,
        "activated": not_worse,
        "n_train": len(train),
        "n_heldout": len(test),
        "candidate": _scores(candidate_scores),
        "active_before": {"version": active.version, **(_scores(active_scores) or {})} if active else None,
        "train_seconds": candidate.meta["train_seconds"],
    }
