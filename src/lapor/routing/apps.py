from django.apps import AppConfig


class RoutingConfig(AppConfig):
    name = "lapor.routing"
    label = "routing"

    def ready(self) -> None:
        from lapor.routing import auto  # noqa: F401  (connects the automatic-routing receiver)
