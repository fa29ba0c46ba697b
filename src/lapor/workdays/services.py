"""Build the WorkingCalendar the pure functions need from the holiday source plus the DayOverride table.

Calendars are cached in-process because deadlines are computed on every transition and in the sweep. The
cache is keyed by a version token kept in Django's cache, and a committed DayOverride change replaces the
token, so every worker (not just the one that served the admin) rebuilds on its next call whenever the
default cache is shared (Redis in production); with the local-memory cache this degrades to per-process.
A connection holding an uncommitted change bypasses the cache: it sees its own change, and a rollback
leaves nothing stale behind.
"""

import logging
import secrets
import time
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from lapor.workdays.calendar import WorkingCalendar, holidays_for_years
from lapor.workdays.models import DayOverride

__all__ = ["calendar_for", "calendar_invalidate", "days_off_in_year", "window_years"]

logger = logging.getLogger(__name__)

_VERSION_KEY = "workdays:calendar-version"
# (version token, calendars by (anchor year, province)). Replaced wholesale, never mutated across versions,
# so a thread that built from pre-change rows can only write into a dict nobody reads any more.
_state: tuple[str, dict[tuple[int, str | None], WorkingCalendar]] = ("", {})


def _today() -> date:
    # The default zone, not the request's current one (a lookup in a context variable each time):
    # only the year matters, and the window reaches two years back and three ahead.
    return timezone.now().astimezone(timezone.get_default_timezone()).date()


def window_years(today: date) -> range:
    """Years the cached calendar covers: two back (late reopenings, backfilled reports) and three ahead
    (the longest clock, the 60-working-day referral, is about three months)."""
    return range(today.year - 2, today.year + 4)


def _province(code: str | None) -> str | None:
    # Accept a regency code ("34.04") too: its province is the prefix, and overrides are provincial.
    return code.split(".")[0] if code else None


def _overrides(years: Iterable[int], province: str | None) -> list[DayOverride]:
    """National rows first, then the province's, so applying them in order lets the province win."""
    years = list(years)
    scope = Q(province__isnull=True)
    if province is not None:
        scope |= Q(province_id=province)
    rows = DayOverride.objects.filter(scope, date__year__gte=min(years), date__year__lte=max(years))
    return sorted(rows, key=lambda row: (row.province_id is not None, row.date))


def _build(years: Iterable[int], province: str | None) -> tuple[dict[date, str], set[date]]:
    """Days off with their names, and the extra working days, after applying the overrides."""
    years = list(years)
    days_off = holidays_for_years(years)
    extra: set[date] = set()
    for row in _overrides(years, province):
        if row.is_working_day:
            days_off.pop(row.date, None)
            extra.add(row.date)
        else:
            days_off[row.date] = row.name
            extra.discard(row.date)
    return days_off, extra


# The token is read from the shared cache at most this often per process: deadlines are computed
# several times per request, and a decree changing a holiday can wait a few seconds to be seen.
_TOKEN_TTL = 5.0
_token: tuple[float, str] = (0.0, "")


def _version() -> str:
    global _token
    checked_at, token = _token
    if token and time.monotonic() - checked_at < _TOKEN_TTL:
        return token
    try:
        version = cache.get(_VERSION_KEY)
        if version is None:
            # First use, or the shared cache lost the key: mint one so every process agrees from now on
            # (and rebuilds, since no local entry can carry a token minted just now).
            cache.add(_VERSION_KEY, secrets.token_hex(8), timeout=None)
            version = cache.get(_VERSION_KEY)
    except Exception:  # the shared cache (Redis) is down: deadlines must still be computed
        logger.warning("calendar version unavailable from the cache; rebuilding each minute meanwhile")
        version = f"offline-{int(time.time() // 60)}"
    _token = (time.monotonic(), str(version))
    return str(version)


def _change_pending() -> bool:
    # `run_on_commit` entries are (savepoint ids, callback, robust); rolled-back ones are dropped by Django.
    return any(entry[1] is calendar_invalidate for entry in connection.run_on_commit)


def calendar_for(*, province_code: str | None = None) -> WorkingCalendar:
    """The working calendar for agencies in `province_code` (None = national rules only).

    Covers `window_years(today)`; dates outside it see weekends only, so store deadlines, don't recompute.
    """
    province = _province(province_code)
    today = _today()
    if _change_pending():
        return _calendar(window_years(today), province)
    global _state
    version, calendars = _state
    if version != (current := _version()):
        calendars = {}
        _state = (current, calendars)
    calendar = calendars.get((today.year, province))
    if calendar is None:
        calendar = calendars[(today.year, province)] = _calendar(window_years(today), province)
    return calendar


def _calendar(years: Iterable[int], province: str | None) -> WorkingCalendar:
    days_off, extra = _build(years, province)
    return WorkingCalendar(days_off=frozenset(days_off), extra_working_days=frozenset(extra))


def days_off_in_year(*, year: int, province_code: str | None = None) -> dict[date, str]:
    """Every day off in `year` (holidays, cuti bersama, override days off) with its name, sorted.

    Not limited to the cached window, so the CLI and admin can inspect any year.
    """
    days_off, _extra = _build([year], _province(province_code))
    return dict(sorted(days_off.items()))


def calendar_invalidate() -> None:
    """Forget every cached calendar, here and (through the shared token) in every other process."""
    global _state, _token
    _state = ("", {})
    _token = (0.0, "")
    try:
        cache.set(_VERSION_KEY, secrets.token_hex(8), timeout=None)
    except Exception:  # Redis down: other processes catch up through the offline token's minute
        logger.warning("could not publish the calendar version; other workers will rebuild within a minute")


@receiver(post_save, sender=DayOverride, dispatch_uid="workdays-override-saved")
@receiver(post_delete, sender=DayOverride, dispatch_uid="workdays-override-deleted")
def _override_changed(**kwargs: Any) -> None:
    # On commit, not now: until then other connections cannot see the change, and if it rolls back there
    # is nothing to forget. This connection bypasses the cache meanwhile (see _change_pending).
    transaction.on_commit(calendar_invalidate)
