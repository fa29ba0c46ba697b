"""SLA policy: how many working days each clock gets. The defaults live here; versions per report kind,
agency kind and agency live in `sla.models.PolicyVersion`. A report stores the merged policy in force
when it was filed, so a later change never re-times it."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final

from lapor.core import clock
from lapor.core.refcache import Reference

if TYPE_CHECKING:
    from lapor.agencies.models import Agency
    from lapor.sla.models import PolicyVersion

__all__ = ["DEFAULT_POLICY", "SlaPolicy", "current_policy", "merge"]


@dataclass(frozen=True)
class SlaPolicy:
    """Working-day budgets; defaults are the published LAPOR! rules (DESIGN.md §6)."""

    verify_days: int = 3  # verify and route, from submission
    followup_days: int = 5  # agency's first follow-up, from routing
    reply_window_days: int = 10  # reporter's reply window, then auto-close
    hold_days: int = 10  # on hold without an answer, then archive
    reopen_window_days: int = 10  # reporter may reopen a closed report
    escalation_step_days: int = 2  # breach -> +2 days -> parent agency and national verifier
    referral_days: int = 60  # unresolved -> Ombudsman referral offered

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{field.name} must be a non-negative int, got {value!r}")

    def as_dict(self) -> dict[str, int]:
        """JSON-ready, for freezing the policy onto a report (every value an int: no deep copy)."""
        return {field.name: getattr(self, field.name) for field in fields(self)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "SlaPolicy":
        """Read a frozen policy back. Unknown keys are ignored and missing keys take today's default, so
        policies stored by older or newer code still load."""
        known = {field.name for field in fields(cls)}
        return cls(**{key: int(value) for key, value in data.items() if key in known})


DEFAULT_POLICY: Final = SlaPolicy()


def merge(base: SlaPolicy, overrides: Iterable[Mapping[str, int | None]]) -> SlaPolicy:
    """Apply overrides from the widest scope to the narrowest; an empty (None) budget inherits."""
    values = base.as_dict()
    for override in overrides:
        values.update({key: value for key, value in override.items() if key in values and value is not None})
    return SlaPolicy(**values)


def _all_versions(_: str) -> list["PolicyVersion"]:
    from lapor.sla.models import PolicyVersion

    return list(PolicyVersion.objects.order_by("effective_from", "id"))


# A short life: an edit made on another node applies to filings at most this late (ADR 0024).
_VERSIONS: Reference[str, list["PolicyVersion"]] = Reference(
    _all_versions, models=("sla.PolicyVersion",), ttl=30
)


def current_policy(*, kind: str, agency: "Agency | None" = None, at: datetime | None = None) -> SlaPolicy:
    """The policy in force at `at` (default now) for a report of `kind`, handled by `agency` if known:
    the defaults, then the latest version of each matching scope, widest first."""
    from lapor.sla.models import POLICY_FIELDS

    moment = at or clock.now()

    def applies(row: "PolicyVersion") -> bool:
        if row.effective_from > moment or row.kind not in ("", kind):
            return False
        if row.agency_id is None:
            return row.agency_kind == "" or (agency is not None and row.agency_kind == agency.kind)
        return agency is not None and row.agency_id == agency.pk

    latest: dict[tuple[str, str, int | None], PolicyVersion] = {}
    for row in filter(applies, _VERSIONS("all") or []):  # ordered by effective_from, id
        latest[(row.kind, row.agency_kind, row.agency_id)] = row  # later versions replace earlier ones
    ordered = sorted(latest.values(), key=lambda row: row.specificity)
    return merge(DEFAULT_POLICY, [{name: getattr(row, name) for name in POLICY_FIELDS} for row in ordered])
