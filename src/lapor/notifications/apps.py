from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "lapor.notifications"
    label = "notifications"

    def ready(self) -> None:
        from lapor.notifications import (
            handlers,  # noqa: F401  (connects the report's signals)
            webhook_handlers,  # noqa: F401  (webhooks hear the same events)
        )
