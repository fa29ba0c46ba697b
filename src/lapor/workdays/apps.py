from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "lapor.workdays"
    label = "workdays"
    verbose_name = "Hari kerja"

    def ready(self) -> None:
        # Connects the DayOverride signals that invalidate cached calendars.
        from lapor.workdays import services  # noqa: F401
