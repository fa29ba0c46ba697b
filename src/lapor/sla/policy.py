"""SLA policy: how many working days each clock gets. Data, not code paths, so it can be stored on a report
when it is submitted (a later policy change must never re-time old reports) and, later, edited per kind."""

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any, Final

__all__ = ["DEFAULT_POLICY", "SlaPolicy", "current_policy"]


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
        """JSON-ready, for freezing the policy onto a report."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "SlaPolicy":
        """Read a frozen policy back. Unknown keys are ignored and missing keys take today's default, so
        policies stored by older or newer code still load."""
        known = {field.name for field in fields(cls)}
        return cls(**{key: int(value) for key, value in data.items() if key in known})


DEFAULT_POLICY: Final = SlaPolicy()


def current_policy(*, kind: str) -> SlaPolicy:
    """The policy a new report of `kind` gets. Every kind uses the defaults until policies become data."""
    return DEFAULT_POLICY
