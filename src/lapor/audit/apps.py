from django.apps import AppConfig
from django.db.backends.signals import connection_created


class AuditConfig(AppConfig):
    name = "lapor.audit"
    label = "audit"
    verbose_name = "Audit"

    def ready(self) -> None:
        from lapor.audit import guard, listeners  # noqa: F401  (listeners hear the report's events)

        # SQLite triggers ask a function of the connection whether the log is unlocked (see guard.py).
        connection_created.connect(guard.register_sqlite_function, dispatch_uid="lapor-audit-guard")
