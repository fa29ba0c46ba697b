from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "lapor.security"
    label = "security"

    def ready(self) -> None:
        from lapor.security import sessions  # noqa: F401  (connects the login signal)
