"""Reporting periods: a month (`2025-03`), a quarter (`2025-Q1`) or a year (`2025`), in WIB."""

import re
from dataclasses import dataclass
from datetime import date

from lapor.analytics.facts import month_of
from lapor.core import clock
from lapor.core.errors import Invalid

__all__ = ["Period", "current_year", "last_months", "parse_period"]

_PATTERN = re.compile(r"^(\d{4})(?:-(?:(0[1-9]|1[0-2])|Q([1-4])))?$")


@dataclass(frozen=True)
class Period:
    label: str
    start: date  # first month included
    end: date  # first month excluded

    def months(self) -> list[date]:
        out, m = [], self.start
        while m < self.end:
            out.append(m)
            m = _add_months(m, 1)
        return out


def _add_months(d: date, n: int) -> date:
    index = d.year * 12 + d.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def parse_period(text: str | None) -> Period:
    """None or "" means the current year so far."""
    if not text:
        return current_year()
    match = _PATTERN.match(text.strip())
    if match is None:
        raise Invalid(
            "Periode harus berbentuk 2025, 2025-Q1 atau 2025-03.", code="invalid_period", field="period"
        )
    year, month, quarter = int(match[1]), match[2], match[3]
    if month:
        start = date(year, int(month), 1)
        return Period(text, start, _add_months(start, 1))
    if quarter:
        start = date(year, 3 * int(quarter) - 2, 1)
        return Period(text, start, _add_months(start, 3))
    return Period(text, date(year, 1, 1), date(year + 1, 1, 1))


def current_year() -> Period:
    this = month_of(clock.now())
    return Period(str(this.year), date(this.year, 1, 1), date(this.year + 1, 1, 1))


def last_months(n: int = 12) -> Period:
    """The last n months, this one included (for trends)."""
    this = month_of(clock.now())
    return Period(f"{n}m", _add_months(this, -(n - 1)), _add_months(this, 1))
