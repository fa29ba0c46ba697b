"""What one timeline event contributes to the rollups, derived from the event and the report's earlier
events only. The live handler and `lapor stats rebuild` both call `derive`, so a rebuild from the
timeline reproduces exactly what the events wrote as they happened (docs/metrics.md defines each
measure; ADR 0010 explains the design)."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

from lapor.sla.deadlines import working_days_between
from lapor.sla.policy import DEFAULT_POLICY

__all__ = ["EventRow", "Facts", "ReportDims", "derive", "month_of"]

# One bar for every agency (DESIGN §6 defaults), so an agency cannot grade itself by loosening its policy.
VERIFY_TARGET_DAYS = DEFAULT_POLICY.verify_days
FOLLOWUP_TARGET_DAYS = DEFAULT_POLICY.followup_days
MAX_DAYS = 999  # longer durations are counted in the last bucket
CLOSING = frozenset({"confirm", "auto_close"})
NATIONAL_STATUSES = frozenset({"submitted", "on_hold"})
AGENCY_STATUSES = frozenset({"routed", "in_progress"})


@dataclass(frozen=True)
class ReportDims:
    kind: str
    category: str
    region: str

    @property
    def province(self) -> str:
        return self.region.split(".")[0] if self.region else ""


@dataclass(frozen=True)
class EventRow:
    pk: int
    action: str
    from_status: str
    to_status: str
    created_at: datetime
    agency: str = ""  # code
    agency_tz: str = ""
    agency_province: str = ""
    unit: str = ""
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class Facts:
    """(cell key, measure) -> delta, histogram entries, backlog moves and hourly volume."""

    counts: dict[tuple[tuple[Any, ...], str], int] = field(default_factory=dict)
    durations: dict[tuple[tuple[Any, ...], str, int], int] = field(default_factory=dict)
    backlog: dict[tuple[str, str, str, date], int] = field(default_factory=dict)
    volume: dict[tuple[datetime, str, str], int] = field(default_factory=dict)

    def add(self, cell: tuple[Any, ...], measure: str, delta: int = 1) -> None:
        self.counts[(cell, measure)] = self.counts.get((cell, measure), 0) + delta

    def duration(self, cell: tuple[Any, ...], metric: str, days: int) -> None:
        key = (cell, metric, min(days, MAX_DAYS))
        self.durations[key] = self.durations.get(key, 0) + 1

    def move(self, owner: str, dims: ReportDims, entered: date, delta: int) -> None:
        key = (owner, dims.category, dims.province, entered)
        self.backlog[key] = self.backlog.get(key, 0) + delta

    def merge(self, other: "Facts") -> None:
        _sum_into(self.counts, other.counts)
        _sum_into(self.durations, other.durations)
        _sum_into(self.backlog, other.backlog)
        _sum_into(self.volume, other.volume)


def _sum_into(target: dict[Any, int], source: dict[Any, int]) -> None:
    for key, delta in source.items():
        target[key] = target.get(key, 0) + delta


def _national_zone() -> ZoneInfo:
    return ZoneInfo(settings.LAPOR_NATIONAL_TIMEZONE)


def month_of(moment: datetime) -> date:
    local = moment.astimezone(_national_zone())
    return date(local.year, local.month, 1)


def _day_of(moment: datetime) -> date:
    return moment.astimezone(_national_zone()).date()


def _owner(status: str, agency: str) -> str | None:
    if status in NATIONAL_STATUSES:
        return ""
    if status in AGENCY_STATUSES:
        return agency
    return None


def _agency_before(event: EventRow) -> str:
    return "" if event.action == "route" else event.agency


def _agency_after(event: EventRow) -> str:
    return "" if event.action == "decline" else event.agency


def _ownership(history: Sequence[EventRow]) -> tuple[str | None, date | None]:
    """Who owes the next step after `history`, and since which day."""
    owner: str | None = None
    since: date | None = None
    for e in history:
        after = _owner(e.to_status, _agency_after(e))
        if after != owner:
            owner, since = after, _day_of(e.created_at)
    return owner, since


def _last_route(history: Sequence[EventRow]) -> int | None:
    for i in range(len(history) - 1, -1, -1):
        if history[i].action == "route":
            return i
    return None


def _days(start: datetime, end: datetime, event: EventRow) -> int:
    tz = event.agency_tz or settings.LAPOR_NATIONAL_TIMEZONE
    return working_days_between(start, end, tz=tz, province_code=event.agency_province or None)


def derive(dims: ReportDims, history: Sequence[EventRow], event: EventRow) -> Facts:
    facts = Facts()
    a = event.action
    month = month_of(event.created_at)

    def cell(period: date, agency: str = "", unit: str = "") -> tuple[Any, ...]:
        return (period, agency, unit, dims.category, dims.province, dims.kind)

    # Backlog: the report leaves its previous owner and lands with the next one.
    before_owner, since = _ownership(history)
    after_owner = _owner(event.to_status, _agency_after(event))
    if before_owner != after_owner:
        if before_owner is not None and since is not None:
            facts.move(before_owner, dims, since, -1)
        if after_owner is not None:
            facts.move(after_owner, dims, _day_of(event.created_at), +1)

    if a == "submit":
        facts.add(cell(month), "received")
        hour = event.created_at.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
        facts.volume[(hour, dims.category, dims.region)] = 1
        return facts

    if a == "escalate":
        facts.add(cell(month, event.agency, event.unit), "escalated")
        return facts

    decided = any(e.action in ("route", "archive", "merge") for e in history)
    if a in ("route", "archive", "merge") and not decided:
        # The verifier's first decision on this report: verification time, national calendar.
        days = working_days_between(
            history[0].created_at, event.created_at, tz=settings.LAPOR_NATIONAL_TIMEZONE
        )
        facts.add(cell(month), "verified")
        if days <= VERIFY_TARGET_DAYS:
            facts.add(cell(month), "verified_on_time")
        facts.duration(cell(month), "verify", days)
    if a == "route":
        facts.add(cell(month, event.agency, event.unit), "routed")
        return facts
    if a in ("archive", "merge"):
        if event.from_status == "routed":
            route_at = _last_route(history)
            if route_at is not None:
                facts.add(cell(month_of(history[route_at].created_at), event.agency, event.unit), "withdrawn")
        else:
            facts.add(cell(month), "archived")
        return facts

    # Everything below belongs to the current routing: its cohort is the month it was routed.
    r = _last_route(history)
    if r is None:
        return facts
    route = history[r]
    since_route = history[r + 1 :]
    cohort = cell(month_of(route.created_at), event.agency, event.unit)
    if a == "forward":
        facts.add(cohort, "forwarded")
    elif a == "decline":
        facts.add(cohort, "declined")
    elif a == "respond" and not any(e.action == "respond" for e in since_route):
        days = _days(route.created_at, event.created_at, event)
        facts.add(cohort, "followed_up")
        if days <= FOLLOWUP_TARGET_DAYS:
            facts.add(cohort, "followed_up_on_time")
        facts.duration(cohort, "first_followup", days)
    elif a in CLOSING:
        if not any(e.action in CLOSING for e in since_route):
            facts.add(cohort, "closed")
            facts.duration(cohort, "close", _days(route.created_at, event.created_at, event))
        if a == "confirm" and (rating := event.data.get("rating")):
            facts.add(cohort, "rating_count")
            facts.add(cohort, "rating_sum", int(rating))
            facts.add(cohort, "rating_high", int(int(rating) >= 4))
    elif a == "reopen":
        facts.add(cohort, "reopened")
        last_close = next((e for e in reversed(since_route) if e.action in CLOSING), None)
        if (
            last_close is not None
            and last_close.action == "confirm"
            and (rating := last_close.data.get("rating"))
        ):
            # The reopen resets the report's rating: only a current rating counts.
            lc = cell(month_of(route.created_at), last_close.agency, last_close.unit)
            facts.add(lc, "rating_count", -1)
            facts.add(lc, "rating_sum", -int(rating))
            facts.add(lc, "rating_high", -int(int(rating) >= 4))
    return facts
