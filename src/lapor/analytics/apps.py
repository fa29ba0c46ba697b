from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "lapor.analytics"
    label = "analytics"

    def ready(self) -> None:
        from lapor.analytics import handlers  # noqa: F401  (keeps the rollups current, see ADR)
