"""The router's proposal: the top agencies (and units) for a report, each with a confidence and a short
reason in Indonesian, for the verifier's route form and for automatic routing.

How the evidence combines (DESIGN §7, ADR 0009):
1. Region: the one from the form, else the best region the gazetteer finds in the title and body.
2. Category: the given one (weighted 0.7, the model 0.3: reporters pick categories loosely), else the
   category model's top three with their probabilities.
3. Rules: `agencies.selectors.rules_for(category, region)` lists candidate agencies best first; a
   category's probability is shared among its candidates with weights 1, 0.5, 0.25, ... so the rule
   that applies first takes most of it.
4. History: when an agency model has been trained (`lapor router train --from-history` or `--data`), its
   probabilities are mixed in with weight 0.5. Its labels are agency codes, names or former names
   (matched through `Agency.aliases`), or "regional:<level>[/unit]", resolved with the region.
Confidences are therefore shares of one unit of belief and never add up to more than 1.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from lapor.agencies.models import Agency, Unit
from lapor.agencies.selectors import rules_for
from lapor.geo.gazetteer import find_regions
from lapor.routing import store
from lapor.routing.model import TextModel, document
from lapor.routing.training import REGIONAL_PREFIX, category_model

__all__ = ["Suggestion", "infer_region", "suggest"]

RULE_DECAY = 0.5
GIVEN_CATEGORY_WEIGHT = 0.7
AGENCY_MODEL_WEIGHT = 0.5
REGION_MIN_SCORE = 0.7
TOP_CATEGORIES = 3


@dataclass(frozen=True)
class Suggestion:
    agency_code: str
    agency_name: str
    unit_code: str | None
    confidence: float
    reason: str


def infer_region(title: str, body: str) -> str | None:
    """The region a report names, when the gazetteer is reasonably sure."""
    matches = find_regions(f"{title}\n{body}" if title else body)
    return matches[0].code if matches and matches[0].score >= REGION_MIN_SCORE else None


def category_probabilities(text: str, category: str | None) -> list[tuple[str, float]]:
    model = category_model()
    everything = model.top(text, k=len(model.classes))
    ranked = everything[:TOP_CATEGORIES]
    if not category:
        return ranked
    probabilities = dict(everything)
    blended = {code: (1 - GIVEN_CATEGORY_WEIGHT) * p for code, p in ranked}
    blended[category] = GIVEN_CATEGORY_WEIGHT + (1 - GIVEN_CATEGORY_WEIGHT) * probabilities.get(category, 0.0)
    return sorted(blended.items(), key=lambda kv: -kv[1])


class _Board:
    """Candidates with their accumulated confidence and the reasons that gave it."""

    def __init__(self) -> None:
        self.scores: dict[tuple[str, str | None], float] = {}
        self.reasons: dict[tuple[str, str | None], list[str]] = {}
        self.agencies: dict[str, Agency] = {}

    def add(self, agency: Agency, unit_code: str | None, score: float, reason: str) -> None:
        if agency.kind == Agency.Kind.NATIONAL_NODE or not agency.active:
            return  # the national node routes; it is never a destination
        key = (agency.code, unit_code)
        if unit_code is None and key not in self.scores:
            # Evidence for the agency as a whole strengthens the unit the rules already chose for it.
            same = [k for k in self.scores if k[0] == agency.code]
            if same:
                key = max(same, key=lambda k: self.scores[k])
        self.agencies[agency.code] = agency
        self.scores[key] = self.scores.get(key, 0.0) + score
        if reason not in self.reasons.setdefault(key, []):
            self.reasons[key].append(reason)


def _from_rules(
    board: _Board, categories: Iterable[tuple[str, float]], region: str | None, weight: float
) -> None:
    for code, probability in categories:
        if probability <= 0:
            continue
        candidates = rules_for(category_code=code, region_code=region)
        shares = [RULE_DECAY**i for i in range(len(candidates))]
        total = sum(shares)
        for (agency, unit, rule), share in zip(candidates, shares, strict=True):
            where = f"; wilayah {region}" if region and rule.region_level != "national" else ""
            board.add(
                agency,
                unit.code if unit else None,
                weight * probability * share / total,
                f"kategori {code} → {agency.code}{where}",
            )


def _label_index() -> dict[str, Agency]:
    index: dict[str, Agency] = {}
    for agency in Agency.objects.filter(active=True).only("code", "name", "short_name", "aliases", "kind"):
        for key in [agency.code, agency.name, agency.short_name, *(agency.aliases or [])]:
            if key:
                index.setdefault(str(key).strip().lower(), agency)
    return index


def _regional_code(level: str, region: str | None) -> str | None:
    if not region:
        return None
    parts = region.split(".")
    if level == "province":
        return f"pemda-{parts[0]}"
    return f"pemda-{'.'.join(parts[:2])}" if len(parts) >= 2 else None


def _from_agency_model(board: _Board, model: TextModel, text: str, region: str | None) -> None:
    """Resolve the model's top labels to agencies (and units) and add them with its probabilities."""
    resolved: list[tuple[Agency, str | None, float]] = []
    index: dict[str, Agency] | None = None
    for label, probability in model.top(text, k=5):
        base, _, unit_slug = label.partition("/")
        if base.startswith(REGIONAL_PREFIX):
            code = _regional_code(base.removeprefix(REGIONAL_PREFIX), region)
            agency = Agency.objects.filter(code=code).first() if code else None
        else:
            index = index if index is not None else _label_index()
            agency = index.get(base.strip().lower())
        if agency is not None:
            resolved.append((agency, f"{agency.code}/{unit_slug}" if unit_slug else None, probability))
    wanted = {unit for _, unit, _ in resolved if unit}
    existing = set(Unit.objects.filter(code__in=wanted).values_list("code", flat=True)) if wanted else set()
    for agency, unit_code, probability in resolved:
        board.add(
            agency,
            unit_code if unit_code in existing else None,
            AGENCY_MODEL_WEIGHT * probability,
            f"riwayat disposisi {probability:.0%}",
        )


def suggest(
    *, title: str, body: str, region: str | None = None, category: str | None = None, limit: int = 3
) -> list[Suggestion]:
    """The `limit` most likely destinations, best first. Works without any trained model file: the
    category model then comes from the seed examples and the rules do the rest."""
    text = document(title, body)
    region_code = region or infer_region(title, body)
    agency_model = store.load_active("agency")
    board = _Board()
    rule_weight = 1.0 - AGENCY_MODEL_WEIGHT if agency_model is not None else 1.0
    _from_rules(board, category_probabilities(text, category), region_code, rule_weight)
    if agency_model is not None:
        _from_agency_model(board, agency_model, text, region_code)
    ranked = sorted(board.scores.items(), key=lambda kv: (-kv[1], kv[0][0], kv[0][1] or ""))
    out: list[Suggestion] = []
    for (code, unit_code), score in ranked[: max(limit, 0)]:
        agency = board.agencies[code]
        out.append(
            Suggestion(
                agency_code=code,
                agency_name=agency.name,
                unit_code=unit_code,
                confidence=round(min(score, 1.0), 4),
                reason="; ".join(board.reasons[(code, unit_code)])[:300],
            )
        )
    return out
