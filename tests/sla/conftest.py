from tests.workdays.conftest import calendar_today  # noqa: F401  (autouse: pinned today, fresh cache)
