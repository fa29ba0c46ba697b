"""`manage.py calendar holidays|add`: inspect the working-day calendar the deadlines use.

Lives inside a package and is imported by its dotted path, so it never shadows the stdlib `calendar`.
"""

from argparse import ArgumentParser
from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lapor.workdays.calendar import ZONE_ALIASES, add_working_days, resolve_zone
from lapor.workdays.services import calendar_for, days_off_in_year


def _add_province(parser: ArgumentParser) -> None:
    parser.add_argument("--province", default=None, help="province code, e.g. 34 (default: national only)")


class Command(BaseCommand):
    help = "Working-day calendar: list days off, or compute a due moment."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        holidays = sub.add_parser("holidays", help="days off in a year, with their Indonesian names")
        holidays.add_argument("--year", type=int, required=True)
        _add_province(holidays)
        add = sub.add_parser("add", help="due moment after N working days")
        add.add_argument("--from", dest="start", required=True, help="ISO datetime; naive means in --tz")
        add.add_argument("--days", type=int, required=True)
        add.add_argument("--tz", default="WIB", choices=sorted(ZONE_ALIASES), type=str.upper)
        _add_province(add)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "holidays":
            days = days_off_in_year(year=options["year"], province_code=options["province"])
            for day, name in days.items():
                self.stdout.write(f"{day.isoformat()}  {name}")
            return
        try:
            start = datetime.fromisoformat(options["start"])
        except ValueError as exc:
            raise CommandError(f"--from: {exc}") from exc
        if options["days"] < 0:
            raise CommandError("--days must be >= 0")
        if start.tzinfo is None:
            start = start.replace(tzinfo=resolve_zone(options["tz"]))
        due = add_working_days(
            start, options["days"], calendar=calendar_for(province_code=options["province"]), tz=options["tz"]
        )
        self.stdout.write(due.isoformat())
